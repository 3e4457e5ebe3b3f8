"""The run's lease: a file in OUT that says the run which sent the jobs is still there.

A Dask worker goes on with a job when the client that sent it is gone (killed, even by SIGKILL): without a
check it would publish its clip after the run, its lock and its manifest are gone. So the run holds a lease:
`OUT/.ticker-lease.TOKEN`, TOKEN an unguessable 128-bit hex string, created exclusively, holding TOKEN, and
touched every HEARTBEAT seconds by a thread of the run; the run removes it at its end. Each job carries the
lease's path. A worker checks it before it starts and right before it renames its files: a regular file (not a
link), inside the root it publishes under, holding the token, touched within STALE seconds by the worker's
clock (the farm's clocks agree: NTP). Otherwise it removes its temporaries and says the run is gone.

The lease is opened before its time is read, so that an NFS client revalidates it (close-to-open) instead of
answering from its attribute cache.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ticker.errors import PublishError, RenderError
from ticker.files import Held
from ticker.files.held import remove_if_same
from ticker.files.publish import open_own

PREFIX = ".ticker-lease."
NAME = re.compile(r"^\.ticker-lease\.[0-9a-f]{32}$")
HEARTBEAT = 2.0  # seconds between touches
STALE = 10.0  # a lease untouched for longer: its run is gone


class RunGone(RenderError):
    """The run that asked for a job holds no live lease any more: the job publishes nothing."""


@contextlib.contextmanager
def hold_lease(out: Held) -> Iterator[str]:
    """A lease in `out` for as long as the block runs: its path, by the name that reaches the same file on
    every worker (links resolved)."""
    _remove_stale(out)
    token = secrets.token_hex(16)
    name = f"{PREFIX}{token}"
    path = Path(os.path.realpath(out.path)) / name
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=out.fd)
        os.write(fd, token.encode())
        os.fsync(fd)
    except OSError as e:
        raise PublishError(f"{out.shown / name}: the run's lease cannot be written ({e.strerror or e}).") from None
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT):
            with contextlib.suppress(OSError):  # a full or slow disk: the workers will say the lease went stale
                os.utime(fd)

    beating = threading.Thread(target=beat, name="ticker-lease", daemon=True)
    beating.start()
    try:
        yield str(path)
    finally:
        stop.set()
        beating.join()
        with contextlib.suppress(OSError):
            remove_if_same(out.path / name, os.fstat(fd).st_ino)  # ours, not a file put there
        os.close(fd)


def _remove_stale(out: Held) -> None:
    """Leases that killed runs left: regular files untouched for longer than STALE (never a link's target)."""
    with contextlib.suppress(OSError):
        for name in out.names():
            st = out.lstat(name) if NAME.match(name) else None
            if st is not None and stat.S_ISREG(st.st_mode) and time.time() - st.st_mtime > STALE:
                remove_if_same(out.path / name, st.st_ino)


def check_lease(lease: str | None, root: Path, source: str) -> None:
    """Raise RunGone unless the lease at `lease` (inside `root`) is live: see the module docstring."""
    if lease is None:
        raise RunGone(f"{source}: not published: the job names no lease of the run that asked for it.")
    path = Path(lease)
    if not NAME.match(path.name) or not path.is_absolute() or not path.parent.resolve().is_relative_to(root):
        raise RunGone(f"{source}: not published: its lease {lease} is not a ticker lease inside {root}.")
    gone = f"{source}: not published: the nightly run that asked for it is gone (its lease {path}"
    try:
        fd = open_own(path)
    except FileNotFoundError:
        raise RunGone(f"{gone} was removed).") from None
    except OSError as e:
        why = {errno.ELOOP: "is a link", errno.EINVAL: "is not a regular file"}.get(e.errno or 0)
        raise RunGone(f"{gone} {why or f'cannot be opened: {e.strerror or e}'}).") from None
    try:
        st = os.fstat(fd)
        if os.pread(fd, 64, 0) != path.name.removeprefix(PREFIX).encode():
            raise RunGone(f"{gone} does not hold its token).")
        if (age := time.time() - st.st_mtime) > STALE:
            raise RunGone(f"{gone} was last refreshed {age:.0f} s ago).")
    finally:
        os.close(fd)
