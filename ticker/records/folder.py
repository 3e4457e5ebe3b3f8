"""The records folder (`--records DIR`): what was delivered and what aired, kept apart from the playout tree and
long after its clips are gone.

    RECORDS/began.json                    when the folder began: a day before it has no records, not "nothing"
    RECORDS/.records.lock                 writers take turns (flock)
    RECORDS/2020-03-12/nightly@HGTV.jsonl one file per writer and channel ("nightly.jsonl": every channel)
    RECORDS/2020-03-12/seals.jsonl        the day's chained SHA-256 once it is over (ticker.records.seal)
    RECORDS/2020-03-12/evidence/frames/   one picture per airing, kept as long as the records
    RECORDS/2020-03-12/evidence/clips/    larger evidence, kept for less (ticker.records.retention)

Lines are only ever added (O_APPEND, one write per batch), never rewritten; a file a seal covers is made
read-only and never written again: a later line for that day goes to a new file (`csv@HGTV+2.jsonl`) that the
next seal covers. The folder is held by descriptor like the playout tree (ticker.files.Held): no link inside it
is followed, a day folder of another user's is not read, nothing is written outside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import stat
import threading
import typing
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from ticker.errors import InputError, PublishError
from ticker.files import Held, write_atomic
from ticker.files.publish import open_own
from ticker.records.lines import NotARecord, Record, Source, parse

BEGAN = "began.json"
LOCK = ".records.lock"
SEALS = "seals.jsonl"
EVIDENCE = "evidence"
SEALS_LIMIT = 16 << 20
FILE_LIMIT = 64 << 20  # bytes of one records file: years of a channel's airings are far less
DAY_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RECORD_NAME = re.compile(
    rf"^(?P<source>{'|'.join(re.escape(str(s)) for s in Source)})"
    r"(?:@(?P<channel>[A-Za-z0-9%._-]+))?(?:\+(?P<n>\d+))?\.jsonl$"
)
EvidenceKind = Literal["frames", "clips"]
EVIDENCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
EVIDENCE_LIMIT = 32 << 20  # bytes of one evidence file read back (a frame is far less)


def file_name(source: Source, channel: str, n: int = 1) -> str:
    """nightly@HGTV.jsonl; the channel's name percent-encoded, so that any name is one safe file name."""
    slug = urllib.parse.quote(channel, safe="") if channel else ""
    return f"{source}{'@' + slug if slug else ''}{f'+{n}' if n > 1 else ''}.jsonl"


@dataclass(frozen=True)
class Reading:
    """What the folder holds over some days: the records, and a sentence for each file or line that is not
    ticker's (those are never counted)."""

    records: tuple[Record, ...]
    problems: tuple[str, ...]
    began: dt.date | None  # the first day the folder speaks for: a day before it has no records


class Records:
    """The records folder, held (module docstring)."""

    def __init__(self, held: Held):
        self.held = held
        self._holder: int | None = None  # the thread inside `locked()`, which may take it again

    @classmethod
    def open(cls, path: Path, *, make: bool = True) -> Records:
        """The folder at `path` (made when missing and `make`; its parent must exist), only if this user owns it."""
        if make and not os.path.lexists(path):
            try:
                path.mkdir()
            except OSError as e:
                raise InputError(f"--records {path}: cannot make the records folder ({e.strerror or e}).") from None
        held = Held.open(path, "the records folder")
        owner = os.fstat(held.fd).st_uid
        if owner != os.geteuid():
            held.close()
            raise InputError(
                f"--records {path}: belongs to another user (uid {owner}); ticker keeps its records in a folder "
                "of its own."
            )
        return cls(held)

    def close(self) -> None:
        self.held.close()

    def __enter__(self) -> Records:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.held.__exit__(t, e, tb)

    @property
    def shown(self) -> Path:
        return self.held.shown

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Writers take turns: an exclusive flock on RECORDS/.records.lock for the block. The thread that holds
        it may take it again (an import reads what is there and appends under one lock)."""
        if self._holder == threading.get_ident():
            yield
            return
        try:
            fd = open_own(self.held.path / LOCK, os.O_RDWR | os.O_CREAT)
        except OSError as e:
            why = e.strerror or e
            raise InputError(f"{self.shown / LOCK}: cannot be opened ({why}); nothing was recorded.") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._holder = threading.get_ident()
        try:
            yield
        finally:
            self._holder = None
            os.close(fd)

    def began(self) -> dt.datetime | None:
        """When the folder began keeping records (written by the first writer)."""
        data = read_own(self.held, BEGAN, 4096)
        if data is None:
            return None
        with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
            when = dt.datetime.fromisoformat(json.loads(data)["began"])
            if when.tzinfo is not None:
                return when
        return None

    def days(self) -> list[dt.date]:
        """The days the folder holds a folder for, in order."""
        found = []
        for name in self.held.names():
            if DAY_NAME.match(name):
                with contextlib.suppress(ValueError):
                    found.append(dt.date.fromisoformat(name))
        return sorted(found)

    def has(self, day: dt.date) -> bool:
        """Whether the folder holds a folder for the day (never looked at through a link)."""
        st = self.held.lstat(day.isoformat())
        return st is not None and stat.S_ISDIR(st.st_mode)

    def day(self, day: dt.date, *, make: bool = False) -> Held:
        return self.held.sub(day.isoformat(), make=make, what="records day folder", then="it is not read")

    def append(self, records: Iterable[Record]) -> None:
        """Add the records, each to its day's file for its writer and channel (one write per file)."""
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        batches: dict[tuple[dt.date, Source, str], list[bytes]] = {}
        for r in records:
            r = r if r.written else replace(r, written=now)
            batches.setdefault((r.day, r.source, r.channel), []).append(r.line())
        if not batches:
            return
        with self.locked():
            if self.began() is None:
                write_atomic(self.held.path / BEGAN, json.dumps({"began": now}) + "\n")
            for (day, source, channel), lines in sorted(batches.items()):
                with self.day(day, make=True) as held:
                    self._add(held, day, source, channel, b"".join(lines))

    def _add(self, held: Held, day: dt.date, source: Source, channel: str, data: bytes) -> None:
        sealed = sealed_names(held)
        n = 1
        while file_name(source, channel, n) in sealed:
            n += 1
        name = file_name(source, channel, n)
        unwritten = f"{held.shown / name}: cannot be written ({{}}); nothing was recorded."
        try:
            fd = open_own(held.path / name, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        except OSError as e:
            raise PublishError(unwritten.format(e.strerror or e)) from None
        try:
            if os.fstat(fd).st_uid != os.geteuid():
                raise PublishError(f"{held.shown / name}: belongs to another user; nothing was recorded.")
            os.write(fd, data)
            os.fsync(fd)
        except OSError as e:
            raise PublishError(unwritten.format(e.strerror or e)) from None
        finally:
            os.close(fd)

    def add_evidence(self, day: dt.date, kind: EvidenceKind, name: str, data: bytes) -> str:
        """Keep a picture or a clip as evidence of the day; its name as records cite it (evidence/frames/NAME)."""
        if not EVIDENCE_NAME.fullmatch(name):
            raise ValueError(f"{name!r}: an evidence file's name is letters, digits, '.', '_' and '-'")
        with (
            self.locked(),
            self.day(day, make=True) as held,
            held.sub(EVIDENCE, make=True, what="evidence folder") as ev,
            ev.sub(kind, make=True) as folder,
        ):
            write_atomic(folder.path / name, data)
        return f"{EVIDENCE}/{kind}/{name}"

    def evidence(self, day: dt.date, cited: str, limit: int = EVIDENCE_LIMIT) -> bytes | None:
        """A piece of the day's evidence as a record cites it (evidence/frames/NAME): a regular file of this
        user's, never through a link; None for anything else, or a name that is not one add_evidence gives."""
        parts = cited.split("/")
        if len(parts) != 3 or parts[0] != EVIDENCE or parts[1] not in typing.get_args(EvidenceKind):
            return None
        if not EVIDENCE_NAME.fullmatch(parts[2]) or not self.has(day):
            return None
        try:
            with self.day(day) as held, held.sub(EVIDENCE) as ev, ev.sub(parts[1]) as folder:
                return read_own(folder, parts[2], limit)
        except InputError:
            return None

    def evidence_bytes(self, day: dt.date, prefix: str) -> int:
        """The bytes of the day's evidence whose names start with `prefix` (a writer's own), regular files only."""
        if not self.has(day):
            return 0
        total = 0
        with self.day(day) as held:
            if not (st := held.lstat(EVIDENCE)) or not stat.S_ISDIR(st.st_mode):
                return 0
            with held.sub(EVIDENCE, what="evidence folder") as ev:
                for kind in typing.get_args(EvidenceKind):
                    if not (st := ev.lstat(kind)) or not stat.S_ISDIR(st.st_mode):
                        continue
                    with ev.sub(kind, what="evidence folder") as folder:
                        for name in folder.names():
                            if name.startswith(prefix) and (f := folder.lstat(name)) and stat.S_ISREG(f.st_mode):
                                total += f.st_size
        return total

    def read(self, first: dt.date | None = None, last: dt.date | None = None) -> Reading:
        """Every record of the days from `first` to `last` (all when None), with a sentence for each file or
        line that is not ticker's."""
        records: list[Record] = []
        problems: list[str] = []
        for day in self.days():
            if (first and day < first) or (last and day > last):
                continue
            try:
                held = self.day(day)
            except InputError as e:
                problems.append(str(e))
                continue
            with held:
                for name in held.names():
                    if name in (SEALS, EVIDENCE) or name.startswith("."):
                        continue
                    if not RECORD_NAME.match(name):
                        problems.append(f"{held.shown / name}: is not a records file of ticker's; not read.")
                        continue
                    records += self._lines(held, name, day, problems)
        return Reading(tuple(records), tuple(problems), self._began_day())

    def _began_day(self) -> dt.date | None:
        began = self.began()  # a night records the next day: the first day it could speak for is the day after
        return min(([began.date() + dt.timedelta(days=1)] if began else []) + self.days()[:1], default=None)

    def _lines(self, held: Held, name: str, day: dt.date, problems: list[str]) -> list[Record]:
        data = read_own(held, name, FILE_LIMIT)
        if data is None:
            problems.append(f"{held.shown / name}: is not a regular file of ticker's, or too large; not read.")
            return []
        found = []
        for number, text in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if not text.strip():
                continue
            try:
                record = parse(text)
            except NotARecord as e:
                problems.append(f"{held.shown / name} line {number}: {e}; not counted.")
                continue
            if record.day != day:
                where = f"{held.shown / name} line {number}"
                problems.append(f"{where}: is of {record.day}, in the folder of {day}; not counted.")
                continue
            found.append(record)
        return found


def read_own(held: Held, name: str, limit: int) -> bytes | None:
    """A regular file of this user's inside `held`, never through a link; None if it is anything else."""
    try:
        fd = open_own(held.path / name)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
        return data if len(data) <= limit else None
    finally:
        os.close(fd)


def seals_of(held: Held) -> list[dict[str, Any]]:
    """The seals of a day (ticker.records.seal), as written; a line that is not one is passed over."""
    data = read_own(held, SEALS, SEALS_LIMIT)
    found = []
    for text in (data or b"").decode("utf-8", "replace").splitlines():
        with contextlib.suppress(ValueError):
            seal = json.loads(text)
            if isinstance(seal, dict) and isinstance(seal.get("files"), list):
                found.append(seal)
    return found


def sealed_names(held: Held) -> set[str]:
    """The records files of a day that a seal covers (never written again)."""
    return {str(f.get("name")) for s in seals_of(held) for f in s["files"] if isinstance(f, dict)}
