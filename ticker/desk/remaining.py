"""The days of a campaign's window still to build, and one action that queues a nightly run for each.

A day is built, for a campaign, when its day folder has a complete manifest (the night's every clip made, no
campaign file refused) that lists, whole and as large as when they were made, the files of each clip the
campaign needs that day by the recipe key nightly gives it (ticker.night.jobs): the clips nightly would keep. A
day built before the campaign was approved, or with an earlier version of it, is not built for it, and neither
is one whose files went missing. The remaining days run from today (or the window's first day) to its last;
at most MOST_DAYS of them are queued at once, the nearest first (the nightly timer makes the later ones)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ticker.approval.key import state as approval_state
from ticker.campaign import Campaign, clips, load_campaign, outputs_for
from ticker.campaign.provenance import draft_problem
from ticker.desk import actions
from ticker.desk.guard import DeskError, campaign_file
from ticker.errors import TickerError
from ticker.files import read_manifest
from ticker.files.manifest import Manifest, intact
from ticker.files.playout_tree import day_folders
from ticker.night.jobs import recipe_key

if TYPE_CHECKING:
    from pathlib import Path

    from ticker.desk.app import Desk

MOST_DAYS = 31  # days queued by one action: a month ahead


def day_keys(campaign: Campaign, day: dt.date) -> set[str] | None:
    """The recipe keys of the clips the campaign needs on `day`, as nightly counts them; None when they cannot
    be known (a font or picture gone: nightly will say it)."""
    try:
        return {recipe_key(campaign, clip.output, day) for clip in clips(campaign, day, outputs_for(campaign))}
    except (TickerError, OSError):
        return None


def built(folder: Path | None, manifest: Manifest | None, keys: set[str] | None) -> bool:
    """Whether a day folder and its manifest hold what the campaign needs that day (`keys`: day_keys)."""
    if folder is None or manifest is None or keys is None or not manifest.get("complete"):
        return False
    entries = [e for e in manifest["files"] if e.get("inputs") in keys]
    return keys <= {e.get("inputs") for e in entries} and (not keys or intact(folder, entries, verify=False))


def window_days(campaign: Campaign, today: dt.date) -> list[dt.date]:
    """The days of the window from today (or its first, if later) to its last."""
    first = max(campaign.start, today)
    return [first + dt.timedelta(days=n) for n in range((campaign.end - first).days + 1)]


def remaining(desk: Desk, campaign: Campaign, today: dt.date) -> list[dt.date]:
    """The window's days from today that are not built for the campaign (module docstring), in order."""
    folders = dict(day_folders(desk.out)) if desk.out.is_dir() else {}
    left = []
    for day in window_days(campaign, today):
        folder = folders.get(day)
        manifest = read_manifest(folder) if folder is not None else None
        if not built(folder, manifest, day_keys(campaign, day)):
            left.append(day)
    return left


def _on_air(campaign: Campaign) -> None:
    """A draft, or a campaign nobody approved (or whose approval an edit voided), airs nothing: nightly leaves
    it out, so building its days would make them without it."""
    if draft_problem(campaign) is not None or not approval_state(campaign).approved:
        raise DeskError(
            f"{campaign.name}: not approved, so no night makes its files; approve it first.",
            409,
            shown=(
                "Chiến dịch chưa được duyệt nên không đêm nào dựng tệp của nó; hãy duyệt trước.",
                "The campaign is not approved, so no night makes its files; approve it first.",
            ),
        )


def build_remaining(desk: Desk, name: str) -> dict[str, Any]:
    """Queue a nightly run for each remaining day of the campaign's window not built yet and not already queued
    or running on this desk, the nearest first, MOST_DAYS at most: {"days": [ISO dates], "jobs": [ids],
    "more": days left for later, "waiting": the days not built that this desk is making or has queued already}.
    Refused at once when a run holds OUT now (naming it) and this desk has none queued, or when the campaign
    airs nothing."""
    campaign = load_campaign(campaign_file(desk.campaigns, name))
    _on_air(campaign)
    today = actions.today()
    if campaign.end < today:
        raise DeskError(
            f"{campaign.name}: the window ended on {campaign.end}; no day of it is left to build.",
            409,
            shown=(
                "Chiến dịch đã hết thời gian phát; không còn ngày nào để dựng.",
                "The campaign's window is over; no day of it is left to build.",
            ),
        )
    waiting = desk.jobs.waiting(desk.out)
    if not waiting:  # else this desk's own queue holds OUT, or soon will: these days go after its runs
        actions.lock_free(desk)
    left = remaining(desk, campaign, today)
    days = [d for d in left if d not in waiting]
    queued = days[:MOST_DAYS]
    jobs = desk.jobs.start_days(desk.campaigns, desk.out, queued, records=desk.records)
    return {"days": [d.isoformat() for d in queued], "jobs": jobs, "more": len(days) - len(queued),
            "waiting": [d.isoformat() for d in left if d in waiting]}  # fmt: skip
