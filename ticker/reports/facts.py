"""The report back to the department (báo cáo kết quả thực hiện): the facts of a campaign over its window, as
plain data. For each day, the airings the schedule sets (ticker.campaign.calendar) and their channels; the files the
nightly run delivered for them, with their SHA-256 (OUT/DAY/manifest.json, ticker.files.manifest) and whether the
day's set was complete; and, given what playout says it aired (an as-run CSV), which airings aired, which were
missed and what aired besides. ticker.reports.docx and ticker.reports.html lay the same facts out as a letter."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypedDict

from ticker import __version__
from ticker.campaign import Campaign, airings, clips, file_name, outputs_for
from ticker.campaign.calendar import WEEKDAYS, Airing, schedule_days, time_label, vn_date
from ticker.campaign.operator import Operator
from ticker.errors import InputError
from ticker.files import MANIFEST, read_manifest
from ticker.files.manifest import FileEntry
from ticker.records import Aired, Record, moment

MATCH_MINUTES = 5  # an as-run line this close to a scheduled time is that airing
ALL_CHANNELS = "tất cả các kênh"
DeliveryStatus = Literal["not asked", "not delivered", "complete", "incomplete"]


class Delivery(TypedDict):
    """What a day's manifest says was delivered for a campaign (`complete` None: no output folder asked)."""

    status: DeliveryStatus
    complete: bool | None
    files: list[FileEntry]
    reason: str


class Extra(TypedDict):
    """An as-run line of the campaign's that no scheduled airing explains."""

    time: str
    channel: str
    file: str


class Reconciled(TypedDict):
    """A day's airings against what playout says it aired."""

    scheduled: int
    aired: int
    missed: list[str]  # the times of the airings nothing aired for
    extra: list[Extra]


class ChannelTimes(TypedDict):
    channel: str
    times: list[str]
    count: int


class DayFacts(TypedDict):
    date: str
    date_vn: str
    weekday: str
    channels: list[ChannelTimes]
    times: list[str]
    count: int
    delivery: Delivery
    as_run: Reconciled | None


class FileFacts(FileEntry):
    days: list[str]  # the days it was delivered for


Window = TypedDict("Window", {"from": str | None, "to": str | None})  # "from" is a keyword


class AsRunTotals(TypedDict):
    scheduled: int
    aired: int
    missed: int
    extra: int


class Facts(TypedDict):
    """Everything the report says about a campaign, as JSON-ready data (campaign_facts)."""

    ticker: str
    campaign: str
    title: str
    file: str
    date: str
    date_line: str
    operator: dict[str, str]
    source: dict[str, Any] | None
    window: Window
    days: list[DayFacts]
    total: int
    files: list[FileFacts]
    delivered: bool
    not_delivered: list[str]
    incomplete: list[str]
    as_run: AsRunTotals | None


@dataclass(frozen=True)
class AsRun:
    """One line of what playout aired: when it started (with its offset), on which channel, which file."""

    start: dt.datetime
    channel: str
    file: str
    line: int


def as_run_rows(records: Iterable[Record]) -> list[AsRun]:
    """The airings of as-run records (ticker.records.read_as_run) as the report matches them."""
    return [
        AsRun(moment(r.fact.start), r.channel, r.fact.file or r.fact.campaign, r.fact.line or 0)
        for r in records
        if isinstance(r.fact, Aired)
    ]


def _stem(name: str) -> str:
    """A file as playout names it, compared: its last path part, without extension, in lower case."""
    base = re.split(r"[\\/]", name)[-1].lower()
    return base.rsplit(".", 1)[0] if "." in base else base


def _local(row: AsRun, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return row.start.replace(tzinfo=zone) if row.start.tzinfo is None else row.start.astimezone(zone)


def _channels(a: Airing) -> str:
    return ", ".join(a.slot.channels) or ALL_CHANNELS


def count_vn(n: int) -> str:
    """03 lần: counts as the station's reports write them."""
    return f"{n:02d} lần"


def date_line(place: str, day: dt.date) -> str:
    """Hậu Giang, ngày 05 tháng 02 năm 2020: day below 10 and months 1 and 2 with a 0 (Nghị định 30/2020)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place or '…'}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _delivery(campaign: Campaign, day: dt.date, scheduled: list[Airing], out: Path | None) -> Delivery:
    """What the day's manifest says was delivered for the campaign, and whether that set was whole."""
    if out is None:
        return {"status": "not asked", "complete": None, "files": [], "reason": ""}
    folder = out / day.isoformat()
    if folder.is_symlink():  # a day folder ticker made is never a link: what it claims is not believed
        return {"status": "not delivered", "complete": False, "files": [], "reason": "the day folder is a link"}
    if not (folder / MANIFEST).is_file():
        return {"status": "not delivered", "complete": False, "files": [], "reason": "no manifest"}
    manifest = read_manifest(folder)
    served = {
        r.get("start"): r.get("files", []) for r in manifest.get("airings", []) if r.get("campaign") == campaign.name
    }
    names = {f for files in served.values() if isinstance(files, list) for f in files}
    entries = [
        FileEntry(path=e["path"], sha256=e["sha256"], bytes=e["bytes"])
        for e in manifest["files"]
        if e["path"] in names or e.get("key_of") in names or (not scheduled and e["path"].startswith(campaign.name))
    ]
    left_out = [u for u in manifest.get("unapproved", []) if isinstance(u, dict) and u.get("campaign") == campaign.name]
    unserved = [a.label for a in scheduled if not served.get(a.start.isoformat())]
    complete = bool(manifest.get("complete")) and not unserved and not left_out and bool(entries)
    reason = (
        "left out: " + str(left_out[0].get("reason", "not approved"))
        if left_out
        else f"no file for {', '.join(unserved)}"
        if unserved
        else ""
        if manifest.get("complete")
        else "the nightly run did not finish the day's set"
    )
    if not entries:
        return {"status": "not delivered", "complete": False, "files": [], "reason": reason or "no files"}
    return {
        "status": "complete" if complete else "incomplete",
        "complete": complete,
        "files": entries,
        "reason": reason,
    }


def _reconcile(campaign: Campaign, scheduled: list[Airing], rows: list[AsRun], names: set[str]) -> Reconciled:
    """Aired, missed and extra for a day: an airing is aired by a row on one of its channels (any, when it names
    none) that starts within MATCH_MINUTES of it and names one of the campaign's files."""
    zone = zoneinfo.ZoneInfo(campaign.timezone)
    ours = [r for r in rows if _stem(r.file) in names or _stem(r.file).startswith(campaign.name.lower())]
    used: set[int] = set()
    aired, missed = [], []
    for a in scheduled:
        near = [
            (abs((_local(r, zone) - a.start).total_seconds()), i)
            for i, r in enumerate(ours)
            if i not in used
            and (not a.slot.channels or r.channel in a.slot.channels)
            and abs((_local(r, zone) - a.start).total_seconds()) <= MATCH_MINUTES * 60
        ]
        if near:
            used.add(min(near)[1])
            aired.append(a.label)
        else:
            missed.append(a.label)
    extra: list[Extra] = [
        {"time": time_label(_local(r, zone).time().replace(microsecond=0)), "channel": r.channel, "file": r.file}
        for i, r in enumerate(ours)
        if i not in used
    ]
    return {"scheduled": len(scheduled), "aired": len(aired), "missed": missed, "extra": extra}


def _names(campaign: Campaign, day: dt.date, delivered: list[FileEntry]) -> set[str]:
    """The campaign's file names for a day, as playout may name them."""
    made = {file_name(campaign, c.output) for c in clips(campaign, day, outputs_for(campaign))}
    return {_stem(n) for n in made | {e["path"] for e in delivered}}


def campaign_facts(
    campaign: Campaign,
    operator: Operator,
    first: dt.date | None = None,
    last: dt.date | None = None,
    out: Path | None = None,
    as_run: list[AsRun] | None = None,
    date: dt.date | None = None,
) -> Facts:
    """Everything the report says about a campaign, as JSON-ready data (dates ISO and in Vietnamese form)."""
    days = schedule_days([campaign], first or campaign.start, last or campaign.end)
    zone = zoneinfo.ZoneInfo(campaign.timezone)
    by_day: dict[dt.date, list[AsRun]] = {}
    for r in as_run or []:
        by_day.setdefault(_local(r, zone).date(), []).append(r)
    rows: list[DayFacts] = []
    files: dict[str, FileFacts] = {}
    for day in days:
        scheduled = airings(campaign, day)
        groups: dict[str, list[str]] = {}
        for a in scheduled:
            groups.setdefault(_channels(a), []).append(a.label)
        delivery = _delivery(campaign, day, scheduled, out)
        for e in delivery["files"]:
            files.setdefault(e["path"], FileFacts(**e, days=[]))["days"].append(day.isoformat())
        row: DayFacts = {
            "date": day.isoformat(),
            "date_vn": vn_date(day),
            "weekday": WEEKDAYS[day.weekday()],
            "channels": [{"channel": ch, "times": times, "count": len(times)} for ch, times in groups.items()],
            "times": [a.label for a in scheduled],
            "count": len(scheduled),
            "delivery": delivery,
            "as_run": None,
        }
        if as_run is not None:
            row["as_run"] = _reconcile(
                campaign, scheduled, by_day.get(day, []), _names(campaign, day, delivery["files"])
            )
        rows.append(row)
    source = campaign.source
    report_day = date or dt.datetime.now(zone).date()
    facts: Facts = {
        "ticker": __version__,
        "campaign": campaign.name,
        "title": campaign.title,
        "file": str(campaign.path),
        "date": report_day.isoformat(),
        "date_line": date_line(operator.place or (source.place if source else ""), report_day),
        "operator": operator.as_json(),
        "source": source.as_json() if source else None,
        "window": {"from": days[0].isoformat() if days else None, "to": days[-1].isoformat() if days else None},
        "days": rows,
        "total": sum(r["count"] for r in rows),
        "files": list(files.values()),
        "delivered": out is not None,
        "not_delivered": [r["date"] for r in rows if out is not None and r["delivery"]["status"] == "not delivered"],
        "incomplete": [r["date"] for r in rows if r["delivery"]["status"] == "incomplete"],
        "as_run": None,
    }
    if as_run is not None:
        checked = [r["as_run"] for r in rows if r["as_run"] is not None]  # every day's, as_run given
        facts["as_run"] = {
            "scheduled": sum(c["scheduled"] for c in checked),
            "aired": sum(c["aired"] for c in checked),
            "missed": sum(len(c["missed"]) for c in checked),
            "extra": sum(len(c["extra"]) for c in checked),
        }
    return facts


def pick(campaigns: list[Campaign], errors: list[str], name: str | None) -> list[Campaign]:
    """The campaigns to report on: the one named, or every one that is not a draft; a sentence if none."""
    if name is not None:
        found = [c for c in campaigns if c.name == name]
        if not found:
            known = ", ".join(c.name for c in campaigns) or "none could be read"
            raise InputError(f"--campaign {name}: no campaign of that name (the folder's: {known}).")
        if found[0].status == "draft":
            raise InputError(f"{found[0].path}: is a draft; nothing of it went on air, so there is nothing to report.")
        return found
    if errors:
        raise InputError(f"{errors[0]} (fix it, or name the campaign to report on with --campaign)")
    ready = [c for c in campaigns if c.status != "draft"]
    if not ready:
        raise InputError("no campaign to report on: every one is a draft.")
    return ready


def report_paths(stem: Path, names: Iterable[str]) -> dict[str, Path]:
    """REPORT (a path without its extension) for one campaign, REPORT-NAME for each of several; the folder
    must exist."""
    names = list(names)
    if not stem.parent.is_dir():
        raise InputError(f"-o {stem}: the folder {stem.parent} does not exist; make it first.")
    if stem.is_dir():
        raise InputError(f"-o {stem}: is a folder; give a path stem such as {stem / 'report'}.")
    if len(names) == 1:
        return {names[0]: stem}
    return {n: stem.with_name(f"{stem.name}-{n}") for n in names}
