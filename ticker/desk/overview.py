"""A folder of campaigns as the desk's campaigns page and `GET /api/campaigns` list it: each file's state in
the words a station uses (nháp, chờ duyệt, đã duyệt, đang phát, đã kết thúc), its next airing, and the files
that could not be read, each with its one sentence (never hidden).

A campaign's state, on a day and at a time in its own zone:
- draft: campaign.status = "draft" (ticker.campaign.provenance): its words or window are not finished;
- ended: its window's last day is past;
- changes: not approved, and an approver asked for changes that no approval has answered since;
- pending: not approved, or its approval was voided by a change (ticker.approval.key);
- airing: approved and inside its window;
- approved: approved, its window still to come.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

from ticker.approval.audit import by_file, open_request
from ticker.approval.key import state as approval_state
from ticker.campaign import Campaign, airings
from ticker.desk.refusals import file_named
from ticker.errors import InputError
from ticker.night import load_folder

STATES = {
    "draft": "nháp",
    "changes": "cần sửa",
    "pending": "chờ duyệt",
    "approved": "đã duyệt",
    "airing": "đang phát",
    "ended": "đã kết thúc",
}
LOOKAHEAD_DAYS = 400  # a window longer than this is looked through only this far for its next airing


def campaign_state(campaign: Campaign, now: dt.datetime, asked: bool = False) -> str:
    """One of STATES' keys (see the module docstring); `now` is an aware time, read in the campaign's zone;
    `asked`: an approver's request for changes is open (ticker.approval.audit.open_request)."""
    day = now.astimezone(zoneinfo.ZoneInfo(campaign.timezone)).date()
    if campaign.status == "draft":
        return "draft"
    if day > campaign.end:
        return "ended"
    if not approval_state(campaign).approved:
        return "changes" if asked else "pending"
    return "airing" if day >= campaign.start else "approved"


def next_airing(campaign: Campaign, now: dt.datetime) -> dt.datetime | None:
    """The start of the campaign's first airing after `now`, or None (no slots, or its window is over)."""
    first = max(campaign.start, now.astimezone(zoneinfo.ZoneInfo(campaign.timezone)).date())
    last = min(campaign.end, first + dt.timedelta(days=LOOKAHEAD_DAYS))
    day = first
    while day <= last:
        later = [a.start for a in airings(campaign, day) if a.start > now]
        if later:
            return later[0]
        day += dt.timedelta(days=1)
    return None


ROW_KEYS = ("file", "name", "title", "start", "end", "state", "state_vi", "errors", "next_airing", "voided")
ROW_EMPTY: dict[str, Any] = dict.fromkeys(ROW_KEYS)  # a file that could not be read: only its file and errors


def campaign_row(campaign: Campaign, now: dt.datetime, asked: bool = False) -> dict[str, Any]:
    state = campaign_state(campaign, now, asked)
    coming = next_airing(campaign, now) if state in ("approved", "airing", "pending", "changes") else None
    return {
        "file": campaign.path.name,
        "name": campaign.name,
        "title": campaign.title,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "state": state,
        "state_vi": STATES[state],
        "errors": [],
        "next_airing": coming.isoformat() if coming else None,
        # awaiting approval again: a change since voided the approval it had
        "voided": state in ("pending", "changes") and approval_state(campaign).voided,
    }


def folder_rows(folder: Path, now: dt.datetime) -> list[dict[str, Any]]:
    """A row for every *.toml in the folder, by file name: the campaigns, and each file that could not be read
    with its sentence (state None). An empty folder is an empty list."""
    try:
        campaigns, errors = load_folder(folder)
    except InputError:
        if folder.is_dir():  # holds no campaign files yet: nothing to list
            return []
        raise
    trail = by_file(folder)  # read once for every row
    rows = [campaign_row(c, now, open_request(trail.get(c.path.name, [])) is not None) for c in campaigns]
    for error in errors:
        rows.append({**ROW_EMPTY, "file": file_named(error, folder) or "", "errors": [error]})
    return sorted(rows, key=lambda r: r["file"])
