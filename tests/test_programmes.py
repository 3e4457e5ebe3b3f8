"""The test programmes (support/programmes.py): the crawl on screen exactly when their truth says, and nowhere
else; the channel's frame count, rate and picture; its variants the same programme."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from support.programmes import Insert, Programme, crawl_loop, overlaid, variant

pytestmark = pytest.mark.slow
INSERTS = [Insert(1, 4), Insert(6, 9.2)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Programme, Programme]:
    """The crawl's loop, a 10 s 576i50 programme with the crawl at 1–4 s and 6–9.2 s, and the same without it."""
    folder = tmp_path_factory.mktemp("programmes")
    loop = crawl_loop(folder)
    return loop, overlaid(folder, loop, seconds=10, inserts=INSERTS), overlaid(folder, loop, seconds=10, inserts=[])


@dataclass(frozen=True)
class Decoded:
    """What PyAV reads of a programme's video: its stream, and the band's rows of every picture (RGB), in order."""

    rate: Fraction | None
    sar: Fraction | None
    codec: str
    size: tuple[int, int]
    interlaced: bool
    top_first: bool
    rows: np.ndarray


def _decode(path: Path, rows: slice) -> Decoded:
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        first, kept = None, []
        for picture in c.decode(stream):
            first = first or picture
            kept.append(picture.to_ndarray(format="rgb24")[rows])
        assert first is not None, f"{path} has no picture"
        return Decoded(
            stream.average_rate,
            stream.sample_aspect_ratio,
            stream.codec_context.name,
            (first.height, first.width),
            first.interlaced_frame,
            stream.codec_context.field_order == 2,  # AV_FIELD_TT: top field first, as the decoder found it
            np.array(kept),
        )


def _band(loop: Path) -> slice:
    """The rows the loop's band covers: where its first picture is not transparent."""
    with av.open(str(loop)) as c:
        alpha = next(c.decode(video=0)).to_ndarray(format="rgba")[..., 3]
    rows = np.flatnonzero(alpha.max(axis=1))
    assert len(rows) and rows[-1] - rows[0] + 1 == len(rows), "the loop's band is one run of rows"
    return slice(int(rows[0]), int(rows[-1]) + 1)


@pytest.fixture(scope="module")
def decoded(built) -> tuple[Decoded, Decoded]:
    """The programme with the crawl and the one without, decoded: the band's rows."""
    loop, crawled, plain = built
    return _decode(crawled.path, _band(loop)), _decode(plain.path, _band(loop))


@pytest.fixture(scope="module")
def changed(decoded) -> np.ndarray:
    """Per picture of the programme, how much the band's rows differ from the programme without the crawl."""
    a, b = decoded
    assert a.rows.shape == b.rows.shape
    return np.abs(a.rows.astype(np.int16) - b.rows).mean(axis=(1, 2, 3))


def test_the_programme_is_a_channels_576i50_stream(built, decoded):
    for programme, read in zip(built[1:], decoded):
        assert (programme.frames, programme.rate, programme.codec) == (250, 25, "h264")
        assert (len(read.rows), read.rate, read.sar, read.codec) == (250, 25, Fraction(64, 45), "h264")
        assert read.size == (576, 720)
        assert read.interlaced and read.top_first
        with av.open(str(programme.path)) as c:
            assert c.format.name == "mpegts"
            assert [s.codec_context.name for s in c.streams.audio] == ["mp2"]
        assert Path(f"{programme.path}.command.txt").read_text(encoding="utf-8").count(" -f mpegts ") == 1


def test_the_band_is_on_during_the_inserts_and_only_then(built, changed):
    crawled = built[1]
    shown = np.array([crawled.shown(n) for n in range(crawled.frames)])
    assert shown.sum() == round((3 + 3.2) * 25)
    assert changed[shown].min() > 20, "the crawl is on every picture of the inserts"
    assert changed[~shown].max() < 3, "no picture outside the inserts differs from the programme without them"


def test_each_insert_starts_and_ends_on_its_picture(changed):
    on = np.flatnonzero(changed > 10)
    runs = np.split(on, np.flatnonzero(np.diff(on) != 1) + 1)
    assert len(runs) == len(INSERTS)
    for run, insert in zip(runs, INSERTS):
        assert abs(run[0] - round(insert.start * 25)) <= 1, f"{insert} first seen on picture {run[0]}"
        assert abs(run[-1] + 1 - round(insert.end * 25)) <= 1, f"{insert} last seen on picture {run[-1]}"


def test_the_clip_starts_from_its_first_picture_at_each_insert(built, decoded):
    """At an insert's first picture the programme shows the loop's picture 0 over the plain programme, not any
    other of the loop's pictures (the crawl moves some 9 pixels a picture)."""
    loop = built[0]
    band = _band(loop)
    with av.open(str(loop)) as c:
        clip = np.array([f.to_ndarray(format="rgba")[band] for f in c.decode(video=0)], dtype=np.float32)
    alpha = clip[..., 3:] / 255
    a, b = decoded
    for insert in INSERTS:
        n = round(insert.start * 25)
        over = alpha * clip[..., :3] + (1 - alpha) * b.rows[n]
        error = np.abs(over - a.rows[n]).mean(axis=(1, 2, 3))
        assert int(np.argmin(error)) == 0, f"{insert}: the programme shows the loop's picture {np.argmin(error)}"


def test_the_centre_cut_keeps_the_programmes_truth(built, tmp_path):
    """The 4:3 centre cut (one variant: each takes seconds to make) is the same programme, its crawl on the same
    pictures, at 576i50 4:3."""
    loop, crawled, _ = built
    made = variant(crawled, tmp_path, "centre-cut")
    assert (made.frames, made.rate, made.inserts) == (crawled.frames, crawled.rate, crawled.inserts)
    assert (made.profile, made.codec) == ("576i50-4x3", "h264")
    read = _decode(made.path, _band(loop))
    assert (len(read.rows), read.rate, read.sar, read.size) == (made.frames, 25, Fraction(16, 15), (576, 720))
    assert read.interlaced and read.top_first
    shown = np.array([made.shown(n) for n in range(made.frames)])
    # the band is one dark colour with light letters: its rows vary less than the programme's picture does there
    spread = read.rows.std(axis=2).mean(axis=(1, 2))
    assert spread[shown].max() < spread[~shown].min() / 1.5
