"""The hot loop: every picture is slice copies from the phase strips into a preallocated buffer.

No allocation, no conversion and no per-pixel Python work happens per picture: the views of the strips and
of the buffers (whole, or one field's lines) are made once. Every buffer starts as a copy of the scene's still
pixels (band, rules, label, logo, QR code); per picture only the crawl's window is written, so the still layers
are the same bytes in every picture. An interlaced frame weaves two fields: its even lines come from the window
at field 2f, its odd lines from field 2f+1 (top field first).
"""

from __future__ import annotations

import numpy as np

from ticker.layers import Scene
from ticker.motion import Plan


class Blitter:
    def __init__(self, strips: np.ndarray, scene: Scene, plan: Plan, interlaced: bool, buffers: int = 1):
        """`strips` (P, h, columns, 4) as made in ticker.strip, for the band of `scene`; `buffers` pictures
        are kept in a ring so that a consumer may still be reading the previous ones."""
        self.plan, self.interlaced = plan, interlaced
        self._p, self._lead, self._period = plan.phases, plan.lead, plan.period
        self._lo, self._hi = scene.crawl
        band = slice(scene.band_top, scene.band_top + scene.band_height)
        blank = scene.static[band]  # the empty band, where the window has no text
        # the band's top line is even, so its lines of each parity are that field's
        rows = (slice(0, None, 2), slice(1, None, 2)) if interlaced else (slice(None),)
        self._sources = [([strips[j, r] for j in range(self._p)], blank[r]) for r in rows]
        self._ring = [(buf, [buf[band][r] for r in rows]) for buf in (scene.static.copy() for _ in range(buffers))]
        self._next = 0
        lo, hi = plan.active
        self._active = None if plan.loop else (int(lo), int(hi))

    def _window(self, dst: np.ndarray, source, offset: int) -> None:
        phases, blank = source
        p = self._p
        x_lo, x_hi = self._lo, self._hi
        if self._active is not None:  # columns whose box meets the text's part of the track; the rest is blank
            lo, hi = self._active
            x_lo, x_hi = max(x_lo, (lo - offset) // p), min(x_hi, -((offset - hi) // p))
            if x_lo >= x_hi:
                dst[:, self._lo : self._hi] = blank[:, self._lo : self._hi]
                return
            if x_lo > self._lo:
                dst[:, self._lo : x_lo] = blank[:, self._lo : x_lo]
            if x_hi < self._hi:
                dst[:, x_hi : self._hi] = blank[:, x_hi : self._hi]
        s = (offset + p * x_lo - self._lead) % self._period
        x0 = s // p
        dst[:, x_lo:x_hi] = phases[s % p][:, x0 : x0 + x_hi - x_lo]

    def frame(self, index: int) -> np.ndarray:
        """Frame `index` of the clip (the whole piped region), in the next ring buffer (valid until the ring
        comes round again)."""
        buf, fields = self._ring[self._next]
        self._next = (self._next + 1) % len(self._ring)
        first = index * len(fields)  # the first field's picture number
        for k, dst in enumerate(fields):
            self._window(dst, self._sources[k], self.plan.offset(first + k))
        return buf
