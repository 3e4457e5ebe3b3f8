"""`ticker air` as a long-running service of one channel: the day's plan kept fresh, each airing inserted recorded
as it ends, each fault said once.

- The plan (ticker.air.plan) is read again every REFRESH seconds on a thread of its own, and at once when the
  campaigns folder or its audit trail changes (looked at every SWITCH seconds, as "off now", ticker.air.switch,
  is), so that a revoked approval, or a campaign taken off, stops the crawl within a second, mid-airing too;
  the stream reads the last plan read, never waiting on the disk. A change that keeps the airing (its words,
  its clip) is taken at the next airing: an airing under way keeps the clip it opened.
- What was inserted goes to the records folder (`source = "air"`): each airing's first and last picture on the
  wall clock and in the stream's own seconds, the campaign, the clip's file and the approval's key, the host
  clock's state with it. An airing skipped (no clip, not approved, …) is said once, when it is due.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import av

from ticker.air.intake import briefly
from ticker.air.plan import Insertion, Skipped, day_plan
from ticker.air.status import AirStatus, Shown, moment, status_path
from ticker.air.stream import Airing, Inserter, Picture, run
from ticker.air.switch import Off, switched_off
from ticker.approval.audit import AUDIT
from ticker.errors import InputError, TickerError
from ticker.media import PROFILES
from ticker.records import Aired, Record, Records, Source
from ticker.records.clock import host_clock
from ticker.station.file import Station
from ticker.stopping import Stopped, asked
from ticker.watch.sources import shown

REFRESH = 1.0  # seconds between two readings of the plan
SWITCH = 0.2  # seconds between two looks at the channel's "off now"
Say = Callable[[str], None]


@dataclass
class Plan:
    """The channel's plan for today, read again every REFRESH seconds (module docstring)."""

    campaigns: Path
    out: Path
    channel: str
    station: Station
    say: Say
    now: Callable[[], dt.datetime]
    records: Path | None = None  # where the channel's "off now" is (ticker.air.switch)
    off: Off | None = None
    insertions: tuple[Insertion, ...] = ()
    said: set[str] = field(default_factory=set)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.read()

    def current(self) -> Sequence[Insertion]:
        return () if self.off is not None else self.insertions

    def read(self) -> None:
        now = self.now()
        self.read_switch()
        try:
            found, skipped = day_plan(self.campaigns, self.out, self.channel, now.date(), self.station)
        except TickerError as e:  # the folder gone a moment: the last plan stands, and it is said once
            self._once(f"the plan could not be read ({e}); the last one read stands")
            return
        self.insertions = tuple(found)
        for s in skipped:
            if s.start <= now + dt.timedelta(seconds=60):
                self._once(_skipped(s))

    def read_switch(self) -> None:
        """The channel's "off now" (a file's look: read far more often than the plan)."""
        off = switched_off(self.records, self.channel) if self.records is not None else None
        if off != self.off:  # each switch said once, as it happens
            why = f" ({off.note})" if off is not None and off.note else ""
            said = f"switched off now by {off.by} at {off.at}{why}" if off is not None else "switched on again"
            self.say(f"{self.channel}: the crawl is {said}")
            self.off = off

    def touched(self) -> tuple[int, ...]:
        """When the campaigns folder (a file saved into it) and its audit trail (an approval, a revocation) last
        changed: looked at as often as the switch, so that a revocation is taken within a second."""
        found = []
        for path in (self.campaigns, self.campaigns / AUDIT):
            try:
                st = path.stat()
            except OSError:
                found += [0, 0]
            else:
                found += [st.st_mtime_ns, st.st_size]
        return tuple(found)

    def keep_fresh(self) -> threading.Thread:
        def loop() -> None:
            ticks, seen = 0, self.touched()
            while not self.stop.wait(SWITCH):
                ticks += 1
                now = self.touched()
                if ticks * SWITCH >= REFRESH or now != seen:
                    ticks, seen = 0, now
                    self.read()
                else:
                    self.read_switch()

        thread = threading.Thread(target=loop, name="ticker-air-plan", daemon=True)
        thread.start()
        return thread

    def _once(self, sentence: str) -> None:
        if sentence not in self.said:
            self.said.add(sentence)
            self.say(sentence)


def _skipped(s: Skipped) -> str:
    return f"alarm: {s.sentence}"


def as_run(airing: Airing, channel: str, zone: zoneinfo.ZoneInfo, instance: str = "") -> Record | None:
    """What was inserted, as the records keep it (None when not one picture was): by which `instance` of a
    main/backup pair, with the pictures' delay through ticker on average."""
    if airing.first is None or airing.last is None:
        return None
    ins = airing.insertion
    fact = Aired(start=airing.first[1].isoformat(timespec="milliseconds"),
                 end=airing.last[1].isoformat(timespec="milliseconds"), file=ins.file.name, campaign=ins.campaign,
                 version=ins.key, full=None, stream=(airing.first[0], airing.last[0]), instance=instance,
                 delay=round(airing.delays / airing.pictures, 3) if airing.pictures else None)  # fmt: skip
    return Record(Source.AIR, channel, airing.first[1].astimezone(zone).date(), fact, host_clock())


def air(
    campaigns: Path,
    out: Path,
    channel: str,
    station: Station,
    source: str,
    dest: str,
    records: Records,
    say: Say,
    *,
    advance: float = 0.0,
    service: int | None = None,
    instance: str = "",
    stop: threading.Event | None = None,
) -> int:
    """Air the channel until SIGTERM, or `stop` (module docstring): an input that ends or is not there is waited
    for, said once, while the output goes on; the pictures sent."""
    ch = station.channel(channel)
    if ch is None or ch.picture is None:  # (check_setup says so first)
        raise InputError(f"channel {channel}: not in the station file, or with no picture format; ticker air needs it.")
    zone = zoneinfo.ZoneInfo(station.timezone)
    status = AirStatus(channel)
    shown_to = Shown(status_path(records.held.path, channel))

    def told(text: str) -> None:
        say(text)
        if text.startswith("alarm: "):
            status.alarms = [*status.alarms[-9:], text.removeprefix("alarm: ")]

    plan = Plan(campaigns, out, channel, station, told, lambda: dt.datetime.now(zone), records.held.path)
    plan.keep_fresh()

    def ended(airing: Airing) -> None:
        record = as_run(airing, channel, zone, instance)
        if record is not None:
            records.append([record])
            say(f"{channel}: {airing.insertion.campaign} inserted {record.fact.start} – {record.fact.end}, "  # type: ignore[union-attr]
                f"{airing.pictures} pictures")  # fmt: skip

    def dropped(ins: Insertion, why: str) -> None:
        told(f"alarm: {channel}: {ins.campaign} at {ins.start:%H:%M:%S}: the crawl is dropped for this airing, the "
             f"channel goes on: {why}")  # fmt: skip

    inserter = Inserter(plan.current, PROFILES[ch.picture], advance=advance, on_end=ended, on_drop=dropped)

    def seen(p: Picture) -> None:
        coming = [i for i in plan.current() if i.start > p.wall]
        on = next(iter(inserter.opened), None)
        status.input, status.last_picture, status.continuity_errors = p.input, moment(p.wall), p.continuity_errors
        status.output_rate, status.encoder_lag, status.crawl = p.rate, round(p.lag, 3), on is not None
        status.airing = on.campaign if on else None
        status.next_airing = f"{moment(coming[0].start)} {coming[0].campaign}" if coming else None
        shown_to.show(status)

    said: set[str] = set()

    def lost(why: str) -> None:  # from the input's thread: each loss said once, the status shown at once
        status.input = False
        try:
            shown_to.show(status, force=True)
        except TickerError as e:  # the status file, not the channel
            told(f"alarm: {channel}: the status file could not be written ({e})")
        if why not in said:
            said.add(why)
            told(f"alarm: {channel}: {why}; waiting for it")

    def alarm(why: str) -> None:  # the cues' faults, each said once
        if why not in said:
            said.add(why)
            told(f"alarm: {channel}: {why}")

    try:
        try:
            return run(source, dest, ch, inserter, stop=stop, service=service, seen=seen, said=lost, alarm=alarm)
        except av.error.FFmpegError as e:  # the output's address, or its library's error at SIGTERM
            if asked():
                raise Stopped from None
            raise InputError(f"{channel}: the output to {shown(dest)} failed: {briefly(e)}.") from None
    finally:
        plan.stop.set()
        shown_to.stopping()
