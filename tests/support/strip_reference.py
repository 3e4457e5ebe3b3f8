"""The whole-picture strip as it was before it was tiled, kept as the reference the tiled one must equal: the
crawl drawn as one big picture and the phase strips made whole. Test-only; it needs memory in proportion to the
text, so only small inputs go through it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from ticker.engine.strip import (  # what tiling left as it was
    COMPOSE_COLUMNS,
    MARGIN_PX,
    PHASES,
    RGB,
    Look,
    Piece,
    Placed,
    _over,
    _over_band,
    _vertical_121,
    open_rgba,
    paste_over,
    premultiplied,
)
from ticker.vietnamese.text import font_runs, load_font


@dataclass(frozen=True)
class Track:
    """The crawl once, `height` lines by `units` columns of 1/P pixel: premultiplied RGBA, 0..255."""

    pixels: np.ndarray  # uint8 (height, units, 4)
    phases: int
    baseline: int  # line of the baseline inside the band
    spans: tuple[tuple[int, int], ...] = ()  # units each piece's ink covers, in order

    @property
    def height(self) -> int:
        return self.pixels.shape[0]

    @property
    def units(self) -> int:
        return self.pixels.shape[1]

    def at(self, phases: int) -> Track:
        """The same picture at a finer multiple of units per pixel (for slow crawls): each column repeated,
        so that translating it by one finer unit is still an exact translation."""
        if phases == self.phases:
            return self
        k = phases // self.phases
        return Track(
            pixels=np.repeat(self.pixels, k, axis=1),
            phases=phases,
            baseline=self.baseline,
            spans=tuple((a * k, b * k) for a, b in self.spans),
        )

    def stored(self) -> np.ndarray:
        """Phase 0 at stored pixels, premultiplied float 0..1 (height, units // P, 4): for static pictures."""
        p = self.phases
        w = self.units // p
        return self.pixels[:, : w * p].reshape(self.height, w, p, 4).mean(axis=2, dtype=np.float32) / 255


def rasterise(pieces: tuple[Piece, ...], look: Look, phases: int = PHASES) -> Track:
    """Draw the crawl once: the pieces one after the other, `look.space` ems between the ink of each and the
    next, so that every separator sits exactly midway. The band's height comes from the ink and the fonts' own
    ascent and descent, whichever reaches further (outline and shadow included), plus padding, rounded up to a
    multiple of 4 lines. Runs of characters a piece's font lacks are drawn with the fallback font."""
    P = phases
    em = look.size_px * P  # in pixels of the big drawing
    paths = {look.font_path, look.fallback_path, *(p.font_path or look.font_path for p in pieces if p.text)}
    fonts = {path: load_font(path, em) for path in paths if path is not None}
    stroke, drop = round(look.outline * em), round(look.shadow * em)
    logo = None
    if any(p.text is None for p in pieces):
        assert look.logo is not None  # a Piece(None) stands for the logo
        logo = open_rgba(look.logo)

    # Horizontally: each piece's runs at their advances, the piece moved so that its ink starts `space` after
    # the previous piece's ink ends. Vertically: everything on one baseline (y = 0 here).
    placed: list[Placed] = []
    x, ink_top, ink_bottom = 0.0, 0.0, 0.0
    for main in {p.font_path or look.font_path for p in pieces if p.text} | {look.font_path}:
        ascent, descent = fonts[main].getmetrics()
        ink_top, ink_bottom = min(ink_top, -ascent), max(ink_bottom, descent)
    for piece in pieces:
        if piece.text is None:
            assert logo is not None  # opened above for any Piece(None)
            h = look.logo_size * em
            w = h * logo.width / logo.height
            top = -0.36 * em - h / 2  # centred on the middle of the capitals
            placed.append((piece, [], 0.0, w, x, (top, top + h)))
            ink_top, ink_bottom = min(ink_top, top), max(ink_bottom, top + h)
            x += w + look.space * em
            continue
        runs, advance, lo, hi = [], 0.0, math.inf, -math.inf
        for run, path in font_runs(piece.text, piece.font_path or look.font_path, look.fallback_path):
            font = fonts[path]
            box = font.getbbox(run, anchor="ls", stroke_width=stroke)
            runs.append((run, font, advance))
            lo, hi = min(lo, advance + box[0]), max(hi, advance + box[2])
            ink_top, ink_bottom = min(ink_top, box[1]), max(ink_bottom, box[3] + drop)
            advance += font.getlength(run)
        origin = x - lo
        placed.append((piece, runs, lo, hi, origin, None))
        x = origin + hi + drop + look.space * em

    left = min(origin + lo for _, _, lo, _, origin, _ in placed)
    right = max(origin + hi for _, _, _, hi, origin, _ in placed) + drop
    pad = round(look.padding * em)
    height = 4 * math.ceil((ink_bottom - ink_top + 2 * pad) / P / 4)
    rows, margin = height * P, MARGIN_PX * P
    width = math.ceil(right - left) + 2 * margin
    y_base = math.floor((rows - (ink_bottom - ink_top)) / 2 - ink_top)
    shift = margin - left  # from layout x to drawing x

    units = round(width / look.sar)

    def drawn(offset: int = 0, **stroke_args) -> np.ndarray:
        """One layer's coverage, drawn big and reduced at once (one big drawing alive at a time), uint8."""
        big = Image.new("L", (width, rows), 0)
        draw = ImageDraw.Draw(big)
        for _piece, runs, _, _, origin, _ in placed:
            for run, font, dx in runs:
                draw.text(
                    (shift + origin + dx + offset, y_base + offset),
                    run,
                    font=font,
                    fill=255,
                    anchor="ls",
                    **stroke_args,
                )
        ink = big.getbbox()
        assert ink is None or (ink[1] > 0 and ink[3] < rows), "ink outside the band"
        small = big.reduce((1, P))
        del big
        if look.sar != 1:
            small = small.resize((units, height), Image.Resampling.BOX)
        return np.asarray(small, dtype=np.uint8)

    outline = dict(stroke_width=stroke, stroke_fill=255) if stroke else {}
    # bottom to top: (coverage uint8, opacity, colour per column)
    layers: list[tuple[np.ndarray, float, RGB | np.ndarray]] = []
    if drop:
        layers.append((drawn(drop, **outline), look.shadow_opacity, look.shadow_color))
    if stroke:
        layers.append((drawn(**outline), 1.0, look.outline_color))
    # each piece's ink in track units; its colour reaches midway to the next piece
    spans = [
        (math.floor((shift + origin + lo) / look.sar), math.ceil((shift + origin + hi + drop) / look.sar))
        for _, _, lo, hi, origin, _ in placed
    ]
    colours = np.empty((units, 3), dtype=np.float32)
    for k, (piece, *_) in enumerate(placed):
        a = 0 if k == 0 else (spans[k - 1][1] + spans[k][0]) // 2
        b = units if k == len(placed) - 1 else (spans[k][1] + spans[k + 1][0]) // 2
        colours[a:b] = piece.color
    layers.append((drawn(), 1.0, colours))
    logos = []  # (line, column, premultiplied picture)
    for (piece, _, lo, hi, _origin, vertical), (x0, _) in zip(placed, spans):
        if piece.text is None:
            assert logo is not None and vertical is not None  # a logo piece is placed with its top and bottom
            lines = round(look.logo_size * look.size_px)
            size = (max(1, round((hi - lo) / look.sar)), lines)
            logos.append(
                (round((y_base + vertical[0]) / P), x0, premultiplied(logo.resize(size, Image.Resampling.LANCZOS)))
            )

    # composed a slice of columns at a time, so that only the slice is ever in floating point
    pixels = np.empty((height, units, 4), dtype=np.uint8)
    for a in range(0, units, COMPOSE_COLUMNS):
        b = min(units, a + COMPOSE_COLUMNS)
        part = np.zeros((height, b - a, 4), dtype=np.float32)
        for coverage, opacity, colour in layers:
            rgb = colour[a:b] if isinstance(colour, np.ndarray) else colour
            _over(part, coverage[:, a:b] * np.float32(opacity / 255), rgb)
        for top, x0, picture in logos:
            lo, hi = max(a, x0), min(b, x0 + picture.shape[1])
            if lo < hi:
                paste_over(part, picture[:, lo - x0 : hi - x0], top, lo - a)
        if look.vertical_filter:
            part = _vertical_121(part)
        pixels[:, a:b] = np.rint(part * 255)
    return Track(pixels=pixels, phases=P, baseline=round(y_base / P), spans=tuple(spans))


def phase_strips(
    track: Track, look: Look, period: int, window: int, channels: tuple[int, ...] = (0, 1, 2, 3)
) -> np.ndarray:
    """The P phase strips of the periodic crawl over the band, as straight-alpha pixels, shape
    (P, height, columns, 4), with R, G, B and A at the positions `channels` (the order the encoder takes, so
    that nothing converts later).

    Column x of phase j covers track units [x*P + j, x*P + j + P) of the crawl repeated every `period` units;
    there are enough columns for a window starting anywhere in one period. The box sums come from running
    sums along the track.
    """
    P, h = track.phases, track.height
    columns = -(-period // P) + window + 1
    span = columns * P + P
    # Running sums in uint16 wrap round, but a box sum (at most 255·32) is below 2^16, so the difference of two
    # wrapped sums is exact: half the memory of uint32.
    running = np.zeros((4, h, span + 1), dtype=np.uint16)  # column 0 stays 0: the running sum starts there
    for start in range(0, span, period):
        n = min(track.units, span - start)
        running[:, :, 1 + start : 1 + start + n] = np.moveaxis(track.pixels[:, :n], 2, 0)
    np.cumsum(running, axis=2, dtype=np.uint16, out=running)
    out = np.empty((P, h, columns, 4), dtype=np.uint8)
    for j in range(P):
        sums = running[:, :, j + P : j + P + columns * P : P] - running[:, :, j : j + columns * P : P]
        _over_band(sums, look, P, out[j], channels)
    return out
