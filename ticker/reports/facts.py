"""The report back to the department (báo cáo kết quả thực hiện): what happened to a campaign over its window,
from the records (ticker.records), never from the campaign file as it is now.

For each day: the airings that night planned, with the words and the approval they aired under (the night's
delivery record; the campaign's schedule only for a day with none), and what became of each by the one rule of
ticker.records.count (seen > inserted > played > delivered > scheduled). A day after the report's moment has not
come yet; a day before the records folder began has no records, which is not the same as nothing delivered.
ticker.reports.words, .docx and .html lay these facts out as a letter (their shape: ticker.reports.shape)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ticker import __version__
from ticker.campaign import Campaign, airings, clips, file_name, outputs_for
from ticker.campaign.calendar import WEEKDAYS, schedule_days, time_label, vn_date
from ticker.errors import InputError
from ticker.records import (
    STRENGTH,
    Counted,
    Covered,
    DayCheck,
    Delivery,
    LeftOut,
    Mine,
    Reading,
    Record,
    Slot,
    Source,
    Strength,
    count,
    moment,
    stem,
)
from ticker.reports.shape import (
    AiringFacts,
    AiringState,
    Basis,
    DayFacts,
    DayState,
    ExtraFacts,
    Facts,
    FileFacts,
    RowFacts,
    SealFacts,
    Totals,
    Version,
)

EVERY_CHANNEL = "tất cả các kênh"
BASIS_OF: dict[Strength, Basis] = {Strength.SEEN: "seen", Strength.INSERTED: "inserted", Strength.PLAYED: "played",
                                   Strength.DELIVERED: "delivered", Strength.SCHEDULED: "none"}  # fmt: skip
LEFT_OUT_VN = {"draft": "bản nháp, chưa được duyệt", "not approved": "chưa được duyệt",
               "voided": "nội dung đã sửa sau khi duyệt, chưa được duyệt lại"}  # fmt: skip


def date_line(place: str, day: dt.date) -> str:
    """Hậu Giang, ngày 05 tháng 02 năm 2020: day below 10 and months 1 and 2 with a 0 (Nghị định 30/2020)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place or '…'}, ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class Planned:
    """An airing of a day as the report accounts for it: when, on which channel, whether its files were made."""

    start: dt.datetime
    channel: str
    delivered: bool


@dataclass(frozen=True)
class Night:
    """What the records say the nights did for the campaign on a day."""

    deliveries: dict[str, Delivery]  # channel → its last version
    left_out: LeftOut | None


def _nights(records: Iterable[Record], name: str) -> dict[dt.date, Night]:
    deliveries: dict[dt.date, dict[str, Delivery]] = {}
    left: dict[dt.date, LeftOut] = {}
    for r in records:
        if r.source != Source.NIGHTLY:
            continue
        if isinstance(r.fact, Delivery) and r.fact.campaign == name:
            mine = deliveries.setdefault(r.day, {})
            if r.channel not in mine or mine[r.channel].version <= r.fact.version:
                mine[r.channel] = r.fact
        elif isinstance(r.fact, LeftOut) and r.fact.campaign == name:
            left[r.day] = r.fact
    return {d: Night(deliveries.get(d, {}), left.get(d)) for d in deliveries.keys() | left.keys()}


def _planned(campaign: Campaign, day: dt.date, night: Night | None) -> list[Planned]:
    """The day's airings: as that night planned them when it delivered, else as the campaign schedules them."""
    if night is not None and night.deliveries:
        return [
            Planned(moment(p.start), channel, bool(p.files))
            for channel, d in sorted(night.deliveries.items())
            for p in d.airings
        ]
    return [Planned(a.start, ch, False) for a in airings(campaign, day) for ch in (a.slot.channels or ("",))]


def _mine(campaign: Campaign, days: list[dt.date], nights: Mapping[dt.date, Night]) -> Mine:
    """The campaign as playout names it: its name, the files it makes, the files the nights delivered."""
    names = {stem(file_name(campaign, c.output)) for d in days for c in clips(campaign, d, outputs_for(campaign))}
    names |= {stem(f.path) for n in nights.values() for d in n.deliveries.values() for f in d.files}
    return Mine(campaign.name, frozenset(names))


def _basis(counted: list[Counted], spans: set[Source]) -> Basis:
    strongest = max([STRENGTH[s] for c in counted for s in c.sources] + [STRENGTH[s] for s in spans], default=None)
    if strongest is not None:
        return BASIS_OF[strongest]
    return "delivered" if any(c.slot.delivered for c in counted) else "none"


def _row(
    channel: str, counted: list[Counted], later: list[Planned], spans: set[Source], situation: DayState, reason: str
) -> RowFacts:
    zone_times: list[tuple[dt.datetime, AiringFacts]] = []
    for c in counted:
        state: AiringState = c.state
        if state == "not delivered" and situation in ("left out", "no records"):
            state = situation
        zone_times.append((c.slot.start, {"time": "", "state": state, "sources": [str(s) for s in c.sources]}))
    zone_times += [(p.start, {"time": "", "state": "not yet", "sources": []}) for p in later]
    zone_times.sort(key=lambda t: t[0])
    for start, a in zone_times:
        a["time"] = time_label(start.time().replace(microsecond=0))
    basis = _basis(counted, spans)
    aired = sum(c.state == "aired" for c in counted)
    delivered = sum(c.state == "delivered" for c in counted)
    n = aired if basis in ("seen", "inserted", "played") else delivered if basis == "delivered" else 0
    if not counted:
        state_row: DayState = "not yet"
    elif situation != "done" and not aired:
        state_row = situation
    elif any(c.state == "not delivered" for c in counted):
        state_row = "incomplete"
    else:
        state_row = "done"
    return {
        "channel": channel,
        "channel_vn": channel or EVERY_CHANNEL,
        "state": state_row,
        "basis": basis if counted else "none",
        "airings": [a for _, a in zone_times],
        "scheduled": len(zone_times),
        "count": n,
        "reason": reason,
    }


def _day(
    campaign: Campaign,
    day: dt.date,
    night: Night | None,
    records: list[Record],
    mine: Mine,
    as_of: dt.datetime,
    began: dt.date | None,
) -> tuple[DayFacts, list[Counted], list[ExtraFacts]]:
    zone = zoneinfo.ZoneInfo(campaign.timezone)
    planned = _planned(campaign, day, night)
    reached = [p for p in planned if p.start <= as_of]
    later = [p for p in planned if p.start > as_of]
    reason = ""
    if night is not None and night.deliveries:
        situation: DayState = "done"
    elif night is not None and night.left_out is not None:
        situation, reason = "left out", LEFT_OUT_VN[night.left_out.reason]
    elif began is None or day < began:
        situation = "no records"
    else:
        situation = "not delivered"
    slots = [Slot(p.start.astimezone(zone), p.channel, p.delivered) for p in reached]
    counted, extras = count(mine, slots, records)
    spans = {(r.source, r.channel) for r in records if isinstance(r.fact, Covered)}
    rows = []
    for channel in dict.fromkeys(p.channel for p in planned):
        here = [c for c in counted if c.slot.channel == channel]
        listening = {s for s, ch in spans if not ch or not channel or ch == channel}
        rows.append(_row(channel, here, [p for p in later if p.channel == channel], listening, situation, reason))
    if not planned:
        rows.append(_row("", [], [], set(), "not yet", ""))
        rows[-1]["state"] = situation if day <= as_of.date() else "not yet"
    said: list[ExtraFacts] = [
        {
            "time": time_label(e.start.astimezone(zone).time().replace(microsecond=0)),
            "channel": e.channel,
            "file": e.file,
            "source": str(e.source),
        }
        for e in extras
    ]
    facts: DayFacts = {
        "date": day.isoformat(),
        "date_vn": vn_date(day),
        "weekday": WEEKDAYS[day.weekday()],
        "rows": rows,
        "extra": said,
    }
    return facts, counted, said


def _versions(nights: Mapping[dt.date, Night]) -> list[Version]:
    """The words as they aired, a version per run of days with the same words and approval."""
    found: list[Version] = []
    for day in sorted(nights):
        deliveries = nights[day].deliveries
        if not deliveries:
            continue
        d = deliveries[sorted(deliveries)[0]]
        approval = {"by": d.approval.by, "at": d.approval.at, "key": d.approval.key} if d.approval else None
        last = found[-1] if found else None
        if last is not None and last["words"] == list(d.words) and last["approval"] == approval:
            last["days"].append(day.isoformat())
            last["last_vn"] = vn_date(day)
            continue
        found.append({"words": list(d.words), "days": [day.isoformat()], "first_vn": vn_date(day),
                      "last_vn": vn_date(day), "approval": approval})  # type: ignore[typeddict-item]  # fmt: skip
    return found


def _files(nights: Mapping[dt.date, Night], days: list[dt.date]) -> list[FileFacts]:
    files: dict[str, FileFacts] = {}
    for day in days:
        night = nights.get(day)
        for d in night.deliveries.values() if night else ():
            for f in d.files:
                entry = files.setdefault(f.path, {"path": f.path, "sha256": f.sha256, "bytes": f.bytes, "days": []})
                if day.isoformat() not in entry["days"]:
                    entry["days"].append(day.isoformat())
    return list(files.values())


SEAL_STATES = ("unchanged", "altered", "unsealed", "no records")


def _seals(checks: Iterable[DayCheck]) -> list[SealFacts]:
    return [
        {"date": c.day.isoformat(), "date_vn": vn_date(c.day), "state": c.state, "chain": c.chain, "said": list(c.said)}
        for c in checks
    ]


def campaign_facts(
    campaign: Campaign,
    station: Mapping[str, str],
    reading: Reading | None,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    date: dt.date | None = None,
    now: dt.datetime | None = None,
    checks: Iterable[DayCheck] = (),
) -> Facts:
    """Everything the report says about a campaign (module docstring). `reading`: the records of the window
    (None: no records folder); `date`: the report's date (default today), whose end it counts up to at most;
    `checks`: the seals of the days reached."""
    zone = zoneinfo.ZoneInfo(campaign.timezone)
    now = (now or dt.datetime.now(zone)).astimezone(zone)
    report_day = date or now.date()
    as_of = min(now, dt.datetime.combine(report_day + dt.timedelta(days=1), dt.time(), zone))
    days = schedule_days([campaign], first or campaign.start, last or campaign.end)
    records = list(reading.records) if reading else []
    nights = _nights(records, campaign.name)
    mine = _mine(campaign, days, nights)
    by_day: dict[dt.date, list[Record]] = {}
    for r in records:
        if r.source != Source.NIGHTLY:
            by_day.setdefault(r.day, []).append(r)
    began = reading.began if reading else None
    rows: list[DayFacts] = []
    counted: list[Counted] = []
    extras = 0
    bases: dict[str, list[str]] = {}
    for day in days:
        facts_day, c, e = _day(campaign, day, nights.get(day), by_day.get(day, []), mine, as_of, began)
        rows.append(facts_day)
        counted += c
        extras += len(e)
        for row in facts_day["rows"]:
            if row["basis"] != "none":
                seen = bases.setdefault(row["basis"], [])
                if day.isoformat() not in seen:
                    seen.append(day.isoformat())
    totals: Totals = {
        "scheduled": len(counted),
        "count": sum(r["count"] for d in rows for r in d["rows"]),
        "aired": sum(c.state == "aired" for c in counted),
        "delivered": sum(c.state == "delivered" for c in counted),
        "missed": sum(c.state == "missed" for c in counted),
        "extra": extras,
        "not_yet": sum(a["state"] == "not yet" for d in rows for r in d["rows"] for a in r["airings"]),
    }
    source = campaign.source
    last_airing = max((a.start for d in days for a in airings(campaign, d)), default=None)
    return {
        "ticker": __version__,
        "campaign": campaign.name,
        "title": campaign.title,
        "file": str(campaign.path),
        "date": report_day.isoformat(),
        "date_line": date_line(station.get("place") or (source.place if source else ""), report_day),
        "as_of": as_of.isoformat(timespec="minutes"),
        "interim": bool(days) and (last_airing is None or as_of < last_airing) and as_of.date() <= days[-1],
        "station": {k: station.get(k, "") for k in ("name", "short", "place", "signer_title", "signer")},
        "source": source.as_json() if source else None,
        "window": {"from": days[0].isoformat() if days else None, "to": days[-1].isoformat() if days else None},
        "days": rows,
        "bases": bases,
        "totals": totals,
        "versions": _versions({d: n for d, n in nights.items() if d in set(days) and d <= as_of.date()}),
        "files": _files(nights, [d for d in days if d <= as_of.date()]),
        "seals": _seals(checks),
        "problems": list(reading.problems) if reading else [],
        "records": reading is not None,
    }


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
