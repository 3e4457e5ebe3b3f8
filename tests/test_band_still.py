"""A still of the band for the desk's preview, made without ffmpeg (ticker.engine.still)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ticker.campaign.config import load_campaign
from ticker.campaign.editing import apply_fields, check_text
from ticker.engine import band_frame, neutral_picture
from ticker.errors import InputError

EXAMPLE = Path(__file__).resolve().parents[1] / "configs" / "hau-giang-ncovi.toml"


@pytest.fixture(autouse=True)
def no_processes(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"a process was started: {args[:1]}")

    monkeypatch.setattr(subprocess, "Popen", refuse)


def _crossing(seconds: float):
    text = apply_fields(EXAMPLE.read_text(encoding="utf-8"), {"motion.crossing_seconds": seconds})
    return check_text(EXAMPLE, text)


@pytest.mark.parametrize("output, size", [(0, (1920, 1080)), (1, (720, 576))])
def test_the_still_is_the_band_over_the_neutral_picture(output, size):
    still = band_frame(load_campaign(EXAMPLE), output)  # its time: benchmarks/bench_desk.py
    assert still.output.endswith(".mov") and "_loop" in still.output
    im = Image.open(io.BytesIO(still.png))
    assert im.format == "PNG" and im.size == size == (still.width, still.height)
    px = np.asarray(im.convert("RGB")).astype(int)
    neutral = np.asarray(neutral_picture(*size)).astype(int)
    y, h = still.figures["band_y"], still.figures["band_height"]
    band = px[y : y + h]
    assert np.abs(band - neutral[y : y + h]).max(axis=2).mean() > 20  # the band covers the picture there
    top = min([y] + [box[1] for box in still.figures["layers"].values()])
    assert top > 0 and np.array_equal(px[:top], neutral[:top])  # nothing drawn above the band and its layers
    lo, hi = still.figures["crawl"]
    assert (band[:, lo:hi].min(axis=2) > 235).sum() > 200  # the crawl's white text (style.color) in the band
    assert still.figures["line"].startswith(still.output) and still.figures["flags"] == []


def test_a_fast_crawl_warns_and_the_example_speed_does_not():
    fast, usual = band_frame(_crossing(4)), band_frame(_crossing(12))
    assert any("characters a second" in w for w in fast.warnings) and "reading" in fast.figures["flags"]
    assert fast.figures["reading_cps"] > 17
    assert usual.warnings == () and usual.figures["flags"] == []


def test_an_output_it_does_not_make_is_one_sentence():
    with pytest.raises(InputError, match="has no output 3: it makes 2"):
        band_frame(load_campaign(EXAMPLE), 2)


def test_a_still_shown_as_a_screen_shows_it_has_the_display_aspect():
    campaign = load_campaign(EXAMPLE)
    still = band_frame(campaign, 1, shown=640)  # the 576i50 loop: 720 samples, 16:9 on screen
    assert Image.open(io.BytesIO(still.png)).size == (640, 360) == (still.width, still.height)
