"""One channel's pictures given to the trackers of the campaigns that may air on it that day (ticker.watch.match),
and what they find turned into records (source `watch`) as soon as it is found: each airing with its start and
end in the stream's time and on the wall clock, its passes, whether the last was cut, the version looked for and
how sure, and its first and last pictures kept as evidence, with its first seconds as the channel's own packets
when the stream is a transport stream (ticker.watch.tap); a band of a campaign's look with other words as
`unrecognised`. A recording and a live stream are watched alike (ticker.watch.recording, ticker.watch.live); only
how the stream's time is put on the wall clock differs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable

import av

from ticker.campaign import Campaign, airings
from ticker.campaign.calendar import active
from ticker.records import Aired, Clock, Record, Records, Source, Unrecognised
from ticker.watch.match import Tracker
from ticker.watch.pictures import picture_of, png
from ticker.watch.reference import Reference, references

Wall = Callable[[float], dt.datetime]  # the stream's seconds on the wall clock
Clipper = Callable[[float, float], bytes | None]  # the stream's packets from a time, for so many seconds
CLIP = 5.0  # seconds of an airing's start kept as the channel's packets


def on_channel(campaigns: Iterable[Campaign], channel: str, day: dt.date) -> list[Campaign]:
    """The campaigns that may air on the channel that day (a slot naming it, or naming none; or no slot at all:
    a campaign that airs when its inserter is told to)."""
    return [
        c
        for c in campaigns
        if active(c, day) and c.status != "draft"
        and (not c.slots or any(not a.slot.channels or channel in a.slot.channels for a in airings(c, day)))
    ]  # fmt: skip


def iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="milliseconds")


def slug(channel: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in channel) or "channel"


class Watcher:
    """The trackers of a channel's campaigns for one day, at the channel's picture size (module docstring)."""

    def __init__(
        self, channel: str, campaigns: list[Campaign], day: dt.date, size: tuple[int, int], records: Records,
        clock: Clock,
    ) -> None:  # fmt: skip
        self.channel, self.records, self.clock, self.day = channel, records, clock, day
        self.zone = zoneinfo.ZoneInfo(campaigns[0].timezone) if campaigns else dt.UTC
        self.refs: list[Reference] = []
        for c in on_channel(campaigns, channel, day):
            made = references(c, day)  # the output at the channel's own size first, else the first
            self.refs += sorted(made, key=lambda r: (r.width, r.height) != size)[:1]
        self.trackers = [Tracker(r, size) for r in self.refs]
        self.kept: list[list[av.VideoFrame]] = [[] for _ in self.refs]  # first and latest picture of each run
        self.shots: list[list[list[av.VideoFrame]]] = [[] for _ in self.refs]  # of each airing closed, in order
        self.clips: list[dict[float, bytes]] = [{} for _ in self.refs]  # of each run, by its first picture's time
        self.clipper: Clipper | None = None  # set when the stream's own packets are at hand
        self.said = [0] * len(self.refs)  # airings made records of
        self.bands_said = [0] * len(self.refs)

    def picture(self, t: float, frame: av.VideoFrame) -> None:
        if not self.trackers:
            return
        picture = picture_of(frame)
        for k, tracker in enumerate(self.trackers):
            before, running = len(tracker.airings), tracker.run
            tracker.picture(t, picture)
            self.shots[k] += [self.kept[k]] * (len(tracker.airings) - before)
            if tracker.run is None:
                self.kept[k] = []
            elif tracker.run is not running:
                self.kept[k] = [frame, frame]
            else:
                self.kept[k] = [self.kept[k][0], frame]
            self._clip(k, t, before)

    def _clip(self, k: int, t: float, before: int) -> None:
        """An airing's first CLIP seconds as the channel's packets, taken once they have come (or when the airing
        ends sooner)."""
        if self.clipper is None:
            return
        clips, tracker = self.clips[k], self.trackers[k]
        for a in tracker.airings[before:]:
            if a.start not in clips:
                clips[a.start] = self.clipper(a.start, min(CLIP, a.end - a.start)) or b""
        run = tracker.run
        if run is not None and run.first not in clips and t >= run.first + CLIP:
            clips[run.first] = self.clipper(run.first, CLIP) or b""

    def end(self) -> None:
        for k, tracker in enumerate(self.trackers):
            before = len(tracker.airings)
            tracker.end()
            self.shots[k] += [self.kept[k]] * (len(tracker.airings) - before)
            self.kept[k] = []
            self._clip(k, tracker.airings[-1].end if tracker.airings else 0.0, before)

    def following(self, wall: Wall) -> list[tuple[str, dt.datetime]]:
        """The airings being followed now, not ended yet: (campaign, start on the wall clock)."""
        return [(ref.campaign, wall(t.run.first)) for t, ref in zip(self.trackers, self.refs, strict=True) if t.run]

    def found(self, wall: Wall) -> list[Record]:
        """The records of what was found since the last call (the evidence written as they are made)."""
        made: list[Record] = []
        for k, (tracker, ref) in enumerate(zip(self.trackers, self.refs, strict=True)):
            for n in range(self.said[k], len(tracker.airings)):
                a, begin = tracker.airings[n], wall(tracker.airings[n].start)
                local = begin.astimezone(self.zone)
                names = tuple(
                    self.records.add_evidence(local.date(), "frames",
                                              f"{slug(self.channel)}-{ref.campaign}-{local:%H%M%S}-{i}.png", png(f))
                    for i, f in enumerate(self.shots[k][n])
                )  # fmt: skip
                if clip := self.clips[k].pop(a.start, b""):
                    name = f"{slug(self.channel)}-{ref.campaign}-{local:%H%M%S}.ts"
                    names += (self.records.add_evidence(local.date(), "clips", name, clip),)
                self.shots[k][n] = []  # the pictures are kept no longer than needed
                fact = Aired(
                    iso(begin), iso(wall(a.end)), campaign=ref.campaign, version=ref.key, full=a.passes >= 1,
                    evidence=names, passes=a.passes, cut=a.cut, confidence=round(a.confidence, 3),
                    stream=(round(a.start, 3), round(a.end, 3)),
                )  # fmt: skip
                made.append(Record(Source.WATCH, self.channel, local.date(), fact, self.clock))
            self.said[k] = len(tracker.airings)
            for b in tracker.bands[self.bands_said[k] :]:
                local = wall(b.start).astimezone(self.zone)
                unlike = Unrecognised(iso(wall(b.start)), iso(wall(b.end)), ref.campaign)
                made.append(Record(Source.WATCH, self.channel, local.date(), unlike, self.clock))
            self.bands_said[k] = len(tracker.bands)
        return made
