"""What playout says it aired, turned into records (ticker.records.lines): an as-run CSV, or CasparCG's own log
read by ticker itself (ticker.records.casparcg); imported into the records folder once however often it is
given; and the folder's airings written out as the same CSV, for a spreadsheet. The CSV is an import and an
export; the records are what is kept.

An as-run CSV (UTF-8, a header line, at most 10 MB) has the columns start, channel and file (others are read
when there: end, campaign; any more are passed over). `start` and `end` are ISO 8601, local to the records'
timezone when they carry no offset. A CSV is taken to list every airing of the days it has lines for, on each
channel it names: each such channel and day is covered whole (00:00 to 24:00), so that a scheduled airing it
does not list was not played.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ticker.errors import InputError
from ticker.files import read_input
from ticker.records.casparcg import casparcg_records, iso
from ticker.records.folder import Reading, Records
from ticker.records.lines import Aired, Clock, Covered, Record, Source, moment

AS_RUN_LIMIT = 10_000_000  # bytes of an as-run CSV: a year of a busy channel's lines is far less
LOG_LIMIT = 200_000_000  # bytes of a CasparCG log: a day's is a few MB, a verbose one some tens
AS_RUN_COLUMNS = ("start", "channel", "file")
EXPORT_COLUMNS = ("start", "channel", "file", "end", "source", "campaign")
CSV_CLOCK = Clock(basis="log", how="as-run CSV")
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell a spreadsheet would take for a formula
ONE_DAY = dt.timedelta(days=1)
AsRunKind = Literal["csv", "casparcg"]


@dataclass(frozen=True)
class AsRunSource:
    """Where what aired is read from: an as-run CSV or a CasparCG log, and the station's channel it is of (""
    for a CSV, whose lines name their channels)."""

    kind: AsRunKind
    path: Path
    channel: str = ""


def as_run_source(spec: str, channel: str | None) -> AsRunSource:
    """`casparcg:LOG`, `csv:FILE` or `FILE` (a CSV); a CasparCG log needs the channel it is of."""
    kind, colon, rest = spec.partition(":")
    if colon and kind in ("csv", "casparcg"):
        if not rest:
            raise InputError(f"{spec!r}: names no file; give {kind}:FILE.")
        found: AsRunKind = "casparcg" if kind == "casparcg" else "csv"
    else:
        found, rest = "csv", spec
    if not rest.strip():
        raise InputError("the as-run source names no file; give a CSV file or casparcg:LOG.")
    name = (channel or "").strip()
    if channel is not None and not name:
        raise InputError("--channel: give the name of the station's channel (as the campaigns' slots name it).")
    if found == "casparcg" and not name:
        raise InputError(
            f"{spec}: a CasparCG log does not say which of the station's channels it played; give --channel NAME."
        )
    return AsRunSource(found, Path(rest), name)


def read_source(source: AsRunSource, timezone: str) -> list[Record]:
    """The records of what the source says aired, its times read in `timezone`."""
    if source.kind == "casparcg":
        raw = read_input(source.path, "CasparCG log", LOG_LIMIT)
        text = raw.decode("utf-8", "replace").removeprefix("\ufeff")
        return casparcg_records(text, str(source.path), source.channel, timezone)
    return read_as_run(source.path, timezone, source.channel)


def read_as_run(path: Path, timezone: str, channel: str = "") -> list[Record]:
    """An as-run CSV's airings and the days it covers (module docstring); `channel` for a line that names none.
    Every bad line is one sentence naming the file and the line, all of them in one InputError."""
    return csv_records(read_input(path, "as-run file", AS_RUN_LIMIT), str(path), timezone, channel)


def _time(text: str, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)


def _uncell(text: str) -> str:
    """A cell as it was before export_csv kept a spreadsheet from taking it for a formula."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA else text


def _cell(text: str) -> str:
    return "'" + text if text[:1] in FORMULA else text


def csv_records(raw: bytes, shown: str, timezone: str, channel: str = "") -> list[Record]:
    """read_as_run, from the CSV's bytes (`shown`: the file as sentences name it)."""
    zone = zoneinfo.ZoneInfo(timezone)
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(f"{shown} line {line}: is not UTF-8 text; save it as UTF-8.") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{shown}: is empty; it needs a header line {','.join(AS_RUN_COLUMNS)}.") from None
    except csv.Error as e:
        raise InputError(f"{shown} line 1: is not CSV ({e}).") from None
    missing = [c for c in AS_RUN_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"{shown} line 1: the header has no column {', '.join(missing)} (it needs {','.join(AS_RUN_COLUMNS)})."
        )
    where = {c: header.index(c) for c in (*AS_RUN_COLUMNS, "end", "campaign") if c in header}
    rows: list[Record] = []
    problems: list[str] = []
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) < len(header):
                problems.append(f"{shown} line {line}: has {len(fields)} fields, the header {len(header)}.")
                continue
            value = {c: _uncell(fields[i].strip()) for c, i in where.items()}
            start = _time(value["start"], zone)
            if start is None:
                said = f"start {value['start']!r} is not a time like 2020-03-12T06:30:00."
                problems.append(f"{shown} line {line}: {said}")
                continue
            end = _time(value.get("end", ""), zone) if value.get("end") else None
            if value.get("end") and (end is None or end < start):
                why = "is not a time like 2020-03-12T06:30:20" if end is None else "is before its start"
                problems.append(f"{shown} line {line}: end {value['end']!r} {why}.")
                continue
            if not value["file"] and not value.get("campaign"):
                problems.append(f"{shown} line {line}: names no file.")
                continue
            fact = Aired(iso(start), iso(end) if end else None, value["file"], value.get("campaign", ""), line=line)
            rows.append(Record(Source.CSV, value["channel"] or channel, start.date(), fact, CSV_CLOCK))
    except csv.Error as e:
        problems.append(f"{shown} line {reader.line_num}: is not CSV ({e}).")
    if problems:
        raise InputError(" ".join(problems[:20]) + (f" ({len(problems) - 20} more)" if len(problems) > 20 else ""))
    whole = [
        Record(Source.CSV, ch, day, Covered(iso(_midnight(day, zone)), iso(_midnight(day + ONE_DAY, zone))), CSV_CLOCK)
        for ch, day in sorted({(r.channel, r.day) for r in rows})
    ]
    return rows + whole


def _midnight(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), zone)


def _airing(r: Record) -> tuple[Source, str, dt.datetime, str, str]:
    assert isinstance(r.fact, Aired)
    return r.source, r.channel, moment(r.fact.start), r.fact.file, r.fact.campaign


def _end(fact: Aired) -> dt.datetime | None:
    return moment(fact.end) if fact.end else None


class _Known:
    """What the folder already holds, to tell a line it would only repeat."""

    def __init__(self, records: Iterable[Record]):
        self.ends: dict[tuple[Source, str, dt.datetime, str, str], set[dt.datetime | None]] = {}
        self.spans: dict[tuple[Source, str], list[tuple[dt.datetime, dt.datetime]]] = {}
        self.other: set[tuple[Source, str, dt.date, object]] = set()
        for r in records:
            self.add(r)

    def add(self, r: Record) -> None:
        if isinstance(r.fact, Aired):
            self.ends.setdefault(_airing(r), set()).add(_end(r.fact))
        elif isinstance(r.fact, Covered):
            self.spans.setdefault((r.source, r.channel), []).append((moment(r.fact.start), moment(r.fact.end)))
        else:
            self.other.add((r.source, r.channel, r.day, r.fact))

    def knows(self, r: Record) -> bool:
        """An airing known with the same start and file (and end, when this one says its end); a span inside
        one known; anything else known as it is."""
        if isinstance(r.fact, Aired):
            ends = self.ends.get(_airing(r))
            return ends is not None and (r.fact.end is None or _end(r.fact) in ends)
        if isinstance(r.fact, Covered):
            start, end = moment(r.fact.start), moment(r.fact.end)
            return any(a <= start and end <= b for a, b in self.spans.get((r.source, r.channel), ()))
        return (r.source, r.channel, r.day, r.fact) in self.other


def import_as_run(records: Records, rows: list[Record]) -> int:
    """Add the lines the folder does not hold yet (same source, channel, start and file, and the same end when
    the line says one), so that the same log imported twice adds nothing; how many were added."""
    if not rows:
        return 0
    with records.locked():
        days = [r.day for r in rows]
        known = _Known(records.read(min(days), max(days)).records)
        fresh = []
        for r in rows:
            if not known.knows(r):
                fresh.append(r)
                known.add(r)
        records.append(fresh)
    return len(fresh)


def export_csv(reading: Reading, channel: str | None = None) -> str:
    """The airings of a reading (every source's), by start, as an as-run CSV with end, source and campaign
    columns besides (UTF-8 with a byte-order mark, which spreadsheets need to read it as UTF-8); only those of
    `channel` (and of every channel) when given. An airing a source said twice, once without its end, is one
    row, with its end."""
    rows = [r for r in reading.records if isinstance(r.fact, Aired) and (channel is None or r.channel in (channel, ""))]
    ended = {_airing(r) for r in rows if isinstance(r.fact, Aired) and r.fact.end}
    seen: set[tuple[object, ...]] = set()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for r in sorted(rows, key=lambda r: (_airing(r)[2], r.channel, str(r.source))):
        fact = r.fact
        assert isinstance(fact, Aired)
        key = (*_airing(r), _end(fact))
        if key in seen or (fact.end is None and _airing(r) in ended):
            continue
        seen.add(key)
        cells = (fact.start, r.channel, fact.file, fact.end or "", str(r.source), fact.campaign)
        writer.writerow([_cell(c) for c in cells])
    return "\ufeff" + out.getvalue()
