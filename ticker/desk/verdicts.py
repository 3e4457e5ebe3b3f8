"""Readability verdicts for the campaigns list: what `ticker check` warns of, for every output of a campaign.

Drawing a crawl to measure it takes a fraction of a second, too long to repeat for a folder of two hundred
campaigns on every look at the list, so verdicts are kept by the bytes of the campaign file: a file edited
by hand or by the desk has other bytes and is measured again (the cache is never the truth, only a memo)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

from ticker.campaign import Campaign
from ticker.engine import Caches, plan
from ticker.errors import TickerError
from ticker.files import CAMPAIGN_LIMIT, read_input

MOST = 1024  # verdicts kept


@dataclass(frozen=True)
class Readability:
    """What `ticker check` says of a campaign's outputs, as the campaigns list shows it: "error" with its
    sentence (in `warnings`), or "ok", or "warnings"; a figures line for each output."""

    verdict: Literal["ok", "warnings", "error"]
    warnings: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @classmethod
    def refused(cls, sentence: str | None = None) -> Readability:
        return cls("error", (sentence,) if sentence is not None else ())

    def as_json(self) -> dict[str, Any]:
        """As the API answers it: {"verdict", "warnings": [...], "figures": [lines], "notes": [...]}."""
        return {
            "verdict": self.verdict,
            "warnings": list(self.warnings),
            "figures": list(self.figures),
            "notes": list(self.notes),
        }


def measure(campaign: Campaign, caches: Caches | None = None) -> Readability:
    try:
        planned = plan(campaign, caches=caches)
    except TickerError as e:
        return Readability.refused(str(e))
    return Readability(
        verdict="warnings" if planned.warnings else "ok",
        warnings=planned.warnings,
        figures=tuple(sv.figures.line() for sv in planned.surveys),
        notes=planned.notes,
    )


class Verdicts:
    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[str, str], Readability] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, campaign: Campaign, caches: Caches | None = None) -> Readability:
        try:
            data = read_input(campaign.path, "campaign file", CAMPAIGN_LIMIT)
        except TickerError as e:
            return Readability.refused(str(e))
        key = (str(campaign.path), hashlib.sha256(data).hexdigest())
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        found = measure(campaign, caches)
        with self._lock:
            self._kept[key] = found
            while len(self._kept) > MOST:
                self._kept.popitem(last=False)
        return found
