"""PNG sequences: a folder of numbered pictures with alpha (ffmpeg's image2 muxer), one file a picture."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ticker.media.formats.base import Format
from ticker.media.profiles import Profile

# PNG: ffmpeg writes sRGB (with its cHRM and gAMA) for BT.709 primaries with the sRGB curve, and otherwise a
# cICP chunk (PNG Third Edition) for any known transfer, which pngcheck 3.0.3 and libpng before 1.6.45 do not
# know. HD pictures say sRGB: graphics are drawn and inserted as sRGB code values. SD pictures say their EBU
# primaries in cHRM and no transfer.
PNG_COLOUR = (("transfer", "bt709", "iec61966-2-1"), ("transfer", "smpte170m", "unknown"))


@dataclass(frozen=True)
class Png(Format):
    codec = "png"
    muxer = "image2"
    is_sequence = True

    def sar(self, profile: Profile) -> Fraction:
        """PNG's pHYs holds pixels per unit along X and Y, so a pixel's aspect is Y/X (libpng, Pillow), but
        ffmpeg's PNG encoder writes the SAR's numerator as X: it is given the inverse, to write a 64:45 pixel
        as X=45, Y=64."""
        return 1 / profile.sar
