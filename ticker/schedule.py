"""The campaign calendar: the days a campaign airs, its airings on each day, the clips that serve them, the
message placeholders filled for a day, and the listing of `ticker schedule`. Dates and times are the
campaign's own (Asia/Ho_Chi_Minh unless its file says otherwise)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, replace
from typing import TextIO, TypedDict

from ticker.config import DEFAULT_TIMEZONE, PLACEHOLDER, Airtime, Campaign, Output
from ticker.errors import InputError
from ticker.outputs import file_name, outputs_for

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def vn_date(day: dt.date) -> str:
    """12/3/2020: day and month without leading zeros, as Vietnamese letters write dates."""
    return f"{day.day}/{day.month}/{day.year}"


def vn_day(day: dt.date) -> str:
    """thứ Năm 12/3/2020"""
    return f"{WEEKDAYS[day.weekday()]} {vn_date(day)}"


def time_label(t: dt.time) -> str:
    """06:30, or 06:30:15 when the seconds are not 0."""
    return f"{t:%H:%M}" if not t.second else f"{t:%H:%M:%S}"


def today(timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


def active(campaign: Campaign, day: dt.date) -> bool:
    return campaign.start <= day <= campaign.end


def has_placeholders(campaign: Campaign) -> bool:
    """Whether the messages name a placeholder (and so change from day to day)."""
    return any(m.group(1) is not None for msg in campaign.messages for m in PLACEHOLDER.finditer(msg.text))


def placeholder_values(campaign: Campaign, day: dt.date) -> dict[str, str]:
    return {
        "date": vn_date(day),
        "weekday": WEEKDAYS[day.weekday()],
        "day": str((day - campaign.start).days + 1),
        "days": str((campaign.end - campaign.start).days + 1),
        "days_left": str((campaign.end - day).days + 1),
        "start": vn_date(campaign.start),
        "end": vn_date(campaign.end),
    }


def fill(text: str, values: dict[str, str] | None) -> str:
    """The text with {date}, {days_left}, … replaced and {{ }} made single braces (names checked on loading;
    `values` may be None only for a text that names none)."""

    def filled(m: re.Match[str]) -> str:
        brace = {"{{": "{", "}}": "}"}.get(m.group(0))
        if brace:
            return brace
        assert values is not None  # a text naming a placeholder is always given the values
        return values[m.group(1)]

    return PLACEHOLDER.sub(filled, text)


def fill_day(campaign: Campaign, day: dt.date | None) -> tuple[dt.date | None, str | None]:
    """The day the placeholders are filled for when a command gives none: today, or the window's first day when
    today is outside it (with a note saying so). None when the messages have no placeholders."""
    if not has_placeholders(campaign):
        return None, None
    if day is not None:
        outside = (
            None
            if active(campaign, day)
            else (
                f"{campaign.path}: {vn_date(day)} is outside the window ({vn_date(campaign.start)}–"
                f"{vn_date(campaign.end)}); the placeholders are filled for it all the same"
            )
        )
        return day, outside
    now = today(campaign.timezone)
    if active(campaign, now):
        return now, None
    return campaign.start, (
        f"{campaign.path}: the messages' placeholders are filled for {vn_date(campaign.start)}, "
        f"the window's first day (today is outside the window); say another day with --date"
    )


@dataclass(frozen=True)
class Airing:
    """One airing: a campaign on the air at a local time, for a length, on some channels (() for all)."""

    campaign: Campaign
    day: dt.date
    time: dt.time
    slot: Airtime
    index: int  # the slot's place in the campaign file

    @property
    def id(self) -> tuple[int, dt.time]:
        return self.index, self.time

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.time, zoneinfo.ZoneInfo(self.campaign.timezone))

    @property
    def label(self) -> str:
        return time_label(self.time)

    def served_by(self, clip: Clip) -> bool:
        return clip.campaign is self.campaign and self.id in clip.serves


def airings(campaign: Campaign, day: dt.date) -> list[Airing]:
    """The campaign's airings on a day, in time order: none outside its window."""
    if not active(campaign, day):
        return []
    found = [Airing(campaign, day, t, s, i) for i, s in enumerate(campaign.slots) for t in s.times]
    return sorted(found, key=lambda a: a.time)


def meets(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return not a or not b or bool(set(a) & set(b))


def clip_for(output: Output, slot: Airtime) -> Output:
    """The clip of a `slots = true` output that fills an airing of this slot exactly."""
    return replace(output, slots=False, seconds=slot.seconds, passes=slot.passes)


def serving(output: Output, airing: Airing) -> Output | None:
    """The clip of this output that serves the airing: a loop (the inserter repeats it for the airing's length),
    or the slot's own clip; None when the output is for other channels or is a clip of fixed length."""
    if not meets(output.channels, airing.slot.channels):
        return None
    if output.loop:
        return output
    if output.slots:
        return clip_for(output, airing.slot)
    return None


def expand(campaign: Campaign, outputs: list[Output]) -> list[Output]:
    """Outputs with `slots = true` replaced by one clip per slot length they serve; the rest as they are."""
    result: list[Output] = []
    for o in outputs:
        clips = [clip_for(o, s) for s in campaign.slots if meets(o.channels, s.channels)] if o.slots else [o]
        if o.slots and not clips:
            raise InputError(
                f"{campaign.path}: an output with slots = true for channels {', '.join(o.channels)} "
                f"serves no [[slot]] (their channels differ)."
            )
        result += [c for c in clips if c not in result]
    return result


@dataclass(frozen=True)
class Clip:
    """A clip a day needs: a campaign's output, with the airings it serves and the channels that take it."""

    campaign: Campaign
    output: Output  # loop, seconds or passes: never slots
    serves: tuple[tuple[int, dt.time], ...]  # the airings it serves (slot index, time); () for the whole day
    channels: tuple[str, ...]  # () for every channel

    @property
    def airs(self) -> list[str]:
        """The local times of the airings it serves, in order."""
        return list(dict.fromkeys(time_label(t) for _, t in sorted(self.serves, key=lambda s: s[1])))


def clips(campaign: Campaign, day: dt.date, outputs: list[Output]) -> list[Clip]:
    """What a day of the campaign needs, each clip once (the same clip for several channels is one clip)."""
    found: dict[Output, Clip] = {}

    def add(output: Output, serves: list[tuple[int, dt.time]]) -> None:
        key = replace(output, channels=())
        old = found.get(key, Clip(campaign, key, (), output.channels))
        channels = (
            () if not old.channels or not output.channels else tuple(dict.fromkeys((*old.channels, *output.channels)))
        )
        found[key] = Clip(campaign, key, tuple(sorted({*old.serves, *serves})), channels)

    day_airings = airings(campaign, day)
    for output in outputs if active(campaign, day) else []:
        if not output.slots:
            add(output, [a.id for a in day_airings if output.loop and serving(output, a)])
            continue
        for a in day_airings:
            if clip := serving(output, a):
                add(clip, [a.id])
    return list(found.values())


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
    draft: bool  # listed, but goes on no air (ticker.source)
    unapproved: bool  # nor this (ticker.approval)


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


def schedule_days(campaigns: list[Campaign], first: dt.date | None, last: dt.date | None) -> list[dt.date]:
    """The days to list: those given, else from the first window's start to the last window's end."""
    if first and last and last < first:
        raise InputError(f"--to {last} is before --from {first}.")
    first = first or min((c.start for c in campaigns), default=None)
    last = last or max((c.end for c in campaigns), default=None)
    if first is None or last is None or last < first:
        return []
    if (last - first).days > 3660:
        raise InputError(f"--from {first} --to {last}: more than ten years; give a shorter range.")
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


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
