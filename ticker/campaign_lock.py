"""The campaign folder's lock: every writer of campaign files in ticker (the desk's saves, `ticker approve` and
its revocation, from the desk or the command line) holds an exclusive flock on CAMPAIGN_DIR/.ticker-campaigns.lock
while it reads the file again, compares it with what it read before, and renames its new bytes over it. So no
two of them interleave: a save or an approval never overwrites what another wrote since it read the file, it is
refused instead (ticker.editing.Conflict).

A writer waits for the one that holds the lock (each holds it for a read, a comparison and a rename); the kernel
lets it go when the process ends, however it ends. Hand edits (vi, Notepad over Samba) take no lock: one that
lands before the comparison is caught by it, like any other change.

The lock is a file of ticker's own: opened without following a link, and only if it is a regular file. It is
opened for writing where the user may (an exclusive flock over NFS needs it), else for reading, so that the
desk's user and an operator's can share it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ticker.errors import PublishError

LOCK = ".ticker-campaigns.lock"


def _open(path: Path) -> int:
    flags = os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        return os.open(path, os.O_RDWR | flags, 0o666)
    except PermissionError:
        return os.open(path, os.O_RDONLY | flags, 0o666)


@contextlib.contextmanager
def hold(folder: Path) -> Iterator[None]:
    """The folder's lock, held for as long as the block runs (waiting for another writer to finish first)."""
    path = folder / LOCK
    try:
        fd = _open(path)
    except OSError as e:
        raise PublishError(
            f"{path}: the campaigns' lock cannot be opened ({e.strerror or e}); nothing was changed."
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PublishError(f"{path}: is not a regular file; the campaigns' lock must be one. Nothing was changed.")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as e:
            raise PublishError(
                f"{path}: the campaigns' lock cannot be taken ({e.strerror or e}); nothing was changed."
            ) from None
        yield
    finally:
        os.close(fd)
