"""Failed nights on the desk's first page until someone says they have seen them.

A night failed when its manifest (the record the night leaves, ticker.files.manifest) lists files it could not
make, or errors in the campaign files, or is not complete. It stays on the first page, for everyone, until a
user acknowledges it: the acknowledgement goes to the audit trail (who, when, which day, and which writing of
the manifest it saw), so a night run again that fails again is shown again. Only the last LOOK_BACK days are
looked at: an old failure is the night page's, not the first page's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ticker.approval import audit
from ticker.desk.actions import now, today
from ticker.desk.guard import NotFound
from ticker.files import read_manifest
from ticker.files.playout_tree import day_folders

if TYPE_CHECKING:
    from ticker.desk.app import Desk
    from ticker.desk.users import User

LOOK_BACK = 14  # days before today whose failed nights are shown; the nights to come are always
ACKNOWLEDGED = "night acknowledged"
TRAIL = ""  # the audit trail's entries that are about no campaign file, as audit.by_file groups them


@dataclass(frozen=True)
class FailedNight:
    day: dt.date
    failed: int  # files it could not make
    errors: int  # campaign files it could not read
    complete: bool
    written: str  # when the manifest was written (an acknowledgement is of this writing)


def _failed(day: dt.date, manifest: Mapping[str, Any]) -> FailedNight | None:
    failed = len(manifest.get("failed") or [])
    errors = len(manifest.get("errors") or [])
    complete = bool(manifest.get("complete"))
    if not failed and not errors and complete:
        return None
    return FailedNight(day, failed, errors, complete, str(manifest.get("written") or ""))


def seen(desk: Desk) -> set[tuple[str, str]]:
    """(day, written) of every acknowledgement in the trail."""
    return {
        (str(e.get("day")), str(e.get("written")))
        for e in audit.by_file(desk.campaigns).get(TRAIL, [])
        if e.get("action") == ACKNOWLEDGED
    }


def failed_nights(desk: Desk) -> list[FailedNight]:
    """The failed nights no one has acknowledged yet, the latest first."""
    if not desk.out.is_dir():
        return []
    since = today() - dt.timedelta(days=LOOK_BACK)
    acknowledged = seen(desk)
    found = []
    for day, folder in reversed(day_folders(desk.out)):
        if day < since:
            continue
        night = _failed(day, read_manifest(folder))
        if night is not None and (day.isoformat(), night.written) not in acknowledged:
            found.append(night)
    return found


def acknowledge(desk: Desk, day: dt.date, user: User) -> None:
    """`user` has seen the failed night of `day` (as its manifest is written now)."""
    night = next((n for n in failed_nights(desk) if n.day == day), None)
    if night is None:
        raise NotFound(
            f"{day}: no failed night waiting to be acknowledged.",
            shown=("Không có đêm lỗi nào của ngày này đang chờ xác nhận.",
                   "No failed night of that day is waiting to be acknowledged."),
        )  # fmt: skip
    entry = {"at": now().isoformat(timespec="seconds"), "action": ACKNOWLEDGED, "file": TRAIL, "by": user.name,
             "day": day.isoformat(), "written": night.written}  # fmt: skip
    audit.append(desk.campaigns / "_", entry)
