"""The calendar's month: for each day of a month (in whole weeks, Monday first, as Vietnamese calendars are
laid out), the campaigns that air on it and how many times, on one channel or on all, for one campaign or all.

What will not air is hidden unless asked for (`shown = "all"`): a draft, and a campaign not approved (or whose
approval a change voided); the day says how many airings it hides, so a hidden one is never out of mind. The same
filters serve the schedule's week (schedule)."""

from __future__ import annotations

import calendar as weeks
import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode

from ticker.approval.key import state as approval_state
from ticker.campaign import Campaign, airings
from ticker.campaign.calendar import vn_date, vn_day
from ticker.desk.actions import folder_of, station_of
from ticker.desk.guard import DeskError
from ticker.desk.tonight import channels_of
from ticker.night import day_rows

if TYPE_CHECKING:
    from ticker.desk.app import Desk

Shown = Literal["airing", "all"]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Filters:
    month: dt.date  # its first day
    channel: str = ""  # "" every channel
    campaign: str = ""  # a campaign's name; "" every campaign
    shown: Shown = "airing"  # "all": drafts and campaigns not approved too

    @classmethod
    def of(cls, month: str | None, channel: str, campaign: str, shown: str, today: dt.date) -> Filters:
        """From a page's query: a month that is not YYYY-MM (or not a month) is this month; the rest as given
        (a channel or campaign the folder does not know simply matches nothing)."""
        first = today.replace(day=1)
        if month and (m := MONTH.match(month)):
            with contextlib.suppress(ValueError):
                first = dt.date(int(m.group(1)), int(m.group(2)), 1)
        return cls(first, channel[:200], campaign[:200], "all" if shown == "all" else "airing")

    def query(self, **changed: str) -> str:
        """The page's query string with some filters changed (month as YYYY-MM)."""
        values = {"month": f"{self.month:%Y-%m}", "channel": self.channel, "campaign": self.campaign,
                  "shown": "" if self.shown == "airing" else self.shown} | changed  # fmt: skip
        return urlencode({k: v for k, v in values.items() if v})

    def takes(self, campaign: Campaign, approved: bool) -> bool:
        if self.campaign and campaign.name != self.campaign:
            return False
        return self.shown == "all" or (campaign.status != "draft" and approved)


@dataclass(frozen=True)
class OnDay:
    campaign: str
    title: str
    file: str
    airings: int  # on the channel chosen (or every channel)
    state: Literal["airs", "draft", "unapproved"]


@dataclass(frozen=True)
class Day:
    date: dt.date
    shown: str  # 12/3/2020
    in_month: bool
    campaigns: tuple[OnDay, ...]
    hidden: int  # airings of drafts and unapproved campaigns not shown

    @property
    def airings(self) -> int:
        return sum(c.airings for c in self.campaigns)


@dataclass(frozen=True)
class Month:
    first: dt.date
    title: str  # "3/2020", after the page's word for a month
    weeks: tuple[tuple[Day, ...], ...]
    channels: tuple[str, ...]  # to choose from
    campaigns: tuple[tuple[str, str], ...]  # (name, title) to choose from
    errors: tuple[str, ...]


def _on(campaign: Campaign, day: dt.date, channel: str) -> int:
    return sum(1 for a in airings(campaign, day) if not channel or not a.slot.channels or channel in a.slot.channels)


def month_of(
    campaigns: list[Campaign], chosen: Filters, channels: tuple[str, ...], errors: tuple[str, ...] = ()
) -> Month:
    """The month `chosen` names, in whole weeks (module docstring)."""
    approved = {c.name: approval_state(c).approved for c in campaigns}
    grid = weeks.Calendar(firstweekday=0).monthdatescalendar(chosen.month.year, chosen.month.month)
    rows = []
    for week in grid:
        days = []
        for day in week:
            shown, hidden = [], 0
            for c in campaigns:
                if chosen.campaign and c.name != chosen.campaign:
                    continue
                n = _on(c, day, chosen.channel)
                if not n:
                    continue
                if not chosen.takes(c, approved[c.name]):
                    hidden += n
                    continue
                state: Literal["airs", "draft", "unapproved"] = (
                    "draft" if c.status == "draft" else "airs" if approved[c.name] else "unapproved"
                )
                shown.append(OnDay(c.name, c.title, c.path.name, n, state))
            days.append(Day(day, vn_date(day), day.month == chosen.month.month, tuple(shown), hidden))
        rows.append(tuple(days))
    title = f"{chosen.month.month}/{chosen.month.year}"
    names = tuple(sorted(((c.name, c.title) for c in campaigns), key=lambda p: p[1].lower()))
    return Month(chosen.month, title, tuple(rows), channels, names, errors)


def month(desk: Desk, chosen: Filters) -> Month:
    campaigns, errors = folder_of(desk)
    station = station_of(desk)
    known = channels_of((c.name for c in station.channels) if station else (), campaigns)
    return month_of(campaigns, chosen, tuple(c for c in known if c), tuple(errors))


def schedule(desk: Desk, first: dt.date, last: dt.date) -> dict[str, Any]:
    if last < first:
        raise DeskError(
            f"to {last} is before from {first}.",
            shown=(
                f"«Đến ngày» {vn_date(last)} trước «từ ngày» {vn_date(first)}.",
                f"To {vn_date(last)} is before from {vn_date(first)}.",
            ),
        )
    if (last - first).days > 62:
        raise DeskError(
            f"from {first} to {last}: more than two months; ask for a shorter range.",
            shown=(
                f"Từ {vn_date(first)} đến {vn_date(last)} là hơn hai tháng; hãy chọn khoảng ngắn hơn.",
                f"From {vn_date(first)} to {vn_date(last)} is more than two months; ask for a shorter range.",
            ),
        )
    loaded, errors = folder_of(desk)
    unapproved = frozenset(c.name for c in loaded if not approval_state(c).approved)
    days = []
    day = first
    while day <= last:
        days.append({"date": day.isoformat(), "weekday": vn_day(day), "rows": day_rows(loaded, day, unapproved)})
        day += dt.timedelta(days=1)
    return {"from": first.isoformat(), "to": last.isoformat(), "days": days, "errors": errors}


def week_shown(week: dict, chosen: Filters) -> dict:
    """The schedule's week (schedule) as the page shows it with the calendar's filters: each
    day's rows on the channel and of the campaign chosen, those that will not air hidden unless asked for, and
    each day's count of what it hides."""
    days = []
    for day in week["days"]:
        rows, hidden = [], 0
        for r in day["rows"]:
            if chosen.campaign and r["campaign"] != chosen.campaign:
                continue
            if chosen.channel and r["channels"] and chosen.channel not in r["channels"]:
                continue
            if chosen.shown != "all" and (r["draft"] or r["unapproved"]):
                hidden += 1
                continue
            rows.append(r)
        days.append({**day, "rows": rows, "hidden": hidden})
    return {**week, "days": days}
