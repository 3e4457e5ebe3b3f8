"""A day's records sealed once the day is over, so that a disputed record can be shown unchanged.

The seal is a line of RECORDS/DAY/seals.jsonl: every records file and evidence file of the day not sealed
before, each with its size and SHA-256, and a chain: the SHA-256 of the previous seal's chain (or of the day,
for the first) followed by those entries written as canonical JSON. The files it covers are made read-only and
never written again; lines added to the day later go to new files, which the next seal covers. Anyone holding a
day's last chain (the report's annex prints it) can show that nothing of the day changed since: `verify` hashes
every file again and walks the chain.

Evidence may be removed by the retention before the records are (clips after some days, frames over the
quota): a sealed evidence file that is gone is said to be retired, not altered; one that is there and differs
is altered.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from typing import Any, Literal

from ticker.errors import InputError
from ticker.files import Held
from ticker.files.publish import open_own
from ticker.records.folder import EVIDENCE, RECORD_NAME, SEALS, Records, seals_of

SealState = Literal["unchanged", "altered", "unsealed", "no records"]


def _digest(held: Held, name: str) -> tuple[str, int] | None:
    """SHA-256 and size of a regular file inside `held` (never through a link), or None."""
    try:
        fd = open_own(held.path / name)
    except OSError:
        return None
    h, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "rb", closefd=False) as f:
            while block := f.read(1 << 20):
                h.update(block)
                size += len(block)
    finally:
        os.close(fd)
    return h.hexdigest(), size


def _files(held: Held) -> list[tuple[str, str]]:
    """(name as the seal lists it, kind) of every records and evidence file of the day."""
    found = [(n, "records") for n in held.names() if RECORD_NAME.match(n) and n != SEALS]  # the seals: not records
    if (st := held.lstat(EVIDENCE)) is not None and stat.S_ISDIR(st.st_mode):
        with held.sub(EVIDENCE, what="evidence folder") as ev:
            for kind in ("frames", "clips"):
                if ev.lstat(kind) is not None:
                    with ev.sub(kind, what="evidence folder") as folder:
                        found += [(f"{EVIDENCE}/{kind}/{n}", kind) for n in folder.names() if not n.startswith(".")]
    return found


def _chain(previous: str, entries: list[dict[str, Any]]) -> str:
    canonical = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(previous.encode() + canonical.encode()).hexdigest()


def _start(day: dt.date) -> str:
    return hashlib.sha256(f"ticker records {day.isoformat()}".encode()).hexdigest()


def _entry(held: Held, name: str, kind: str) -> dict[str, Any] | None:
    """A file's entry in a seal: its name, kind, SHA-256 and size; None when it is not there (or not a file)."""
    if "/" in name:  # evidence/KIND/NAME
        _, sub, base = name.split("/")
        try:
            with held.sub(EVIDENCE) as ev, ev.sub(sub) as inner:
                got = _digest(inner, base)
        except InputError:
            got = None
    else:
        got = _digest(held, name)
    if got is None:
        return None
    return {"name": name, "kind": kind, "sha256": got[0], "bytes": got[1]}


def seal(records: Records, day: dt.date) -> str | None:
    """Seal what of the day no seal covers yet; the day's last chain (None: the day has no records)."""
    with records.locked():
        if not records.has(day):
            return None
        with records.day(day) as held:
            seals = seals_of(held)
            covered = {f["name"] for s in seals for f in s["files"] if isinstance(f, dict)}
            fresh = [e for n, k in _files(held) if n not in covered and (e := _entry(held, n, k)) is not None]
            previous = seals[-1]["chain"] if seals else _start(day)
            if not fresh:
                return str(previous) if seals else None
            chain = _chain(str(previous), fresh)
            line = {"sealed": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "files": fresh,
                    "previous": previous, "chain": chain}  # fmt: skip
            fd = open_own(held.path / SEALS, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            for e in fresh:
                if e["kind"] == "records":
                    with contextlib.suppress(OSError):
                        os.chmod(e["name"], 0o444, dir_fd=held.fd, follow_symlinks=False)
            return chain


def seal_over(records: Records, today: dt.date) -> None:
    """Seal every day before `today` (a day is over once the next has begun)."""
    for day in records.days():
        if day < today:
            seal(records, day)


@dataclass(frozen=True)
class DayCheck:
    """Whether a day's records are as they were sealed, in ticker's words (`said`), with the last chain."""

    day: dt.date
    state: SealState
    chain: str
    said: tuple[str, ...] = ()


def verify(records: Records, day: dt.date) -> DayCheck:
    """Hash the day's files again and walk its chain of seals."""
    if not records.has(day):
        return DayCheck(day, "no records", "")
    with records.day(day) as held:
        seals = seals_of(held)
        if not seals:
            return DayCheck(day, "unsealed", "", ("the day is not sealed yet",))
        said: list[str] = []
        altered = False
        previous = _start(day)
        seen: set[str] = set()
        for s in seals:
            if s.get("previous") != previous or _chain(previous, s["files"]) != s.get("chain"):
                said.append(f"the seal of {s.get('sealed')} does not follow from the one before it")
                altered = True
            previous = str(s.get("chain"))
            for f in s["files"]:
                name = str(f.get("name"))
                seen.add(name)
                now = _entry(held, name, str(f.get("kind")))
                if now is None:
                    if f.get("kind") not in ("clips", "frames"):  # evidence the retention may remove
                        said.append(f"{name} is gone")
                        altered = True
                elif (now["sha256"], now["bytes"]) != (f.get("sha256"), f.get("bytes")):
                    said.append(f"{name} changed after it was sealed")
                    altered = True
        late = [n for n, _ in _files(held) if n not in seen]
        if late:
            said.append("not sealed yet: " + ", ".join(late))
        return DayCheck(day, "altered" if altered else "unchanged", previous, tuple(said))
