"""A programme with the crawl burned in, as a DVB transport stream: H.264 or MPEG-2 video at a constant bit
rate (the coding is ticker.media.formats.h264's or ticker.media.formats.mpeg2's), the programme's sound, the service's
names and PIDs, and a mux rate with room for both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from ticker.errors import Refusal
from ticker.media.formats.base import Format
from ticker.media.formats.delivery import Delivery, Programme
from ticker.media.formats.h264 import H264Broadcast
from ticker.media.formats.mpeg2 import Mpeg2Broadcast
from ticker.media.profiles import Profile


class Broadcast(Protocol):
    """A video coding a transport stream carries at a constant bit rate."""

    @property
    def codec(self) -> str: ...

    def default_bitrate(self, profile: Profile) -> int: ...

    def service_type(self, profile: Profile) -> int: ...

    def interlaced(self, profile: Profile) -> dict[str, str]: ...

    def refusals(self, fid: str, profile: Profile, rate: int) -> list[Refusal]: ...

    def constant_rate(self, profile: Profile, rate: int) -> dict[str, str]: ...


@dataclass(frozen=True)
class Ts(Format):
    muxer = "mpegts"
    burn = True
    video: ClassVar[Broadcast]

    def bitrate(self, profile: Profile, delivery: Delivery) -> int:
        return delivery.video_bitrate or self.video.default_bitrate(profile)

    def audio_streams(self, profile: Profile, programme: Programme | None) -> int:
        """The programme's sound, burned in with it."""
        return int(programme is not None and programme.audio and not programme.still)

    def coding_refusals(self, profile: Profile, delivery: Delivery) -> list[Refusal]:
        return self.video.refusals(self.id, profile, self.bitrate(profile, delivery))

    def encoder(self, profile: Profile, delivery: Delivery) -> dict[str, str]:
        d, rate = delivery, self.bitrate(profile, delivery)
        return {
            **super().encoder(profile, d),
            **self.video.interlaced(profile),
            "b:v": str(rate),
            "minrate": str(rate),
            "maxrate": str(rate),
            "g": "12",
            "bf": "2",
            "muxrate": str(int((rate + d.audio_bitrate) * 1.2)),
            "pcr_period": "20",
            "mpegts_flags": "+system_b",
            "mpegts_transport_stream_id": "1",
            "mpegts_original_network_id": "1",
            "mpegts_service_id": str(d.service_id),
            "mpegts_service_type": str(self.video.service_type(profile)),
            "mpegts_pmt_start_pid": str(d.pmt_pid),
            "mpegts_start_pid": str(d.video_pid),
            **self.video.constant_rate(profile, rate),
        }

    def repeated(self, delivery: Delivery) -> list[str]:
        d = delivery
        return [
            "-streamid",
            f"0:{d.video_pid}",
            "-streamid",
            f"1:{d.audio_pid}",
            "-metadata",
            f"service_name={d.service_name}",
            "-metadata",
            f"service_provider={d.service_provider}",
        ]

    def sound(self, delivery: Delivery) -> dict[str, str]:
        return {"c:a": delivery.audio_codec, "b:a": str(delivery.audio_bitrate), "ar": "48000", "ac": "2"}


@dataclass(frozen=True)
class TsH264(Ts):
    video = H264Broadcast()
    codec = video.codec


@dataclass(frozen=True)
class TsMpeg2(Ts):
    video = Mpeg2Broadcast()
    codec = video.codec
