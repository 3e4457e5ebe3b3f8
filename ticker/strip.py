"""The crawl rasterised once: text coverage at P× horizontal resolution, then P phase strips.

Pillow draws the text at P times the final size; the vertical axis is box-reduced back to the band's
height (supersampled anti-aliasing) and, at anamorphic SD, the horizontal axis is squeezed by the SAR. That
leaves a coverage strip at P units per stored pixel. Phase j of the crawl is the strip translated by j units
and box-filtered by P: exact translation, every phase as sharp as the first. The band colour is composed under
the text after filtering; since the band is uniform this equals filtering premultiplied pixels, so edges have no
dark fringe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ticker.text import font_runs, load_font

PHASES = 8
MARGIN_PX = 2  # blank stored pixels on each side of the text inside the strip


@dataclass(frozen=True)
class Look:
    """What the band looks like, in output terms."""

    font_path: Path
    size_px: float  # em size in picture lines
    color: tuple[int, int, int]
    band_color: tuple[int, int, int]
    band_opacity: float
    padding: float  # in ems, above and below the ink
    sar: Fraction = Fraction(1)
    vertical_filter: bool = False  # [1 2 1]/4 against interlace twitter at SD
    fallback_path: Path | None = None  # draws what the main font lacks


@dataclass(frozen=True)
class Coverage:
    """Text coverage, `height` lines by `units` columns of 1/P pixel, values 0..255."""

    mask: np.ndarray  # uint8 (height, units)
    phases: int
    baseline: int  # line of the baseline inside the band

    @property
    def height(self) -> int:
        return self.mask.shape[0]

    @property
    def units(self) -> int:
        return self.mask.shape[1]

    def at(self, phases: int) -> Coverage:
        """The same picture at a finer multiple of units per pixel (for slow crawls): each column repeated,
        so that translating it by one finer unit is still an exact translation."""
        if phases == self.phases:
            return self
        return Coverage(mask=np.repeat(self.mask, phases // self.phases, axis=1), phases=phases,
                        baseline=self.baseline)


def rasterise(text: str, look: Look, phases: int = PHASES) -> Coverage:
    """Draw the text once. The band's height comes from the ink of this text and the font's own ascent and
    descent, whichever reaches further, plus padding, rounded up to a multiple of 4 lines.

    Runs of characters the main font lacks are drawn with the fallback font, one after the other."""
    fonts = {path: load_font(path, look.size_px * phases) for path in {look.font_path, look.fallback_path} - {None}}
    layout, x = [], 0.0
    for run, path in font_runs(text, look.font_path, look.fallback_path):
        layout.append((run, fonts[path], x))
        x += fonts[path].getlength(run)
    ascent, descent = fonts[look.font_path].getmetrics()
    boxes = [(font.getbbox(run, anchor="ls"), x0) for run, font, x0 in layout]
    left = min(math.floor(x0 + b[0]) for b, x0 in boxes)
    right = max(math.ceil(x0 + b[2]) for b, x0 in boxes)
    ink_top = min([-ascent, *(b[1] for b, _ in boxes)])
    ink_bottom = max([descent, *(b[3] for b, _ in boxes)])
    pad = round(look.padding * look.size_px * phases)
    height = 4 * math.ceil((ink_bottom - ink_top + 2 * pad) / phases / 4)
    rows = height * phases
    margin = MARGIN_PX * phases
    width = right - left + 2 * margin
    y_base = (rows - (ink_bottom - ink_top)) // 2 - ink_top

    big = Image.new("L", (width, rows), 0)
    draw = ImageDraw.Draw(big)
    for run, font, x0 in layout:
        draw.text((margin - left + x0, y_base), run, font=font, fill=255, anchor="ls")
    ink = big.getbbox()
    assert ink is None or (ink[1] > 0 and ink[3] < rows), "ink outside the band"
    if look.sar != 1:
        big = big.resize((round(width / look.sar), rows), Image.Resampling.BOX)
    small = big.reduce((1, phases))
    mask = np.asarray(small, dtype=np.uint8)
    if look.vertical_filter:
        m = mask.astype(np.uint16)
        f = m * 2
        f[1:] += m[:-1]
        f[:-1] += m[1:]
        f[0] += m[0]
        f[-1] += m[-1]
        mask = ((f + 2) // 4).astype(np.uint8)
    return Coverage(mask=np.ascontiguousarray(mask), phases=phases, baseline=round(y_base / phases))


def phase_strips(cov: Coverage, look: Look, period: int, window: int,
                 channels: tuple[int, ...] = (0, 1, 2, 3)) -> np.ndarray:
    """The P phase strips of the periodic crawl as straight-alpha pixels, shape (P, height, columns, 4), with
    R, G, B and A at the positions `channels` (the order the encoder takes, so that nothing converts later).

    Column x of phase j covers track units [x*P + j, x*P + j + P) of the text repeated every `period` units;
    there are enough columns for a window starting anywhere in one period.
    """
    P, h = cov.phases, cov.height
    columns = -(-period // P) + window + 1
    span = columns * P + P
    tiled = np.zeros((h, span + 1), dtype=np.uint32)  # column 0 stays 0: the running sum starts there
    for start in range(0, span, period):
        n = min(cov.units, span - start)
        tiled[:, 1 + start:1 + start + n] = cov.mask[:, :n]
    np.cumsum(tiled, axis=1, out=tiled)
    boxes = tiled[:, P:] - tiled[:, :-P]  # boxes[:, u]: coverage summed over units u .. u+P-1, 0 .. 255·P
    lut = _pixel_table(look, P, channels)
    out = np.empty((P, h, columns, 4), dtype=np.uint8)
    for j in range(P):
        np.take(lut, boxes[:, j:j + columns * P:P], axis=0, out=out[j])
    return out


def _pixel_table(look: Look, phases: int, channels: tuple[int, ...]) -> np.ndarray:
    """The straight-alpha pixel for every box sum of coverage (0 .. 255·P): text over the band, composed in
    premultiplied terms, then divided by alpha."""
    a = np.arange(255 * phases + 1, dtype=np.float64) / (255 * phases)
    text, band, o = np.array(look.color, float), np.array(look.band_color, float), look.band_opacity
    alpha = a + o * (1 - a)
    premul = a[:, None] * text + (o * (1 - a))[:, None] * band
    with np.errstate(invalid="ignore", divide="ignore"):
        straight = np.where(alpha[:, None] > 0, premul / alpha[:, None], text)
    lut = np.empty((a.size, 4), dtype=np.uint8)
    for c in range(3):
        lut[:, channels[c]] = np.clip(np.rint(straight[:, c]), 0, 255)
    lut[:, channels[3]] = np.clip(np.rint(alpha * 255), 0, 255)
    return lut


def blank_band(look: Look, height: int, width: int, channels: tuple[int, ...] = (0, 1, 2, 3)) -> np.ndarray:
    """The band with no text on it: straight-alpha pixels (height, width, 4), channels as in phase_strips."""
    rgba = [*(look.color if look.band_opacity == 0 else look.band_color), round(look.band_opacity * 255)]
    px = np.empty(4, dtype=np.uint8)
    px[list(channels)] = rgba
    return np.broadcast_to(px, (height, width, 4)).copy()
