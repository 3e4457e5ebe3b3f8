"""The records' one format: a JSON object per line, the same for every writer (ticker nightly, ticker watch,
ticker air, an imported playout log or CSV). Each line says who wrote it (`source`), for which channel and day
(the day in the campaign's timezone), when it was written, on which clock its times are read, and one fact
(`kind`): a day's delivery, a campaign left out, an airing, a band not recognised, a span a source was listening.

A line is read back only if it is whole and of this format; anything else in a records file is a sign that the
file is not ticker's, and is said so (ticker.records.folder), never guessed at.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

FORMAT = 1  # the `v` of every line; a reader refuses a line of a later format rather than misread it


class Source(StrEnum):
    """Who wrote a record: what it knows of an airing, from the weakest to the strongest (ticker.records.count)."""

    NIGHTLY = "nightly"  # the files delivered for a day, the words and the approval they were made from
    CSV = "csv"  # an as-run CSV imported (start, channel, file)
    PLAYOUT_LOG = "playout-log"  # a playout server's own log read by ticker (CasparCG)
    AIR = "air"  # ticker air inserted the crawl into the channel
    WATCH = "watch"  # ticker watch saw the crawl in the channel's output


class Kind(StrEnum):
    DELIVERY = "delivery"  # nightly: a campaign's files for a day on a channel
    LEFT_OUT = "left-out"  # nightly: a campaign active on the day that may not air, and why
    AIRING = "airing"  # an airing as a source knows it
    UNRECOGNISED = "unrecognised"  # a band of a campaign's look whose words match none approved: never counts
    COVERED = "covered"  # a span a source listened to the channel: an airing in it it did not report was missed


Sync = Literal["synchronised", "unsynchronised", "unknown"]
Basis = Literal["host", "log", "stream"]  # the host's clock, a log's own times, a stream's timestamps mapped


@dataclass(frozen=True)
class Clock:
    """What a record's times are read on, and whether that clock was known to be right."""

    basis: Basis = "host"
    sync: Sync = "unknown"
    how: str = ""  # how the sync state was learnt ("timedatectl", "adjtimex"), or what the times are ("CasparCG log")


@dataclass(frozen=True)
class Approved:
    """The approval a day's files were made under: its content key, who gave it and when (ISO 8601)."""

    key: str
    by: str
    at: str


@dataclass(frozen=True)
class DeliveredFile:
    path: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Planned:
    """An airing of the day as the night planned it: its start (ISO 8601 with offset), length and files."""

    start: str
    seconds: float | None = None
    passes: int | None = None
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """What a night delivered for one campaign on one channel: a new version each time the night runs again."""

    campaign: str
    title: str
    version: int
    words: tuple[str, ...]  # the messages as they air that day, placeholders filled
    key: str  # the content key of what the files were made from
    approval: Approved | None
    airings: tuple[Planned, ...]
    files: tuple[DeliveredFile, ...]
    complete: bool
    reason: Literal["", "files missing", "unfinished"] = ""  # why not complete


@dataclass(frozen=True)
class LeftOut:
    """A campaign active on the day that the night left out, and why."""

    campaign: str
    reason: Literal["draft", "not approved", "voided"]


@dataclass(frozen=True)
class Aired:
    """An airing as a source knows it: when it started and ended (ISO 8601 with offset; None when the source
    does not say), which file or campaign, whether a whole pass of the crawl was on air (None: not known, as a
    playout log's play), and the evidence kept for it (names under the day's evidence folder)."""

    start: str
    end: str | None = None
    file: str = ""
    campaign: str = ""
    version: str = ""  # the content key recognised, when the source can tell versions apart
    versions: tuple[str, ...] = ()  # the content keys it may be, when the source could not tell which
    full: bool | None = None
    evidence: tuple[str, ...] = ()
    line: int | None = None  # the line of the imported log or CSV it came from
    passes: int | None = None  # whole passes of the text seen (a watch's)
    cut: bool | None = None  # whether the last pass was cut off
    confidence: float | None = None  # how sure the recognition was (the least like picture's correlation)
    stream: tuple[float, float] | None = None  # first and end picture in the stream's own seconds
    instance: str = ""  # which ticker air of a main/backup pair inserted it (the count takes the airing once)
    delay: float | None = None  # ticker air's: seconds from a picture's decoding at its input to its encoding


@dataclass(frozen=True)
class Unrecognised:
    start: str
    end: str | None = None
    campaign: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Covered:
    """A span the source was listening: from start to end (ISO 8601 with offset)."""

    start: str
    end: str


Fact = Delivery | LeftOut | Aired | Unrecognised | Covered
KIND_OF: dict[type, Kind] = {
    Delivery: Kind.DELIVERY,
    LeftOut: Kind.LEFT_OUT,
    Aired: Kind.AIRING,
    Unrecognised: Kind.UNRECOGNISED,
    Covered: Kind.COVERED,
}
FACT_OF: dict[Kind, type] = {k: t for t, k in KIND_OF.items()}


@dataclass(frozen=True)
class Record:
    """One line of a records file."""

    source: Source
    channel: str  # "" for every channel
    day: dt.date  # in the campaign's timezone
    fact: Fact
    clock: Clock = field(default_factory=Clock)
    written: str = ""  # when the line was written (UTC, ISO 8601); set by the folder when empty

    @property
    def kind(self) -> Kind:
        return KIND_OF[type(self.fact)]

    def as_json(self) -> dict[str, Any]:
        return {
            "v": FORMAT,
            "source": str(self.source),
            "kind": str(self.kind),
            "channel": self.channel,
            "day": self.day.isoformat(),
            "written": self.written,
            "clock": asdict(self.clock),
            **asdict(self.fact),
        }

    def line(self) -> bytes:
        """The record as one line of UTF-8 JSON, keys in a fixed order, ending in a line break."""
        return (json.dumps(self.as_json(), ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class NotARecord(ValueError):
    """A line that is not one of ticker's records (the sentence says what is wrong)."""


def _build(kind: type, data: dict[str, Any]) -> Fact:
    names = kind.__dataclass_fields__  # type: ignore[attr-defined]
    values: dict[str, Any] = {}
    for name in names:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, list):
            if name == "airings":
                value = tuple(Planned(**{**a, "files": tuple(a.get("files", ()))}) for a in value)
            elif name == "files" and kind is Delivery:
                value = tuple(DeliveredFile(**f) for f in value)
            else:
                value = tuple(value)
        elif name == "approval" and isinstance(value, dict):
            value = Approved(**value)
        values[name] = value
    return kind(**values)


def parse(text: str) -> Record:
    """A record from its line; NotARecord when it is not one ticker writes."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise NotARecord(f"is not JSON ({e.msg})") from None
    if not isinstance(data, dict):
        raise NotARecord("is not a JSON object")
    if data.get("v") != FORMAT:
        raise NotARecord(f"is of format {data.get('v')!r}, not {FORMAT}")
    try:
        source, kind = Source(data["source"]), Kind(data["kind"])
        clock = Clock(**data["clock"])
        day = dt.date.fromisoformat(data["day"])
        channel, written = data["channel"], data["written"]
        if not isinstance(channel, str) or not isinstance(written, str):
            raise TypeError("channel and written are text")
        fact = _build(FACT_OF[kind], data)
    except (KeyError, TypeError, ValueError) as e:
        raise NotARecord(f"is not a record of ticker's ({type(e).__name__}: {e})") from None
    return Record(source, channel, day, fact, clock, written)


def moment(iso: str) -> dt.datetime:
    """A record's time, which always carries its offset."""
    when = dt.datetime.fromisoformat(iso)
    if when.tzinfo is None:
        raise ValueError(f"{iso}: a record's time carries its offset")
    return when
