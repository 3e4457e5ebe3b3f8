"""The campaign folder's lock: every writer of campaign files in ticker (the desk's saves, `ticker approve` and
its revocation, from the desk or the command line) holds an exclusive flock on CAMPAIGN_DIR/.ticker-campaigns.lock
while it reads the file again, compares it with what it read before, and renames its new bytes over it. So no
two of them interleave: a save or an approval never overwrites what another wrote since it read the file, it is
refused instead (ticker.campaign.editing.Conflict).

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
from collections.abc import Iterator
from pathlib import Path

from ticker.errors import PublishError
from ticker.files.publish import open_own

LOCK = ".ticker-campaigns.lock"


def _open(path: Path) -> int:
    try:
        return open_own(path, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        return open_own(path, os.O_RDONLY | os.O_CREAT, 0o666)


@contextlib.contextmanager
def hold(folder: Path) -> Iterator[None]:
    """The folder's lock, held for as long as the block runs (waiting for another writer to finish first)."""
    path = folder / LOCK
    try:
        fd = _open(path)  # a link or anything but a regular file is refused here (publish.open_own)
    except OSError as e:
        raise PublishError(
            f"{path}: the campaigns' lock cannot be opened ({e.strerror or e}); nothing was changed."
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as e:
            raise PublishError(
                f"{path}: the campaigns' lock cannot be taken ({e.strerror or e}); nothing was changed."
            ) from None
        yield
    finally:
        os.close(fd)
