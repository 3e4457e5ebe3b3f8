"""The crawl as premultiplied pixels at P× horizontal resolution (the track), then P phase strips, each made a
tile at a time when asked for: nothing here grows with the length of the text but the layout.

Pillow draws the text at P times the final size; the vertical axis is box-reduced back to the band's
height (supersampled anti-aliasing) and, at anamorphic SD, the horizontal axis is squeezed by the SAR. Each
layer (shadow, outline, the text in each message's colour, a logo between messages) is anti-aliased on its own
and composed with premultiplied "over", which leaves a track of premultiplied RGBA at P units per stored pixel.
Phase j of the crawl is the track translated by j units and box-filtered by P: exact translation, every phase
as sharp as the first. The band is composed under the filtered pixels, still premultiplied, and only then are
they divided by alpha, so edges have no dark fringe.

`rasterise` lays the crawl out (fonts, advances, ink, spans) and returns a Track that draws any run of its
columns on demand (ticker.engine.drawing makes the tiles the very pixels of one big drawing); PhaseStrips makes any
run of strip columns from the track's tiles. Every step after the drawing is per column (composition, the
vertical filter) or a box sum of whole units, so tiles join without a seam.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image, ImageFont

from ticker.engine.drawing import CHUNK_UNITS, Chunk, Squeeze, coverage, cut
from ticker.errors import FileProblem
from ticker.files import Memo
from ticker.files.inputs import open_picture
from ticker.vietnamese.text import FontFacts, font_runs, load_font

PHASES = 8
MARGIN_PX = 2  # blank stored pixels on each side of the text inside the strip
COMPOSE_COLUMNS = 8192  # track units composed at a time
TILE_UNITS = 8192  # track units a tile of the phase strips is made from
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Piece:
    """One thing on the crawl: a message or a separator in its font and colour, or (text None) the logo."""

    text: str | None
    font_path: Path | None = None
    color: RGB = (255, 255, 255)


# a piece laid out: its runs (text, font, advance), its ink's left and right, its origin, its logo's top and bottom
Placed = tuple[Piece, list[tuple[str, ImageFont.FreeTypeFont, float]], float, float, float, tuple[float, float] | None]


@dataclass(frozen=True)
class Look:
    """What the band looks like, in output terms (sizes in picture lines)."""

    font_path: Path  # the main font: its ascent and descent set the band's height
    size_px: float  # em size in picture lines
    color: RGB
    band_color: RGB
    band_opacity: float
    padding: float  # in ems, above and below the ink
    sar: Fraction = Fraction(1)
    vertical_filter: bool = False  # [1 2 1]/4 against interlace twitter at SD
    fallback_path: Path | None = None  # draws what the main font lacks
    space: float = 0.8  # ems between the ink of neighbouring pieces
    outline: float = 0.0  # ems of outline around every glyph
    outline_color: RGB = (0, 0, 0)
    shadow: float = 0.0  # ems the shadow falls down and to the right
    shadow_color: RGB = (0, 0, 0)
    shadow_opacity: float = 0.6
    logo: Path | None = None  # the picture a Piece(None) stands for
    logo_size: float = 0.8  # its height, as a fraction of the em


@dataclass(frozen=True)
class Track:
    """The crawl once, `height` lines by `units` columns of 1/P pixel: premultiplied RGBA, 0..255, drawn a tile
    at a time when asked (`tile`), never whole: a long letter would not fit in memory."""

    height: int
    units: int
    phases: int
    baseline: int  # line of the baseline inside the band
    spans: tuple[tuple[int, int], ...] = ()  # units each piece's ink covers, in order
    draw: Callable[[int, int], np.ndarray] = field(default=lambda a, b: np.empty(0), repr=False, compare=False)

    @classmethod
    def of(cls, pixels: np.ndarray, phases: int, baseline: int, spans: tuple[tuple[int, int], ...] = ()) -> Track:
        """A track of pixels already drawn, uint8 (height, units, 4)."""
        return cls(pixels.shape[0], pixels.shape[1], phases, baseline, spans, lambda a, b: pixels[:, a:b])

    def tile(self, first: int, last: int) -> np.ndarray:
        """Units [first, last) of the track (0 <= first < last <= units), uint8 (height, last - first, 4)."""
        return self.draw(first, last)

    def at(self, phases: int) -> Track:
        """The same picture at a finer multiple of units per pixel (for slow crawls): each column repeated,
        so that translating it by one finer unit is still an exact translation."""
        if phases == self.phases:
            return self
        k = phases // self.phases

        def finer(first: int, last: int) -> np.ndarray:
            a, b = first // k, -(-last // k)
            return np.repeat(self.draw(a, b), k, axis=1)[:, first - a * k : last - a * k]

        spans = tuple((a * k, b * k) for a, b in self.spans)
        return Track(self.height, self.units * k, phases, self.baseline, spans, finer)

    def stored(self) -> np.ndarray:
        """Phase 0 at stored pixels, premultiplied float 0..1 (height, units // P, 4): for static pictures."""
        p = self.phases
        w = self.units // p
        out = np.empty((self.height, w, 4), dtype=np.float32)
        step = max(1, COMPOSE_COLUMNS // p)
        for x in range(0, w, step):
            n = min(step, w - x)
            part = self.tile(x * p, (x + n) * p).reshape(self.height, n, p, 4)
            out[:, x : x + n] = part.mean(axis=2, dtype=np.float32) / 255
        return out


def rasterise(
    pieces: tuple[Piece, ...],
    look: Look,
    phases: int = PHASES,
    chunk_units: float = CHUNK_UNITS,
    facts: Memo[FontFacts] | None = None,
) -> Track:
    """Draw the crawl once: the pieces one after the other, `look.space` ems between the ink of each and the
    next, so that every separator sits exactly midway. The band's height comes from the ink and the fonts' own
    ascent and descent, whichever reaches further (outline and shadow included), plus padding, rounded up to a
    multiple of 4 lines. Runs of characters a piece's font lacks are drawn with the fallback font. Only the
    layout is made here: the track draws its tiles when they are asked for (ticker.engine.drawing). `facts`: the
    caller's memo of the fonts' facts (ticker.engine Caches)."""
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
        for run, path in font_runs(piece.text, piece.font_path or look.font_path, look.fallback_path, facts):
            font = fonts[path]
            try:  # FreeType loads each glyph here: a damaged one is said now, before any picture is drawn
                box, length = font.getbbox(run, anchor="ls", stroke_width=stroke), font.getlength(run)
            except (OSError, ValueError) as e:
                raise FileProblem(path, f"is a font FreeType cannot draw the text with ({e})") from None
            runs.append((run, font, advance))
            lo, hi = min(lo, advance + box[0]), max(hi, advance + box[2])
            ink_top, ink_bottom = min(ink_top, box[1]), max(ink_bottom, box[3] + drop)
            advance += length
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
    # each piece's ink in track units; its colour reaches midway to the next piece
    spans = [
        (math.floor((shift + origin + lo) / look.sar), math.ceil((shift + origin + hi + drop) / look.sar))
        for _, _, lo, hi, origin, _ in placed
    ]
    starts = [0] + [(spans[k - 1][1] + spans[k][0]) // 2 for k in range(1, len(placed))]
    chunks = []
    for _piece, runs, _, _, origin, _ in placed:
        for run, font, dx in runs:
            for text, at in cut(run, font, font.getlength(run), chunk_units):
                left, _, right, _ = font.getbbox(text, anchor="ls", stroke_width=stroke)
                chunks.append(Chunk(text, font, shift + origin + dx + at, left, right))
    logos = []  # (line, column, premultiplied picture)
    for (piece, _, lo, hi, _origin, vertical), (x0, _) in zip(placed, spans):
        if piece.text is None:
            assert logo is not None and vertical is not None  # a logo piece is placed with its top and bottom
            lines = round(look.logo_size * look.size_px)
            size = (max(1, round((hi - lo) / look.sar)), lines)
            logos.append(
                (round((y_base + vertical[0]) / P), x0, premultiplied(logo.resize(size, Image.Resampling.LANCZOS)))
            )
    drawing = _Drawing(
        look=look,
        phases=P,
        rows=rows,
        y=y_base,
        chunks=chunks,
        stroke=stroke,
        drop=drop,
        colours=(np.array(starts), np.array([p.color for p, *_ in placed], dtype=np.float32)),
        logos=logos,
        squeeze=Squeeze(width, units) if look.sar != 1 else None,
    )
    return Track(height, units, P, round(y_base / P), tuple(spans), drawing.pixels)


@dataclass(frozen=True)
class _Drawing:
    """What a tile of the track is drawn from: the chunks of text at their pens, the logos, the layers."""

    look: Look
    phases: int
    rows: int  # lines of the big drawing: P per line of the band
    y: float  # the baseline in the big drawing
    chunks: list[Chunk]
    stroke: int
    drop: int
    colours: tuple[np.ndarray, np.ndarray]  # the first unit of each piece's colour, and the colours
    logos: list[tuple[int, int, np.ndarray]]
    squeeze: Squeeze | None

    def pixels(self, first: int, last: int) -> np.ndarray:
        """Units [first, last) composed, a slice of columns at a time (only the slice is ever in floating
        point), as a uint8 tile."""
        out = np.empty((self.rows // self.phases, last - first, 4), dtype=np.uint8)
        for a in range(first, last, COMPOSE_COLUMNS):
            b = min(last, a + COMPOSE_COLUMNS)
            out[:, a - first : b - first] = self._compose(a, b)
        return out

    def _compose(self, a: int, b: int) -> np.ndarray:
        look = self.look
        part = np.zeros((self.rows // self.phases, b - a, 4), dtype=np.float32)
        outline = dict(stroke_width=self.stroke, stroke_fill=255) if self.stroke else {}
        # bottom to top: shadow, outline, the text in each piece's colour
        if self.drop:
            _over(
                part, self._layer(a, b, self.drop, **outline) * np.float32(look.shadow_opacity / 255), look.shadow_color
            )
        if self.stroke:
            _over(part, self._layer(a, b, **outline) * np.float32(1.0 / 255), look.outline_color)
        starts, colours = self.colours
        rgb = colours[np.searchsorted(starts, np.arange(a, b), side="right") - 1]
        _over(part, self._layer(a, b) * np.float32(1.0 / 255), rgb)
        for top, x0, picture in self.logos:
            lo, hi = max(a, x0), min(b, x0 + picture.shape[1])
            if lo < hi:
                paste_over(part, picture[:, lo - x0 : hi - x0], top, lo - a)
        if look.vertical_filter:
            part = _vertical_121(part)
        return np.rint(part * 255)

    def _layer(self, a: int, b: int, offset: int = 0, **stroke) -> np.ndarray:
        """One layer's coverage over units [a, b), uint8."""
        if self.squeeze is None:
            return coverage(self.chunks, a, b, self.rows, self.y, self.phases, offset, **stroke)
        first, last = self.squeeze.span(a, b)
        big = coverage(self.chunks, first, last, self.rows, self.y, self.phases, offset, **stroke)
        return self.squeeze.apply(big, first, a, b)


def _over(track: np.ndarray, a: np.ndarray, rgb) -> None:
    """Compose a layer of coverage `a` (height, units) in colour `rgb` (one, or one per column) over `track`,
    premultiplied, in place."""
    rgb = np.asarray(rgb, dtype=np.float32) / 255
    track *= (1 - a)[..., None]
    track[..., :3] += a[..., None] * rgb
    track[..., 3] += a


def _vertical_121(pixels: np.ndarray) -> np.ndarray:
    """[1 2 1]/4 down the lines (edges repeated), on premultiplied pixels: against interlace twitter."""
    f = pixels * 2
    f[1:] += pixels[:-1]
    f[:-1] += pixels[1:]
    f[0] += pixels[0]
    f[-1] += pixels[-1]
    return f / 4


def open_rgba(path: Path) -> Image.Image:
    """A logo's pixels, read as every picture a user names is (ticker.files.inputs: a regular file, its size checked
    before it is decoded); a file that changed since the campaign was read is one sentence."""
    with open_picture(path, "picture") as im:
        try:
            return im.convert("RGBA")
        except (OSError, SyntaxError, ValueError) as e:
            raise FileProblem(path, f"is not a readable picture ({e})") from None


def paste_over(canvas: np.ndarray, picture: np.ndarray, y: int, x: int) -> None:
    """Premultiplied `picture` over premultiplied `canvas` at line y, column x, in place."""
    h, w = picture.shape[:2]
    region = canvas[y : y + h, x : x + w]
    region *= 1 - picture[..., 3:]
    region += picture


def premultiplied(picture: Image.Image) -> np.ndarray:
    """An RGBA picture as premultiplied float pixels 0..1 (height, width, 4)."""
    a = np.asarray(picture.convert("RGBA"), dtype=np.float32) / 255
    a[..., :3] *= a[..., 3:]
    return a


class PhaseStrips:
    """The P phase strips of the periodic crawl over the band, as straight-alpha pixels (P, height, columns, 4),
    with R, G, B and A at the positions `channels` (the order the encoder takes, so that nothing converts later),
    made a few columns at a time when asked: never whole, a long letter would not fit in memory.

    Column x of phase j covers track units [x*P + j, x*P + j + P) of the crawl repeated every `period` units;
    there are enough columns for a window starting anywhere in one period. The box sums come from running
    sums along the track.
    """

    def __init__(self, track: Track, look: Look, period: int, window: int, channels: tuple[int, ...] = (0, 1, 2, 3)):
        self.track, self.look, self.period, self.channels = track, look, period, channels
        self.phases, self.height = track.phases, track.height
        self.columns = -(-period // self.phases) + window + 1

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return (self.phases, self.height, self.columns, 4)

    def fill(self, out: np.ndarray, first: int, phases: tuple[int, ...] | None = None) -> None:
        """Columns [first, first + out.shape[2]) of the phases (all, or those given) into `out`
        (phases, height, columns, 4), a tile of about TILE_UNITS track units at a time."""
        step = max(64, TILE_UNITS // self.phases - 1)  # a tile's units and the P beyond it: one compose
        n = out.shape[2]
        for a in range(0, n, step):
            b = min(n, a + step)
            self._make(first + a, first + b, out[:, :, a:b], phases or tuple(range(self.phases)))

    def whole(self) -> np.ndarray:
        """Every column of every phase: for a crawl known to be short."""
        out = np.empty(self.shape, dtype=np.uint8)
        self.fill(out, 0)
        return out

    def _make(self, first: int, last: int, out: np.ndarray, phases: tuple[int, ...]) -> None:
        P, columns = self.phases, last - first
        # Running sums in uint16 wrap round, but a box sum (at most 255·32) is below 2^16, so the difference of
        # two wrapped sums is exact: half the memory of uint32.
        running = np.zeros((4, self.height, columns * P + P + 1), dtype=np.uint16)  # column 0 stays 0
        self._periodic(first * P, running[:, :, 1:])
        np.cumsum(running, axis=2, dtype=np.uint16, out=running)
        for k, j in enumerate(phases):
            sums = running[:, :, j + P : j + P + columns * P : P] - running[:, :, j : j + columns * P : P]
            _over_band(sums, self.look, P, out[k], self.channels)

    def _periodic(self, start: int, into: np.ndarray) -> None:
        """Units [start, start + width) of the crawl repeated every period (blank after the text) into `into`
        (4, height, width)."""
        track, period, end = self.track, self.period, start + into.shape[2]
        for k in range(start // period, -(-end // period)):
            lo, hi = max(start, k * period), min(end, k * period + track.units)
            if lo < hi:
                into[:, :, lo - start : hi - start] = np.moveaxis(track.tile(lo - k * period, hi - k * period), 2, 0)


def phase_strips(
    track: Track, look: Look, period: int, window: int, channels: tuple[int, ...] = (0, 1, 2, 3)
) -> PhaseStrips:
    """The phase strips of `track` for a crawl period and a window of stored pixels (see PhaseStrips)."""
    return PhaseStrips(track, look, period, window, channels)


def _over_band(sums: np.ndarray, look: Look, phases: int, out: np.ndarray, channels: tuple[int, ...]) -> None:
    """Premultiplied box sums (4, ...) over the band, divided by alpha into straight pixels `out` (..., 4)."""
    o = look.band_opacity
    a = sums[3] * np.float32(1 / (255 * phases))  # the crawl's own coverage
    behind = o * (1 - a)  # the band's share of each pixel
    premul = [sums[c] * np.float32(1 / phases) + look.band_color[c] * behind for c in range(3)]
    straight_pixels(premul, a + behind, out, channels)


def straight_pixels(premul, alpha: np.ndarray, out: np.ndarray, channels: tuple[int, ...]) -> None:
    """Premultiplied colour (three arrays, 0..255) and alpha (0..1) divided into straight-alpha bytes in `out`
    (..., 4), channels in pipe order. Where nothing is (alpha 0) the colour is black: clients that drop the
    alpha, keyers in the wrong mode and fill monitors show what lies there."""
    seen = alpha > 0
    divisor = np.where(seen, alpha, np.float32(1))
    for c in range(3):
        value = np.where(seen, premul[c] / divisor, np.float32(0))
        out[..., channels[c]] = np.clip(np.rint(value), 0, 255)
    out[..., channels[3]] = np.rint(alpha * 255)


def band_pixel(look: Look, channels: tuple[int, ...] = (0, 1, 2, 3)) -> np.ndarray:
    """The band with no text on it, as one straight-alpha pixel (channels as in phase_strips)."""
    px = np.empty(4, dtype=np.uint8)
    _over_band(np.zeros((4,), dtype=np.uint16), look, 1, px, channels)
    return px
