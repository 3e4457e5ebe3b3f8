"""The audit trail beside the campaigns: `.ticker-audit.jsonl`, one JSON object a line for every approval,
revocation and voiding (and the desk's saves, requests, moves and restorations), appended and never rewritten.
It is opened without following a link, must be a regular file, and is read with a size limit; a line that is
not ticker's JSON is skipped, not believed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ticker.errors import FileProblem, PublishError
from ticker.files import read_input
from ticker.files.publish import open_own

AUDIT = ".ticker-audit.jsonl"
AUDIT_LIMIT = 64 * 1024 * 1024
# the desk's: "changes requested" (an approver's comment), "archived" and "restored" (the file moved out of the
# list and back), "saved" (an edit, with its diff), "restored version" (an approved version written back as a
# save, with its diff; an approval's line names its version: ticker.approval.versions), "night acknowledged" (a
# failed night seen, about no file)
ACTIONS = ("approved", "revoked", "voided", "changes requested", "archived", "restored", "saved", "restored version",
           "night acknowledged", "air off", "air on")  # fmt: skip
# ("air off", "air on": a channel's crawl switched off now and on again, ticker.air.switch, about no file)


def audit_path(campaign_file: Path) -> Path:
    return campaign_file.parent / AUDIT


def writable(campaign_file: Path) -> None:
    """Refuses (one sentence) before anything changes when the trail cannot take a line."""
    append(campaign_file, None)


def append(campaign_file: Path, entry: dict[str, Any] | None) -> None:
    """One line added to the trail of the campaign file's folder (made if need be); None adds nothing."""
    path = audit_path(campaign_file)
    line = b"" if entry is None else (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    try:
        fd = open_own(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)  # never through a link, only a regular file
    except OSError as e:
        raise PublishError(
            f"{path}: the audit trail could not be opened ({e.strerror or e}); nothing was changed."
        ) from None
    try:
        if line:
            os.write(fd, line)
            os.fsync(fd)
    except OSError as e:
        raise PublishError(f"{path}: the audit trail could not be written ({e.strerror or e}).") from None
    finally:
        os.close(fd)


def entries(campaign_file: Path) -> list[dict[str, Any]]:
    """The trail's entries about this campaign file, oldest first ([] when there is no trail yet)."""
    return by_file(campaign_file.parent).get(campaign_file.name, [])


def by_file(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The trail of a folder of campaigns, its entries by the file they are about, oldest first."""
    path = folder / AUDIT
    if not os.path.lexists(path):
        return {}
    try:
        data = read_input(path, "audit trail", AUDIT_LIMIT, follow=False)
    except FileProblem:
        return {}  # not ticker's: no entry of it is believed
    found: dict[str, list[dict[str, Any]]] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("file"), str) and entry.get("action") in ACTIONS:
            found.setdefault(entry["file"], []).append(entry)
    return found


def open_request(found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The last "changes requested" of a file's entries that no approval has answered since, if any."""
    for entry in reversed(found):
        if entry.get("action") == "approved":
            return None
        if entry.get("action") == "changes requested":
            return entry
    return None
