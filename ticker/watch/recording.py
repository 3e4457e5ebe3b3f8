"""`ticker watch` over a recording of a channel's output (TS, MP4, MXF): every picture decoded once and given to
the trackers of the campaigns that may air on the channel that day (ticker.watch.match), at the recording's
own profile; what they find written to the records (source `watch`): each airing with its start and end in
the stream's time and on the wall clock (`start`, the wall-clock time of the first picture, plus the stream's
time since), its passes, whether the last was cut, the version looked for and how sure; a band of a campaign's
look showing other words as `unrecognised`; the span watched as `covered`. The first and last pictures of each
airing are kept as evidence (PNG, in the records folder, each sealed with its day)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from ticker.campaign import Campaign, airings
from ticker.campaign.calendar import active
from ticker.errors import InputError
from ticker.records import Aired, Clock, Covered, Record, Records, Source, Unrecognised
from ticker.records.clock import host_clock
from ticker.watch.match import Picture, Tracker
from ticker.watch.reference import Reference, references


@dataclass(frozen=True)
class Watched:
    """What a recording showed: the records written, and the span watched (wall clock)."""

    records: tuple[Record, ...]
    first: dt.datetime
    last: dt.datetime


def on_channel(campaigns: Iterable[Campaign], channel: str, day: dt.date) -> list[Campaign]:
    """The campaigns that may air on the channel that day (a slot naming it, or naming none; or no slot at all:
    a campaign that airs when its inserter is told to)."""
    return [
        c
        for c in campaigns
        if active(c, day) and c.status != "draft"
        and (not c.slots or any(not a.slot.channels or channel in a.slot.channels for a in airings(c, day)))
    ]  # fmt: skip


PLANAR_8BIT = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "yuv411p", "nv12", "gray"}


def _plane(frame: av.VideoFrame, k: int) -> np.ndarray:
    plane = frame.planes[k]
    lines = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(plane.height, plane.line_size)
    return lines[:, : plane.width]


def luma_of(frame: av.VideoFrame) -> np.ndarray:
    """The picture's Y plane as it was decoded, without a copy or a conversion (for the usual 8-bit formats;
    any other is converted to grey)."""
    return _plane(frame, 0) if frame.format.name in PLANAR_8BIT else frame.to_ndarray(format="gray")


def picture_of(frame: av.VideoFrame) -> Picture:
    """The decoded picture's planes, as they are (its Cb and Cr too when it is planar Y'CbCr of 8 bits)."""
    name = frame.format.name
    if name not in PLANAR_8BIT or name in ("gray", "nv12") or len(frame.planes) < 3:
        return Picture(luma_of(frame))
    luma, cb, cr = _plane(frame, 0), _plane(frame, 1), _plane(frame, 2)
    return Picture(luma, (cb, cr), (-(-luma.shape[1] // cb.shape[1]), -(-luma.shape[0] // cb.shape[0])))


def _png(frame: av.VideoFrame) -> bytes:
    out = io.BytesIO()
    frame.to_image().save(out, "PNG", compress_level=6)
    return out.getvalue()


def watch_recording(
    path: Path, start: dt.datetime, channel: str, campaigns: list[Campaign], records: Records
) -> Watched:
    """Watch the recording (module docstring); the records are written before this returns."""
    if start.tzinfo is None:
        raise InputError(f"--start {start.isoformat()}: give the time with its offset (…+07:00).")
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as e:
        raise InputError(f"{path}: is not a recording ticker can read ({e}).") from None
    with container:
        if not container.streams.video:
            raise InputError(f"{path}: has no video.")
        stream = container.streams.video[0]
        size = (stream.codec_context.width, stream.codec_context.height)
        day = start.astimezone(zoneinfo.ZoneInfo(campaigns[0].timezone)).date() if campaigns else start.date()
        refs: list[Reference] = []
        for c in on_channel(campaigns, channel, day):
            made = references(c, day)  # the output at the channel's own size first, else the first
            refs += sorted(made, key=lambda r: (r.width, r.height) != size)[:1]
        trackers = [Tracker(r, size) for r in refs]
        kept: list[list[av.VideoFrame]] = [[] for _ in refs]  # the first and latest picture of each run followed
        shots: list[list[list[av.VideoFrame]]] = [[] for _ in refs]  # of each airing closed, in order
        first_t: float | None = None
        last_t = 0.0
        base = stream.time_base or Fraction(1, 90000)
        for frame in container.decode(stream):
            if frame.pts is None:
                continue
            t = float(frame.pts * base)
            first_t = t if first_t is None else first_t
            last_t = t
            if not trackers:
                continue  # nothing to look for: the span watched is recorded all the same
            picture = picture_of(frame)
            for k, tracker in enumerate(trackers):
                before, running = len(tracker.airings), tracker.run
                tracker.picture(t, picture)
                shots[k] += [kept[k]] * (len(tracker.airings) - before)
                if tracker.run is None:
                    kept[k] = []
                elif tracker.run is not running:
                    kept[k] = [frame, frame]
                else:
                    kept[k] = [kept[k][0], frame]
        for k, tracker in enumerate(trackers):
            before = len(tracker.airings)
            tracker.end()
            shots[k] += [kept[k]] * (len(tracker.airings) - before)
        if first_t is None:
            raise InputError(f"{path}: holds no picture.")

    def wall(t: float) -> dt.datetime:
        return start + dt.timedelta(seconds=t - (first_t or 0.0))

    frame_time = float(1 / stream.average_rate) if stream.average_rate else 0.04
    clock = Clock("stream", host_clock().sync, "the recording's timestamps from --start")
    zone = zoneinfo.ZoneInfo(campaigns[0].timezone) if campaigns else dt.UTC
    found: list[Record] = []
    for k, (tracker, ref) in enumerate(zip(trackers, refs, strict=True)):
        for n, a in enumerate(tracker.airings):
            begin = wall(a.start)
            local = begin.astimezone(zone)
            names = tuple(
                records.add_evidence(local.date(), "frames",
                                     f"{_slug(channel)}-{ref.campaign}-{local:%H%M%S}-{i}.png", _png(f))
                for i, f in enumerate(shots[k][n])
            )  # fmt: skip
            fact = Aired(
                _iso(begin), _iso(wall(a.end)), campaign=ref.campaign, version=ref.key, full=a.passes >= 1,
                evidence=names, passes=a.passes, cut=a.cut, confidence=round(a.confidence, 3),
                stream=(round(a.start, 3), round(a.end, 3)),
            )  # fmt: skip
            found.append(Record(Source.WATCH, channel, local.date(), fact, clock))
        for b in tracker.bands:
            local = wall(b.start).astimezone(zone)
            fact_u = Unrecognised(_iso(wall(b.start)), _iso(wall(b.end)), ref.campaign)
            found.append(Record(Source.WATCH, channel, local.date(), fact_u, clock))
    begin, end = wall(first_t), wall(last_t + frame_time)
    found += _covered(channel, begin, end, zone, clock)
    records.append(found)
    return Watched(tuple(found), begin, end)


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="milliseconds")


def _slug(channel: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in channel) or "channel"


def _covered(channel: str, begin: dt.datetime, end: dt.datetime, zone: dt.tzinfo, clock: Clock) -> list[Record]:
    """The span watched, one record per day it touches (days in the campaigns' timezone)."""
    found = []
    a = begin.astimezone(zone)
    b = end.astimezone(zone)
    while a < b:
        midnight = dt.datetime.combine(a.date() + dt.timedelta(days=1), dt.time(), a.tzinfo)
        upto = min(b, midnight)
        found.append(Record(Source.WATCH, channel, a.date(), Covered(_iso(a), _iso(upto)), clock))
        a = upto
    return found
