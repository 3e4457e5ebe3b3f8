"""Motion measured on decoded files: every field moves the same sub-pixel step, and loops have no seam."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import HAU_GIANG, mediainfo, stream_info
from measure import coverage, decode_luma_alpha, decode_rgba, step, words

BAND = (11, 46, 107)  # configs/hau-giang-ncovi.toml
WHITE = (255, 255, 255)
OPACITY = 0.85


def _word_positions(path, y: int, h: int):
    """Per decoded frame: word centroids in the even lines, the odd lines, and all lines of the band."""
    out = []
    for luma, alpha in decode_luma_alpha(path, slice(y, y + h)):
        cov = coverage(luma, alpha, WHITE, BAND, OPACITY)
        out.append((words(cov[0::2].sum(0)), words(cov[1::2].sum(0)), words(cov.sum(0))))
    return out


@pytest.mark.slow
def test_1080i50_prores4444_loop_moves_every_field_by_the_same_step(renders):
    interlaced = renders(HAU_GIANG, "--profile", "1080i50", "--format", "prores4444", "--loop")
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
    y, h = _band_rows(path)
    frames = _word_positions(path, y, h)
    assert len(frames) == interlaced["frames"]
    fields = [words_ for f in frames for words_ in f[:2]]

    # The same parity two fields apart: exactly 2 steps, every time, across the loop's seam too.
    same = np.array([step(fields[i], fields[(i + 2) % len(fields)], 2 * s) for i in range(len(fields))])
    assert np.abs(same - 2 * s).max() < 0.01, (same.min(), same.max())
    assert same.std() < 0.003

    # Where each field is: the same as the progressive frame of the same instant, whose steps are uniform.
    progressive = renders(HAU_GIANG, "--profile", "1080p50", "--format", "prores4444", "--loop")
    assert progressive["frames"] == 2 * interlaced["frames"]
    pframes = _word_positions(progressive["path"], y, h)
    pstep = np.array([step(pframes[i][2], pframes[(i + 1) % len(pframes)][2], s) for i in range(len(pframes))])
    assert np.abs(pstep - s).max() < 0.01, (pstep.min(), pstep.max())
    offset = np.array([step(fields[i], pframes[i][i % 2], 0.0) for i in range(len(fields))])
    assert np.abs(offset).max() < 0.01, np.abs(offset).max()


def _band_rows(path) -> tuple[int, int]:
    """The band's lines, found from the alpha of the first decoded picture."""
    first = next(decode_rgba(path))
    rows = np.flatnonzero(first[..., 3].max(axis=1) > 0)
    return int(rows[0]), int(rows[-1] - rows[0] + 1)
