"""The hot loop: every picture is slice copies from the phase strips into a preallocated buffer.

No allocation, no conversion and no per-pixel Python work happens per picture: the views of the strips and
of the buffers (whole, or one field's lines) are made once. Every buffer starts as a copy of the scene's still
pixels (band, rules, label, logo, QR code); per picture only the crawl's window is written, so the still layers
are the same bytes in every picture. An interlaced frame weaves two fields: its even lines come from the window
at field 2f, its odd lines from field 2f+1 (top field first).

The strips of a long message would not fit in memory, so the blitter holds only the columns its window needs:
a buffer a window and a half wide (at least SLACK columns more than the window), slid forward as the crawl
moves (the columns it still shows are moved to its start, the new ones made from the track's tiles). A crawl
whose strips fit in one buffer is made once, whole. A file encoded in runs side by side (the runs asked for in
turn) has one window per run, each sliding on its own.
"""

from __future__ import annotations

import numpy as np

from ticker.layers import Scene
from ticker.motion import Plan
from ticker.strip import PhaseStrips

SLACK = 1024  # columns a buffer holds beyond the window, at least: it slides once the window passes them, and
# makes that many columns (about a tile of the track) each time


class Windows:
    """The strip columns the crawl's windows need, each window's in a buffer (phases, lines, columns, 4) that
    slides forward with it; at most `windows` buffers, the least recently used taken for a new window."""

    def __init__(self, strips: PhaseStrips | np.ndarray, width: int, windows: int = 1):
        self._strips: PhaseStrips | None = None
        if isinstance(strips, np.ndarray):  # made whole by the caller
            self._held = [(0, strips)]
            self.columns = strips.shape[2]
            self._width = self.columns
        else:
            self._strips, self.columns = strips, strips.columns
            self._width = min(self.columns, width + max(SLACK, width // 2))
            self._held = []
        self._most = windows

    @property
    def nbytes(self) -> int:
        return sum(px.nbytes for _, px in self._held)

    def get(self, first: int, count: int) -> tuple[np.ndarray, int]:
        """A buffer holding strip columns [first, first + count), and where in it they start."""
        for k in range(len(self._held) - 1, -1, -1):
            base, px = self._held[k]
            if base <= first and first + count <= base + px.shape[2]:
                if k != len(self._held) - 1:
                    self._held.append(self._held.pop(k))
                return px, first - base
        return self._make(first)

    def _make(self, first: int) -> tuple[np.ndarray, int]:
        assert self._strips is not None  # strips made whole hold every column
        width = self._width
        base = max(0, min(first, self.columns - width))
        behind = [k for k, (b, _) in enumerate(self._held) if b <= base < b + width]
        if behind:  # the window moved on past its buffer's end: keep what it still shows, make the rest
            old, px = self._held.pop(behind[-1])
            keep, shift = old + width - base, base - old
            for a in range(0, keep, shift):  # in steps that never overlap themselves
                n = min(shift, keep - a)
                px[:, :, a : a + n] = px[:, :, shift + a : shift + a + n]
            self._strips.fill(px[:, :, keep:], old + width)
        else:
            if len(self._held) < self._most:
                s = self._strips
                px = np.empty((s.phases, s.height, width, 4), dtype=np.uint8)
            else:
                _, px = self._held.pop(0)
            self._strips.fill(px, base)
        self._held.append((base, px))
        return px, first - base


class Blitter:
    def __init__(
        self,
        strips: PhaseStrips | np.ndarray,
        scene: Scene,
        plan: Plan,
        interlaced: bool,
        buffers: int = 1,
        windows: int = 1,
    ):
        """`strips` as made in ticker.strip (or made whole: (P, h, columns, 4)), for the band of `scene`;
        `buffers` pictures are kept in a ring so that a consumer may still be reading the previous ones;
        `windows` is how many parts of the clip are asked for in turn (the runs of a joined file)."""
        self.plan, self.interlaced = plan, interlaced
        self._p, self._lead, self._period = plan.phases, plan.lead, plan.period
        self._lo, self._hi = scene.crawl
        band = slice(scene.band_top, scene.band_top + scene.band_height)
        blank = scene.static[band]  # the empty band, where the window has no text
        # the band's top line is even, so its lines of each parity are that field's
        rows = (slice(0, None, 2), slice(1, None, 2)) if interlaced else (slice(None),)
        self.strips = Windows(strips, self._hi - self._lo, windows)
        self._sources = [(r, blank[r]) for r in rows]
        self._ring = [(buf, [buf[band][r] for r in rows]) for buf in (scene.static.copy() for _ in range(buffers))]
        self._next = 0
        lo, hi = plan.active
        self._active = None if plan.loop else (int(lo), int(hi))

    def _window(self, dst: np.ndarray, source, offset: int) -> None:
        rows, blank = source
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
        px, x0 = self.strips.get(s // p, x_hi - x_lo)
        dst[:, x_lo:x_hi] = px[s % p, rows, x0 : x0 + x_hi - x_lo]

    def frame(self, index: int) -> np.ndarray:
        """Frame `index` of the clip (the whole piped region), in the next ring buffer (valid until the ring
        comes round again)."""
        buf, fields = self._ring[self._next]
        self._next = (self._next + 1) % len(self._ring)
        first = index * len(fields)  # the first field's picture number
        for k, dst in enumerate(fields):
            self._window(dst, self._sources[k], self.plan.offset(first + k))
        return buf
