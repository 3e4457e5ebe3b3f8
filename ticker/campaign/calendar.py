"""The campaign calendar: the days a campaign airs, its airings on each day and the clips that serve them, and
the days' names as Vietnamese says them. Dates and times are the campaign's own (Asia/Ho_Chi_Minh unless its
file says otherwise). The messages' placeholders are ticker.campaign.placeholders; the listing is
ticker.night.listing."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, replace

from ticker.campaign.config import DEFAULT_TIMEZONE, Airtime, Campaign, Output
from ticker.errors import InputError

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
