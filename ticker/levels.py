"""The standards' tables a format keeps to: H.264 and MPEG-2 levels, the MXF operational patterns playout
servers take (XDCAM HD422, IMX50 / SMPTE D-10), and the DVB service types. Values, not behaviour: ticker.formats
asks them, ticker.commands writes them into ffmpeg's options."""

from __future__ import annotations

from dataclasses import dataclass, field

from ticker.profiles import Profile


@dataclass(frozen=True)
class MxfFlavour:
    """An MXF operational pattern ticker writes at one profile: its muxer, its silent audio and its video
    coding."""

    name: str  # as the README and the refusal say it
    muxer: str
    audio_codec: str
    audio_tracks: int  # audio streams in the file (XDCAM: 8 mono; D-10: one AES3 stream of 4 channels)
    layout: str  # of each silent track
    options: dict[str, str] = field(hash=False, compare=False)

    @property
    def d10(self) -> bool:
        return self.muxer == "mxf_d10"


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
D10 = MxfFlavour(
    "IMX50",
    "mxf_d10",
    "pcm_s16le",
    1,
    "4.0",
    {
        **MPEG2_COMMON,
        "profile:v": "0",
        "level:v": "5",
        "b:v": "50M",
        "minrate": "50M",
        "maxrate": "50M",
        "bufsize": "2000000",
        "rc_init_occupancy": "2000000",
        "g": "1",
        "bf": "0",
        "ps": "1",
        "flags": "+ildct+low_delay",
    },
)
MXF_VIDEO = {  # XDCAM HD422 at 1080i50 (long GOP); IMX50 (SMPTE D-10, intra) at 576i50, 16:9 or 4:3
    "1080i50": MxfFlavour(
        "XDCAM HD422",
        "mxf",
        "pcm_s24le",
        8,
        "mono",
        {
            **MPEG2_COMMON,
            "profile:v": "0",
            "level:v": "2",
            "b:v": "50M",
            "minrate": "50M",
            "maxrate": "50M",
            "bufsize": "36408333",
            "rc_init_occupancy": "36408333",
            "g": "12",
            "bf": "2",
            "sc_threshold": "1000000000",
        },
    ),
    "576i50": D10,
    "576i50-4x3": D10,
}
D10_VBI = 32  # lines above the picture in a D-10 frame (608 lines stored for 576)
# DVB service_type of a transport stream (ETSI EN 300 468, Table 87): by codec and picture size.
SERVICE_TYPES = {
    ("mpeg2video", False): 0x01,
    ("mpeg2video", True): 0x11,
    ("libx264", False): 0x16,
    ("libx264", True): 0x19,
}


def service_type(codec: str, profile: Profile) -> int:
    return SERVICE_TYPES[codec, profile.hd]
