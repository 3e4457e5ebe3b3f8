"""A campaign's [approval] table: who said yes to what airs, when, and the key of what they saw (the key is
made by ticker.approval.key; `ticker approve` writes the table, people need not)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ticker.campaign.tables import REQUIRED, Table, invisible, shown
from ticker.errors import InputError

APPROVAL_KEYS = ["by", "at", "key", "note"]
LONGEST_NAME = 80
LINE_BREAKS = "\n"  # what a note may hold of the control characters (\r\n and \r are made \n first)
_KEY = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Approval:
    by: str  # the approver's name, as they gave it
    at: dt.datetime  # when, with its UTC offset
    key: str  # "sha256:…" of what airs when they said yes (ticker.approval.key.content_key)
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


def name_problem(name: str) -> str | None:
    """What is wrong with a person's name (a desk user's, an approver's), or None: it is shown on every page,
    printed by the command line and written in the audit trail."""
    if not name.strip():
        return "a name must not be empty"
    if name != name.strip():
        return "a name must not begin or end with a space"
    if len(name) > LONGEST_NAME:
        return f"a name has at most {LONGEST_NAME} characters, not {len(name)}"
    if bad := invisible(name):
        return f"holds {bad}, a control or invisible character, which a name may not"
    return None


def approver_name(by: str, what: str = "the approver's name") -> str:
    """The approver's name as it is recorded (NFC, without spaces around it); InputError if it breaks the
    rules of a name. `what` names where it was given in the sentence ("--by" on the command line)."""
    name = unicodedata.normalize("NFC", by.strip())
    if problem := name_problem(name):
        raise InputError(f"{what} {shown(by)}: {problem}.")
    return name


def approval_note(note: str, what: str = "the note") -> str:
    """The note as it is recorded (line breaks as \\n, a tab as a space, no spaces around it); InputError if it
    holds another control or invisible character. `what` names where it was given ("--note")."""
    text = note.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()
    if bad := invisible(text, LINE_BREAKS):
        raise InputError(
            f"{what} {shown(note)}: holds {bad}, a control or invisible character, which a note may not "
            f"(line breaks it may)."
        )
    return text
