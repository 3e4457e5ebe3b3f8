"""Each format, written by the command and read back: frame counts, sizes, flags, colour tags, pixels."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from support.campaigns import HAU_GIANG, PC_COVID
from support.measure import decode_rgba, step, words
from support.media import mediainfo, stream_info
from support.running import run_ticker

SHORT = "Quét mã QR để khai báo y tế"
pytestmark = pytest.mark.xdist_group("renders")  # the session's renders, made once on one worker


def test_the_readme_example_renders_its_two_full_loops(tmp_path):
    """The command the README's set-up runs, at full length: the one render here of the example as it is (the
    tests of what does not depend on a loop's length read the same campaign with a short crossing)."""
    done = run_ticker("render", HAU_GIANG, "-o", tmp_path / "out", "--json", cwd=tmp_path)
    hd, sd = json.loads(done.stdout)["outputs"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "haugiang-ncovi_1080i50_prores4444_loop.mov",
        "haugiang-ncovi_576i50_prores4444_loop.mov",
    ]
    for r, size, sar in ((hd, (1920, 1080), Fraction(1)), (sd, (720, 576), Fraction(64, 45))):
        info = stream_info(r["path"])
        assert (info["codec"], info["profile"], info["width"], info["height"], info["sar"]) == (
            "prores",
            "4444",
            *size,
            sar,
        )
        assert r["loop"] and r["interlaced"] and r["frames"] == info["packets"] and info["rate"] == 25
        # a point of the text crosses the picture in 12 s, within the step's quantisation to 1/8 pixel a field
        assert abs(r["speed_px_per_s"] * 12 / r["width"] - 1) < 0.02, r["speed_px_per_s"]
        assert r["seconds"] > 24 and r["frames"] == round(r["seconds"] * 25)
    assert abs(hd["seconds"] / sd["seconds"] - 1) < 0.03  # the same crawl at both sizes


def _band_is_empty(pic: np.ndarray, r: dict, band_alpha: float) -> bool:
    """Nothing of the crawl in the band's window (the label and QR code beside it are always there)."""
    y, h, (c0, c1) = r["band_y"], r["band_height"], r["crawl"]
    band = pic[y : y + h, c0:c1]
    return bool(
        np.abs(band[..., 3] - band_alpha).max() < 1.5 / 255 and np.ptp(band[..., :3], axis=(0, 1)).max() < 2 / 255
    )


def _tags(path) -> tuple:
    info = stream_info(path)
    return info["primaries"], info["transfer"], info["matrix"]


# ffmpeg's codes: bt709; for SD ProRes bt470bg primaries, the BT.601 curve as BT.709's (the same one) and the
# 625-line matrix as smpte170m's (the same coefficients): what a ProRes frame header can say
BT709, BT601 = (1, 1, 1), (5, 1, 6)


@pytest.mark.parametrize(
    "profile, sar, dar", [("576i50", Fraction(64, 45), "1.778"), ("576i50-4x3", Fraction(16, 15), "1.333")]
)
def test_576i50_is_anamorphic_interlaced_bt601(renders, profile, sar, dar):
    r = renders(renders.short(HAU_GIANG), "--profile", profile, "--format", "prores4444", "--loop")
    info = stream_info(r["path"])
    assert (info["width"], info["height"], info["sar"]) == (720, 576, sar)
    assert _tags(r["path"]) == BT601 and info["range"] == 1  # video range
    mi = mediainfo(r["path"])
    assert (mi["scan_type"], mi["scan_order"]) == ("Interlaced", "TFF")
    assert mi["display_aspect_ratio"] == dar
    # EBU primaries, the BT.601 matrix and curve, as MediaInfo names what the container and stream say
    assert (mi["color_primaries"], mi["transfer_characteristics"], mi["matrix_coefficients"]) == (
        "BT.601 PAL",
        "BT.709",
        "BT.601",
    )
    assert r["frames"] == info["packets"] and r["interlaced"]


def test_1080i50_prores_carries_bt709_tags(renders):
    r = renders(renders.short(HAU_GIANG), "--profile", "1080i50", "--format", "prores4444", "--loop")
    assert _tags(r["path"]) == BT709
    mi = mediainfo(r["path"])
    assert (mi["color_primaries"], mi["transfer_characteristics"], mi["matrix_coefficients"]) == (
        "BT.709",
        "BT.709",
        "BT.709",
    )


@pytest.mark.parametrize("profile, scan", [("1080p25", None), ("1080i50", ("MBAFF", "TFF"))])
def test_h264_burns_the_band_over_the_campaign_background(renders, profile, scan):
    r = renders(
        PC_COVID, "--profile", profile, "--format", "h264", "--seconds", "6", "--speed", "1500", "--text", "PC-Covid"
    )
    mi = mediainfo(r["path"])
    assert (mi["scan_type"], mi.get("scan_order")) == (scan or ("Progressive", None))
    info = stream_info(r["path"])
    assert (info["codec"], info["pix_fmt"], info["width"], info["height"]) == ("h264", "yuv420p", 1920, 1080)
    assert info["packets"] == r["frames"] == 150 and _tags(r["path"]) == BT709 and info["range"] == 1
    pic = next(decode_rgba(r["path"]))
    assert np.abs(pic[100, 100, :3] * 255 - (0x20, 0x28, 0x30)).max() <= 3  # background = style.background
    band = pic[1000, 960, :3] * 255  # first frame: empty band, 0.9 of #8B0000 over the background
    expected = 0.9 * np.array([0x8B, 0, 0]) + 0.1 * np.array([0x20, 0x28, 0x30])
    assert np.abs(band - expected).max() <= 4, band


def test_1080p50_qtrle_10_seconds_has_500_frames_from_and_to_an_empty_band(renders):
    r = renders(
        PC_COVID, "--profile", "1080p50", "--format", "qtrle", "--seconds", "10", "--speed", "800", "--text", SHORT
    )
    assert r["frames"] == 500 and r["seconds"] == 10 and r["fps"] == 50 and not r["interlaced"]
    assert Path(r["path"]).name == "pc-covid_1080p50_qtrle_10s.mov"
    info = stream_info(r["path"])
    assert (info["codec"], info["pix_fmt"], info["width"], info["height"]) == ("qtrle", "argb", 1920, 1080)
    assert info["packets"] == 500 and info["rate"] == 50

    alpha, last, first, with_text, count = None, None, None, 0, 0
    y, h, (c0, c1) = r["band_y"], r["band_height"], r["crawl"]
    assert y % 2 == 0 and h % 4 == 0
    band_alpha = round(0.9 * 255) / 255  # pc-covid band_opacity
    for pic in decode_rgba(r["path"]):  # one picture at a time: 500 of them would not fit in memory
        if alpha is None:
            alpha = pic[..., 3].copy()
            assert _band_is_empty(pic, r, band_alpha)
        elif not _band_is_empty(pic, r, band_alpha):
            with_text += 1
            first = pic[y : y + h, c0:c1].copy() if first is None else first
        last, count = pic, count + 1
    assert count == 500 and _band_is_empty(last, r, band_alpha)
    qr_x, qr_y, _, _ = r["layers"]["qr"]
    rule = 4  # pc-covid: rule = "both", 0.06 em of 54 lines made even
    assert alpha[:qr_y].max() == 0 and alpha[y + h + rule :].max() == 0  # outside band, rules, QR: transparent
    assert alpha[qr_y : y - rule, :qr_x].max() == 0
    assert 0 < with_text < 499
    # Whole passes only: text appears from beneath the QR code and the last one has left before the end.
    step_px = r["speed_px_per_s"] / 50
    assert np.flatnonzero(np.abs(first[..., 3] - band_alpha).max(axis=0) > 0.02).min() > c1 - c0 - step_px - 3


def test_576i_text_is_squeezed_by_the_sar_so_it_looks_the_same_on_air(renders):
    """Text is sized by picture height, so its width as a fraction of the picture's width is the same at
    1080 and 576 lines on a 16:9 screen, and 4/3 of that on a 4:3 screen; unsqueezed it would be 1.42× wider."""

    def text_fraction(r, width):  # a loop is one period: text plus a gap of half the picture
        return r["speed_px_per_s"] * r["seconds"] / width - 0.5

    def loop(profile):
        return renders(renders.short(HAU_GIANG), "--profile", profile, "--format", "prores4444", "--loop")

    hd = text_fraction(loop("1080i50"), 1920)
    sd = text_fraction(loop("576i50"), 720)
    sd43 = text_fraction(loop("576i50-4x3"), 720)
    assert abs(sd / hd - 1) < 0.02, (sd, hd)
    assert abs(sd43 / hd - 4 / 3) < 0.03, (sd43, hd)


def test_png_sequence_has_one_rgba_picture_per_frame(renders):
    r = renders(
        PC_COVID, "--profile", "720p50", "--format", "png", "--seconds", "4", "--speed", "1200", "--text", "PC-Covid"
    )
    folder = Path(r["path"])
    assert folder.is_dir() and folder.name == "pc-covid_720p50_png_4s"
    files = sorted(folder.glob("*.png"))
    assert len(files) == r["frames"] == 200
    assert files[0].name == "pc-covid_720p50_png_4s_000001.png"
    with Image.open(files[100]) as im:
        assert (im.mode, im.size) == ("RGBA", (1280, 720))
        a = np.asarray(im)[..., 3]
    assert a.max() == 255 and a.min() == 0
    assert not list(folder.parent.glob(".*partial*"))


def test_interlaced_timed_clip_starts_and_ends_with_both_fields_empty(renders):
    r = renders(
        PC_COVID, "--profile", "1080i50", "--format", "qtrle", "--seconds", "4", "--speed", "2000", "--text", SHORT
    )
    band_alpha = round(0.9 * 255) / 255
    empty = [_band_is_empty(p, r, band_alpha) for p in decode_rgba(r["path"])]  # one picture at a time
    assert len(empty) == r["frames"] == 100 and empty[0] and empty[-1]
    text_at = empty.index(False)
    # the text enters at the picture's edge in the next frame, and shows once it has passed the QR code
    c1 = r["crawl"][1]
    assert text_at == 1 + int((1920 - c1) / (r["speed_px_per_s"] / 25)), text_at


def test_slow_crawl_moves_by_finer_uniform_steps(renders):
    """21.3 px/s at 720p50 is 0.427 px a frame: 1/8 px steps would miss it by 12 %, 1/16 px steps by 2.5 %."""
    r = renders(
        PC_COVID, "--profile", "720p50", "--format", "qtrle", "--loop", "--speed", str(1280 / 60), "--text", "Ấ"
    )
    s = r["speed_px_per_s"] / 50
    assert abs(s * 16 - round(s * 16)) < 1e-9 and abs(s * 8 - round(s * 8)) > 1e-9
    assert abs(r["speed_px_per_s"] / (1280 / 60) - 1) < 0.03
    positions = []
    y, h, (c0, c1) = r["band_y"], r["band_height"], r["crawl"]
    for pic in decode_rgba(r["path"]):
        band = pic[y : y + h, c0:c1]
        cov = np.clip((band[..., 3] - band[..., 3].min()) / (1 - band[..., 3].min()), 0, 1).sum(axis=0)
        positions.append(words(cov))
    steps = [
        step(positions[i], positions[(i + 1) % len(positions)], s)
        for i in range(len(positions))
        if positions[i] and positions[(i + 1) % len(positions)]
    ]
    assert len(steps) > 100
    assert np.abs(np.array(steps) - s).max() < 0.01


def test_portrait_signage_clip_sizes_text_by_the_screen_width(renders):
    r = renders(
        PC_COVID,
        "--profile",
        "1080x1920p25",
        "--format",
        "h264",
        "--seconds",
        "4",
        "--speed",
        "1500",
        "--text",
        "PC-Covid",
    )
    info = stream_info(r["path"])
    assert (info["width"], info["height"], info["packets"], info["rate"]) == (1080, 1920, 100, 25)
    pic = next(decode_rgba(r["path"]))
    band_rows = np.flatnonzero(np.abs(pic[:, 540, :3] * 255 - (0x20, 0x28, 0x30)).max(axis=1) > 8)
    assert 96 <= 1920 - 1 - band_rows[-1] <= 100  # above the 5 % graphics-safe margin (96 lines)
    assert len(band_rows) == 4 + 104 + 4  # the same band as at 1080 lines (text is 5 % of the narrow side), rules
    qr_x, qr_y, qr_w, qr_h = r["layers"]["qr"]  # too wide to sit beside the band: above it, inside the safe area
    assert qr_y + qr_h < band_rows[0] and qr_x + qr_w == 1080 - 54
