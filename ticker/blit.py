"""The hot loop: every picture is slice copies from the phase strips into a preallocated buffer.

No allocation, no conversion and no per-pixel Python work happens per picture. An interlaced frame weaves two
fields: its even lines come from the window at field 2f, its odd lines from field 2f+1 (top field first).
"""

from __future__ import annotations

import numpy as np

from ticker.motion import Plan

_ALL, _TOP, _BOTTOM = slice(None), slice(0, None, 2), slice(1, None, 2)


class Blitter:
    def __init__(self, strips: np.ndarray, blank: np.ndarray, plan: Plan, interlaced: bool, buffers: int = 1):
        """`strips` (P, h, columns, 4) and `blank` (h, width, 4) as made in ticker.strip; `buffers` pictures
        are kept in a ring so that a consumer may still be reading the previous ones."""
        self.strips, self.blank, self.plan, self.interlaced = strips, blank, plan, interlaced
        self._ring = [np.empty_like(blank) for _ in range(buffers)]
        self._next = 0
        lo, hi = plan.active
        self._active = None if plan.loop else (int(lo), int(hi))

    def _window(self, dst: np.ndarray, rows: slice, offset: int) -> None:
        p, width = self.plan.phases, self.plan.window
        if self._active is None:
            x_lo, x_hi = 0, width
        else:  # columns whose box meets the text's part of the track; the rest is blank band
            lo, hi = self._active
            x_lo, x_hi = max(0, (lo - offset) // p), min(width, -((offset - hi) // p))
            if x_lo >= x_hi:
                dst[...] = self.blank[rows]
                return
            if x_lo:
                dst[:, :x_lo] = self.blank[rows, :x_lo]
            if x_hi < width:
                dst[:, x_hi:] = self.blank[rows, x_hi:]
        s = (offset + p * x_lo - self.plan.lead) % self.plan.period
        x0 = s // p
        dst[:, x_lo:x_hi] = self.strips[s % p, rows, x0:x0 + x_hi - x_lo]

    def frame(self, index: int) -> np.ndarray:
        """Frame `index` of the clip, in the next ring buffer (valid until the ring comes round again)."""
        buf = self._ring[self._next]
        self._next = (self._next + 1) % len(self._ring)
        if self.interlaced:
            self._window(buf[_TOP], _TOP, self.plan.offset(2 * index))
            self._window(buf[_BOTTOM], _BOTTOM, self.plan.offset(2 * index + 1))
        else:
            self._window(buf, _ALL, self.plan.offset(index))
        return buf
