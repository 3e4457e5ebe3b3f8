"""MPEG-2 fill+key pairs in MXF, in the operational patterns playout servers take: XDCAM HD422 (long GOP) at
1080i50 and IMX50 (SMPTE D-10, intra, with its lines of VBI) at 576i50, 16:9 or 4:3, each with the silent
sound tracks the servers expect."""

from __future__ import annotations

from dataclasses import dataclass, field

from ticker.errors import Refusal
from ticker.media.formats import mpeg2
from ticker.media.formats.base import Format, Silence
from ticker.media.formats.delivery import Delivery
from ticker.media.formats.mpeg2 import MPEG2_COMMON
from ticker.media.profiles import Profile

D10_VBI = 32  # lines above the picture in a D-10 frame (608 lines stored for 576)


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
    vbi: int = 0  # lines stored above the picture (D-10's VBI)


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
    vbi=D10_VBI,
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


@dataclass(frozen=True)
class Mxf(Format):
    codec = mpeg2.CODEC
    muxer = "mxf"

    def flavour(self, profile: Profile) -> MxfFlavour | None:
        """The MXF pattern written at the profile (None: not made at that profile)."""
        return MXF_VIDEO.get(profile.id)

    def made_at(self, profile: Profile) -> bool:
        return self.flavour(profile) is not None

    def silence(self, profile: Profile) -> Silence | None:
        flavour = self.flavour(profile)
        return None if flavour is None else Silence(flavour.audio_tracks, flavour.layout)

    def vbi_lines(self, profile: Profile) -> int:
        """The VBI of an IMX (D-10) frame, which decoders return too."""
        flavour = self.flavour(profile)
        return 0 if flavour is None else flavour.vbi

    def encoder(self, profile: Profile, delivery: Delivery) -> dict[str, str]:
        out = {**super().encoder(profile, delivery), **mpeg2.interlaced(profile)}
        if (flavour := self.flavour(profile)) is not None:
            out.update(flavour.options)
            out.update({"f": flavour.muxer, "timecode": delivery.timecode, "c:a": flavour.audio_codec, "ar": "48000"})
        return out

    def coding_refusals(self, profile: Profile, delivery: Delivery) -> list[Refusal]:
        if self.made_at(profile):
            return []
        made = " and ".join(
            " or ".join(p for p, f in MXF_VIDEO.items() if f.name == name) + f" ({name})"
            for name in dict.fromkeys(f.name for f in MXF_VIDEO.values())
        )
        return [
            Refusal(
                "format", self.id, f"is made at {made}, not at {profile.id}", "mxf-profiles", {"profile": profile.id}
            )
        ]
