"""`ticker watch` over a recording of a channel's output (TS, MP4, MXF): every picture decoded once and given to
the channel's watcher (ticker.watch.watcher); the stream's time put on the wall clock from `start`, the
wall-clock time of its first picture; the spans watched recorded as `covered` (a hole of more than HOLE seconds
in its pictures' times is not watched). A transport stream's programme
is chosen and its packets kept through ticker.watch.tap, as a live stream's are."""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.container

from ticker.campaign import Campaign
from ticker.errors import InputError
from ticker.records import Clock, Covered, Record, Records, Source
from ticker.records.clock import host_clock
from ticker.watch.tap import Tap, TapProblem, is_transport, tapped
from ticker.watch.watcher import QUOTA, Watcher, iso

HOLE = 1.0  # seconds between two pictures of a recording that leave the time between them not watched


@dataclass(frozen=True)
class Watched:
    """What a recording showed: the records written, and the span watched (wall clock)."""

    records: tuple[Record, ...]
    first: dt.datetime
    last: dt.datetime


def watch_recording(
    path: Path,
    start: dt.datetime,
    channel: str,
    campaigns: list[Campaign],
    records: Records,
    service: int | None = None,
    quota: int | None = QUOTA,
    say: Callable[[str], None] = lambda text: None,
) -> Watched:
    """Watch the recording (module docstring); the records are written before this returns. A transport stream
    is read through a Tap (its programme `service`, else the first with video; its packets kept as evidence)."""
    if start.tzinfo is None:
        raise InputError(f"--start {start.isoformat()}: give the time with its offset (…+07:00).")
    if service is not None and not is_transport(str(path)):
        raise InputError(f"{path}: is not a transport stream, so it has no service {service} to choose.")
    try:
        with _opened(path, service) as (tap, container):
            if not container.streams.video:
                raise InputError(f"{path}: has no video.")
            stream = container.streams.video[0]
            size = (stream.codec_context.width, stream.codec_context.height)
            day = start.astimezone(zoneinfo.ZoneInfo(campaigns[0].timezone)).date() if campaigns else start.date()
            clock = Clock("stream", host_clock().sync, "the recording's timestamps from --start")
            watcher = Watcher(channel, campaigns, day, size, records, clock, clipper=tap.clip if tap else None,
                              quota=quota, over=say)  # fmt: skip
            first_t: float | None = None
            last_t = 0.0
            base = stream.time_base or Fraction(1, 90000)
            frame_time = float(1 / stream.average_rate) if stream.average_rate else 0.04
            spans: list[tuple[float, float]] = []  # the stream's times with pictures: a hole is not watched
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                t = float(frame.pts * base)
                if first_t is None or not 0 <= t - last_t <= HOLE:
                    spans.append((t, t))
                first_t = t if first_t is None else first_t
                last_t = t
                spans[-1] = (spans[-1][0], t + frame_time)
                watcher.picture(t, frame)
            watcher.end()
            if tap is not None and tap.failure is not None:  # Ctrl-C, or the file's own fault
                raise tap.failure
            if first_t is None:
                raise InputError(f"{path}: holds no picture.")
    except (av.error.FFmpegError, OSError) as e:
        raise InputError(f"{path}: is not a recording ticker can read ({e}).") from None
    except TapProblem as e:
        raise InputError(f"{path}: {e}.") from None

    def wall(t: float) -> dt.datetime:
        return start + dt.timedelta(seconds=t - (first_t or 0.0))

    found = watcher.found(wall)
    begin, end = wall(first_t), wall(last_t + frame_time)
    for a, b in spans:
        found += covered(channel, wall(a), wall(b), watcher.zone, clock)
    records.append(found)
    return Watched(tuple(found), begin, end)


def covered(channel: str, begin: dt.datetime, end: dt.datetime, zone: dt.tzinfo, clock: Clock) -> list[Record]:
    """The span watched, one record per day it touches (days in the campaigns' timezone)."""
    found = []
    a = begin.astimezone(zone)
    b = end.astimezone(zone)
    while a < b:
        midnight = dt.datetime.combine(a.date() + dt.timedelta(days=1), dt.time(), a.tzinfo)
        upto = min(b, midnight)
        found.append(Record(Source.WATCH, channel, a.date(), Covered(iso(a), iso(upto)), clock))
        a = upto
    return found


@contextlib.contextmanager
def _opened(path: Path, service: int | None) -> Iterator[tuple[Tap | None, av.container.InputContainer]]:
    if is_transport(str(path)):
        with tapped(str(path), service) as (tap, container):
            yield tap, container
    else:
        with av.open(str(path)) as container:
            yield None, container
