"""A campaign's [approval] table: who said yes to what airs, when, and the key of what they saw (the key is
made by ticker.approval; `ticker approve` writes the table, people need not)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ticker.tables import REQUIRED, Table

APPROVAL_KEYS = ["by", "at", "key", "note"]
_KEY = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Approval:
    by: str  # the approver's name, as they gave it
    at: dt.datetime  # when, with its UTC offset
    key: str  # "sha256:…" of what airs when they said yes (ticker.approval.content_key)
    note: str = ""

    def said(self) -> str:
        """ "by Nguyễn Văn A on 11/3/2020 at 14:05 (+07:00)" """
        offset = self.at.strftime("%z")
        return (
            f"by {self.by} on {self.at.day}/{self.at.month}/{self.at.year} at {self.at:%H:%M} "
            f"({offset[:3]}:{offset[3:]})"
        )


def read_approval(path: Path, table: Any) -> Approval:
    a = Table(path, "approval", table, APPROVAL_KEYS)
    by = a.get("by", REQUIRED, str, lambda v: None if v.strip() else "is empty")
    at = a.get("at", REQUIRED, dt.datetime)
    if at.tzinfo is None:
        a.fail("at", "must give its UTC offset (as ticker approve writes it: 2020-03-11T14:05:00+07:00)")
    key = a.get("key", REQUIRED, str, lambda v: None if _KEY.match(v) else 'must be "sha256:" and 64 hex digits')
    return Approval(by=by.strip(), at=at, key=key, note=a.get("note", "", str))
