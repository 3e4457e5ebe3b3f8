""" "Off now" for a channel `ticker air` inserts into: the crawl taken off the channel at once, mid-airing too, until
someone puts it on again, whatever the plan says.

The switch is a file of the records folder, `air-off-CHANNEL.json` (who, when, why), written whole and read
only as a regular file of this user's, never through a link: the running `ticker air` reads it with the plan,
every second. Who switched it off and on goes to the audit trail beside the campaigns (`air off`, `air on`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

from ticker.approval import audit
from ticker.files import write_atomic
from ticker.files.held import remove
from ticker.files.publish import open_own

LIMIT = 64 * 1024  # bytes of a switch file read


@dataclass(frozen=True)
class Off:
    by: str
    at: str  # ISO 8601, with its offset
    note: str = ""


def off_path(records: Path, channel: str) -> Path:
    return records / f"air-off-{urllib.parse.quote(channel, safe='')}.json"


def switched_off(records: Path, channel: str) -> Off | None:
    """The channel's "off now", if it is off (a file that is not ticker's own says nothing)."""
    try:
        fd = open_own(off_path(records, channel))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if os.fstat(f.fileno()).st_uid != os.geteuid():  # another user's: not ticker's switch
            return None
        data = f.read(LIMIT + 1)
    with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
        if len(data) <= LIMIT and isinstance(found := json.loads(data), dict):
            return Off(str(found["by"]), str(found["at"]), str(found.get("note", "")))
    return None


def switch(records: Path, campaigns: Path, channel: str, by: str, off: bool, note: str = "") -> Off | None:
    """Switch the crawl off on the channel now (`off`), or on again; said in the audit trail with who. The Off
    written, or None when switched on."""
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    audit.append(campaigns / "_", {"at": now, "action": "air off" if off else "air on", "file": "", "by": by,
                                   "channel": channel, "note": note})  # fmt: skip
    path = off_path(records, channel)
    if not off:
        remove(path)  # the name, never what a link there points to
        return None
    made = Off(by, now, note)
    write_atomic(path, json.dumps(asdict(made), ensure_ascii=False) + "\n")
    return made
