"""Every format at every profile it is made at, read as the clients downstream read it: libpng and Pillow,
pngcheck, MediaInfo, ffmpeg's decoders frame by frame, the ProRes frame header, the transport stream's SDT."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from ticker.media.profiles import PROFILES

from support.campaigns import write_campaign
from support.clients import libpng_pixel_aspect, pngcheck, prores_header, sdt_services
from support.matrix import BURNED, LOOK, MADE, REFUSED, STRAIGHT
from support.media import ffmpeg, mediainfo
from support.running import run_ticker

ALPHA = ("prores4444", "qtrle", "png", "vp9")
SD = ("576i50", "576i50-4x3")
pytestmark = pytest.mark.xdist_group("matrix")  # the session's matrix, made once on one worker


@pytest.fixture
def made(matrix):
    """One render of every overlay and file at every profile it is made at, a loop of a second or two each, and
    one of the transport streams over the first second of the session's programme (1080i50, with sound):
    tests/matrix.py."""
    return matrix


def _frames(path) -> list:
    """The decoded pictures (VP9 with its alpha, through libvpx), one at a time."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        decoder = av.CodecContext.create("libvpx-vp9", "r") if s.codec_context.name == "vp9" else None
        for packet in c.demux(s):
            yield from (decoder.decode(packet if packet.size else None) if decoder else packet.decode())


@pytest.mark.parametrize("fmt, profile", MADE)
def test_every_format_is_made_at_every_profile_it_allows(made, fmt, profile):
    o = made[fmt, profile]
    assert o["profile"] == profile and o["format"] == fmt
    scan = ("Interlaced", "TFF") if PROFILES[profile].interlaced else ("Progressive", None)
    if fmt == "png":
        pictures = sorted(Path(o["path"]).glob("*.png"))
        assert len(pictures) == o["frames"]
        return
    for path in filter(None, (o["path"], o["key"])):
        info = mediainfo(path)
        assert int(info["frame_count"]) == o["frames"], path
        # VP9 has no scan flag (it is progressive only); H.264 codes interlaced pictures as MBAFF
        scan_type = {"MBAFF": "Interlaced"}.get(info.get("scan_type"), info.get("scan_type", "Progressive"))
        assert (scan_type, info.get("scan_order")) == scan, path
        with av.open(path) as c:
            field_order = c.streams.video[0].codec_context.field_order
        # top field first: ffmpeg reads a QuickTime fiel atom of top field first as either 2 (tt) or 4 (tb)
        assert field_order in ((2, 4) if PROFILES[profile].interlaced else (0, 1)), (path, field_order)


@pytest.mark.parametrize("fmt, profile", sorted(REFUSED))
def test_a_combination_that_cannot_be_made_is_refused_before_anything_is_written(tmp_path, fmt, profile):
    cfg = write_campaign(tmp_path, base=LOOK)
    over = ("--over", cfg) if fmt in BURNED else ()  # refused before the programme is looked at
    done = run_ticker(
        "render", cfg, "-o", "out", "--profile", profile, "--format", fmt, "--loop", *over, cwd=tmp_path, check_status=2
    )
    assert REFUSED[fmt, profile] in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


# --- colour: the container and every picture say the same -------------------------------------------------


@pytest.mark.parametrize("profile", ["1080i50", *SD])
@pytest.mark.parametrize("fmt", ["prores4444", "fillkey"])
def test_prores_says_its_colour_in_the_frame_headers_as_in_the_container(made, fmt, profile):
    """A ProRes frame header can say the BT.601 transfer only as BT.709's (the same curve) and the 625-line
    matrix only as smpte170m's (the same coefficients): 5/1/6 at SD, in the colr atom alike."""
    o = made[fmt, profile]
    want = (5, 1, 6) if profile in SD else (1, 1, 1)
    for path in filter(None, (o["path"], o["key"])):
        for picture in (0, o["frames"] - 1):
            h = prores_header(path, picture)
            assert (h["color_primaries"], h["transfer_characteristic"], h["matrix_coefficients"]) == want
            assert h["interlace_mode"] == 1  # top field first
        with av.open(path) as c:
            cc = c.streams.video[0].codec_context
            assert (cc.color_primaries, cc.color_trc, cc.colorspace) == want  # the MOV's colr atom
        decoded = [(f.color_primaries, f.color_trc, f.colorspace) for f in _frames(path)]
        assert len(decoded) == o["frames"] and set(decoded) == {want}
        info = mediainfo(path)
        assert info["color_space"] == ("YUVA" if fmt == "prores4444" else "YUV")
        assert (info["color_primaries"], info["matrix_coefficients"]) == (
            ("BT.601 PAL", "BT.601") if profile in SD else ("BT.709", "BT.709")
        )
        assert info["matrix_coefficients_source"] == "Container / Stream"
        assert not [k for k in info if k.endswith("_original")], info  # the stream says nothing else
        # the SD to HD step that stopped on "transfer characteristics 0 (reserved)"
        up = ffmpeg("-v", "error", "-i", path, "-vf", "colorspace=all=bt709", "-frames:v", 2, "-f", "null", "-")
        assert up.returncode == 0 and up.stderr == "", up.stderr


def test_qc_fails_sd_prores_whose_pictures_say_gbr_and_passes_the_new_one(made, tmp_path):
    o = made["prores4444", "576i50"]
    old = tmp_path / "old-tags.mov"  # the colour tags ticker wrote before: prores_aw puts 0 in every header
    assert (
        ffmpeg(
            "-v",
            "error",
            "-i",
            o["path"],
            "-vf",
            "setparams=color_trc=smpte170m:colorspace=bt470bg",
            "-c:v",
            "prores_aw",
            "-profile:v",
            4,
            "-vendor",
            "apl0",
            "-pix_fmt",
            "yuva444p10le",
            "-flags",
            "+ildct",
            "-color_trc",
            "smpte170m",
            "-colorspace",
            "bt470bg",
            "-map_metadata",
            0,
            old,
        ).returncode
        == 0
    )
    assert prores_header(old)["matrix_coefficients"] == 0  # made as it used to be
    done = run_ticker("qc", old, cwd=tmp_path, check_status=1)
    assert "FAILED" in done.stdout
    assert (
        "picture 1 says its colour (primaries, transfer, matrix) is (5, 0, 0), but the container says "
        "(5, 6, 5)" in done.stdout
    )
    assert ": ok" in run_ticker("qc", o["path"], cwd=tmp_path).stdout


# --- what lies under transparent pixels ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, profile",
    [(f, p) for f in ALPHA for p in ("1080i50", "576i50", "1080x1920p25") if (f, p) in MADE] + [("vp9", "1080p25")],
)
def test_black_lies_under_every_transparent_pixel(made, fmt, profile):
    o = made[fmt, profile]
    path = Path(o["path"])
    if fmt == "png":
        pictures = [np.asarray(Image.open(p)) for p in sorted(path.glob("*.png"))[::7]]
    else:
        pictures = [f.to_ndarray(format="rgba") for k, f in enumerate(_frames(path)) if k % 7 == 0]
    qr_top, band_y = o["layers"]["qr"][1], o["band_y"]
    lossless = fmt in ("qtrle", "png")
    for rgba in pictures:
        clear = rgba[..., 3] == 0
        colour = rgba[..., :3].max(axis=2)
        assert clear.mean() > 0.5
        if lossless:  # exactly black
            assert colour[clear].max() == 0
            continue
        # lossy files: black away from the edges of what shows, where the codec rings (VP9's 4:2:0 chroma
        # reaches a few lines into the clear area); ProRes's own black is 1 code off (ffmpeg's 10-bit pad colour)
        far = clear & ~_near(~clear, RINGING)
        assert far.mean() > 0.5 and colour[far].max() <= 2 and colour[far].mean() < 1.5
        if qr_top < band_y:  # the strip beside the QR code, from its top down to the rule: white before
            strip = far[qr_top:band_y]
            assert strip.any() and colour[qr_top:band_y][strip].max() <= 2


RINGING = 16  # lines and columns: a 16 × 16 block of luma (8 × 8 of 4:2:0 chroma)


def _near(mask: np.ndarray, r: int) -> np.ndarray:
    """Pixels within r lines and columns of a True pixel of `mask` (a box dilation by running sums)."""
    s = np.pad(mask.astype(np.int32), ((r + 1, r), (r + 1, r))).cumsum(0).cumsum(1)
    h, w = mask.shape
    k = 2 * r + 1
    return (s[k : k + h, k : k + w] - s[:h, k : k + w] - s[k : k + h, :w] + s[:h, :w]) > 0


@pytest.mark.parametrize("fmt, profile", STRAIGHT)
def test_a_straight_fill_is_black_where_its_key_is_clear(made, fmt, profile):
    o = made[fmt + "-straight", profile]
    fills, keys = _frames(o["path"]), _frames(o["key"])
    for k, (fill, key) in enumerate(zip(fills, keys)):
        if k % 5:
            continue
        bits = int(key.format.name.split("p")[-1][:2])
        y = np.frombuffer(key.planes[0], "<u2").reshape(key.height, -1)[:, : key.width] >> (bits - 8)
        clear = y <= 16  # α = 0: Y = 16
        rgb = fill.to_ndarray(format="rgb24").max(axis=2)
        assert clear.mean() > 0.5 and np.percentile(rgb[clear], 99.9) <= 4 and rgb[clear].mean() < 0.5


# --- PNG: pixel aspect and colour as libpng, Pillow and pngcheck read them ------------------------------------


@pytest.mark.parametrize("profile, aspect", [("1080i50", 1.0), ("576i50", 64 / 45), ("576i50-4x3", 16 / 15)])
def test_png_pictures_carry_the_pixel_aspect_libpng_and_pillow_read(made, profile, aspect):
    pictures = sorted(Path(made["png", profile]["path"]).glob("*.png"))
    for p in (pictures[0], pictures[-1]):
        version, read = libpng_pixel_aspect(p)
        assert read == pytest.approx(aspect, abs=1e-4), (version, read)
        with Image.open(p) as im:
            x, y = im.info.get("aspect", (1, 1))
        assert y / x == pytest.approx(aspect, abs=1e-6)


@pytest.mark.parametrize(
    "profile, chunk", [("1080i50", "sRGB"), ("576i50", "cHRM"), ("576i50-4x3", "cHRM"), ("1080x1920p25", "sRGB")]
)
def test_png_pictures_pass_pngcheck_and_say_their_colour_in_chunks_it_knows(made, profile, chunk):
    pictures = sorted(Path(made["png", profile]["path"]).glob("*.png"))
    done = pngcheck(*pictures)
    assert done.returncode == 0 and "ERROR" not in done.stdout, done.stdout[-2000:]
    first = done.stdout.split("File: ")[1]
    assert f"chunk {chunk}" in first and "cICP" not in first
    if chunk == "cHRM":  # EBU Tech 3213 primaries
        assert "Green x = 0.29 y = 0.6" in first


def test_qc_fails_png_pictures_whose_pixel_aspect_is_upside_down(made, tmp_path):
    folder = tmp_path / "old_576i50_png"
    folder.mkdir()
    for n in (1, 2):  # as ticker wrote them before: pHYs X=64, Y=45
        assert (
            ffmpeg(
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "color=black@0:s=720x576,format=rgba,setsar=64/45",
                "-frames:v",
                1,
                folder / f"old_576i50_png_{n:06d}.png",
            ).returncode
            == 0
        )
    assert libpng_pixel_aspect(folder / "old_576i50_png_000001.png")[1] == pytest.approx(45 / 64, abs=1e-4)
    done = run_ticker("qc", folder, "--profile", "576i50", "--format", "png", cwd=tmp_path, check_status=1)
    assert "says its pixels are 0.7031 as wide as high (pHYs X=64, Y=45), not 1.4222 (64:45: X=45, Y=64)" in done.stdout
    assert (
        ": ok"
        in run_ticker(
            "qc", made["png", "576i50"]["path"], "--profile", "576i50", "--format", "png", cwd=tmp_path
        ).stdout
    )


# --- transport streams ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, profile", [c for c in MADE if c[0] in BURNED])
def test_the_sdt_says_the_service_type_of_the_codec_and_size(made, fmt, profile):
    hd = profile not in SD
    want = {("ts-h264", True): 0x19, ("ts-h264", False): 0x16, ("ts-mpeg2", True): 0x11, ("ts-mpeg2", False): 0x01}[
        fmt, hd
    ]
    (service,) = sdt_services(Path(made[fmt, profile]["path"]))
    assert service["service_type"] == want and service["running_status"] == 4 and service["name"] == "ticker"
