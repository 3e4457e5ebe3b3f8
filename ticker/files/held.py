"""Folders of the output tree held by descriptor, and every removal ticker makes: the one place that deletes.

A folder's name can be swapped for a link while a run works in it (a share others write to; a nightly run
lasts minutes): whatever a run later does through `OUT/DAY/...` would then happen wherever the link points.
So a run opens each folder it works in once, with O_DIRECTORY|O_NOFOLLOW, and from then on reaches it only
through that descriptor. `Held.path` is the descriptor's name in /proc (`/proc/PID/fd/N`): the kernel resolves
it to the folder that was opened, wherever it has been moved and whatever now stands under its old name, so
the code that writes through paths (ffmpeg, the workspace, the manifest, the log) works relative to the
descriptor without a rewrite. Children of this process (ffmpeg) reach it too: the same user, the same host.

A folder is held only if this user owns it: one that another user made (or swapped in) is refused, since its
owner could change what is inside at any moment. Sentences name folders as they were asked for, never by their
/proc names (`shown`).

Removal goes through `remove` and `remove_in` alone (tests/unit/test_structure.py holds every other module to
that): a link is removed as a link, a folder with everything in it by descriptor (shutil.rmtree with dir_fd,
which never follows a link inside), and nothing is looked up by name twice.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from pathlib import Path
from types import TracebackType

from ticker.errors import InputError, TickerError

_SHOWN: dict[str, str] = {}  # "/proc/PID/fd/N" of each folder held in this process → the name it was opened as
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


class Held:
    """A folder opened once and worked in through its descriptor (module docstring)."""

    def __init__(self, fd: int, shown: Path):
        self._fileno: int | None = fd
        self.shown = shown
        _SHOWN[str(self.path)] = str(shown)

    @classmethod
    def open(cls, path: Path, what: str = "the output folder") -> Held:
        """A folder the operator named (links in the name they gave are theirs to make, so followed)."""
        try:
            fd = os.open(path, DIR_FLAGS)
        except OSError as e:
            raise InputError(f"{path}: {what} cannot be opened ({e.strerror or e}).") from None
        return cls(fd, path)

    def sub(self, name: str, *, make: bool = False, what: str = "folder", then: str = "this run did nothing") -> Held:
        """The folder `name` inside this one (made first if `make`), held: never through a link, and only if
        this user owns it. InputError (one sentence naming it, ending in what `then` says) if not."""
        shown = self.shown / name
        if make:
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, dir_fd=self.fd)
        try:
            fd = os.open(name, DIR_FLAGS | os.O_NOFOLLOW, dir_fd=self.fd)
        except OSError as e:
            raise InputError(f"{shown}: {self._why_not(name, e, what, then)}") from None
        owner = os.fstat(fd).st_uid
        if owner != os.geteuid():
            os.close(fd)
            raise InputError(
                f"{shown}: belongs to another user (uid {owner}); ticker writes and tidies only a {what} of its "
                f"own, so {then}."
            )
        return Held(fd, shown)

    def _why_not(self, name: str, e: OSError, what: str, then: str) -> str:
        if e.errno in (errno.ELOOP, errno.ENOTDIR):
            with contextlib.suppress(OSError):
                target = os.readlink(name, dir_fd=self.fd)
                return (
                    f"is a link (to {target}); ticker writes and tidies a {what} of its own and never through a "
                    f"link, so {then}."
                )
            return f"is a file, where the {what} goes; {then}."
        return f"cannot be opened ({e.strerror or e}); {then}."

    @property
    def fd(self) -> int:
        if self._fileno is None:
            raise ValueError(f"{self.shown}: no longer held")
        return self._fileno

    @property
    def path(self) -> Path:
        """The folder's name through its descriptor, for this process and its children."""
        return Path(f"/proc/{os.getpid()}/fd/{self.fd}")

    @property
    def identity(self) -> tuple[int, int]:
        """(device, inode): the same folder however it was reached."""
        st = os.fstat(self.fd)
        return st.st_dev, st.st_ino

    def lstat(self, name: str) -> os.stat_result | None:
        """What `name` is inside (never through a link), or None if nothing is there."""
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def names(self) -> list[str]:
        return sorted(os.listdir(self.fd))

    def remove(self, name: str) -> None:
        remove_in(self.fd, name)

    def close(self) -> None:
        if self._fileno is not None:
            _SHOWN.pop(str(self.path), None)
            os.close(self._fileno)
            self._fileno = None

    def __enter__(self) -> Held:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        """Closes the folder; a sentence leaving the block names it as it was asked for, not by /proc."""
        if isinstance(e, TickerError) and e.args and isinstance(e.args[0], str):
            e.args = (shown(e.args[0]), *e.args[1:])
        elif isinstance(e, OSError):
            e.filename = shown(e.filename) if isinstance(e.filename, str) else e.filename
        self.close()


def shown(text: str) -> str:
    """`text` with the /proc name of every folder held here replaced by the name it was opened as."""
    for proc, name in sorted(_SHOWN.items(), key=lambda item: -len(item[0])):
        text = text.replace(proc, name)
    return text


def remove_in(dir_fd: int, name: str, *, missing_ok: bool = True) -> None:
    """Remove `name` inside the folder `dir_fd` as what it is: a file or link unlinked (never what a link
    points to), a folder with everything in it, by descriptor."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        if missing_ok:
            return
        raise
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(name, dir_fd=dir_fd)
    else:
        os.unlink(name, dir_fd=dir_fd)


def remove(path: Path, *, ignore_errors: bool = False) -> None:
    """Remove what is at `path` (remove_in, from its folder's descriptor); nothing if it is not there."""
    try:
        parent = os.open(path.parent, DIR_FLAGS)
    except OSError:
        if ignore_errors:
            return
        raise
    try:
        remove_in(parent, path.name)
    except OSError:
        if not ignore_errors:
            raise
    finally:
        os.close(parent)


def remove_if_same(path: Path, inode: int) -> None:
    """Remove the file at `path` only if it is still the one with this inode (a file of ticker's own, not one
    put under its name since)."""
    with contextlib.suppress(OSError):
        parent = os.open(path.parent, DIR_FLAGS)
        try:
            if os.stat(path.name, dir_fd=parent, follow_symlinks=False).st_ino == inode:
                os.unlink(path.name, dir_fd=parent)
        finally:
            os.close(parent)
