"""The listing of what airs when and which file serves it: `ticker schedule`'s lines and JSON, the desk's day."""

from __future__ import annotations

import datetime as dt
from typing import TextIO, TypedDict

from ticker.campaign import Campaign, airings, clips, file_name, outputs_for
from ticker.campaign.calendar import vn_day


class DayRow(TypedDict):
    """An airing of a day (or a clip that plays all day: no time) and the files that serve it, as `ticker
    schedule --json` and the desk give it."""

    campaign: str
    time: str | None  # local, as "06:30"
    start: str | None  # ISO 8601, with its offset
    length: str  # "30 s", "2 passes", "all day"
    seconds: float | None
    passes: int | None
    channels: list[str]  # [] for every channel
    files: list[str]
    draft: bool  # listed, but goes on no air (ticker.campaign.provenance)
    unapproved: bool  # nor this (ticker.approval.key)


def day_rows(campaigns: list[Campaign], day: dt.date, unapproved: frozenset[str] = frozenset()) -> list[DayRow]:
    """What airs on a day, in time order (whole-day clips first), and which file serves each airing."""
    rows: list[DayRow] = []
    for campaign in campaigns:
        needed = clips(campaign, day, outputs_for(campaign))
        names = {c.output: file_name(campaign, c.output) for c in needed}
        loose = [names[c.output] for c in needed if not c.airs]
        if loose:
            rows.append(
                {
                    "campaign": campaign.name,
                    "time": None,
                    "start": None,
                    "length": "all day",
                    "seconds": None,
                    "passes": None,
                    "channels": [],
                    "files": loose,
                    "draft": campaign.status == "draft",
                    "unapproved": campaign.name in unapproved,
                }
            )
        for a in airings(campaign, day):
            files = [names[c.output] + (" (looped)" if c.output.loop else "") for c in needed if a.served_by(c)]
            rows.append(
                {
                    "campaign": campaign.name,
                    "time": a.label,
                    "start": a.start.isoformat(),
                    "length": a.slot.length,
                    "seconds": a.slot.seconds,
                    "passes": a.slot.passes,
                    "channels": list(a.slot.channels),
                    "files": files,
                    "draft": campaign.status == "draft",
                    "unapproved": campaign.name in unapproved,
                }
            )
    return sorted(rows, key=lambda r: (r["time"] is not None, r["time"] or "", r["campaign"]))


def print_schedule(
    campaigns: list[Campaign], days: list[dt.date], stream: TextIO, unapproved: frozenset[str] = frozenset()
) -> None:
    for day in days:
        rows = day_rows(campaigns, day, unapproved)
        print(f"{vn_day(day)} ({day.isoformat()})" + ("" if rows else ": nothing airs"), file=stream)
        for r in rows:
            channels = f" [{', '.join(r['channels'])}]" if r["channels"] else ""
            draft = " (draft)" if r["draft"] else " (unapproved)" if r["unapproved"] else ""
            files = ", ".join(r["files"]) if r["files"] else "no output serves it"
            print(
                f"  {r['time'] or 'all day':<8} {r['length'] if r['time'] else '':<10} {r['campaign']}{draft}"
                f"{channels}: {files}",
                file=stream,
            )
