"""The one rule that says what happened to a scheduled airing, from the records (ticker.records.lines).

Each scheduled airing takes the strongest evidence there is: seen on air (watch) > inserted (air) > played (a
playout log, an as-run CSV) > delivered (the night's files) > scheduled. A source's airing serves the scheduled
airing on one of its channels (any, when the slot names none) that starts within MATCH of it and is of its
campaign (by name, or by a file of its); each serves one airing, the nearest. An airing is counted once however
many sources saw it. A band not recognised never counts, nor does an airing of which no whole pass was on air.
An airing inside a span a source was listening (a `covered` record) that the source did not report was missed.
What a source reports of the campaign that no scheduled airing explains is an extra, said once however many
sources report it; the same airing reported twice by one source is one airing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

from ticker.records.lines import Aired, Covered, Record, Source, moment

MATCH = dt.timedelta(minutes=5)  # a source's airing this close to a scheduled time is that airing


class Strength(IntEnum):
    SCHEDULED = 0
    DELIVERED = 1
    PLAYED = 2
    INSERTED = 3
    SEEN = 4


STRENGTH = {Source.CSV: Strength.PLAYED, Source.PLAYOUT_LOG: Strength.PLAYED, Source.AIR: Strength.INSERTED,
            Source.WATCH: Strength.SEEN}  # fmt: skip
AiringState = Literal["aired", "partial", "missed", "delivered", "not delivered"]


def stem(name: str) -> str:
    """A file as a playout log or CSV names it, compared: its last path part, without extension, lower case."""
    base = re.split(r"[\\/]", name)[-1].lower()
    return base.rsplit(".", 1)[0] if "." in base else base


@dataclass(frozen=True)
class Mine:
    """A campaign as sources name it: by its name, or by a file of its (the stems of its delivered files and of
    the files it makes)."""

    campaign: str
    names: frozenset[str] = frozenset()

    def ours(self, fact: Aired) -> bool:
        if fact.campaign:
            return fact.campaign == self.campaign
        s = stem(fact.file)
        return s in self.names or s.startswith(self.campaign.lower())


@dataclass(frozen=True)
class Slot:
    """A scheduled airing to account for: its start, its channel ("" every channel), whether its files were
    delivered."""

    start: dt.datetime
    channel: str
    delivered: bool

    def on(self, channel: str) -> bool:
        return not self.channel or not channel or channel == self.channel


@dataclass(frozen=True)
class Counted:
    slot: Slot
    state: AiringState
    strength: Strength
    sources: tuple[Source, ...]  # the sources that saw it aired (or partly)


@dataclass(frozen=True)
class Extra:
    """An airing of the campaign a source reports that no scheduled airing explains."""

    source: Source
    channel: str
    start: dt.datetime
    file: str


def _covered(slot: Slot, spans: list[tuple[Source, str, dt.datetime, dt.datetime]]) -> bool:
    return any(slot.on(ch) and a <= slot.start <= b for _, ch, a, b in spans)


def count(mine: Mine, slots: Iterable[Slot], records: Iterable[Record]) -> tuple[list[Counted], list[Extra]]:
    """What became of each scheduled airing (in the order given), and the extras (module docstring)."""
    slots = list(slots)
    by_source: dict[Source, list[Record]] = {}
    spans: list[tuple[Source, str, dt.datetime, dt.datetime]] = []
    for r in records:
        if r.source not in STRENGTH:
            continue
        if isinstance(r.fact, Aired):
            by_source.setdefault(r.source, []).append(r)
        elif isinstance(r.fact, Covered):
            spans.append((r.source, r.channel, moment(r.fact.start), moment(r.fact.end)))
    matched: dict[int, list[tuple[Source, bool]]] = {}
    extras: list[Extra] = []
    for source, rows in sorted(by_source.items()):
        rows = sorted(rows, key=lambda r: moment(r.fact.start))  # type: ignore[union-attr]
        used: dict[int, int] = {}  # row → slot
        for i, slot in sorted(enumerate(slots), key=lambda s: s[1].start):
            near = [
                (abs(moment(f.start) - slot.start), j)
                for j, r in enumerate(rows)
                if j not in used and isinstance(f := r.fact, Aired) and mine.ours(f) and slot.on(r.channel)
                and abs(moment(f.start) - slot.start) <= MATCH
            ]  # fmt: skip
            if near:
                j = min(near)[1]
                used[j] = i
                matched.setdefault(i, []).append((source, rows[j].fact.full is not False))  # type: ignore[union-attr]
        for j, r in enumerate(rows):
            fact = r.fact
            assert isinstance(fact, Aired)
            if j in used or not mine.ours(fact):
                continue
            start = moment(fact.start)
            twin = any(_same(rows[k], r) for k in used)
            if not twin:
                extras.append(Extra(source, r.channel, start, fact.file or fact.campaign))
    counted = []
    for i, slot in enumerate(slots):
        seen = matched.get(i, [])
        whole = [s for s, full in seen if full]
        if whole:
            counted.append(Counted(slot, "aired", max(STRENGTH[s] for s in whole), tuple(whole)))
        elif seen:
            counted.append(Counted(slot, "partial", Strength.DELIVERED if slot.delivered else Strength.SCHEDULED,
                                   tuple(s for s, _ in seen)))  # fmt: skip
        elif _covered(slot, spans):
            counted.append(Counted(slot, "missed", Strength.DELIVERED if slot.delivered else Strength.SCHEDULED, ()))
        else:
            state: AiringState = "delivered" if slot.delivered else "not delivered"
            counted.append(Counted(slot, state, Strength.DELIVERED if slot.delivered else Strength.SCHEDULED, ()))
    return counted, _once(extras)


def _same(known: Record, other: Record) -> bool:
    """Whether a source's line says again an airing it said already (a log line written twice, a CSV listing
    it twice): on the same channel, within MATCH of it, and, when the source says when each ended, over the
    same span (a watch's two airings a minute apart are two)."""
    a, b = known.fact, other.fact
    assert isinstance(a, Aired) and isinstance(b, Aired)
    if known.channel != other.channel or abs(moment(a.start) - moment(b.start)) > MATCH:
        return False
    if a.end is None or b.end is None:
        return True
    return moment(b.start) < moment(a.end) and moment(a.start) < moment(b.end)  # the two spans overlap


def _once(extras: list[Extra]) -> list[Extra]:
    """An extra reported by several sources is said once (the strongest source's)."""
    kept: list[Extra] = []
    for e in sorted(extras, key=lambda e: (-STRENGTH[e.source], e.start)):
        if not any(k.channel == e.channel and abs(k.start - e.start) <= MATCH for k in kept):
            kept.append(e)
    return sorted(kept, key=lambda e: (e.start, e.channel))
