"""How a channel's picture may show the output's picture ticker made the crawl for: at its own size, scaled
(HD down-converted to anamorphic 16:9 SD, or SD up-converted), letterboxed 16:9 or 14:9 in a 4:3 picture, or cut
to the 4:3 centre (the band's ends cut off), each with a few lines of shift. A geometry maps the output's
columns and lines to the channel's: x' = sx·x + ox, y' = sy·y + oy."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Name = Literal["own", "scaled", "letterbox 16:9", "letterbox 14:9", "4:3 centre cut"]
SHIFT = 8  # lines a band may stand above or below its place in the channel's picture


@dataclass(frozen=True)
class Geometry:
    name: Name
    sx: float = 1.0
    ox: float = 0.0
    sy: float = 1.0
    oy: float = 0.0

    def shifted(self, lines: int) -> Geometry:
        return replace(self, oy=self.oy + lines)


def geometries(output: tuple[int, int], dar: str, picture: tuple[int, int]) -> list[Geometry]:
    """The geometries a picture of `picture` size may show an output of `output` size and `dar` in, the likeliest
    first (shifts not included: the matcher tries them)."""
    (W, H), (w, h) = output, picture
    found: list[Geometry] = []
    if (w, h) == (W, H):
        found.append(Geometry("own"))
    else:
        found.append(Geometry("scaled", w / W, 0.0, h / H, 0.0))
    if dar == "16:9":
        found.append(Geometry("letterbox 16:9", w / W, 0.0, h * 0.75 / H, h * 0.125))
        wide = w * 16 / 14  # the 16:9 picture's width when its 14:9 middle fills a 4:3 one
        tall = h * (wide * 9 / 16) / (w * 3 / 4)
        found.append(Geometry("letterbox 14:9", wide / W, -(wide - w) / 2, tall / H, (h - tall) / 2))
        found.append(Geometry("4:3 centre cut", w / (W * 0.75), -w / 6, h / H, 0.0))
    return found
