"""`ticker watch` on a live stream of a channel's output (udp://, rtp://, srt://, an HLS address): read until
stopped, day after day, each day with the campaigns that may air on the channel that day (ticker.watch.watcher).

The stream's time is put on the host's wall clock through the moment its pictures arrive: a picture is never
decoded before it arrived, so the least (host time − stream time) over the pictures decoded is the arrival
offset, once the buffer opening the stream filled has drained (within a second). A discontinuity (a jump of the
stream's clock, a restart, the 26.5-hour wrap of its timestamps) starts a new anchor. The span watched is
recorded as `covered` every minute and when the stream stops; a time without pictures is not covered, so its
airings are never counted missed. Each fault (the stream cannot be opened, stops, stalls, has no video) is said
once, and watching resumes when the stream does. SIGTERM ends it: what is in hand is recorded first."""

from __future__ import annotations

import datetime as dt
import json
import math
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import av.container

from ticker import stopping
from ticker.campaign import Campaign, airings
from ticker.errors import InputError
from ticker.files import write_atomic
from ticker.records import MATCH, Aired, Clock, Records, moment
from ticker.records.clock import host_clock
from ticker.stopping import Stopped
from ticker.watch.notify import Notifier
from ticker.watch.recording import covered
from ticker.watch.sources import Srt, is_live, opened, shown
from ticker.watch.tap import WRAP, Tap, TapProblem
from ticker.watch.watcher import QUOTA, Watcher, iso, on_channel, slug

LATE = dt.timedelta(minutes=1)  # an airing not seen this long after its start raises an alarm
WRAP_SECONDS = WRAP / 90_000  # the 33-bit clock of PCRs and timestamps goes round
JUMP = 2.0  # seconds the stream's clock may jump between two pictures before it is a discontinuity
COVER_EVERY = 60.0  # seconds between two `covered` records
STATUS_EVERY = 2.0  # seconds between two writes of the status file


class Alarms:
    """The channel's airings of the day not seen on air a minute after their start: each said once, while there
    is still time to act."""

    def __init__(self, channel: str, campaigns: list[Campaign], day: dt.date) -> None:
        self.due = sorted(
            (a.start, c.name)
            for c in on_channel(campaigns, channel, day)
            for a in airings(c, day)
            if not a.slot.channels or channel in a.slot.channels
        )
        self.seen: list[tuple[str, dt.datetime]] = []
        self.raised: set[tuple[dt.datetime, str]] = set()

    def check(self, now: dt.datetime, following: list[tuple[str, dt.datetime]]) -> list[str]:
        seen = self.seen + following
        said = []
        for start, name in self.due:
            if (start, name) in self.raised or now < start + LATE:
                continue
            if not any(n == name and abs(w - start) <= MATCH for n, w in seen):
                self.raised.add((start, name))
                said.append(f"{name}: the airing of {start:%H:%M} was not seen on air a minute after its start")
        return said


@dataclass
class Status:
    """What a monitoring system reads of a channel being watched (the status file, rewritten every few s)."""

    channel: str
    watched: bool = False
    last_picture: str | None = None
    stream: str = ""
    faults: list[str] = field(default_factory=list)
    last_airing: str | None = None
    airings_today: int = 0
    next_airing: str | None = None  # the next scheduled airing of a campaign on the channel, today
    continuity_errors: int = 0  # packets lost or out of order since the watch began (transport streams)
    alarms: list[str] = field(default_factory=list)

    def write(self, path: Path | None) -> None:
        if path is not None:
            write_atomic(path, json.dumps(self.__dict__, ensure_ascii=False, indent=1) + "\n")

    def line(self) -> str:
        if not self.watched:
            return f"{self.channel} not watched" + (f": {self.faults[-1].split(' ', 1)[1]}" if self.faults else "")
        return f"{self.channel} watched, last picture {self.last_picture}, {self.airings_today} airing(s) seen today"


@dataclass
class Health:
    """Where the channel's status is shown: the status file, and systemd (ticker.watch.notify)."""

    path: Path | None
    notifier: Notifier

    def show(self, state: Status) -> None:
        state.write(self.path)
        self.notifier.alive(state.line())


class Anchor:
    """The stream's seconds on the host's wall clock (module docstring)."""

    def __init__(self, across_wrap: bool = False) -> None:
        self.offset = math.inf  # wall seconds since the epoch − stream seconds
        self.last: float | None = None
        self.across_wrap = across_wrap  # (fed raw PCRs: the 26.5-hour wrap is no jump, `_near`)

    def see(self, t: float, now: float) -> bool:
        """A picture (or a PCR) of stream time `t` decoded at host time `now`; True when it starts a new anchor."""
        t = self._near(t)
        jumped = self.last is not None and not (-JUMP < t - self.last < JUMP)
        if jumped:
            self.offset = math.inf
        self.offset, self.last = min(self.offset, now - t), t
        return jumped

    def wall(self, t: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(self._near(t) + self.offset, dt.UTC).astimezone()

    def _near(self, t: float) -> float:
        """`t` across the 26.5-hour wrap of the 33-bit clock, as near the last time seen as it can be: a PCR read
        raw and a picture's time that libavformat carries on past the wrap (and brings back 26.5 hours after the
        stream opened) are one clock."""
        if self.last is None or not self.across_wrap:
            return t
        return t + round((self.last - t) / WRAP_SECONDS) * WRAP_SECONDS

    def copy(self) -> Anchor:
        kept = Anchor(self.across_wrap)
        kept.offset, kept.last = self.offset, self.last
        return kept


def watch_live(
    source: str,
    channel: str,
    campaigns: Callable[[], list[Campaign]],
    records: Records,
    say: Callable[[str], None],
    *,
    status: Path | None = None,
    timezone: str = "Asia/Ho_Chi_Minh",
    service: int | None = None,
    srt: Srt | None = None,
    quota: int | None = QUOTA,
    retry: float = 2.0,
    until: Callable[[], bool] = lambda: False,
) -> None:
    """Watch until stopped (SIGTERM: Stopped) or `until()` says (module docstring). `campaigns`: read again for
    each new day and each reconnection."""
    zone = zoneinfo.ZoneInfo(timezone)
    state = Status(channel, stream=shown(source))
    health = Health(status, Notifier())
    said: set[str] = set()

    def fault(text: str) -> None:
        if text not in said:
            said.add(text)
            say(f"{channel}: {text}")
            state.faults = [*state.faults[-9:], f"{dt.datetime.now(zone).isoformat(timespec='seconds')} {text}"]

    health.notifier.ready(f"{channel}: watching {shown(source)}")
    try:
        while not until():
            if stopping.asked():  # a SIGTERM a library's read swallowed
                raise Stopped
            try:
                with opened(source, service, srt) as (tap, container):
                    _session(container, tap, channel, campaigns, records, state, zone, fault, until, health, quota)
                fault("the stream ended; watching again when it comes back")
            except av.error.FFmpegError as e:
                if stopping.asked():  # SIGTERM during a blocking read, which PyAV says as its own error
                    raise Stopped from None
                fault(f"the stream cannot be read ({e}); watching again when it comes back")
            except TapProblem as e:
                fault(f"the stream cannot be watched: {e}; watching again when it can")
            state.watched = False
            health.show(state)
            time.sleep(retry)
    except Stopped:
        health.notifier.stopping()
        state.watched = False
        state.write(status)
        raise
    finally:
        health.notifier.close()


def _session(
    container: av.container.InputContainer,
    tap: Tap | None,
    channel: str,
    campaigns: Callable[[], list[Campaign]],
    records: Records,
    state: Status,
    zone: zoneinfo.ZoneInfo,
    fault: Callable[[str], None],
    until: Callable[[], bool],
    health: Health,
    quota: int | None,
) -> None:
    """One connection to the stream, from its first picture to its end or a fault."""
    if not container.streams.video:
        fault("the stream has no video; watching again when it does")
        return
    stream = container.streams.video[0]
    size = (stream.codec_context.width, stream.codec_context.height)
    base = stream.time_base or Fraction(1, 90000)
    clock = Clock("stream", host_clock().sync, "the stream's timestamps on the host clock at their arrival")
    anchor, watcher, alarms = Anchor(), None, Alarms(channel, [], dt.date.today())
    since: dt.datetime | None = None  # the start of the span watched not yet recorded
    told = 0.0
    base_errors = state.continuity_errors  # those of the connections before
    t = t_last = 0.0
    before_anchor = anchor
    try:
        for frame in container.decode(stream):
            if frame.pts is None:
                continue
            t = float(frame.pts * base)
            before = anchor.wall(t_last) if since is not None else None  # the last picture, on its anchor
            if anchor.see(t, time.time()) and watcher is not None and before is not None:  # the clock jumped
                watcher.end()  # what was on air before the jump ended with it
                _flush(watcher, records, before_anchor, state, since, before, channel, zone, clock)
                since = None
            before_anchor = anchor.copy()
            t_last = t
            now = anchor.wall(t)
            day = now.astimezone(zone).date()
            if watcher is None or watcher.day != day:
                if watcher is not None:
                    watcher.end()
                    _flush(watcher, records, anchor, state, since, now, channel, zone, clock)
                    since = None
                today = campaigns()
                watcher = Watcher(channel, today, day, size, records, clock, clipper=tap.clip if tap else None,
                                  quota=quota, over=fault)  # fmt: skip
                alarms = Alarms(channel, today, day)
            since = since or now
            watcher.picture(t, frame)
            if made := watcher.found(anchor.wall):
                records.append(made)
                alarms.seen += [(r.fact.campaign, moment(r.fact.start)) for r in made if isinstance(r.fact, Aired)]
                state.airings_today += sum(r.kind == "airing" for r in made)
                state.last_airing = next((r.fact.start for r in reversed(made) if isinstance(r.fact, Aired)),
                                         state.last_airing)  # fmt: skip
            if (now - since).total_seconds() >= COVER_EVERY:
                records.append(covered(channel, since, now, zone, clock))
                since = now
            state.watched, state.last_picture = True, iso(now)
            state.next_airing = next((f"{start.isoformat()} {name}" for start, name in alarms.due if start > now), None)
            if tap is not None:
                state.continuity_errors = base_errors + tap.continuity_errors
            if time.monotonic() - told >= STATUS_EVERY:
                for alarm in alarms.check(now, watcher.following(anchor.wall)):
                    fault(f"alarm: {alarm}")
                    if alarm not in state.alarms:
                        state.alarms = [*state.alarms[-19:], alarm]
                health.show(state)
                told = time.monotonic()
            if until():
                break
    finally:
        if watcher is not None:
            watcher.end()
            _flush(watcher, records, anchor, state, since, anchor.wall(t_last), channel, zone, clock)
        if tap is not None and tap.failure is not None:  # what ended the stream's packets, said by the caller
            raise tap.failure


def _flush(
    watcher: Watcher,
    records: Records,
    anchor: Anchor,
    state: Status,
    since: dt.datetime | None,
    until: dt.datetime,
    channel: str,
    zone: zoneinfo.ZoneInfo,
    clock: Clock,
) -> None:
    """What the watcher found, and the span watched since the last `covered`, recorded."""
    made = watcher.found(anchor.wall)
    if since is not None and until > since:
        made += covered(channel, since, until, zone, clock)
    records.append(made)
    state.airings_today += sum(r.kind == "airing" for r in made)


def status_path(records: Path, channel: str) -> Path:
    """RECORDS/status-CHANNEL.json: the channel's status for a monitoring system (written whole each time,
    never through a link)."""
    return records / f"status-{slug(channel)}.json"


def check_source(source: str) -> None:
    if not is_live(source) and not Path(source).exists():
        raise InputError(f"{source}: no such recording, and not a stream address (udp://, rtp://, srt://, http://).")
