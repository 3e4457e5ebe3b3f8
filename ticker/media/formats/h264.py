"""H.264 (libx264): in MP4 for web pages and approvers' previews, and the coding a transport stream carries at
a constant rate (ticker.media.formats.ts): its levels, its default bit rates, its rate control and its DVB service
type."""

from __future__ import annotations

from dataclasses import dataclass

from ticker.errors import Refusal
from ticker.media.formats.base import Format
from ticker.media.profiles import Profile

CODEC = "libx264"
# H.264 levels (ITU-T H.264 Table A-1; High profile bit rates are 1.25 times the table's): name, frame size and
# macroblocks a second it allows, bit rate; interlaced coding (frame_mbs_only_flag = 0) only from 2.1 to 4.1.
H264_LEVELS = (
    ("3.0", 1620, 40_500, 12_500_000),
    ("3.1", 3600, 108_000, 17_500_000),
    ("3.2", 5120, 216_000, 25_000_000),
    ("4.0", 8192, 245_760, 25_000_000),
    ("4.1", 8192, 245_760, 62_500_000),
    ("4.2", 8704, 522_240, 62_500_000),
    ("5.0", 22_080, 589_824, 168_750_000),
)


def h264_level(profile: Profile, bitrate: int) -> str | None:
    """The lowest H.264 level that holds the picture size, rate and bit rate (None: none does)."""
    mbs = -(-profile.width // 16) * -(-profile.height // 16)
    for name, frame_size, rate, top in H264_LEVELS:
        if profile.interlaced and name > "4.1":
            return None
        if mbs <= frame_size and mbs * profile.rate <= rate and bitrate <= top:
            return name
    return None


@dataclass(frozen=True)
class H264(Format):
    codec = CODEC
    muxer = "mp4"
    carries_note = True


@dataclass(frozen=True)
class H264Broadcast:
    """H.264 High profile at a constant bit rate, as DVB receivers take it; interlaced coding is MBAFF, top
    field first."""

    codec: str = CODEC

    def default_bitrate(self, profile: Profile) -> int:
        return 12_000_000 if profile.hd else 4_000_000

    def service_type(self, profile: Profile) -> int:
        """DVB service_type (ETSI EN 300 468, Table 87): advanced codec HD or SD digital television."""
        return 0x19 if profile.hd else 0x16

    def interlaced(self, profile: Profile) -> dict[str, str]:
        return {}

    def refusals(self, fid: str, profile: Profile, rate: int) -> list[Refusal]:
        if h264_level(profile, rate) is not None:
            return []
        reason = f"no H.264 High level allows it at {profile.id}" + (
            " (interlaced coding stops at level 4.1, 62.5M)" if profile.interlaced else ""
        )
        return [Refusal("video_bitrate", rate, reason, "h264-level", {"profile": profile.id, "format": fid})]

    def constant_rate(self, profile: Profile, rate: int) -> dict[str, str]:
        level = h264_level(profile, rate)
        assert level is not None  # check_output refuses a bit rate no H.264 level allows
        return {
            "preset": "fast",
            "profile:v": "high",
            "level:v": level,
            "bufsize": str(rate // 2),
            "sc_threshold": "0",
            "x264-params": ("tff=1:" if profile.interlaced else "") + "nal-hrd=cbr:force-cfr=1:weightp=0",
        }
