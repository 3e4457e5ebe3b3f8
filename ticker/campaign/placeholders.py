"""The placeholders of a campaign's messages ({date}, {weekday}, {days_left}, …), filled for a day."""

from __future__ import annotations

import datetime as dt
import re

from ticker.campaign.calendar import WEEKDAYS, active, today, vn_date
from ticker.campaign.config import PLACEHOLDER, Campaign


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
