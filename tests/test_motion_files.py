"""Motion measured on decoded files: every field moves the same sub-pixel step, and loops have no seam."""

from __future__ import annotations

import numpy as np
import pytest

from support.campaigns import HAU_GIANG
from support.measure import coverage, decode_luma_alpha, step, words
from support.media import mediainfo, stream_info

BAND = (11, 46, 107)  # configs/hau-giang-ncovi.toml
WHITE = (255, 255, 255)
OPACITY = 0.85


def _word_positions(path, y: int, h: int, columns: tuple[int, int]):
    """Per decoded frame: word centroids in the even lines, the odd lines, and all lines of the band's window
    (between the label and the QR code)."""
    out = []
    for luma, alpha in decode_luma_alpha(path, slice(y, y + h)):
        cov = coverage(luma, alpha, WHITE, BAND, OPACITY)[:, slice(*columns)]
        # words split at blanks of 8 columns (a space is 14): "(" stays with its word in every picture
        out.append(tuple(words(p, min_gap=8) for p in (cov[0::2].sum(0), cov[1::2].sum(0), cov.sum(0))))
    return out


def _steps(pairs, expected: float) -> np.ndarray:
    """The step between each pair of pictures that show a whole word in common. A pair may share none when a
    word leaves the window as the next comes in; that happens at most a few times a period, and only to
    pictures that show a single word."""
    steps, unmatched = [], 0
    for a, b in pairs:
        if a and b:
            try:
                steps.append(step(a, b, expected))
            except AssertionError:
                assert len(a) == 1 and len(b) == 1, (a, b)
                unmatched += 1
    assert unmatched <= 0.02 * len(pairs), unmatched
    return np.array(steps)


@pytest.mark.slow
@pytest.mark.xdist_group("renders")  # the session's renders, made once on one worker
def test_1080i50_prores4444_loop_moves_every_field_by_the_same_step(renders):
    interlaced = renders(renders.short(HAU_GIANG), "--profile", "1080i50", "--format", "prores4444", "--loop")
    path = interlaced["path"]

    info = stream_info(path)
    assert (info["codec"], info["profile"], info["width"], info["height"]) == ("prores", "4444", 1920, 1080)
    assert info["pix_fmt"].startswith("yuva444p"), info["pix_fmt"]  # alpha is there
    assert info["packets"] == interlaced["frames"]
    mi = mediainfo(path)
    assert (mi["scan_type"], mi["scan_order"]) == ("Interlaced", "TFF")
    assert mi["format_profile"] == "4444"
    assert interlaced["interlaced"] and interlaced["fps"] == 25

    # Fields in order: top field (even lines) of frame f, then bottom field (odd lines), each 1/50 s apart.
    s = interlaced["speed_px_per_s"] / 50
    assert abs(s * 8 - round(s * 8)) < 1e-9, "the step is a whole number of 1/8 px"
    y, h = interlaced["band_y"], interlaced["band_height"]
    frames = _word_positions(path, y, h, interlaced["crawl"])
    assert len(frames) == interlaced["frames"]
    fields = [words_ for f in frames for words_ in f[:2]]

    # The same parity two fields apart: exactly 2 steps, every time, across the loop's seam too.
    # (Pictures whose window between the label and the QR code holds no whole word have nothing to measure.)
    pairs = [(fields[i], fields[(i + 2) % len(fields)]) for i in range(len(fields))]
    same = _steps(pairs, 2 * s)
    assert len(same) > 0.8 * len(pairs)
    # Between the label and the QR code a picture may show a single word: ProRes's coding noise then moves
    # its centroid by up to 0.013 px, where the mean of a dozen words stays within 0.005 (the same below).
    assert np.abs(same - 2 * s).max() < 0.015, (same.min(), same.max())
    assert same.std() < 0.003

    # Where each field is: the same as the progressive frame of the same instant, whose steps are uniform.
    progressive = renders(renders.short(HAU_GIANG), "--profile", "1080p50", "--format", "prores4444", "--loop")
    assert progressive["frames"] == 2 * interlaced["frames"]
    assert progressive["crawl"] == interlaced["crawl"] and progressive["band_y"] == y
    pframes = _word_positions(progressive["path"], y, h, progressive["crawl"])
    pairs = [(pframes[i][2], pframes[(i + 1) % len(pframes)][2]) for i in range(len(pframes))]
    pstep = _steps(pairs, s)
    assert len(pstep) > 0.8 * len(pairs)
    assert np.abs(pstep - s).max() < 0.015, (pstep.min(), pstep.max())
    offset = np.array([step(fields[i], pframes[i][i % 2], 0.0) for i in range(len(fields)) if fields[i]])
    assert np.abs(offset).max() < 0.015, np.abs(offset).max()
