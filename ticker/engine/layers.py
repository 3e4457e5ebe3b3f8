"""Static layers: the band's rules, the label box, the logo and the QR code, drawn once per output.

The picture sent to ffmpeg is a region of full width: the band with its rules, and the QR code where it reaches
beyond the band. Every pixel of it except the crawl's window (the band's lines between the left and the right
static zones) is the same in every picture, so it is composed once, premultiplied, and written once into each
picture buffer; the blitter then copies the moving text into the window only. The crawl passes beneath the
zones: no text pixel ever shows over the label, the logo or the QR code.

QR size. Viewers scan a television from the sofa, about four picture heights away, with a phone whose camera
previews some 1920 pixels across a 65° field: about 300 camera pixels per picture height at that distance.
Decoders need 2.5 camera pixels per module, so a module must be at least 1/120 of the picture's height (its
narrow side, on a portrait screen): 9 lines at 1080, 5 at 576. The symbol keeps the standard quiet zone of four
light modules (ISO/IEC 18004) and dark modules on white, the contrast phones expect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import segno
from PIL import Image

from ticker.campaign import Style
from ticker.campaign.config import QR
from ticker.engine.strip import Look, Track, band_pixel, open_rgba, paste_over, premultiplied, straight_pixels
from ticker.errors import InputError
from ticker.media import Profile
from ticker.media.formats import Placement

QR_MODULE_FRACTION = 1 / 120  # of the picture's narrow side
QR_QUIET_ZONE = 4  # modules
QR_BESIDE_LIMIT = 0.25  # a QR wider than this fraction of the picture goes above (below) the band instead


@dataclass(frozen=True)
class Scene:
    """The piped region of every picture: where the band and the crawl's window are, and the still pixels."""

    region: Placement  # the rows sent to ffmpeg, full width
    band_top: int  # first line of the band (the crawl's lines) inside the region
    band_height: int
    crawl: tuple[int, int]  # columns of the band where the crawl shows
    static: np.ndarray  # (region.height, width, 4) straight alpha in the pipe's channel order
    boxes: tuple[tuple[str, tuple[int, int, int, int]], ...] = ()  # label, logo, qr: x, y, w, h in the picture
    qr_module: int | None = None  # lines per QR module

    @property
    def band_y(self) -> int:
        """The band's first line in the picture."""
        return self.region.y + self.band_top


def graphics_bounds(profile: Profile, style: Style) -> tuple[int, int]:
    """Columns where the label, logo and QR may go: the graphics-safe area, or with safe_area = "4:3" the
    graphics-safe area of the 4:3 centre cut of a 16:9 picture (what a 4:3 down-conversion keeps)."""
    safe_x, _ = profile.safe_margins
    if style.safe_area == "4:3" and profile.dar == "16:9":
        cut = round(profile.width * 3 / 4)
        left = (profile.width - cut) // 2 + round(cut * 0.05)
        return left, profile.width - left
    return safe_x, profile.width - safe_x


def qr_matrix(url: str, error: str) -> np.ndarray:
    """The symbol's modules with the quiet zone, True for dark."""
    symbol = segno.make(url, error=error.lower(), micro=False, boost_error=True)
    return np.array(list(symbol.matrix_iter(scale=1, border=QR_QUIET_ZONE)), dtype=bool)


def qr_module_lines(profile: Profile, qr: QR) -> int:
    if qr.module is not None:
        return max(1, round(qr.module * profile.short_side))
    return max(2, math.ceil(profile.short_side * QR_MODULE_FRACTION))


def _qr_picture(matrix: np.ndarray, module: int, sar) -> np.ndarray:
    """The symbol as opaque premultiplied pixels, `module` lines per module and square on screen."""
    n = matrix.shape[0]
    light = Image.fromarray(np.where(matrix, 0, 255).astype(np.uint8))
    size = n * module
    picture = light.resize((round(size / sar), size), Image.Resampling.BOX if sar != 1 else Image.Resampling.NEAREST)
    rgb = np.asarray(picture, dtype=np.float32)[..., None] / 255
    return np.concatenate([np.repeat(rgb, 3, axis=2), np.ones_like(rgb)], axis=2)


def _logo_picture(path: Path, lines: int, sar) -> np.ndarray:
    rgba = open_rgba(path)
    width = max(1, round(lines * rgba.width / rgba.height / sar))
    return premultiplied(rgba.resize((width, lines), Image.Resampling.LANCZOS))


def compose(
    profile: Profile,
    style: Style,
    look: Look,
    band_height: int,
    channels: tuple[int, ...],
    *,
    baseline: int = 0,
    label: Track | None = None,
    qr: QR | None = None,
    qr_url: str | None = None,
    where: str = "style",
) -> Scene:
    """Place the band, its rules, the label, the logo and the QR code in the picture and draw the still pixels.

    The band lies inside the graphics-safe area on a line that is a multiple of 4 (fields never swap and 4:2:0
    chroma stays within its field); rules are an even number of lines, so the band starts on an even one. `baseline`
    is the crawl's baseline inside the band: the label's text sits on it."""
    width, em, sar = profile.width, look.size_px, look.sar
    gap = round(0.25 * em / sar)
    rule = max(2, 2 * round(style.rule_size * em / 2))  # even: the band stays on an even line
    above = rule if style.rule in ("above", "both") else 0
    below = rule if style.rule in ("below", "both") else 0
    block = above + band_height + below
    _, safe_y = profile.safe_margins
    margin = round(style.margin * profile.short_side)
    if style.position == "top":
        block_y = -(-(safe_y + margin) // 4) * 4
    else:
        block_y = (profile.height - safe_y - margin - block) // 4 * 4
    if block_y < 0 or block_y + block > profile.height:
        raise InputError(
            f"{where}: style.size and style.padding make a band of {block} lines that does not fit "
            f"the {profile.id} picture."
        )
    band_y = block_y + above
    x_lo, x_hi = graphics_bounds(profile, style)

    # (name, premultiplied picture, line in the picture), outermost first
    left: list[tuple[str, np.ndarray, int]] = []
    right: list[tuple[str, np.ndarray, int]] = []
    qr_box, module = None, None
    if qr is not None:
        assert qr_url is not None  # the crawl finds the address whenever the campaign has a QR code
        module = qr_module_lines(profile, qr)
        picture = _qr_picture(qr_matrix(qr_url, qr.error), module, sar)
        size = picture.shape[0]
        beside = picture.shape[1] <= QR_BESIDE_LIMIT * width
        if beside:  # level with the band's outer edge, reaching into the picture
            y = block_y + block - size if style.position == "bottom" else block_y
            (left if qr.side == "left" else right).append(("qr", picture, y))
        else:  # on the picture's side of the band
            y = block_y - gap - size if style.position == "bottom" else block_y + block + gap
            x = x_lo if qr.side == "left" else x_hi - picture.shape[1]
            qr_box = ("qr", picture, y, x)
    if style.logo is not None:
        picture = _logo_picture(style.logo, max(1, round(style.logo_size * band_height)), sar)
        y = band_y + (band_height - picture.shape[0]) // 2
        (left if style.logo_side == "left" else right).append(("logo", picture, y))
    if label is not None:
        ink = label.stored()
        a, b = label.spans[0][0] // label.phases, -(-label.spans[0][1] // label.phases)
        pad = round(style.label_padding * em / sar)
        box = np.zeros((band_height, b - a + 2 * pad, 4), dtype=np.float32)
        box[...] = [*(c / 255 for c in style.label_background), 1.0]
        top = baseline - label.baseline  # the label's baseline on the crawl's
        lines = slice(max(0, -top), min(label.height, band_height - top))
        paste_over(box[max(0, top) : max(0, top) + lines.stop - lines.start], ink[lines, a:b], 0, pad)
        left.append(("label", box, band_y))

    placed: list[tuple[str, np.ndarray, int, int]] = []
    x = x_lo
    for name, picture, y in left:
        placed.append((name, picture, y, x))
        x += picture.shape[1] + (gap if name != "label" else 0)
    crawl_lo = x if left else 0
    x = x_hi
    for name, picture, y in right:
        x -= picture.shape[1]
        placed.append((name, picture, y, x))
        x -= gap
    crawl_hi = x + gap if right else width
    if qr_box is not None:
        placed.append(qr_box)
    if crawl_hi - crawl_lo < width // 4:
        raise InputError(
            f"{where}: the label, logo and QR code leave the crawl {max(0, crawl_hi - crawl_lo)} "
            f"of {width} columns at {profile.id}; make them smaller or drop one."
        )

    tops = [block_y, *(y for _, _, y, _ in placed)]
    bottoms = [block_y + block, *(y + p.shape[0] for _, p, y, _ in placed)]
    top, bottom = min(tops) // 4 * 4, max(bottoms)
    if top < 0 or bottom > profile.height:
        size = next(p.shape[0] for name, p, _, _ in placed if name == "qr")  # only the QR code reaches out
        raise InputError(
            f"{where}: the QR code ({size} lines) does not fit the {profile.id} picture beside the "
            f"band; make qr.module smaller or move the band."
        )

    canvas = np.zeros((bottom - top, width, 4), dtype=np.float32)
    band = np.array([*(c / 255 * look.band_opacity for c in look.band_color), look.band_opacity], np.float32)
    canvas[band_y - top : band_y - top + band_height] = band
    colour = np.array([*(c / 255 for c in style.rule_color), 1.0], np.float32)
    canvas[block_y - top : block_y - top + above] = colour
    canvas[band_y + band_height - top : band_y + band_height + below - top] = colour
    plain = np.zeros(canvas.shape[:2], dtype=bool)  # lines and columns that are only the band
    plain[band_y - top : band_y - top + band_height] = True
    for _name, picture, y, x in placed:
        paste_over(canvas, picture, y - top, x)
        plain[y - top : y - top + picture.shape[0], x : x + picture.shape[1]] = False
    static = np.empty(canvas.shape, dtype=np.uint8)
    straight_pixels(np.moveaxis(canvas[..., :3] * 255, -1, 0), canvas[..., 3], static, channels)
    static[plain] = band_pixel(look, channels)  # the very bytes of the strips' empty band
    boxes = tuple((name, (x, y, p.shape[1], p.shape[0])) for name, p, y, x in placed)
    return Scene(
        region=Placement(width=width, height=bottom - top, y=top),
        band_top=band_y - top,
        band_height=band_height,
        crawl=(crawl_lo, crawl_hi),
        static=static,
        boxes=boxes,
        qr_module=module,
    )
