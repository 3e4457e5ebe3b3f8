"""Readability verdicts for the campaigns list: what `ticker check` warns of, for every output of a campaign.

Drawing a crawl to measure it takes a fraction of a second, too long to repeat for a folder of two hundred
campaigns on every look at the list, so verdicts are kept by the bytes of the campaign file: a file edited
by hand or by the desk has other bytes and is measured again (the cache is never the truth, only a memo)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from ticker.config import Campaign
from ticker.crawl import prepare
from ticker.errors import TickerError
from ticker.formats import check_output
from ticker.inputs import CAMPAIGN_LIMIT, read_input
from ticker.outputs import outputs_for
from ticker.render import survey
from ticker.schedule import expand

MOST = 1024  # verdicts kept


def measure(campaign: Campaign) -> dict[str, Any]:
    """{"verdict": "ok" | "warnings" | "error", "warnings": [...], "figures": [lines], "notes": [...]}."""
    try:
        outputs = expand(campaign, outputs_for(campaign))
        for o in outputs:
            check_output(o, need_over=False)
        crawls = {o.style: prepare(campaign, style=campaign.style_for(o)) for o in outputs}
        surveys = [survey(crawls[o.style], o, checked=True) for o in outputs]
    except TickerError as e:
        return {"verdict": "error", "warnings": [str(e)], "figures": [], "notes": []}
    warnings = list(
        dict.fromkeys([*(w for c in crawls.values() for w in c.warnings), *(w for sv in surveys for w in sv.warnings)])
    )
    return {
        "verdict": "warnings" if warnings else "ok",
        "warnings": warnings,
        "figures": [sv.figures.line() for sv in surveys],
        "notes": list(dict.fromkeys(n for c in crawls.values() for n in c.notes)),
    }


class Verdicts:
    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, campaign: Campaign) -> dict[str, Any]:
        try:
            data = read_input(campaign.path, "campaign file", CAMPAIGN_LIMIT)
        except TickerError as e:
            return {"verdict": "error", "warnings": [str(e)], "figures": [], "notes": []}
        key = (str(campaign.path), hashlib.sha256(data).hexdigest())
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        found = measure(campaign)
        with self._lock:
            self._kept[key] = found
            while len(self._kept) > MOST:
                self._kept.popitem(last=False)
        return found
