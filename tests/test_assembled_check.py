"""A ProRes file assembled from slices, and a qtrle file assembled from lines, made by the library's sink from
pictures of a moving band: its packets are those of the whole-picture encode of the same pictures, and its check
(each slice or band frame decoded once) says what decoding every picture whole says, and fails a file that is
not what was assembled."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest

from ticker.encode.assemble import band_file, open_assembled
from ticker.encode.ffmpeg_args import Encoding
from ticker.encode.prores import band_lines
from ticker.encode.sink import open_sink
from ticker.errors import EncodeError
from ticker.media.formats import FORMATS, Placement
from ticker.media.profiles import PROFILES
from ticker.qc.assembled import pictures_of
from ticker.qc.decode import expect_for, inspect

FRAMES = 12
QTRLE_FRAMES = 26  # three key frames (every 12th) and the frames between


def pictures(region: Placement, moving: tuple[int, int], frames: int = FRAMES) -> tuple[np.ndarray, list[np.ndarray]]:
    """A still region (a rule above the band, a box at its left) and pictures of a gradient that moves in its
    moving lines."""
    still = np.zeros((region.height, region.width, 4), np.uint8)
    still[2:6, :] = (240, 240, 240, 255)  # a rule, above the moving lines
    still[moving[0] : moving[1], :] = (20, 40, 120, 230)
    still[moving[0] : moving[1], :48] = (200, 30, 30, 255)  # a label box beside them, not moving
    made = []
    x = np.arange(region.width - 48)
    for i in range(frames):
        p = still.copy()
        if i % 5 == 3:  # now and then a picture the same as the one before: a frame that changes nothing
            made.append(made[-1])
            continue
        wave = ((np.sin((x + 7 * i) / 9.0) + 1) * 120).astype(np.uint8)
        p[moving[0] : moving[1], 48:, 0] = wave
        p[moving[0] : moving[1], 48:, 1] = 255 - wave
        p[moving[0] : moving[1], 48:, 3] = 255
        made.append(p)
    return still, made


def make(tmp: Path, fmt_id: str, profile_id: str, region: Placement, moving, assembled: bool):
    """The pictures encoded into `tmp`: assembled, or whole; the files and the sink that wrote them."""
    fmt, profile = FORMATS[fmt_id], PROFILES[profile_id]
    enc = Encoding(fmt, profile, region)
    tmp.mkdir()
    targets = [tmp / "clip.mov"] + ([tmp / "clip_A.mov"] if fmt.pair else [])
    frames = frames_of(fmt_id)
    still, made = pictures(region, moving, frames)
    sink = open_assembled(enc, targets, frames, None, still, moving) if assembled else open_sink(enc, targets, frames)
    with sink:
        for i, p in enumerate(made):
            sink.write(p, i)
    return targets, sink


def key_frames(path: Path) -> list[int]:
    with av.open(str(path)) as c:
        return [i for i, p in enumerate(p for p in c.demux(c.streams.video[0]) if p.size) if p.is_keyframe]


def frames_of(fmt_id: str) -> int:
    return QTRLE_FRAMES if fmt_id == "qtrle" else FRAMES


def packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux(c.streams.video[0]) if p.size]


CASES = [  # every profile; a band reaching a partial last macroblock row, a partial macroblock column
    ("prores4444", "1080i50", Placement(1920, 200, 860), (120, 184)),  # into 1080's partial field row
    ("prores4444", "1080p50", Placement(1920, 64, 1012), (20, 60)),  # into 1080's partial row (1072–1079)
    ("prores4444", "1080p25", Placement(1920, 96, 600), (30, 80)),
    ("prores4444", "720p50", Placement(1280, 80, 300), (30, 70)),
    ("prores4444", "576i50", Placement(720, 96, 400), (40, 90)),
    ("prores4444", "576i50-4x3", Placement(720, 96, 480), (40, 96)),  # to the bottom
    ("prores4444", "1080x1920p25", Placement(1080, 120, 1500), (50, 110)),  # 67.5 macroblocks a row
    ("fillkey", "1080i50", Placement(1920, 120, 700), (40, 110)),
    ("fillkey", "1080p25", Placement(1920, 64, 1016), (10, 40)),
    ("fillkey", "576i50-4x3", Placement(720, 96, 400), (40, 90)),
    # qtrle at every profile it is made at: any lines; a band at the top, to the bottom, the whole picture
    ("qtrle", "1080i50", Placement(1920, 200, 860), (120, 184)),
    ("qtrle", "1080p50", Placement(1920, 64, 1016), (20, 64)),  # to the last line
    ("qtrle", "1080p25", Placement(1920, 96, 0), (0, 50)),  # from the first line
    ("qtrle", "720p50", Placement(1280, 80, 300), (31, 67)),
    ("qtrle", "576i50", Placement(720, 576, 0), (0, 576)),  # every line moves
    ("qtrle", "576i50-4x3", Placement(720, 96, 480), (40, 96)),
    ("qtrle", "1080x1920p25", Placement(1080, 120, 1500), (50, 110)),
]


@pytest.mark.parametrize(("fmt_id", "profile_id", "region", "moving"), CASES)
def test_assembled_packets_are_the_whole_encodes_and_the_check_says_what_decoding_says(
    tmp_path, fmt_id, profile_id, region, moving
):
    ours, sink = make(tmp_path / "assembled", fmt_id, profile_id, region, moving, True)
    whole, _ = make(tmp_path / "whole", fmt_id, profile_id, region, moving, False)
    expect = expect_for(FORMATS[fmt_id], PROFILES[profile_id], frames_of(fmt_id), False)
    for a, w in zip(ours, whole):
        assert packets(a) == packets(w)  # byte for byte: what assembling gives with prores_aw and qtrle today
        assert key_frames(a) == key_frames(w)
        assembly = sink.assemblies[a]
        checked = inspect(a, expect, pictures=pictures_of(assembly))
        decoded = inspect(a, expect)
        assert checked.ok, checked.problems
        assert decoded.ok, decoded.problems
        same = ("frames", "pixel format", "alpha", "levels", "colour", "field order", "size", "sar")
        said = [k for k in same if k in decoded.facts]  # qtrle's RGB has no levels to say
        assert {k: checked.facts.get(k) for k in said} == {k: decoded.facts[k] for k in said} and "frames" in said
        assert checked.facts["checked"] == "the still and band frames it was assembled from"
        y0, y1 = assembly.lines  # only the band's rows were encoded, and decoded for the check
        assert 0 < y1 - y0 <= PROFILES[profile_id].height
        if fmt_id != "qtrle":
            assert int.from_bytes(assembly.bands.read_bytes()[18:20], "big") == y1 - y0  # the band frame's height
        else:
            assert (y0, y1) == (region.y + moving[0], region.y + moving[1])  # the lines that move, no more
    sink.cleanup()
    assert not any(band_file(a).exists() for a in ours)


@pytest.mark.parametrize("fmt_id", ["prores4444", "qtrle"])
def test_the_check_fails_a_file_that_is_not_what_was_assembled(tmp_path, fmt_id):
    (path,), sink = make(tmp_path / "a", fmt_id, "576i50", Placement(720, 96, 400), (40, 90), True)
    assembly = sink.assemblies[path]
    expect = expect_for(FORMATS[fmt_id], PROFILES["576i50"], frames_of(fmt_id), False)
    wrong = replace(assembly, digests=(*assembly.digests[:4], (1, 2), *assembly.digests[5:]))
    report = inspect(path, expect, pictures=pictures_of(wrong))
    assert report.problems == ["picture 5 is not the frame assembled for it"]
    missing = replace(assembly, digests=(*assembly.digests, assembly.digests[-1]))  # one more than the file has
    report = inspect(path, expect, pictures=pictures_of(missing))
    assert report.problems == [f"picture {len(assembly.digests) + 1} is not the frame assembled for it"]
    with av.open(str(path)) as c:
        sixth = [p for p in c.demux(c.streams.video[0]) if p.size][5]
        at = sixth.pos + sixth.size // 2
    corrupt = tmp_path / "corrupt.mov"
    data = bytearray(path.read_bytes())
    data[at] ^= 0x5A  # a byte of the sixth packet, in the file
    corrupt.write_bytes(bytes(data))
    report = inspect(corrupt, expect, pictures=pictures_of(assembly))
    assert report.problems == ["picture 6 is not the frame assembled for it"]
    cut = tmp_path / "cut.band"
    cut.write_bytes(assembly.bands.read_bytes()[:-100])
    report = inspect(path, expect, pictures=pictures_of(replace(assembly, bands=cut)))
    assert not report.ok and "ends inside a frame" in report.problems[0]
    short = tmp_path / "short.band"
    first = assembly.bands.read_bytes()
    short.write_bytes(first[: int.from_bytes(first[:4], "big")])  # one band frame of all
    report = inspect(path, expect, pictures=pictures_of(replace(assembly, bands=short)))
    assert f"1 band frames were decoded for its {frames_of(fmt_id)} pictures" in report.problems


@pytest.mark.parametrize("fmt_id", ["prores4444", "qtrle"])
def test_a_failed_band_encoder_leaves_no_file_and_says_why(tmp_path, fmt_id):
    fmt, profile = FORMATS[fmt_id], PROFILES["576i50"]
    region, moving = Placement(720, 96, 400), (40, 90)
    still, made = pictures(region, moving)
    target = tmp_path / "clip.mov"
    sink = open_assembled(Encoding(fmt, profile, region), [target], FRAMES, None, still, moving)  # 12 frames
    with pytest.raises(EncodeError, match=r"the encoder wrote 5 of 12 frames of clip\.mov"), sink:
        for i, p in enumerate(made[:5]):  # fewer pictures than the encoder was told
            sink.write(p, i)
    sink.cleanup()
    assert not band_file(target).exists()


def test_rows_are_added_where_the_still_rows_around_the_band_are_not_flat(tmp_path, monkeypatch):
    """Noise above and below the moving lines: prores_aw carries a quantiser other than its first into the band
    and out of it, so rows are added until the chain agrees, and the packets are still the whole encode's."""
    plain = pictures

    def noisy(region: Placement, moving: tuple[int, int], frames: int = FRAMES):
        still, made = plain(region, moving, frames)
        noise = np.random.default_rng(7).integers(0, 256, still.shape, dtype=np.uint8)
        noise[..., 3] = 255
        for p in (still, *made):
            p[: moving[0]], p[moving[1] :] = noise[: moving[0]], noise[moving[1] :]
        return still, made

    monkeypatch.setattr(f"{__name__}.pictures", noisy)
    for fmt_id, profile_id, region, moving, band, encoded in [
        ("prores4444", "1080i50", Placement(1920, 256, 640), (100, 160), (736, 800), (640, 896)),
        ("fillkey", "576i50", Placement(720, 192, 320), (60, 120), (352, 448), (320, 512)),
    ]:
        profile = PROFILES[profile_id]
        assert band_lines(profile.height, profile.interlaced, region.y + moving[0], region.y + moving[1]) == band
        ours, sink = make(tmp_path / f"{fmt_id}-a", fmt_id, profile_id, region, moving, True)
        whole, _ = make(tmp_path / f"{fmt_id}-w", fmt_id, profile_id, region, moving, False)
        for a, w in zip(ours, whole):
            assert sink.assemblies[a].lines == encoded
            assert packets(a) == packets(w)
