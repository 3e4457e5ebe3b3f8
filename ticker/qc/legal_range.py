"""The levels of decoded pictures against EBU R 103: each plane's lowest and highest values, and the share of
a picture's area beyond the limits. A picture's planes may be measured in parts (the rows a ProRes file was
assembled from): the parts add up."""

from __future__ import annotations

import math
import re

import numpy as np

# EBU R 103: luma within -1 % .. 103 % of the nominal range; colour difference within the same margins of its
# nominal range (16..240 at 8 bits). Expressed at 8 bits and scaled to the file's depth. As in R 103, a
# picture is out of range only when more than 1 % of its area is (codec ringing at sharp edges is not).
LUMA_LIMITS = (16 - 0.01 * 219, 235 + 0.03 * 219)
CHROMA_LIMITS = (16 - 0.01 * 224, 240 + 0.03 * 224)
PlaneLevels = tuple[float, float, int, int]  # lowest, highest (8-bit scale), samples beyond the limits, samples


def plane_levels(frame, rows: slice = slice(None), outside: bool = False) -> list[PlaneLevels]:
    """Y, Cb and Cr of a picture (`rows`: of those lines only, or with `outside` of the others): lowest and
    highest at 8-bit scale, and how many samples are beyond the limits, of how many. [] for RGB."""
    name = frame.format.name
    if not name.startswith("yuv") and not name.startswith("yuvj"):
        return []
    bits = int(m.group(1)) if (m := re.search(r"p(\d+)(le|be)?$", name)) else 8
    dtype, scale = (np.uint8, 1) if bits == 8 else (np.dtype("<u2"), 1 << (bits - 8))
    found = []
    for i in range(3):
        plane = frame.planes[i]
        a: np.ndarray = np.frombuffer(plane, dtype).reshape(plane.height, -1)[:, : plane.width]
        if outside:
            a = np.delete(a, np.arange(plane.height)[rows], axis=0)
        else:
            a = a[rows]
        if not a.size:
            found.append((math.inf, -math.inf, 0, 0))
            continue
        lo, hi = float(a.min()) / scale, float(a.max()) / scale
        limit = LUMA_LIMITS if i == 0 else CHROMA_LIMITS
        beyond = 0
        if lo < limit[0] or hi > limit[1]:  # rare: only then count the samples
            beyond = int(np.count_nonzero((a < limit[0] * scale) | (a > limit[1] * scale)))
        found.append((lo, hi, beyond, int(a.size)))
    return found


def add_levels(levels: dict[str, list], planes: list[PlaneLevels], number: int) -> None:
    """One picture's levels into the running ones: per plane the lowest and highest values, and the largest
    share of a picture's area beyond the limits with that picture's number."""
    for plane_name, (lo, hi, beyond, size) in zip(("Y", "Cb", "Cr"), planes):
        old = levels.setdefault(plane_name, [lo, hi, 0.0, 0])
        old[0], old[1] = min(old[0], lo), max(old[1], hi)
        area = beyond / size if size else 0.0
        if area > old[2]:
            old[2], old[3] = area, number
