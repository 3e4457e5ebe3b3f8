"""The channel's input, read on a thread of its own so that the output's clock never waits on it
(ticker.air.sync): its pictures decoded and put on the host's wall clock, its packets of sound as they came,
each in the order the stream gave them, on one queue. An input that ends, or is not there, is opened again
every WAIT seconds, for as long as ticker airs the channel; each time it is said (`lost`), for the service to
say once.

The stream's clock is its PCR as a receiver's is: each PCR of the programme put on the host's wall clock as it
arrives, by the watch's anchor (ticker.watch.live.Anchor: the least offset seen between arrival and clock, so
that what is read in bulk or buffered while the stream is probed never delays the clock); a new anchor for each
opening, since a stream that comes back may come back on another clock. A jump of the stream's clock without a
break (an encoder upstream restarted, a playout server's discontinuity) is told as an opening too: the pictures
after it are of a clock of their own, which the output's timeline takes up as it does a stream opened again."""

from __future__ import annotations

import datetime as dt
import math
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import av
import av.container

from ticker.watch.live import JUMP, Anchor
from ticker.watch.sources import opened, shown
from ticker.watch.tap import Tap, TapProblem, tapped

WAIT = 1.0  # seconds before an input that ended, or is not there, is opened again
MOST = 400  # items the queue holds (about two seconds of a channel's pictures and sound): the reading waits then


@dataclass(frozen=True)
class Came:
    """A picture of the input: its stream seconds, its moment on the host's wall clock, and when it was decoded
    (host seconds)."""

    frame: av.VideoFrame
    t: float
    wall: dt.datetime
    got: float


@dataclass(frozen=True)
class Heard:
    """A packet of sound: which of the input's sounds (in the stream's order), its stream seconds."""

    index: int
    packet: av.Packet
    t: float


@dataclass(frozen=True)
class Cued:
    """An SCTE-35 cue of the input: its splice_info_section as the stream carried it (ticker.air.cues)."""

    section: bytes


@dataclass(frozen=True)
class Opened:
    """The input opened (again): its sounds, whose coding the output's sounds take at the first opening, and the
    PID of its cues (None: it carries none)."""

    sounds: tuple[av.AudioStream, ...]
    cue_pid: int | None = None


Item = Came | Heard | Cued | Opened


def briefly(e: BaseException) -> str:
    """An error of the decoder's library without the address it repeats (which may hold a passphrase)."""
    return str(getattr(e, "strerror", None) or e).split(": '")[0]


@contextmanager
def _opened(source: str, service: int | None) -> Iterator[tuple[Tap, av.container.InputContainer]]:
    """The channel's programme through the watch's tap (ticker.watch.tap), which says each PCR as it comes: a
    live stream opened as the watch opens one (SRT received by ffmpeg, which has libsrt, PyAV's libraries not)."""
    if not live(source):
        with tapped(source, service) as found:
            yield found
        return
    with opened(source, service) as (tap, src):
        assert tap is not None  # (udp and srt are tapped)
        yield tap, src


ORDERS = {1: "progressive", 2: "top field first", 3: "bottom field first", 4: "bottom field first",
          5: "top field first"}  # fmt: skip  # libavcodec's field orders (AVFieldOrder), as a viewer sees them
LOOK = 5.0  # seconds an input is read at `--check`


def input_problems(source: str, service: int | None, interlaced: bool) -> list[str]:
    """What of the input keeps ticker air from inserting into it, one sentence each ([] when nothing does): a
    scrambled programme (ticker re-encodes pictures it must see), or pictures whose fields come in another
    order than the channel's clips' (top field first, or progressive), against which the crawl would judder.
    The input read for at most LOOK seconds."""
    pictures, order, scrambled = 0, 0, 0
    try:
        with _opened(source, service) as (tap, src):
            vin, until = src.streams.video[0], time.monotonic() + LOOK
            try:
                for _ in src.decode(vin):
                    pictures += 1
                    if pictures >= 25 or time.monotonic() > until:
                        break
            except av.error.FFmpegError:
                pass  # what could be decoded is enough to say
            order, scrambled = vin.codec_context.field_order, tap.scrambled
    except (av.error.FFmpegError, TapProblem, OSError) as e:
        return [f"{shown(source)}: no input to check ({briefly(e)})."]
    if scrambled:
        return [f"{shown(source)}: its programme is scrambled ({scrambled} packets); ticker air re-encodes the "
                "pictures, so it must take the channel before the scrambler."]  # fmt: skip
    if not pictures:
        return [f"{shown(source)}: no picture of it could be decoded in {LOOK:g} s."]
    want, got = "top field first" if interlaced else "progressive", ORDERS.get(order)
    if got is not None and got != want:
        return [f"{shown(source)}: its pictures are {got}, the channel's clips {want}: the crawl would move "
                "against the fields. Set the channel's picture format to the input's."]  # fmt: skip
    return []


def live(source: str) -> bool:
    """Whether `source` is a live stream, whose pictures come at the channel's pace (a recording's come as fast as
    they are read)."""
    return source.startswith(("udp://", "srt://"))


class Intake:
    """The input's thread and its queue (module docstring). `stop` ends it; `lost` is told why the input is not
    coming, each time it is not."""

    def __init__(self, source: str, service: int | None, stop: threading.Event, lost: Callable[[str], None],
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.source, self.service, self.stop, self.lost, self.clock = source, service, stop, lost, clock
        self.items: queue.Queue[Item] = queue.Queue(MOST)
        self.again = live(source)  # a recording read once; a live stream for as long as the channel airs
        self.ended = threading.Event()  # a recording read to its end, or the thread gone
        self.failure: BaseException | None = None  # what ended the thread, other than its end
        self.errors_before = 0  # the continuity errors of the openings before this one
        self.tap: Tap | None = None
        self.thread = threading.Thread(target=self._run, name="ticker-air-input", daemon=True)

    @property
    def continuity_errors(self) -> int:
        tap = self.tap  # (read once: the input's thread lets it go when the input ends)
        return self.errors_before + (tap.continuity_errors if tap is not None else 0)

    def start(self) -> Intake:
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    with _opened(self.source, self.service) as (tap, src):
                        self._read(tap, src)
                    why = f"the input from {shown(self.source)} stopped"
                except (av.error.FFmpegError, TapProblem, OSError) as e:  # no input yet, or not one to read
                    if not self.again:
                        raise
                    why = f"no input from {shown(self.source)} ({briefly(e)})"
                if not self.again or self.stop.is_set():
                    return
                self.lost(why)
                self.stop.wait(WAIT)
        except BaseException as e:  # the output's side raises it: this thread has no one to raise to
            self.failure = e
        finally:
            self.ended.set()

    def _read(self, tap: Tap, src: av.container.InputContainer) -> None:
        anchor = Anchor(across_wrap=True)  # (its PCRs raw, its pictures' times as libavformat carries them on)

        def heard(pcr: float) -> None:
            anchor.see(pcr, self.clock())

        tap.on_pcr = heard
        if self.again:  # (the PCRs the probe read, as they arrived: the pictures it read are put on the air too)
            for pcr, at in tap.unheard:
                anchor.see(pcr, at)
        self.tap = tap
        try:
            vin, sounds = src.streams.video[0], tuple(src.streams.audio)
            cues = [d for d in src.streams.data if d.name == "scte_35"][:1]
            opening = Opened(sounds, cues[0].id if cues else None)
            self._put(opening)
            last: dict[int, float] = {}  # each stream's last time (a sound's -1 − its index; the pictures' 0)

            def timed(item: Heard | Came) -> None:  # (a jump of the stream's clock: a clock of its own, as opened)
                key = -1 - item.index if isinstance(item, Heard) else 0
                was = last.get(key)
                if was is not None and not -JUMP < item.t - was < JUMP:
                    self._put(opening)
                    last.clear()  # (the others' next items are of the new clock too)
                last[key] = item.t
                self._put(item)

            for packet in src.demux(vin, *sounds, *cues):
                if self.stop.is_set():
                    return
                if packet.stream.type == "data":
                    if packet.size:
                        self._put(Cued(bytes(packet)))
                    continue
                if packet.stream.type == "audio":
                    if packet.dts is not None and packet.time_base is not None:
                        timed(Heard(sounds.index(packet.stream), packet, float(packet.dts * packet.time_base)))
                    continue
                for frame in packet.decode():
                    if isinstance(frame, av.VideoFrame) and frame.time is not None and not math.isinf(anchor.offset):
                        timed(Came(frame, frame.time, anchor.wall(frame.time), self.clock()))
        finally:
            self.tap = None
            self.errors_before += tap.continuity_errors

    def _put(self, item: Item) -> None:
        while not self.stop.is_set():
            try:
                self.items.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
