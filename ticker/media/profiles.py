"""Broadcast picture formats as value types: integer sizes, rational rates and aspect ratios."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType


@dataclass(frozen=True)
class Colour:
    """What ffmpeg writes into the stream's colour description (names as ffmpeg spells them)."""

    primaries: str
    transfer: str
    matrix: str


BT709 = Colour("bt709", "bt709", "bt709")
# SD 625-line: EBU Tech 3213 primaries (bt470bg), BT.601 matrix (bt470bg), BT.601 transfer (smpte170m).
BT601_625 = Colour("bt470bg", "smpte170m", "bt470bg")


@dataclass(frozen=True)
class Profile:
    id: str
    width: int
    height: int
    rate: Fraction  # frames per second
    interlaced: bool
    sar: Fraction  # sample aspect ratio, MPEG convention (64:45 and 16:15 at 576 lines)
    dar: str
    colour: Colour

    @property
    def motion_rate(self) -> Fraction:
        """Pictures of motion per second: fields when interlaced (50 at 1080i50), else frames."""
        return self.rate * 2 if self.interlaced else self.rate

    @property
    def hd(self) -> bool:
        """High definition, 1280 × 720 or more (a portrait screen too): bit rates, levels, DVB service type."""
        return max(self.width, self.height) >= 1280

    @property
    def scan(self) -> str:
        return "interlaced, top field first" if self.interlaced else "progressive"

    @property
    def short_side(self) -> int:
        """What text sizes are a fraction of: the height of a landscape picture, the width of a portrait one
        (a street or lobby screen), so text keeps its proportion to the screen's narrow side."""
        return min(self.width, self.height)

    @property
    def safe_margins(self) -> tuple[int, int]:
        """EBU R 95 graphics-safe margins (5 % of width and height), in stored pixels."""
        return round(self.width * 0.05), round(self.height * 0.05)


PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        p.id: p
        for p in (
            Profile("1080i50", 1920, 1080, Fraction(25), True, Fraction(1), "16:9", BT709),
            Profile("1080p50", 1920, 1080, Fraction(50), False, Fraction(1), "16:9", BT709),
            Profile("1080p25", 1920, 1080, Fraction(25), False, Fraction(1), "16:9", BT709),
            Profile("720p50", 1280, 720, Fraction(50), False, Fraction(1), "16:9", BT709),
            Profile("576i50", 720, 576, Fraction(25), True, Fraction(64, 45), "16:9", BT601_625),
            Profile("576i50-4x3", 720, 576, Fraction(25), True, Fraction(16, 15), "4:3", BT601_625),
            Profile("1080x1920p25", 1080, 1920, Fraction(25), False, Fraction(1), "9:16", BT709),
        )
    }
)  # read-only: nothing registers a profile, format or target at run time
