"""The crawl's big drawing made a tile at a time, pixel for pixel as one drawing of the whole crawl would make it.

Pillow draws a string into one bitmap as wide as the string, and one big drawing of the crawl (P times the band's
height, P columns per stored pixel) passes Pillow's decompression-bomb limit at about 1,800 characters at 1080i50
and holds gigabytes for a long letter. So:

- a run of text is cut into chunks about CHUNK_UNITS wide, after spaces where the font does not kern across the
  cut: the glyphs on either side never touch, and each chunk's pen starts where the run's pen would be;
- a tile is drawn on a canvas whose left edge is a whole column at or left of every pen position drawn on it.
  Pillow truncates a non-negative pen position to whole pixels and renders its fraction into the glyphs, so
  moving the canvas by whole columns moves the glyphs exactly;
- the anamorphic squeeze (the SAR) is Pillow's BOX resampling computed for the tile's columns alone, with
  Pillow's own coefficients and fixed-point sums (Resample.c), so that tiles join without a seam.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

CHUNK_UNITS = 2048.0  # columns of the big drawing a chunk of text is cut to (at least a word)
LONGEST_WORD = 4  # chunks: a word wider than this many CHUNK_UNITS is cut between letters
INK_MARGIN = 4  # columns of the big drawing either side of a chunk's measured ink
PRECISION_BITS = 32 - 8 - 2  # Pillow's fixed point for 8-bit resampling


@dataclass(frozen=True)
class Chunk:
    """Text drawn with one call: its pen position in the big drawing and its ink's left and right (outline
    included) from the pen."""

    text: str
    font: ImageFont.FreeTypeFont
    x: float
    left: float
    right: float


def cut(run: str, font: ImageFont.FreeTypeFont, width: float, target: float = CHUNK_UNITS) -> list[tuple[str, float]]:
    """`run` (`width` wide) in pieces about `target` wide, each with its pen's advance from the run's start. Cuts
    fall after white space; a word wider than LONGEST_WORD targets is cut between letters. Nowhere is a cut made
    where the font kerns across it."""
    if width <= target:
        return [(run, 0.0)]
    pieces: list[str] = []
    current, wide = "", 0.0
    for word in re.findall(r"\S+\s*|\s+", run):
        w = font.getlength(word)
        if current and wide + w > target and _apart(font, current, word):
            pieces.append(current)
            current, wide = "", 0.0
        if w > LONGEST_WORD * target:
            letters = _letters(word, font, max(1, int(len(word) * target / w)))
            if current and not _apart(font, current, letters[0]):
                letters[0] = current + letters[0]
            elif current:
                pieces.append(current)
            pieces += letters[:-1]
            current, wide = letters[-1], font.getlength(letters[-1])
            continue
        current += word
        wide += w
    pieces.append(current)
    out, at = [], 0.0
    for piece in pieces:
        out.append((piece, at))
        at += font.getlength(piece)
    return out


def _apart(font: ImageFont.FreeTypeFont, left: str, right: str) -> bool:
    """Whether the font sets the last character of `left` and the first of `right` as it sets each alone."""
    a, b = left[-1], right[0]
    return font.getlength(a + b) == font.getlength(a) + font.getlength(b)


def _letters(word: str, font: ImageFont.FreeTypeFont, size: int) -> list[str]:
    """A word in pieces of about `size` characters, never before a combining mark or inside a kerned pair."""
    pieces, start = [], 0
    for i in range(1, len(word)):
        if i - start >= size and not unicodedata.combining(word[i]) and _apart(font, word[start:i], word[i:]):
            pieces.append(word[start:i])
            start = i
    pieces.append(word[start:])
    return pieces


def coverage(
    chunks: list[Chunk],
    first: int,
    last: int,
    rows: int,
    y: float,
    phases: int,
    offset: int = 0,
    **stroke,
) -> np.ndarray:
    """Columns [first, last) of one layer of the big drawing (every chunk at its pen moved by `offset` right and
    down, drawn in 255), reduced by `phases` down the lines: uint8 (rows // phases, last - first)."""
    reach = [
        c for c in chunks if c.x + offset + c.left - INK_MARGIN < last and c.x + offset + c.right + INK_MARGIN > first
    ]
    origin = min([first, *(math.floor(c.x + offset) for c in reach)])
    big = Image.new("L", (last - origin, rows), 0)
    draw = ImageDraw.Draw(big)
    for c in reach:
        draw.text((c.x + offset - origin, y + offset), c.text, font=c.font, fill=255, anchor="ls", **stroke)
    ink = big.getbbox()
    assert ink is None or (ink[1] > 0 and ink[3] < rows), "ink outside the band"
    small = big.reduce((1, phases), box=(first - origin, 0, last - origin, rows))
    return np.asarray(small, dtype=np.uint8)


@dataclass(frozen=True)
class Squeeze:
    """Pillow's horizontal BOX resize from `source` columns to `target` (the SAR), a few columns at a time."""

    source: int
    target: int

    def taps(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """For target columns [first, last): each one's first source column, and its fixed-point weights
        (columns, taps), computed as Pillow's precompute_coeffs and normalize_coeffs_8bpc compute them."""
        scale = float(np.float32(self.source) - np.float32(0)) / self.target  # the box's corners are floats
        filterscale = max(scale, 1.0)
        support = 0.5 * filterscale  # the box filter's support
        taps = math.ceil(support) * 2 + 1
        xx = np.arange(first, last, dtype=np.float64)
        center = 0.0 + (xx + 0.5) * scale
        lo = np.maximum((center - support + 0.5).astype(np.int64), 0)
        count = np.minimum((center + support + 0.5).astype(np.int64), self.source) - lo
        x = np.arange(taps)
        t = ((x[None, :] + lo[:, None]) - center[:, None] + 0.5) * (1.0 / filterscale)
        w = ((t > -0.5) & (t <= 0.5) & (x[None, :] < count[:, None])).astype(np.float64)
        total = w.sum(axis=1, keepdims=True)
        k = np.divide(w, total, out=np.zeros_like(w), where=total != 0)
        return lo, (0.5 + k * (1 << PRECISION_BITS)).astype(np.int64)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """The source columns that target columns [first, last) read."""
        lo, weights = self.taps(first, last)
        return int(lo[0]), min(self.source, int(lo[-1]) + weights.shape[1])

    def apply(self, pixels: np.ndarray, start: int, first: int, last: int) -> np.ndarray:
        """Target columns [first, last) from `pixels` (lines, columns) uint8, whose column 0 is source column
        `start`: the sums and rounding of Pillow's ImagingResampleHorizontal_8bpc."""
        lo, weights = self.taps(first, last)
        acc = np.full((pixels.shape[0], last - first), 1 << (PRECISION_BITS - 1), dtype=np.int64)
        edge = pixels.shape[1] - 1
        for k in range(weights.shape[1]):
            if weights[:, k].any():
                acc += pixels[:, np.minimum(lo - start + k, edge)] * weights[:, k]
        return np.clip(acc >> PRECISION_BITS, 0, 255).astype(np.uint8)
