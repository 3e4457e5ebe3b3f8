"""The hot loop: every picture is slice copies from the phase strips into a preallocated buffer.

No allocation, no conversion and no per-pixel Python work happens per picture: the views of the strips and
of the buffers (whole, or one field's lines) are made once. An interlaced frame weaves two fields: its even
lines come from the window at field 2f, its odd lines from field 2f+1 (top field first).
"""

from __future__ import annotations

import numpy as np

from ticker.motion import Plan


class Blitter:
    def __init__(self, strips: np.ndarray, blank: np.ndarray, plan: Plan, interlaced: bool, buffers: int = 1):
        """`strips` (P, h, columns, 4) and `blank` (h, width, 4) as made in ticker.strip; `buffers` pictures
        are kept in a ring so that a consumer may still be reading the previous ones."""
        self.plan, self.interlaced = plan, interlaced
        self._p, self._width, self._lead, self._period = plan.phases, plan.window, plan.lead, plan.period
        rows = (slice(0, None, 2), slice(1, None, 2)) if interlaced else (slice(None),)
        # per field parity: the phase strips and the blank band restricted to its lines
        self._sources = [([strips[j, r] for j in range(self._p)], blank[r]) for r in rows]
        self._ring = [(buf, [buf[r] for r in rows]) for buf in (np.empty_like(blank) for _ in range(buffers))]
        self._next = 0
        lo, hi = plan.active
        self._active = None if plan.loop else (int(lo), int(hi))

    def _window(self, dst: np.ndarray, source, offset: int) -> None:
        phases, blank = source
        p, width = self._p, self._width
        if self._active is None:
            x_lo, x_hi = 0, width
        else:  # columns whose box meets the text's part of the track; the rest is blank band
            lo, hi = self._active
            x_lo, x_hi = max(0, (lo - offset) // p), min(width, -((offset - hi) // p))
            if x_lo >= x_hi:
                dst[...] = blank
                return
            if x_lo:
                dst[:, :x_lo] = blank[:, :x_lo]
            if x_hi < width:
                dst[:, x_hi:] = blank[:, x_hi:]
        s = (offset + p * x_lo - self._lead) % self._period
        x0 = s // p
        dst[:, x_lo:x_hi] = phases[s % p][:, x0:x0 + x_hi - x_lo]

    def frame(self, index: int) -> np.ndarray:
        """Frame `index` of the clip, in the next ring buffer (valid until the ring comes round again)."""
        buf, fields = self._ring[self._next]
        self._next = (self._next + 1) % len(self._ring)
        first = index * len(fields)  # the first field's picture number
        for k, dst in enumerate(fields):
            self._window(dst, self._sources[k], self.plan.offset(first + k))
        return buf
