"""OUT, the playout tree a nightly run writes in: the lock that makes one run at a time, each day's log, the
day folders, and their retirement. The tree is often a share others can write to, so nothing in it is
followed as a link: the lock and the log are opened with O_NOFOLLOW, a day folder that is a link is refused,
and a link is removed as a link, never what it points to."""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import re
import socket
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from ticker.errors import InputError, LockedError, PublishError
from ticker.files.held import Held, shown
from ticker.files.manifest import MANIFEST
from ticker.files.publish import open_log, open_own
from ticker.terminal import one_line

LOCK = ".ticker-nightly.lock"
HOLDER_READS, HOLDER_WAIT = 20, 0.025  # a holder writes its name within half a second of taking the lock
DAY_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@contextmanager
def hold_lock(out: Held | Path) -> Iterator[None]:
    """An exclusive flock on OUT/.ticker-nightly.lock for as long as this run lasts; the kernel lets it go
    when the process ends, however it ends. A second run says who holds it and stops."""
    path, shown_path = (out.path / LOCK, out.shown / LOCK) if isinstance(out, Held) else (out / LOCK, out / LOCK)
    try:
        fd = open_own(path, os.O_RDWR | os.O_CREAT)
    except OSError as e:
        why = {
            errno.ELOOP: "is a link; the lock must be a file of ticker's own",
            errno.EINVAL: "is not a regular file; the lock must be a file of ticker's own",
        }.get(e.errno or 0, e.strerror)
        raise InputError(f"{shown_path}: {why}, so this run did nothing.") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = _holder(fd)
            raise LockedError(
                f"{shown_path.parent}: another nightly run holds {LOCK} ({who}); this run did nothing."
            ) from None
        since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": since, "command": sys.argv}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(holder).encode(), 0)
        except OSError as e:  # a full disk: nothing has been done yet, and nothing will be
            raise PublishError(f"{shown_path}: cannot be written ({e.strerror or e}); this run did nothing.") from None
        yield
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    """Who holds the lock, as it wrote in it: a run that has just taken it writes it a moment later, so an
    empty lock is read again for a little while before it is called "a run that is starting"."""
    for _ in range(HOLDER_READS):
        try:
            holder = json.loads(os.pread(fd, 4096, 0))
            return f"pid {holder['pid']} on {holder['host']}, since {holder['since']}"
        except (ValueError, KeyError, TypeError, OSError):
            time.sleep(HOLDER_WAIT)
    return "a run that is starting"


class Log:
    """Lines to OUT/DAY/nightly.log (with the time) and to the terminal. A line is one entry: what a name read
    from a file or a folder holds (a line break, a terminal's escape) is written escaped, so that no name can
    forge a line of the log or drive the terminal; a traceback's lines are indented under their entry."""

    def __init__(self, path: Path, stream: TextIO, shown_path: Path | None = None):
        self.path, self.stream = shown_path or path, stream
        self.file: TextIO | None = open_log(path)

    def __call__(self, message: str, quiet: bool = False, block: bool = False) -> None:
        message = shown(message)
        text = "\n    ".join(one_line(line) for line in message.splitlines()) if block else one_line(message)
        if self.file is not None:
            try:
                self.file.write(f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')} {text}\n")
                self.file.flush()
            except OSError as e:  # a full disk: the run goes on, and says so once
                self._lost(e)
        if not quiet:
            print(f"ticker: {text}", file=self.stream)

    def _lost(self, e: OSError) -> None:
        print(
            f"ticker: {one_line(str(self.path))}: the log could not be written ({e.strerror or e}); the run goes on.",
            file=self.stream,
        )
        file, self.file = self.file, None
        if file is not None:
            with suppress(OSError):  # what was still buffered cannot be written either
                file.close()

    def close(self) -> None:
        if self.file is not None:
            try:
                self.file.close()
            except OSError as e:
                self._lost(e)


def retire(out: Held, day: dt.date, keep_days: int, log: Log) -> None:
    """Day folders (with a manifest) more than `keep_days` before the day are removed (the day made, or today
    if that is earlier: a run made ahead never removes the days still to air), from OUT's descriptor. A day's
    name that is a link is removed as a link, never what it points to; a day folder of another user's is left."""
    for date, name in day_names(out, links=True):
        age = (day - date).days
        if age <= keep_days:
            continue
        st = out.lstat(name)
        link = st is not None and stat.S_ISLNK(st.st_mode)
        if not link:
            if st is None or st.st_uid != os.geteuid():
                continue
            manifest = os.path.join(name, MANIFEST)
            try:
                if not stat.S_ISREG(os.stat(manifest, dir_fd=out.fd, follow_symlinks=False).st_mode):
                    continue
            except OSError:
                continue
        try:
            out.remove(name)
        except OSError as e:
            log(f"error: {out.shown / name}: could not be removed ({e.strerror or e})")
            continue
        what = f"{name} (a link)" if link else f"{name}/"
        log(f"removed {what}: {age} days before {day}, beyond the {keep_days} kept")


def day_folder(out: Held, day: dt.date) -> Held:
    """OUT/DAY, made if need be, and held (ticker.files.held): a folder of this user's own, never a link to one
    elsewhere (its contents would be tidied away) nor a file; one sentence if not."""
    return out.sub(day.isoformat(), make=True, what="day folder")


def day_names(out: Held, links: bool = False) -> list[tuple[dt.date, str]]:
    """OUT's day folders' names, YYYY-MM-DD, with their dates, in date order (2020-99-99 is not a day); links
    to folders only if asked for (to remove them), never to be read from."""
    found = []
    for name in out.names():
        st = out.lstat(name) if DAY_DIR.match(name) else None
        if st is not None and (stat.S_ISDIR(st.st_mode) or (links and stat.S_ISLNK(st.st_mode))):
            with suppress(ValueError):
                found.append((dt.date.fromisoformat(name), name))
    return sorted(found)


def day_folders(out: Path) -> list[tuple[dt.date, Path]]:
    """OUT's day folders of this user's (day_names), each by its path, for those who only read them (the
    desk): one another user made could hold anything that user put there."""
    found = []
    with Held.open(out) as held:
        for date, name in day_names(held):
            st = held.lstat(name)
            if st is not None and st.st_uid == os.geteuid():
                found.append((date, out / name))
    return found
