"""The live channel through ticker: its transport stream read, its pictures re-encoded with the day's crawl
composited during each approved airing, its sound passed through untouched, and a constant-rate transport
stream sent on.

- Time. The stream's clock is its PCR, as a receiver's is: each PCR of the programme is put on the host's wall
  clock as it arrives, by the watch's anchor (ticker.watch.live: the least offset seen between arrival and
  clock, so that what is read in bulk or buffered while the stream is probed never delays the clock). A
  picture is on the air when that clock reaches its presentation timestamp. It is composited when that wall
  time plus `advance` (a known delay downstream) falls at or after an insertion's start and before its end; the
  clip's picture is the one as many pictures into it as the picture is into the airing (clip and channel are of
  one picture format: one clip picture a channel picture, fields with their fields).
- Timeline. The output keeps the input's timestamps, so the sound keeps its relation to the pictures; packets
  of sound are re-addressed to the output's stream, never decoded.
- Rate. The multiplexer writes a constant rate (`muxrate`, null packets filling it), a PCR every 20 ms and the
  tables every 100 ms; UDP leaves paced at that rate (the udp protocol's `bitrate`), not in bursts.
- Coding. The channel's encoder and bit rate as the station file gives them, coded as ticker's transport streams
  are (ticker.media.formats: MPEG-2 or H.264 at a constant rate, interlaced as the picture is).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import cast

import av
import av.container

from ticker.air.overlay import Clip, blend, matrix_of, picture_planes
from ticker.air.plan import Insertion
from ticker.errors import TickerError
from ticker.media import PROFILES
from ticker.media.formats.h264 import H264Broadcast
from ticker.media.formats.mpeg2 import Mpeg2Broadcast
from ticker.media.profiles import Profile
from ticker.station.file import Channel
from ticker.watch.live import Anchor
from ticker.watch.sources import address
from ticker.watch.tap import Tap, tapped

OPEN_SECONDS, READ_SECONDS = 10.0, 5.0
AUDIO_ROOM = 256_000  # bits a second kept for a stream of sound whose rate the input does not say
TABLES = 0.1  # seconds between PAT/PMT, as DVB asks


@dataclass(frozen=True)
class Coding:
    """The output's video coding and its multiplex, from the station file's channel."""

    profile: Profile
    codec: str
    options: dict[str, str]
    bitrate: int
    mux: dict[str, str]

    @classmethod
    def of(cls, channel: Channel, audio_bitrate: int) -> Coding:
        if channel.picture is None or channel.network is None:
            raise ValueError(f"channel {channel.name}: its picture format and network are needed to air it")
        profile, net = PROFILES[channel.picture], channel.network
        video = H264Broadcast() if net.encoder == "h264" else Mpeg2Broadcast()
        rate = str(net.bitrate)
        named = {**video.interlaced(profile), **video.constant_rate(profile, net.bitrate), "g": "12", "bf": "2",
                 "minrate": rate, "maxrate": rate}  # fmt: skip
        if profile.interlaced:
            named["flags"] = "+ildct+ilme"
        if net.preset and net.encoder == "h264":
            named["preset"] = net.preset
        options = {k.removesuffix(":v"): v for k, v in named.items()}  # as the encoder itself names them
        mux = {
            "muxrate": str(math.ceil((net.bitrate + audio_bitrate) * 1.2)),
            "pcr_period": "20",
            "pat_period": str(TABLES),
            "sdt_period": "0.5",
            "mpegts_flags": "+system_b+resend_headers",
            "mpegts_original_network_id": str(net.original_network_id),
            "mpegts_transport_stream_id": str(net.transport_stream_id),
            "mpegts_service_id": str(net.service_id),
            "mpegts_service_type": str(net.service_type),
            "mpegts_pmt_start_pid": str(net.pmt_pid),
            "mpegts_start_pid": str(net.video_pid),
        }
        return cls(profile, video.codec, options, net.bitrate, mux)


def destination(dest: str, coding: Coding) -> str:
    """The output's address: UDP datagrams of seven packets, paced at the mux rate."""
    if dest.startswith("udp://"):
        glue = "&" if "?" in dest else "?"
        return f"{dest}{glue}pkt_size=1316&bitrate={coding.mux['muxrate']}"
    return dest


@dataclass(frozen=True)
class Picture:
    """A picture gone out, as the channel's status says it."""

    wall: dt.datetime  # its moment on the air
    lag: float  # seconds from that moment to its going out
    continuity_errors: int  # the input's, so far
    rate: int  # the output's bits a second


@dataclass
class Airing:
    """An insertion under way: its clip, and the first and last pictures it was composited on."""

    insertion: Insertion
    clip: Clip
    first: tuple[float, dt.datetime] | None = None  # stream seconds, wall time
    last: tuple[float, dt.datetime] | None = None
    pictures: int = 0


@dataclass
class Inserter:
    """Which insertion a picture falls in, and the clip picture for it (module docstring)."""

    schedule: Callable[[], Sequence[Insertion]]
    profile: Profile
    advance: float = 0.0
    on_end: Callable[[Airing], None] = lambda a: None
    on_drop: Callable[[Insertion, str], None] = lambda i, why: None  # an airing whose clip failed: dropped
    opened: dict[Insertion, Airing] = field(default_factory=dict)
    dropped: set[Insertion] = field(default_factory=set)

    def picture(self, wall: dt.datetime, t: float, frame: av.VideoFrame) -> None:
        shifted = wall + dt.timedelta(seconds=self.advance)
        due = next((i for i in self.schedule() if i.start <= shifted < i.end), None)
        for ins in [i for i in self.opened if i != due]:  # (the plan read again gives equal insertions anew)
            self.close(ins)
        if due is None or due in self.dropped:
            return
        try:
            airing = self.opened.get(due)
            if airing is None:
                airing = self.opened[due] = Airing(due, Clip(due.file, self.profile))
            index = int((shifted - due.start).total_seconds() * float(airing.clip.rate) + 1e-6) % airing.clip.frames
            blend(picture_planes(frame), airing.clip.frame(index), matrix_of(self.profile),
                  area=airing.clip.area(index), interlaced=self.profile.interlaced)  # fmt: skip
        except (TickerError, OSError, av.error.FFmpegError) as e:  # the clip, not the channel: this airing loses it
            self.dropped.add(due)
            if due in self.opened:
                self.close(due)
            self.on_drop(due, str(e))
            return
        airing.first = airing.first or (t, wall)
        airing.last, airing.pictures = (t, wall), airing.pictures + 1

    def close(self, ins: Insertion) -> None:
        airing = self.opened.pop(ins)
        airing.clip.close()
        self.on_end(airing)

    def close_all(self) -> None:
        for ins in list(self.opened):
            self.close(ins)


@contextmanager
def _input(source: str, service: int | None) -> Iterator[tuple[Tap, av.container.InputContainer]]:
    """The channel's programme through the watch's tap (ticker.watch.tap), which says each PCR as it comes."""
    with tapped(address(source), service, timeout=(OPEN_SECONDS, READ_SECONDS)) as found:
        yield found


def run(
    source: str,
    dest: str,
    channel: Channel,
    inserter: Inserter,
    *,
    stop: threading.Event | None = None,
    clock: Callable[[], float] = time.time,
    service: int | None = None,
    seen: Callable[[Picture], None] | None = None,
) -> int:
    """Air the channel from `source` to `dest` until the input ends or `stop` is set; the pictures sent. `seen` is
    told of each picture that goes out."""
    stop = stop or threading.Event()
    anchor = Anchor()
    sent, last = 0, -(1 << 62)
    with ExitStack() as held:
        tap, src = held.enter_context(_input(source, service))

        def heard(pcr: float) -> None:
            anchor.see(pcr, clock())

        tap.on_pcr = heard
        vin = src.streams.video[0]
        sounds = list(src.streams.audio)
        audio_rate = sum(a.codec_context.bit_rate or AUDIO_ROOM for a in sounds)
        coding = Coding.of(channel, audio_rate)
        out = held.enter_context(av.open(destination(dest, coding), "w", format="mpegts", options=coding.mux))
        vout = _video(out, coding)
        aouts = {a.index: out.add_stream_from_template(a) for a in sounds}
        try:
            for packet in src.demux(vin, *sounds):
                if stop.is_set():
                    break
                if packet.stream.type == "audio":
                    if packet.dts is not None:
                        packet.stream = aouts[packet.stream.index]
                        out.mux(packet)
                    continue
                for frame in packet.decode():
                    if not isinstance(frame, av.VideoFrame) or frame.time is None or math.isinf(anchor.offset):
                        continue
                    wall = anchor.wall(frame.time)
                    if frame.format.name == "yuv420p" and (frame.width, frame.height) == (vout.width, vout.height):
                        inserter.picture(wall, frame.time, frame)
                    tick = round(frame.time * coding.profile.rate)  # on the output's picture grid, the input's time
                    if tick <= last:  # a picture the decoder gave again (a stream joined mid-way): never twice
                        continue
                    frame.pts, frame.time_base, last = tick, vout.codec_context.time_base, tick
                    frame.pict_type = av.video.frame.PictureType.NONE
                    out.mux(vout.encode(frame))
                    sent += 1
                    if seen is not None:
                        seen(
                            Picture(wall, clock() - wall.timestamp(), tap.continuity_errors, int(coding.mux["muxrate"]))
                        )
            out.mux(vout.encode(None))
        finally:  # SIGTERM mid-airing too: the airing under way is closed, and recorded
            inserter.close_all()
    return sent


def _video(out: av.container.OutputContainer, coding: Coding) -> av.VideoStream:
    profile = coding.profile
    stream = cast(av.VideoStream, out.add_stream(coding.codec, rate=Fraction(profile.rate)))
    stream.width, stream.height, stream.pix_fmt = profile.width, profile.height, "yuv420p"
    stream.bit_rate = coding.bitrate
    stream.codec_context.time_base = Fraction(1) / Fraction(profile.rate)
    stream.codec_context.options = dict(coding.options)
    return stream
