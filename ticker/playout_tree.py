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
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from ticker.errors import InputError, LockedError
from ticker.manifest import MANIFEST
from ticker.publish import discard, open_log, open_own

LOCK = ".ticker-nightly.lock"
DAY_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@contextmanager
def hold_lock(out: Path) -> Iterator[None]:
    """An exclusive flock on OUT/.ticker-nightly.lock for as long as this run lasts; the kernel lets it go
    when the process ends, however it ends. A second run says who holds it and stops."""
    path = out / LOCK
    try:
        fd = open_own(path, os.O_RDWR | os.O_CREAT)
    except OSError as e:
        why = {
            errno.ELOOP: "is a link; the lock must be a file of ticker's own",
            errno.EINVAL: "is not a regular file; the lock must be a file of ticker's own",
        }.get(e.errno or 0, e.strerror)
        raise InputError(f"{path}: {why}, so this run did nothing.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        try:
            holder = json.loads(os.pread(fd, 4096, 0) or b"{}")
            who = f"pid {holder['pid']} on {holder['host']}, since {holder['since']}"
        except (ValueError, KeyError):
            who = "a run that is starting"
        os.close(fd)
        raise LockedError(f"{out}: another nightly run holds {path.name} ({who}); this run did nothing.") from None
    try:
        since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            json.dumps(
                {"pid": os.getpid(), "host": socket.gethostname(), "since": since, "command": sys.argv}
            ).encode(),
            0,
        )
        yield
    finally:
        os.close(fd)


class Log:
    """Lines to OUT/DAY/nightly.log (with the time) and to the terminal."""

    def __init__(self, path: Path, stream: TextIO):
        self.path, self.stream = path, stream
        self.file: TextIO | None = open_log(path)

    def __call__(self, message: str, quiet: bool = False) -> None:
        if self.file is not None:
            try:
                self.file.write(f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')} {message}\n")
                self.file.flush()
            except OSError as e:  # a full disk: the run goes on, and says so once
                self._lost(e)
        if not quiet:
            print(f"ticker: {message}", file=self.stream)

    def _lost(self, e: OSError) -> None:
        print(
            f"ticker: {self.path}: the log could not be written ({e.strerror or e}); the run goes on.", file=self.stream
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


def retire(out: Path, day: dt.date, keep_days: int, log: Log) -> None:
    """Day folders (with a manifest) more than `keep_days` before the day are removed (the day made, or today
    if that is earlier: a run made ahead never removes the days still to air). A day's name that is a link
    is removed as a link, never what it points to."""
    for date, folder in day_folders(out, links=True):
        age = (day - date).days
        if age <= keep_days:
            continue
        link = folder.is_symlink()
        if not link and not (folder / MANIFEST).is_file():
            continue
        try:
            discard(folder)
        except OSError as e:
            log(f"error: {folder}: could not be removed ({e.strerror or e})")
            continue
        what = f"{folder.name} (a link)" if link else f"{folder.name}/"
        log(f"removed {what}: {age} days before {day}, beyond the {keep_days} kept")


def day_folder(out: Path, day: dt.date) -> Path:
    """OUT/DAY, made if need be: a folder of ticker's own, never a link to one elsewhere (its contents would be
    tidied away) nor a file."""
    folder = out / day.isoformat()
    with suppress(FileExistsError):
        folder.mkdir()
    st = folder.lstat()
    if stat.S_ISLNK(st.st_mode):
        raise InputError(
            f"{folder}: is a link (to {os.readlink(folder)}); ticker writes and tidies its day folders itself and "
            f"never through a link, so this run did nothing."
        )
    if not stat.S_ISDIR(st.st_mode):
        raise InputError(f"{folder}: is a file, where the day's folder goes; this run did nothing.")
    return folder


def day_folders(out: Path, links: bool = False) -> list[tuple[dt.date, Path]]:
    """OUT's day folders, YYYY-MM-DD, with their dates, in date order (2020-99-99 is not a day); links to
    folders only if asked for (to remove them), never to be read from."""
    found = []
    for entry in os.scandir(out):
        if DAY_DIR.match(entry.name) and (entry.is_dir(follow_symlinks=False) or (links and entry.is_symlink())):
            with suppress(ValueError):
                found.append((dt.date.fromisoformat(entry.name), out / entry.name))
    return sorted(found)
