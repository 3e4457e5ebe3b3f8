"""Vietnamese text on screen: NFC whatever was pasted, stacked marks never clipped."""

from __future__ import annotations

import json
import unicodedata

import numpy as np
from PIL import ImageFont

from ticker.vietnamese.text import bundled_fonts_dir

from support.campaigns import PC_COVID
from support.measure import decode_rgba
from support.running import run_ticker

STACKED = "ẤỂỖẶ Ấ Ể Ỗ Ặ ẤỂỖẶ"


def _render_png(tmp_path, text: str, name: str, result: bool = False):
    out = tmp_path / name
    done = run_ticker(
        "render",
        PC_COVID,
        "-o",
        out,
        "--profile",
        "1080p25",
        "--format",
        "png",
        "--seconds",
        "3",
        "--speed",
        "1600",
        "--text",
        text,
        "--json",
        cwd=tmp_path,
    )
    (folder,) = out.iterdir()
    files = sorted(folder.glob("*.png"))
    return (files, json.loads(done.stdout)["outputs"][0]) if result else files


def test_decomposed_text_renders_exactly_like_precomposed(tmp_path):
    nfc = "Đề nghị người dân tải ứng dụng — ẤỂỖẶ"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    a = _render_png(tmp_path, nfc, "nfc")
    b = _render_png(tmp_path, nfd, "nfd")
    assert len(a) == len(b) == 75
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b))


def test_the_band_holds_the_ink_of_stacked_capitals(tmp_path):
    """The ink of Ấ Ể Ỗ Ặ in a decoded picture is as tall as FreeType draws it, with band above and below."""
    files, r = _render_png(tmp_path, STACKED, "stacked", result=True)
    pictures = [next(decode_rgba(f)) for f in files[::4]]
    top, bottom = r["band_y"], r["band_y"] + r["band_height"] - 1
    x0, x1 = r["crawl"]  # the band's window, between the label and the QR code
    band_alpha = pictures[0][top, x0, 3]
    ink_rows = set()
    for pic in pictures:
        band = pic[top : bottom + 1, x0:x1]
        ink = (band[..., :3].min(axis=2) > 0.5) & (band[..., 3] > band_alpha + 0.01)  # white text
        ink_rows |= set(np.flatnonzero(ink.any(axis=1)).tolist())
    assert ink_rows, "the text was never seen"
    first, last = min(ink_rows), max(ink_rows)
    assert first >= 2 and last <= bottom - top - 2, "ink touches the band's edge"

    font = ImageFont.truetype(str(bundled_fonts_dir() / "NotoSans-Bold.ttf"), 0.05 * 1080)
    _, ink_top, _, ink_bottom = font.getbbox(STACKED, anchor="ls")
    assert abs((last - first + 1) - (ink_bottom - ink_top)) <= 3
