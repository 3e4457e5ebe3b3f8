"""The live channel through ticker: its transport stream read, its pictures re-encoded with the day's crawl
composited during each approved airing, its sound and its SCTE-35 cues passed through (ticker.air.cues), and a
constant-rate transport stream sent on.

- Time. A picture's moment on the air is when the input's clock (its PCR, put on the host's wall clock by
  ticker.air.intake) reaches its presentation timestamp. It is composited when that moment plus `advance` (a
  known delay downstream) falls at or after an insertion's start and before its end; the clip's picture is the
  one as many pictures into it as the picture is into the airing (clip and channel are of one picture format:
  one clip picture a channel picture, fields with their fields).
- Output. A frame synchroniser (ticker.air.sync, Synchroniser below) sends a picture every picture period on the
  host's clock: the input's next, or, when the input is gone, its last held and then black; the input's
  timestamps kept while it flows, its sound re-addressed to the output's stream, never decoded.
- Rate. The multiplexer writes a constant rate (`muxrate`, null packets filling it), a PCR every 20 ms and the
  tables every 100 ms; UDP leaves paced at that rate (the udp protocol's `bitrate`), not in bursts.
- Coding. The channel's encoder and bit rate as the station file gives them, coded as ticker's transport streams
  are (ticker.media.formats: MPEG-2 or H.264 at a constant rate, interlaced as the picture is).
"""

from __future__ import annotations

import datetime as dt
import math
import queue
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from fractions import Fraction
from typing import cast

import av
import av.container

from ticker.air.blend import blend_ready, chroma_of, matrix_of, picture_planes
from ticker.air.cues import Cues
from ticker.air.intake import Came, Cued, Heard, Intake, Opened
from ticker.air.overlay import Clip
from ticker.air.plan import Insertion
from ticker.air.sync import FIRST, HIGH, HOLD, MOST, QUIET, SETTLING, Output, Reserve, black, opened_sounds
from ticker.air.wire import Wire, cue_pid
from ticker.errors import InputError, TickerError
from ticker.media import PROFILES
from ticker.media.formats.h264 import H264Broadcast
from ticker.media.formats.mpeg2 import Mpeg2Broadcast
from ticker.media.profiles import Profile
from ticker.station.file import Channel
from ticker.stopping import Stopped, asked, between

BEHIND = 0.5  # seconds the output's clock may fall behind the host's before the crawl is dropped
STALE = 1.0  # seconds an input picture may be older than one behind it in the reserve (a decoder's late one)
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
    pmt_pid: int
    video_pid: int
    audio_pid: int  # the first sound's; the others' after it

    def pids(self, sounds: int) -> tuple[int, list[int]]:
        """The video's PID and each sound's, as the station file gives them (a sound after the first on the next
        PID free)."""
        taken, audio = {self.pmt_pid, self.video_pid}, []
        for n in range(sounds):
            pid = self.audio_pid + n
            while pid in taken:
                pid += 1
            taken.add(pid)
            audio.append(pid)
        return self.video_pid, audio

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
        return cls(profile, video.codec, options, net.bitrate, mux, net.pmt_pid, net.video_pid, net.audio_pid)


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
    lag: float  # seconds from its decoding at the input to its encoding (0 for a picture sent again)
    continuity_errors: int  # the input's, so far
    rate: int  # the output's bits a second
    input: bool = True  # an input picture (False: the last held, or black, while the input is gone)


@dataclass
class Airing:
    """An insertion under way: its clip, and the first and last pictures it was composited on."""

    insertion: Insertion
    clip: Clip
    first: tuple[float, dt.datetime] | None = None  # stream seconds, wall time
    last: tuple[float, dt.datetime] | None = None
    pictures: int = 0
    delays: float = 0.0  # the pictures' delays added up (seconds from decoding at the input to encoding)


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

    def idle(self, wall: dt.datetime) -> Insertion | None:
        """The insertion due at `wall`, the airings no longer due closed."""
        shifted = wall + dt.timedelta(seconds=self.advance)
        due = next((i for i in self.schedule() if i.start <= shifted < i.end), None)
        for ins in [i for i in self.opened if i != due]:  # (the plan read again gives equal insertions anew)
            self.close(ins)
        return due

    def behind(self, why: str) -> None:
        """The airings under way dropped: ticker cannot keep up with the channel."""
        for ins in list(self.opened):
            self.dropped.add(ins)
            self.close(ins)
            self.on_drop(ins, why)

    def picture(self, wall: dt.datetime, t: float, frame: av.VideoFrame) -> None:
        due = self.idle(wall)
        shifted = wall + dt.timedelta(seconds=self.advance)
        if due is None or due in self.dropped:
            return
        try:
            airing = self.opened.get(due)
            if airing is None:
                airing = self.opened[due] = Airing(due, Clip(due.file, self.profile))
            index = int((shifted - due.start).total_seconds() * float(airing.clip.rate) + 1e-6) % airing.clip.frames
            planes = picture_planes(frame)
            chroma = chroma_of(planes, self.profile.interlaced)
            blend_ready(planes, airing.clip.ready(index, matrix_of(self.profile), chroma), chroma)
        except (TickerError, OSError, ValueError, av.error.FFmpegError) as e:  # the clip, not the channel
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


@dataclass
class Synchroniser:
    """The output's picture clock (ticker.air.sync): each picture period, the input's next picture with the crawl
    over it when one is due, or the last held, or black."""

    intake: Intake
    out: Output
    inserter: Inserter
    coding: Coding
    clock: Callable[[], float]
    seen: Callable[[Picture], None] | None
    reserve: Reserve = field(default_factory=Reserve)
    last: av.VideoFrame | None = None  # the last picture sent (held when the input stops)
    blacked: bool = False
    flowing: bool = True  # the input's pictures going out (False from QUIET seconds without one, until a reserve)
    taken_at: float = 0.0  # when an input picture was last sent, on `tick`
    tick: Callable[[], float] = time.monotonic  # the pictures' pace: never stepped by NTP, as the wall clock can be
    newest: float = -math.inf  # the stream seconds of the input's last picture sent
    opening: bool = False  # the input opened again, none of its pictures sent yet

    def run(self, stop: threading.Event) -> None:
        paced, period = self.intake.again, 1 / float(self.coding.profile.rate)
        due: float | None = None
        waiting = self.tick()
        while not stop.is_set():
            if self.intake.failure is not None:  # the input's thread ended by what it could not handle: said
                raise self.intake.failure
            if due is not None and paced:
                self._gather(max(0.0, due - self.tick()))
            else:
                self._gather(0.0 if self.reserve.pictures and not paced else 0.2)  # (never spun: the input's thread
                # needs the interpreter too)
            if not paced and self.intake.ended.is_set() and self.intake.items.empty() and not self.reserve.pictures:
                self._sounds()
                return  # a recording, read to its end
            if due is None:
                if self.reserve.pictures < (FIRST if paced else 1):
                    continue
                if paced and not self.reserve.settled() and self.tick() - waiting < SETTLING:
                    self.reserve.trim(MOST)  # (the input's burst still coming)
                    continue
                if paced:
                    self.reserve.trim(FIRST)
                due = self.tick()
            now = self.tick()
            if paced and now < due:
                continue
            if not paced and not self.reserve.pictures:
                continue
            self._slot(paced, now)
            due += period
            if paced and now - due > BEHIND:  # the machine cannot keep up: the crawl goes first, then pictures
                self.inserter.behind("ticker fell behind the channel")
                due = now

    def _gather(self, wait: float) -> None:
        items = self.intake.items
        try:
            self.reserve.add(items.get(timeout=wait) if wait > 0 else items.get_nowait())
            while True:
                self.reserve.add(items.get_nowait())
        except queue.Empty:
            return

    def _sounds(self) -> None:
        for item in self.reserve.before_picture():
            if isinstance(item, Opened):  # the input opened again: a clock of its own, and no picture of it yet
                self.newest, self.opening = -math.inf, True
            elif isinstance(item, Heard) and not self.opening:  # (an opening's sound waits for its pictures' shift)
                self.out.sound(item)
            elif isinstance(item, Cued):
                self.out.cue(item)

    def _slot(self, paced: bool, now: float) -> None:
        """One picture out."""
        self._sounds()
        if paced:
            self.reserve.note()
            while self.reserve.pictures > MOST:  # far behind the input (it came back in a burst): caught up
                self.reserve.picture()
                self._sounds()
            if self.out.sent % round(self.coding.profile.rate) == 0:  # once a second: the clocks' drift
                low = self.reserve.looked()
                if low > HIGH:
                    self.reserve.picture()
                    self._sounds()
        if paced and not self.flowing and self.reserve.pictures >= FIRST:  # back from a loss: a burst let go
            self.reserve.trim(FIRST)
        came = self._take(paced) if self.reserve.pictures >= (1 if self.flowing or not paced else FIRST) else None
        if came is not None:  # (back from a loss: its reserve first)
            self.flowing, self.newest, self.opening = True, came.t, False
            frame = _fitted(came.frame, self.coding.profile)
            if frame.format.name == "yuv420p":
                self.inserter.picture(came.wall, came.t, frame)
            if self.out.sent == 0:
                self.out.base = round(came.t * self.coding.profile.rate)
            self.taken_at, self.blacked = now, False
            self._send(frame, came.t, came.got, held=False, wall=came.wall)
            return
        if self.last is None:
            return
        gone = now - self.taken_at
        self.flowing = self.flowing and gone < QUIET
        self.inserter.idle(dt.datetime.fromtimestamp(self.clock(), dt.UTC).astimezone())
        if gone >= HOLD and not self.blacked:
            self.last, self.blacked = _blacked(self.last), True
        if gone >= QUIET:
            self.out.silence(self.out.now() + 0.5)
        self._send(self.last, None, None, held=True)

    def _take(self, paced: bool) -> Came | None:
        """The input's next picture to send: never one older than a picture sent, nor one a decoder gave late
        (what it held of the stream before a loss, given when the stream came back: pictures STALE seconds newer
        are behind it in the reserve)."""
        while self.reserve.pictures:
            self._sounds()  # what comes before it first: an opening a trimmed burst left at the reserve's head
            came = self.reserve.picture()
            newer = next((i.t for i in reversed(self.reserve.items) if isinstance(i, Came)), came.t)  # the newest
            if came.t > self.newest and not (paced and newer - came.t >= STALE):  # (a reserve holds under 1 s)
                return came
        return None

    def _send(self, frame: av.VideoFrame, t: float | None, got: float | None, *, held: bool,
              wall: dt.datetime | None = None) -> None:  # fmt: skip
        """A picture out: `got`, when it was decoded (None: sent again); `wall`, its moment on the air."""
        self.out.picture(frame, t)
        self.last = frame
        if self.seen is not None:
            now = self.clock()
            wall = wall or dt.datetime.fromtimestamp(now, dt.UTC).astimezone()
            lag = now - got if got is not None else 0.0
            for airing in self.inserter.opened.values():  # the picture it was composited on
                if t is not None and airing.last is not None and airing.last[0] == t:
                    airing.delays += lag
            self.seen(Picture(wall, lag, self.intake.continuity_errors, int(self.coding.mux["muxrate"]), not held))


def _fitted(frame: av.VideoFrame, profile: Profile) -> av.VideoFrame:
    """The picture at the output's format: a change of the input's format mid-day scaled to it."""
    if frame.format.name == "yuv420p" and (frame.width, frame.height) == (profile.width, profile.height):
        return frame
    return frame.reformat(width=profile.width, height=profile.height, format="yuv420p")


def _blacked(frame: av.VideoFrame) -> av.VideoFrame:
    """Black in the held picture's place (a copy of it, so as to keep its fields' order; a new picture when the
    held one is not one the crawl could be blended into)."""
    try:
        luma, cb, cr = picture_planes(frame)
    except InputError:
        return black(frame.width, frame.height)
    luma[:], cb[:], cr[:] = 16, 128, 128
    return frame


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
    said: Callable[[str], None] = lambda s: None,
    alarm: Callable[[str], None] = lambda s: None,
) -> int:
    """Air the channel from `source` to `dest` until `stop` is set (a recording: until its end); the pictures sent.
    The output opens at the input's first opening and stays open whatever the input does after (ticker.air.sync);
    `seen` is told of each picture that goes out, `said` each time the input is lost, `alarm` of its cues that could
    not be passed on."""
    stop = stop or threading.Event()
    ending = threading.Event()
    intake = Intake(source, service, ending, said, clock).start()
    try:
        with ExitStack() as held:
            first = _first(intake, stop)
            if first is None:
                return 0
            audio_rate = sum(a.codec_context.bit_rate or AUDIO_ROOM for a in first.sounds)
            coding = Coding.of(channel, audio_rate)
            cues = _cues(first, coding, alarm)
            wire = Wire(destination(dest, coding), cues)
            held.callback(wire.close)
            container = held.enter_context(av.open(wire, "w", format="mpegts", options=coding.mux))
            sounds = [container.add_stream_from_template(a) for a in first.sounds]
            video = _video(container, coding)
            video.id, audio_pids = coding.pids(len(sounds))
            for sound, pid in zip(sounds, audio_pids, strict=True):
                sound.id = pid
            out = Output(container, video, coding.profile.rate, sounds, opened_sounds(first),
                         cues=cues)  # fmt: skip
            try:
                with between(stop):  # SIGTERM: the picture under way sent whole, the loop ended at its next look
                    Synchroniser(intake, out, inserter, coding, clock, seen).run(stop)
                if asked():
                    raise Stopped
            finally:  # SIGTERM mid-airing too: the airing under way closed and recorded, the encoder's last out
                inserter.close_all()
                out.close()
            return out.sent
    finally:
        ending.set()
        intake.thread.join(1.0)


def _first(intake: Intake, stop: threading.Event) -> Opened | None:
    """The input's first opening (None: stopped, or a recording that did not open)."""
    while not stop.is_set():
        try:
            item = intake.items.get(timeout=0.2)
        except queue.Empty:
            if intake.ended.is_set() and intake.items.empty():
                if intake.failure is not None:
                    raise intake.failure from None
                return None
            continue
        if isinstance(item, Opened):
            return item
    return None


def _cues(first: Opened, coding: Coding, said: Callable[[str], None]) -> Cues | None:
    """The input's SCTE-35 cues on their way through (ticker.air.cues), on the input's PID where it is free."""
    if first.cue_pid is None:
        return None
    video, audio = coding.pids(len(first.sounds))
    return Cues(coding.pmt_pid, cue_pid(first.cue_pid, {coding.pmt_pid, video, *audio}), said)


def _video(out: av.container.OutputContainer, coding: Coding) -> av.VideoStream:
    profile = coding.profile
    stream = cast(av.VideoStream, out.add_stream(coding.codec, rate=Fraction(profile.rate)))
    stream.width, stream.height, stream.pix_fmt = profile.width, profile.height, "yuv420p"
    stream.bit_rate = coding.bitrate
    stream.codec_context.time_base = Fraction(1) / Fraction(profile.rate)
    stream.codec_context.options = dict(coding.options)
    return stream
