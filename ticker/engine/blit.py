"""The hot loop: every picture is slice copies from the phase strips into a preallocated buffer.

No allocation, no conversion and no per-pixel Python work happens per picture: the views of the strips and
of the buffers (whole, or one field's lines) are made once. Every buffer starts as a copy of the scene's still
pixels (band, rules, label, logo, QR code); per picture only the crawl's window is written, so the still layers
are the same bytes in every picture. An interlaced frame weaves two fields: its even lines come from the window
at field 2f, its odd lines from field 2f+1 (top field first).

The strips of a long message would not fit in memory, so the blitter holds only the columns its window needs:
a buffer a window and a half wide (at least SLACK columns more than the window), slid forward as the crawl
moves (the columns it still shows are moved to its start, the new ones made from the track's tiles). A crawl
whose strips are no larger than the buffers would be is made once, whole (a sentence drawn every pass costs
Pillow's drawing again each time). A file encoded in runs side by side (the runs asked for in
turn) has one window per run, each sliding on its own.
"""

from __future__ import annotations

import numpy as np

from ticker.engine.layers import Scene
from ticker.engine.motion import Plan
from ticker.engine.strip import PhaseStrips

SLACK = 1024  # columns a buffer holds beyond the window, at least: it slides once the window passes them, and
# makes that many columns (about a tile of the track) each time


class Windows:
    """The strip columns the crawl's windows need, each window's in a buffer (phases, lines, columns, 4) that
    slides forward with it; at most `windows` buffers, the least recently used taken for a new window.

    A window is asked for by its first track unit modulo the period. Units a period apart are the same pixels
    (strip column c of phase j starts at unit c*P + j, and the crawl repeats every period), so a sliding buffer
    takes the window's unit plus as many periods as it has moved on: it never jumps back where the crawl comes
    round (a loop's end, a timed clip's next pass, the text's first unit as it enters)."""

    def __init__(self, strips: PhaseStrips | np.ndarray, width: int, period: int, windows: int = 1):
        self._strips: PhaseStrips | None = None
        self._period, self._most = period, windows
        self._held: list[tuple[int, np.ndarray]] = []
        if isinstance(strips, np.ndarray):  # made whole by the caller
            self._held, self._width, self._p = [(0, strips)], strips.shape[2], strips.shape[0]
            self._whole = True
        else:
            self._strips, self._p = strips, strips.phases
            self._width = width + max(SLACK, width // 2)
            self._whole = strips.columns <= windows * self._width  # no larger than the buffers: made once, whole
            if self._whole:
                self._width = strips.columns

    @property
    def nbytes(self) -> int:
        return sum(px.nbytes for _, px in self._held)

    def get(self, unit: int, count: int) -> tuple[np.ndarray, int, int]:
        """A buffer holding the window of `count` columns whose first unit is `unit` (0 <= unit < period), its
        phase, and the column where the window starts in it."""
        p = self._p
        if self._whole:
            if not self._held:
                self._held.append((0, self._fresh(0)))  # the whole strips, once
            return self._held[0][1], unit % p, unit // p
        for k in range(len(self._held)):  # oldest first: runs asked for in turn want the oldest
            base, px = self._held[k]
            at = self._ahead(unit, base)
            if at // p + count <= base + self._width:
                if k != len(self._held) - 1:
                    self._held.append(self._held.pop(k))
                return px, at % p, at // p - base
        return self._make(unit)

    def _ahead(self, unit: int, base: int) -> int:
        """`unit` plus the fewest periods that bring it to column `base` or beyond."""
        return unit + -(-(base * self._p - unit) // self._period) * self._period

    def _make(self, unit: int) -> tuple[np.ndarray, int, int]:
        assert self._strips is not None  # strips made whole hold every column
        p, width = self._p, self._width
        ahead = [(self._ahead(unit, b), k) for k, (b, _) in enumerate(self._held)]
        behind = [(at, k) for at, k in ahead if at // p < self._held[k][0] + width]
        if behind:  # the window moved on past its buffer's end: keep what it still shows, make the rest
            at, k = min(behind)
            old, px = self._held.pop(k)
            base = at // p
            keep, shift = old + width - base, base - old
            for a in range(0, keep, shift):  # in steps that never overlap themselves
                n = min(shift, keep - a)
                px[:, :, a : a + n] = px[:, :, shift + a : shift + a + n]
            self._strips.fill(px[:, :, keep:], old + width)
        else:
            at, base = unit, max(0, unit // p - 1)  # a column early: an entering window asks for those too
            px = self._fresh(base)
        self._held.append((base, px))
        return px, at % p, at // p - base

    def _fresh(self, base: int) -> np.ndarray:
        """A buffer (a new one, or the least recently used when there are as many as windows) filled from
        column `base`."""
        assert self._strips is not None  # strips made whole hold every column
        s = self._strips
        if len(self._held) >= self._most:
            px = self._held.pop(0)[1]
        else:
            px = np.empty((s.phases, s.height, self._width, 4), dtype=np.uint8)
        s.fill(px, base)
        return px


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
        """`strips` as made in ticker.engine.strip (or made whole: (P, h, columns, 4)), for the band of `scene`;
        `buffers` pictures are kept in a ring so that a consumer may still be reading the previous ones;
        `windows` is how many parts of the clip are asked for in turn (the runs of a joined file)."""
        self.plan, self.interlaced = plan, interlaced
        self._p, self._lead, self._period = plan.phases, plan.lead, plan.period
        self._lo, self._hi = scene.crawl
        band = slice(scene.band_top, scene.band_top + scene.band_height)
        blank = scene.static[band]  # the empty band, where the window has no text
        # the band's top line is even, so its lines of each parity are that field's
        rows = (slice(0, None, 2), slice(1, None, 2)) if interlaced else (slice(None),)
        self.strips = Windows(strips, self._hi - self._lo, plan.period, windows)
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
        px, j, x0 = self.strips.get(s, x_hi - x_lo)
        dst[:, x_lo:x_hi] = px[j, rows, x0 : x0 + x_hi - x_lo]

    def frame(self, index: int) -> np.ndarray:
        """Frame `index` of the clip (the whole piped region), in the next ring buffer (valid until the ring
        comes round again)."""
        buf, fields = self._ring[self._next]
        self._next = (self._next + 1) % len(self._ring)
        first = index * len(fields)  # the first field's picture number
        for k, dst in enumerate(fields):
            self._window(dst, self._sources[k], self.plan.offset(first + k))
        return buf
