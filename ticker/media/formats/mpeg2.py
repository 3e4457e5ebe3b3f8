"""MPEG-2 video (ffmpeg's mpeg2video): its Main Profile levels and the options every MPEG-2 file of ticker's
shares, and the coding a transport stream carries at a constant rate (ticker.media.formats.ts). MXF's patterns
(ticker.media.formats.mxf) are MPEG-2 too."""

from __future__ import annotations

from dataclasses import dataclass

from ticker.errors import Refusal
from ticker.media.profiles import Profile

CODEC = "mpeg2video"


@dataclass(frozen=True)
class Mpeg2Level:
    """An MPEG-2 Main Profile level (ISO/IEC 13818-2 Tables 8-10 to 8-13): its upper bounds."""

    name: str
    width: int
    lines: int
    rate: int  # frames a second
    samples: int  # luma samples a second
    bitrate: int
    vbv: int  # bits

    def __str__(self) -> str:
        return f"Main Profile @ {self.name.title()} Level"


MPEG2_MAIN = Mpeg2Level("main", 720, 576, 30, 10_368_000, 15_000_000, 1_835_008)
MPEG2_HIGH = Mpeg2Level("high", 1920, 1152, 60, 62_668_800, 80_000_000, 9_781_248)


def mpeg2_level(profile: Profile) -> Mpeg2Level:
    """Main Level at SD, High Level above: the levels DVB receivers decode."""
    return MPEG2_HIGH if profile.hd else MPEG2_MAIN


def mpeg2_problem(profile: Profile) -> str | None:
    """Why MPEG-2 at the profile's level cannot carry its pictures (None: it can)."""
    level = mpeg2_level(profile)
    where = f"MPEG-2 at {profile.id} ({level})"
    samples = profile.width * profile.height * profile.rate
    if profile.width > level.width or profile.height > level.lines:
        return f"{where} holds pictures of at most {level.width}x{level.lines}, not {profile.width}x{profile.height}"
    if profile.rate > level.rate or samples > level.samples:
        return (
            f"{where} carries at most {level.samples / 1e6:.1f} million luma samples a second; {profile.id} "
            f"has {float(samples) / 1e6:.1f} million"
        )
    return None


MPEG2_COMMON = {
    "intra_vlc": "1",
    "non_linear_quant": "1",
    "intra_dc_precision": "2",
    "qmin": "1",
    "qmax": "12",
    "lmin": "1*QP2LAMBDA",
    "rc_max_vbv_use": "1",
    "rc_min_vbv_use": "1",
}
# The alternate scan suits interlaced coding only: with it ffmpeg flags every picture interlaced.
MPEG2_INTERLACED = {"alternate_scan": "1"}


def interlaced(profile: Profile) -> dict[str, str]:
    """The options of interlaced MPEG-2 coding at the profile ({} when it is progressive)."""
    return dict(MPEG2_INTERLACED) if profile.interlaced else {}


@dataclass(frozen=True)
class Mpeg2Broadcast:
    """MPEG-2 at a constant bit rate: MP@ML at SD, MP@HL at HD, with their largest VBV buffers."""

    codec: str = CODEC

    def default_bitrate(self, profile: Profile) -> int:
        return 18_000_000 if profile.hd else 6_000_000

    def service_type(self, profile: Profile) -> int:
        """DVB service_type (ETSI EN 300 468, Table 87): MPEG-2 HD or SD digital television."""
        return 0x11 if profile.hd else 0x01

    def interlaced(self, profile: Profile) -> dict[str, str]:
        return interlaced(profile)

    def refusals(self, fid: str, profile: Profile, rate: int) -> list[Refusal]:
        level = mpeg2_level(profile)
        if problem := mpeg2_problem(profile):
            return [Refusal("format", fid, f"{problem}; ts-h264 carries it", "mpeg2-level", {"profile": profile.id})]
        if rate > level.bitrate:
            reason = f"MPEG-2 at {profile.id} ({level}) allows at most {level.bitrate / 1e6:g}M"
            facts = {"profile": profile.id, "format": fid, "most": level.bitrate}
            return [Refusal("video_bitrate", rate, reason, "mpeg2-bitrate", facts)]
        return []

    def constant_rate(self, profile: Profile, rate: int) -> dict[str, str]:
        level = mpeg2_level(profile)
        return {
            **MPEG2_COMMON,
            "profile:v": "main",
            "level:v": level.name,
            "bufsize": str(level.vbv),
            "rc_init_occupancy": str(level.vbv),
            "sc_threshold": "1000000000",
        }
