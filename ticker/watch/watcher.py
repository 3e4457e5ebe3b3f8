"""One channel's pictures given to the trackers of the campaigns that may air on it that day (ticker.watch.match),
and what they find turned into records (source `watch`) as soon as it is found: each airing with its start and
end in the stream's time and on the wall clock, its passes, whether the last was cut, the version looked for and
how sure; as evidence its first, middle and last pictures, the first showing each message's first words, and its
first seconds as the channel's own packets when the stream is a transport stream (ticker.watch.tap); a band of a
campaign's look with other words as `unrecognised`. A recording and a live stream are watched alike
(ticker.watch.recording, ticker.watch.live); only how the stream's time is put on the wall clock differs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections import deque
from collections.abc import Callable, Iterable

import av

from ticker.approval import content_key
from ticker.campaign import Campaign, airings
from ticker.campaign.calendar import active
from ticker.night import words
from ticker.records import Aired, Clock, EvidenceKind, Record, Records, Source, Unrecognised
from ticker.watch.match import Airing, Tracker
from ticker.watch.pictures import picture_of, png
from ticker.watch.reference import Reference, references
from ticker.watch.versions import Version, told, versions_of

Wall = Callable[[float], dt.datetime]  # the stream's seconds on the wall clock
Clipper = Callable[[float, float], bytes | None]  # the stream's packets from a time, for so many seconds
CLIP = 5.0  # seconds of an airing's start kept as the channel's packets
RECENT = 16  # pictures kept whatever they show: the last of an airing is among them when it is found to have ended
SAMPLE, SAMPLES = 1.0, 8  # seconds between the pictures of a run kept at first; how many at most
QUOTA = 1_000_000_000  # bytes of evidence a channel keeps a day, unless told otherwise


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
        clock: Clock, *, clipper: Clipper | None = None, quota: int | None = QUOTA,
        over: Callable[[str], None] = lambda text: None,
    ) -> None:  # fmt: skip
        """`clipper`: the stream's own packets, when at hand; `quota`: the bytes of evidence the channel keeps a
        day; `over`: told once when it is spent."""
        self.channel, self.records, self.clock, self.day = channel, records, clock, day
        self.zone = zoneinfo.ZoneInfo(campaigns[0].timezone) if campaigns else dt.UTC
        self.refs: list[Reference] = []
        self.versions: list[Version] = []
        delivered = records.read(day, day).records
        for c in on_channel(campaigns, channel, day):
            for v in versions_of(c.name, channel, Version(content_key(c), words(c, day)), delivered):
                made = references(c, day, messages=list(v.words))  # at the channel's own size first, else the first
                ref = sorted(made, key=lambda r: (r.width, r.height) != size)[0]
                self.refs.append(dataclasses.replace(ref, key=v.key))
                self.versions.append(v)
        self.groups: dict[str, list[int]] = {}  # a campaign's trackers, one a version
        for k, ref in enumerate(self.refs):
            self.groups.setdefault(ref.campaign, []).append(k)
        self.trackers = [Tracker(r, size) for r in self.refs]
        self.kept: list[list[tuple[float, av.VideoFrame]]] = [[] for _ in self.refs]  # of each run (_sample)
        self.spacing = [SAMPLE] * len(self.refs)
        self.recent: deque[tuple[float, av.VideoFrame]] = deque(maxlen=RECENT)  # the last pictures, whatever shown
        self.read: list[dict[int, av.VideoFrame]] = [{} for _ in self.refs]  # of the run: each message's first
        self.shots: list[list[list[tuple[str, av.VideoFrame]]]] = [[] for _ in self.refs]  # of each airing closed
        self.clips: list[dict[float, bytes]] = [{} for _ in self.refs]  # of each run, by its first picture's time
        self.clipper = clipper
        self.said = [0] * len(self.refs)  # airings made records of
        self.bands_said = [0] * len(self.refs)
        self.bands_told: list[tuple[float, float]] = []  # the bands said unrecognised
        self.quota, self.over = quota, over
        self.spent = records.evidence_bytes(day, f"{slug(channel)}-")  # by this channel's watch, before a restart
        self.over_said = False

    def picture(self, t: float, frame: av.VideoFrame) -> None:
        if not self.trackers:
            return
        picture = picture_of(frame)
        self.recent.append((t, frame))
        for k, tracker in enumerate(self.trackers):
            before, running = len(tracker.airings), tracker.run
            tracker.picture(t, picture)
            self._closed(k, before)
            self._clip(k, t, before)
            if tracker.run is None:
                self.kept[k], self.read[k] = [], {}
                continue
            if tracker.run is not running:
                self.kept[k], self.spacing[k], self.read[k] = [(t, frame)], SAMPLE, {}
            else:
                self._sample(k, t, frame)
            for i in tracker.reading(t):  # each message's first words, the first time they are on screen
                self.read[k].setdefault(i, frame)

    def _sample(self, k: int, t: float, frame: av.VideoFrame) -> None:
        """The run's pictures kept: its first, its latest, and between them at most SAMPLES more, each twice as far
        apart once there are too many (so one near the middle of the airing is at hand when it ends)."""
        kept = self.kept[k]
        if len(kept) >= 2 and t - kept[-2][0] < self.spacing[k]:
            kept[-1] = (t, frame)  # the latest picture, not yet a sample
            return
        kept.append((t, frame))
        if len(kept) > SAMPLES + 2:
            kept[1:-1] = kept[2:-1:2]
            self.spacing[k] *= 2

    def _closed(self, k: int, before: int) -> None:
        """The first, middle and last pictures of each airing just closed, and the first showing each message's
        first words, for its evidence (named 0, 1, 2 and m1, m2 …)."""
        for a in self.trackers[k].airings[before:]:
            kept = self.kept[k]
            if not kept:
                self.shots[k].append([])
                continue
            middle = min(kept, key=lambda s: abs(s[0] - (a.start + a.end) / 2))
            # the airing's last picture: the tracker may have found where it ended among pictures given since
            last = max((s for s in [*kept, *self.recent] if s[0] < a.end), key=lambda s: s[0], default=kept[-1])
            read = [(f"m{i + 1}", f) for i, f in sorted(self.read[k].items()) if self._before(f, a.end)]
            self.shots[k].append([("0", kept[0][1]), ("1", middle[1]), ("2", last[1]), *read])

    def _before(self, frame: av.VideoFrame, end: float) -> bool:
        """Whether a picture kept was shown before `end` (stream seconds)."""
        return frame.time is None or frame.time < end

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
            self._closed(k, before)
            self.kept[k], self.read[k] = [], {}
            self._clip(k, tracker.airings[-1].end if tracker.airings else 0.0, before)

    def following(self, wall: Wall) -> list[tuple[str, dt.datetime]]:
        """The airings being followed now, not ended yet: (campaign, start on the wall clock)."""
        return [(ref.campaign, wall(t.run.first)) for t, ref in zip(self.trackers, self.refs, strict=True) if t.run]

    def found(self, wall: Wall) -> list[Record]:
        """The records of what was found since the last call (the evidence written as they are made)."""
        made: list[Record] = []
        for group in self.groups.values():
            made += self._airings(group, wall)
            made += self._bands(group, wall)
        return made

    def _airings(self, group: list[int], wall: Wall) -> list[Record]:
        """The campaign's airings closed since the last call, each the versions' airings that overlap (one when
        the campaign has one version), once no version's tracker still follows it."""
        new = sorted(((a.start, a.end, k, n) for k in group
                      for n, a in enumerate(self.trackers[k].airings) if n >= self.said[k]))  # fmt: skip
        clusters: list[list[tuple[float, float, int, int]]] = []
        for item in new:
            if clusters and item[0] < max(c[1] for c in clusters[-1]):
                clusters[-1].append(item)
            else:
                clusters.append([item])
        following = [run.first for k in group if (run := self.trackers[k].run) is not None]
        made = []
        for cluster in clusters:
            if any(first <= max(c[1] for c in cluster) for first in following):
                break  # a version still followed may be this airing's: later
            made.append(self._record(cluster, wall))
            for _, _, k, n in cluster:
                self.said[k] = max(self.said[k], n + 1)
        return made

    def _record(self, cluster: list[tuple[float, float, int, int]], wall: Wall) -> Record:
        spans: dict[int, list[tuple[float, float]]] = {}
        for first, last, j, _ in cluster:
            spans.setdefault(j, []).append((first, last))
        which = told(spans)
        _, _, k, n = max((c for c in cluster if which is None or c[2] == which), key=lambda c: c[1] - c[0])
        a: Airing = self.trackers[k].airings[n]
        ref = self.refs[k]
        begin = wall(min(c[0] for c in cluster))
        local = begin.astimezone(self.zone)
        stem = f"{slug(self.channel)}-{ref.campaign}-{local:%H%M%S}"
        kept = [self._keep(local.date(), "frames", f"{stem}-{i}.png", png(f)) for i, f in self.shots[k][n]]
        if clip := self.clips[k].get(a.start, b""):
            kept.append(self._keep(local.date(), "clips", f"{stem}.ts", clip))
        names = tuple(name for name in kept if name)
        for _, _, j, m in cluster:  # the pictures and packets are kept no longer than needed
            self.shots[j][m] = []
            self.clips[j].pop(self.trackers[j].airings[m].start, None)
        end = max(c[1] for c in cluster)
        fact = Aired(
            iso(begin), iso(wall(end)), campaign=ref.campaign, version=ref.key if which is not None else "",
            versions=() if which is not None else tuple(sorted({self.refs[j].key for j in spans})),
            file=_file(self.versions[k], ref.profile) if which is not None else "", full=a.passes >= 1,
            evidence=names, passes=a.passes, cut=a.cut, confidence=round(a.confidence, 3),
            stream=(round(min(c[0] for c in cluster), 3), round(end, 3)),
        )  # fmt: skip
        return Record(Source.WATCH, self.channel, local.date(), fact, self.clock)

    def _keep(self, day: dt.date, kind: EvidenceKind, name: str, data: bytes) -> str:
        """The evidence kept, unless the channel's quota for the day is spent (then its name is "", and the
        watch is told once, through `over`)."""
        if self.quota is not None and self.spent + len(data) > self.quota:
            if not self.over_said:
                self.over_said = True
                self.over(f"the evidence quota of the day ({self.quota:,} bytes) is spent: airings are recorded "
                          "without more evidence until tomorrow")  # fmt: skip
            return ""
        self.spent += len(data)
        return self.records.add_evidence(day, kind, name, data)

    def _bands(self, group: list[int], wall: Wall) -> list[Record]:
        """Bands of the campaign's look with other words: those no version was seen in, each said once."""
        seen = [(a.start, a.end) for k in group for a in self.trackers[k].airings]
        seen += [(run.first, float("inf")) for k in group if (run := self.trackers[k].run) is not None]
        made: list[Record] = []
        for k in group:
            tracker = self.trackers[k]
            for b in tracker.bands[self.bands_said[k] :]:
                if any(a < b.end and b.start < e for a, e in seen + self.bands_told):
                    continue  # another version's words, or a band already said
                self.bands_told.append((b.start, b.end))
                local = wall(b.start).astimezone(self.zone)
                unlike = Unrecognised(iso(wall(b.start)), iso(wall(b.end)), self.refs[k].campaign)
                made.append(Record(Source.WATCH, self.channel, local.date(), unlike, self.clock))
            self.bands_said[k] = len(tracker.bands)
        return made


def _file(version: Version, profile: str) -> str:
    """The delivered file of the version the crawl was found in (its profile's), if the night delivered one."""
    return next((f for f in version.files if f"_{profile}_" in f.rsplit("/", 1)[-1]), "")
