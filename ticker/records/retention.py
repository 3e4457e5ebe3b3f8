"""How long the records folder keeps what it holds (ticker.records.folder), in the order a disk needs it:

- a day folder older than `keep_days` (400: a year's report and its dispute) is removed whole;
- a day's evidence clips (evidence/clips) older than `keep_evidence_days` (30) are removed; its frames stay
  as long as its records (one picture per airing);
- over the quota (bytes of the whole folder), the oldest evidence clips go first, then the oldest frames; the
  records files and seals of a day younger than `keep_days` are never removed to make room.

Age is the day's, not the file's. Everything is removed under the folder's lock, through ticker.files.held
(by descriptor, never through a link: a link is removed as a link, never what it points to), and only in
folders this user owns. A sealed file is read-only; removing it needs only the folder to be writable. A seal
that lists an evidence file the retention removed says it is retired, not altered (ticker.records.seal).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from ticker.errors import InputError
from ticker.files import Held
from ticker.files.inputs import size_text
from ticker.records.folder import EVIDENCE, EvidenceKind, Records

KEEP_DAYS = 400
KEEP_EVIDENCE_DAYS = 30


@dataclass(frozen=True)
class Retention:
    """How long the records folder keeps what (`ticker nightly --keep-records-days …`)."""

    keep_days: int = KEEP_DAYS  # records, and one frame per airing
    keep_evidence_days: int = KEEP_EVIDENCE_DAYS  # larger evidence
    quota: int | None = None  # bytes the folder may hold; the oldest evidence goes first


def retire(
    records: Records,
    today: dt.date,
    *,
    keep_days: int = KEEP_DAYS,
    keep_evidence_days: int = KEEP_EVIDENCE_DAYS,
    quota: int | None = None,
) -> list[str]:
    """Remove what the folder keeps no longer (module docstring); a sentence for each removal, and for what it
    would have removed but is not ticker's to remove."""
    said: list[str] = []
    with records.locked():
        for day in records.days():
            if day < today - dt.timedelta(days=keep_days):
                said += _remove_day(records, day, keep_days)
        for day in records.days():
            if day < today - dt.timedelta(days=keep_evidence_days):
                said += _remove_evidence(records, day, "clips", f"older than {keep_evidence_days} days")
        if quota is not None:
            said += _to_quota(records, quota)
    return list(dict.fromkeys(said))  # a folder not ticker's is said once


def _remove_day(records: Records, day: dt.date, keep_days: int) -> list[str]:
    name = day.isoformat()
    st = records.held.lstat(name)
    shown = records.shown / name
    if st is None:
        return []
    if stat.S_ISLNK(st.st_mode):
        records.held.remove(name)
        return [f"{shown}: a link where a day folder goes, removed (not what it points to)."]
    if not stat.S_ISDIR(st.st_mode):
        return [f"{shown}: is not a folder; not ticker's, so not removed."]
    if st.st_uid != os.geteuid():
        return [f"{shown}: belongs to another user (uid {st.st_uid}); not removed."]
    size = _size_of(records.held, name)
    records.held.remove(name)
    return [f"{shown}: removed, its records and evidence ({size_text(size)}), older than {keep_days} days."]


@contextlib.contextmanager
def _evidence(records: Records, day: dt.date, kind: EvidenceKind, said: list[str]) -> Iterator[Held | None]:
    """The day's evidence folder of `kind`, held; None when there is none, or one ticker does not own (said)."""
    with contextlib.ExitStack() as stack:
        folder = None
        try:
            folder = _open_evidence(stack, records, day, kind)
        except InputError as e:
            said.append(str(e))
        yield folder


def _open_evidence(stack: contextlib.ExitStack, records: Records, day: dt.date, kind: EvidenceKind) -> Held | None:
    held = stack.enter_context(records.day(day))
    if held.lstat(EVIDENCE) is None:
        return None
    ev = stack.enter_context(held.sub(EVIDENCE, what="folder of evidence", then="it is not tidied"))
    if ev.lstat(kind) is None:
        return None
    return stack.enter_context(ev.sub(kind, what=f"folder of evidence {kind}", then="it is not tidied"))


def _files(folder: Held) -> list[tuple[str, int]]:
    """(name, bytes) of what the folder holds, as it is (a link is a link, of its own few bytes)."""
    found = []
    for name in folder.names():
        st = folder.lstat(name)
        if st is not None and not stat.S_ISDIR(st.st_mode):
            found.append((name, st.st_size))
    return found


def _remove_evidence(records: Records, day: dt.date, kind: EvidenceKind, why: str) -> list[str]:
    said: list[str] = []
    with _evidence(records, day, kind, said) as folder:
        if folder is None:
            return said
        files = _files(folder)
        for name, _ in files:
            folder.remove(name)
        if files:
            size = sum(n for _, n in files)
            said.append(f"{folder.shown}: {len(files)} evidence {kind} removed ({size_text(size)}), {why}.")
    return said


def _to_quota(records: Records, quota: int) -> list[str]:
    """The oldest clips, then the oldest frames, removed until the folder is within `quota` bytes."""
    total = _size(records.held)
    said: list[str] = []
    for kind in ("clips", "frames"):
        for day in records.days():
            if total <= quota:
                return said
            with _evidence(records, day, kind, said) as folder:
                if folder is None:
                    continue
                gone, size = 0, 0
                for name, n in _files(folder):
                    if total <= quota:
                        break
                    folder.remove(name)
                    total, gone, size = total - n, gone + 1, size + n
                if gone:
                    why = f"the records folder was over its quota of {size_text(quota)}"
                    said.append(f"{folder.shown}: {gone} evidence {kind} removed ({size_text(size)}), {why}.")
    if total > quota:
        said.append(
            f"{records.shown}: holds {size_text(total)}, over its quota of {size_text(quota)}, with no evidence "
            "left to remove; its records are kept."
        )
    return said


def _size_of(held: Held, name: str) -> int:
    st = held.lstat(name)
    if st is None:
        return 0
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return st.st_size if not stat.S_ISDIR(st.st_mode) else 0
    try:
        with held.sub(name) as inner:
            return _size(inner)
    except InputError:
        return 0


def _size(held: Held) -> int:
    """Bytes of everything in the folder, never through a link."""
    return sum(_size_of(held, name) for name in held.names())
