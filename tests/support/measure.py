"""Measuring decoded files the way an engineer would: positions of the text from the pixels, nothing else.

Coverage of the text is recovered from decoded RGBA through premultiplied luma, which is linear in coverage
whatever the band's opacity: Y·α = a·(Y_text − o·Y_band) + o·Y_band. The position of each word is the centroid
of its coverage over the columns; a step is the mean displacement of the words seen in two pictures.
"""

from __future__ import annotations

import av
import numpy as np

_LUMA = np.array([0.2126, 0.7152, 0.0722])


def decode_rgba(path, rows: slice | None = None):
    """Yield the decoded pictures of a video file as float RGBA arrays (0..1), optionally only some rows."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            a = frame.to_ndarray(format="rgba")
            yield (a if rows is None else a[rows]).astype(np.float32) / 255


def decode_luma_alpha(path, rows: slice):
    """Yield (luma, alpha) of some rows of each decoded picture, both 0..1: straight from the Y and A planes
    of a YUVA file (video range), or from RGBA with BT.709 weights."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            name = frame.format.name
            if name.startswith("yuva"):
                bits = 8 if name == "yuva444p" else int(name.split("p")[-1][:2])
                dtype = np.uint8 if bits == 8 else np.uint16
                y, a = (
                    np.frombuffer(frame.planes[i], dtype).reshape(frame.height, -1)[rows, : frame.width] for i in (0, 3)
                )
                scale = 1 << (bits - 8)
                yield (
                    (y.astype(np.float32) - 16 * scale) / (219 * scale),
                    a.astype(np.float32) / (255 * scale + scale - 1),
                )
            else:
                rgba = frame.to_ndarray(format="rgba")[rows].astype(np.float32) / 255
                yield rgba[..., :3] @ _LUMA, rgba[..., 3]


def coverage(luma: np.ndarray, alpha: np.ndarray, text, band, opacity: float) -> np.ndarray:
    """Per-pixel text coverage 0..1 from straight-alpha luma and alpha of a band of known colours."""
    y_text, y_band = (np.array(text) / 255) @ _LUMA, (np.array(band) / 255) @ _LUMA
    return (luma * alpha - opacity * y_band) / (y_text - opacity * y_band)


def words(profile: np.ndarray, threshold: float = 0.02, min_gap: int = 5, edge: int = 8):
    """Centroids of the runs of ink in a column profile, split at blanks of at least `min_gap` columns;
    runs touching the picture's edges are left out (part of them is outside)."""
    ink = profile > threshold * profile.max()
    cols = np.flatnonzero(ink)
    if cols.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(cols) >= min_gap)
    starts, ends = np.r_[cols[0], cols[breaks + 1]], np.r_[cols[breaks], cols[-1]]
    out = []
    for s, e in zip(starts, ends):
        if s < edge or e >= profile.size - edge:
            continue
        lo, hi = max(0, s - 2), min(profile.size, e + 3)
        w = np.clip(profile[lo:hi], 0, None)
        out.append(float((np.arange(lo, hi) * w).sum() / w.sum()))
    return out


def step(a: list[float], b: list[float], expected: float, tolerance: float = 1.0) -> float:
    """Mean leftward displacement of the words of picture a found again in picture b."""
    b = np.asarray(b)
    moves = []
    for c in a:
        if b.size:
            j = np.argmin(np.abs(b - (c - expected)))
            if abs(b[j] - (c - expected)) < tolerance:
                moves.append(c - b[j])
    if not moves:
        raise AssertionError("no word seen in both pictures")
    return float(np.mean(moves))
