"""What a watch says of the schedule once it has watched a span: each scheduled airing of the channel inside the
span that was not seen (missed), and each airing seen that no scheduled airing explains (extra). They are counted
from the records just written, by the rule the report counts with (ticker.records.count), so that the operator
reads at once what the report will say; a scheduled airing outside the span watched is neither."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ticker.campaign import Campaign, airings
from ticker.records import Mine, Record, Slot, count
from ticker.watch.watcher import on_channel


@dataclass(frozen=True)
class Account:
    """A scheduled airing not seen, or an airing seen that none explains: its campaign and start."""

    campaign: str
    start: dt.datetime
    state: Literal["missed", "extra"]


def accounts(campaigns: Sequence[Campaign], channel: str, records: Sequence[Record]) -> list[Account]:
    """The missed and extra airings of the channel's scheduled campaigns in what `records` cover (module
    docstring), in time order. A campaign without slots airs when its inserter is told to: nothing to miss."""
    found = []
    for day in sorted({r.day for r in records}):
        those = [r for r in records if r.day == day]
        for c in on_channel(campaigns, channel, day):
            if not c.slots:
                continue
            slots = [Slot(a.start, channel, False) for a in airings(c, day)
                     if not a.slot.channels or channel in a.slot.channels]  # fmt: skip
            counted, extras = count(Mine(c.name), slots, those)
            found += [Account(c.name, x.slot.start, "missed") for x in counted if x.state == "missed"]
            found += [Account(c.name, e.start, "extra") for e in extras]
    return sorted(found, key=lambda a: a.start)
