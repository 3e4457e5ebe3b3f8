"""The output's side of `ticker air`: a frame synchroniser, as a headend's is. The output's pictures go out on
the host's clock, one every picture period, whatever the input does; each takes the input's next picture from a
small reserve (ticker.air.intake fills it).

- Clock. The output is paced by the host's monotonic clock (its rate kept by NTP, never stepped by it), and
  the input's pictures are dropped or repeated as the input's clock drifts from it: once a second the reserve's
  low point is looked at, and a picture is dropped when it stayed above HIGH; a picture is repeated when the
  reserve is empty when one is due (the input slower than the host, or late).
  A 30-ppm difference is one picture every 22 minutes at 25 a second; no buffer fills or drains over a day, and
  the multiplexer's constant rate is kept on the host's clock, as the UDP pacing (ticker.air.stream.destination)
  sends it. What the input gave in a burst at its opening (what was read while it was probed) is let go but
  for FIRST pictures, so that the output starts as close behind the input as it can, once the burst is all
  decoded (the output's first picture waits for pictures coming at the input's pace: a burst let go while it is
  still being decoded would leave the reserve high, and its pictures dropped one a second would each move the
  output's timeline off the input's); so is a burst it gives when it comes back from a loss.
- Timeline. The output's pictures are numbered from the first input picture's own timestamp, one tick a
  picture, so that while the input flows the output keeps the input's timestamps; the sound's packets are
  moved by what the pictures' timestamps were moved by (nothing, until a picture is dropped or repeated or the
  input comes back from a loss), never decoded. A packet of sound that would overlap the last one sent is
  dropped.
- Loss. When the reserve is empty the last picture is sent again, for HOLD seconds, then black; from QUIET
  seconds on, each sound is filled with silence coded in the input's own codec. When the input comes back its
  pictures and sound are re-stamped onto the output's timeline: the output is never re-opened.
- The encoder is given its pictures numbered from 0 (the packets are moved onto the timeline after it): MPEG-2's
  rate control reads a picture's number as the bits it may have spent so far, and a stream that starts seconds
  in made it encode each picture several times over.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction

import av
import av.container
import numpy as np

from ticker.air.cues import Cues
from ticker.air.intake import Came, Cued, Heard, Item, Opened

HOLD = 2.0  # seconds the last picture is held when the input stops, before black
QUIET = 0.2  # seconds without an input picture after which the sounds are filled with silence
FIRST = 6  # pictures in reserve before the first goes out: what a bursty input needs
HIGH, MOST = 12, 25  # a reserve whose low point in a second stays above HIGH loses a picture; never more than MOST
SETTLED, PACE, SETTLING = 12, 0.75, 3.0  # the pace Reserve.settled looks for; seconds it is waited for at most
TICKS = 90_000  # the transport stream's clock


class Silence:
    """A packet of silence in a sound's own codec, sent again and again (a frame of MPEG audio, AC-3 or AAC
    stands on its own)."""

    def __init__(self, stream: av.AudioStream) -> None:
        ctx = av.CodecContext.create(stream.codec_context.name, "w")
        assert isinstance(ctx, av.AudioCodecContext)
        ctx.sample_rate, ctx.layout = stream.sample_rate, stream.layout
        ctx.format = ctx.codec.audio_formats[0] if ctx.codec.audio_formats else stream.format
        ctx.bit_rate = stream.bit_rate or 192_000
        ctx.time_base = Fraction(1, stream.sample_rate)
        ctx.open()
        size = ctx.frame_size or 1152
        made: list[av.Packet] = []
        for i in range(4):
            frame = av.AudioFrame(format=ctx.format.name, layout=ctx.layout.name, samples=size)
            for plane in frame.planes:
                plane.update(bytes(plane.buffer_size))
            frame.sample_rate, frame.pts, frame.time_base = stream.sample_rate, i * size, ctx.time_base
            made += ctx.encode(frame)
        if not made:
            raise ValueError(f"the {stream.codec_context.name} encoder gave no packet of silence")
        self.data = bytes(made[-1])
        if ctx.name == "aac" and self.data[:2] != b"\xff\xf1":  # a transport stream carries AAC in ADTS frames
            self.data = _adts(self.data, stream.sample_rate, stream.channels)
        self.seconds = size / stream.sample_rate

    def packet(self, at: float) -> av.Packet:
        p = av.Packet(self.data)
        p.pts = p.dts = round(at * TICKS)
        p.time_base, p.duration = Fraction(1, TICKS), round(self.seconds * TICKS)
        return p


ADTS_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350)


def _adts(raw: bytes, rate: int, channels: int) -> bytes:
    """An AAC-LC frame with its ADTS header (ISO/IEC 13818-7 6.2; no CRC)."""
    n, index = len(raw) + 7, ADTS_RATES.index(rate)
    head = [0xFF, 0xF1, (1 << 6) | (index << 2) | (channels >> 2), ((channels & 3) << 6) | (n >> 11),
            (n >> 3) & 0xFF, ((n & 7) << 5) | 0x1F, 0xFC]  # fmt: skip
    return bytes(head) + raw


def black(width: int, height: int) -> av.VideoFrame:
    picture = np.full((height * 3 // 2, width), 128, np.uint8)
    picture[:height] = 16
    return av.VideoFrame.from_ndarray(picture, format="yuv420p")


@dataclass
class Output:
    """The transport stream going out: its pictures numbered on the output's timeline, its sounds re-stamped."""

    container: av.container.OutputContainer
    video: av.VideoStream
    rate: Fraction
    sounds: list[av.AudioStream]
    silences: list[Silence | None]
    base: int = 0  # the output's first tick (a picture period each), the input's first picture's
    sent: int = 0  # pictures sent
    shift: float = 0.0  # output seconds − input seconds of the pictures going out
    heard_to: list[float] = field(default_factory=list)  # each sound's end so far, output seconds
    cues: Cues | None = None  # the input's SCTE-35 cues, put into the multiplex (None: it has none)
    cued: list[Cued] = field(default_factory=list)  # cues waiting for the next input picture's shift

    def __post_init__(self) -> None:
        self.heard_to = [-math.inf] * len(self.sounds)

    def now(self) -> float:
        """The output's time of the next picture, in seconds."""
        return float((self.base + self.sent) / self.rate)

    def picture(self, frame: av.VideoFrame, t: float | None = None) -> None:
        if t is not None:
            self.shift = self.now() - t
            if self.cues is not None:
                for cue in self.cued:  # (moved as the pictures they splice are: ticker.air.cues)
                    self.cues.add(cue.section, round(self.shift * TICKS))
            self.cued.clear()
        frame.pts, frame.time_base = self.sent, 1 / self.rate
        frame.pict_type = av.video.frame.PictureType.NONE
        self._mux(self.video.encode(frame))
        self.sent += 1

    def sound(self, heard: Heard) -> None:
        if heard.index >= len(self.sounds):
            return
        p, at = heard.packet, heard.t + self.shift
        if at < self.heard_to[heard.index] - 1e-3 or p.time_base is None:
            return  # what was sent already covers it (a repeated picture, silence while the input was gone)
        moved = round(self.shift / p.time_base)
        if p.pts is not None:
            p.pts += moved
        p.dts = (p.dts or 0) + moved
        p.stream = self.sounds[heard.index]
        self.container.mux(p)
        self.heard_to[heard.index] = at + float((p.duration or 0) * p.time_base)

    def cue(self, cue: Cued) -> None:
        """An SCTE-35 cue, sent with the next input picture (an input opened again: once its shift is known)."""
        self.cued.append(cue)

    def silence(self, until: float) -> None:
        """Each sound filled with silence up to `until` (output seconds)."""
        for i, quiet in enumerate(self.silences):
            if quiet is None:
                continue
            at = max(self.heard_to[i], until - 1.0) if math.isfinite(self.heard_to[i]) else until
            while at < until:
                p = quiet.packet(at)
                p.stream = self.sounds[i]
                self.container.mux(p)
                at += quiet.seconds
            self.heard_to[i] = max(self.heard_to[i], at)

    def close(self) -> None:
        self._mux(self.video.encode(None))

    def _mux(self, packets: list[av.Packet]) -> None:
        for p in packets:
            if p.pts is not None:
                p.pts += self.base
            if p.dts is not None:
                p.dts += self.base
        self.container.mux(packets)


@dataclass
class Reserve:
    """The input's items not yet sent, and the low point of its pictures since it was last looked at."""

    items: deque[Item] = field(default_factory=deque)
    pictures: int = 0
    low: int = 1 << 30

    def add(self, item: Item) -> None:
        self.items.append(item)
        self.pictures += isinstance(item, Came)

    def before_picture(self) -> list[Item]:
        """What comes before the next picture (sound, an opening), taken off."""
        taken = []
        while self.items and not isinstance(self.items[0], Came):
            taken.append(self.items.popleft())
        return taken

    def picture(self) -> Came:
        came = self.items.popleft()
        assert isinstance(came, Came)
        self.pictures -= 1
        return came

    def settled(self) -> bool:
        """Whether the input's last SETTLED pictures came at its pace (decoded over at least PACE of the time
        between them on the stream's clock): what it gave in a burst (read while it was probed, or kept while
        it was lost) all decoded."""
        came = [i for i in self.items if isinstance(i, Came)][-SETTLED:]
        return len(came) == SETTLED and came[-1].got - came[0].got >= PACE * (came[-1].t - came[0].t) > 0

    def trim(self, keep: int) -> int:
        """The oldest items taken off (sound with its pictures) until `keep` pictures are left; how many were. An
        opening and the cues among them are kept (the pictures after an opening are of another clock; a cue
        splices pictures to come)."""
        gone, opened, cues = 0, None, []
        while self.pictures > keep:
            item = self.items.popleft()
            if isinstance(item, Came):
                gone, self.pictures = gone + 1, self.pictures - 1
            elif isinstance(item, Opened):
                opened = item
            elif isinstance(item, Cued):
                cues.append(item)
        while self.items and isinstance(self.items[0], Heard):
            self.items.popleft()
        self.items.extendleft(reversed([*([opened] if opened is not None else []), *cues]))
        return gone

    def looked(self) -> int:
        """The low point since the last look, which starts again."""
        low, self.low = self.low, self.pictures
        return low

    def note(self) -> None:
        self.low = min(self.low, self.pictures)


def opened_sounds(item: Opened) -> list[Silence | None]:
    """Each of an input's sounds' silence (None for a codec ffmpeg cannot encode)."""
    found: list[Silence | None] = []
    for s in item.sounds:
        try:
            found.append(Silence(s))
        except (av.error.FFmpegError, ValueError, TypeError, AttributeError):
            found.append(None)
    return found
