"""Publication: how a file ticker writes reaches its final name, and the rules every writer keeps to.

The output tree is often a share that other people and programs can write to, so ticker trusts nothing in it
that it did not make itself:
- A file is written in a workspace: a folder beside its final name, made exclusively under a name nobody can
  guess (`.NAME.RANDOM.partial`, mode 0700, so nobody else can plant or swap anything inside it), and held
  under a flock for as long as its writer lives. The runs of a parallel encode (`NAME.seg{k}`) and a folder
  set aside while it is replaced (`NAME.old`) are made there too. Nothing there has the final extension at
  the top of the folder, so no watch folder picks it up.
- A checked file is renamed to its final name in one step, its data flushed to the disk (fsync) first; a
  rename replaces a link that stood there instead of writing through it.
- A fill+key pair is published key first: playout loads a pair by its fill's name.
- Links in the tree are never followed: a link is removed as a link (never its target), and files ticker
  opens there (logs, manifests, locks) are opened with O_NOFOLLOW and must be regular files.
- A file made for another day is hard-linked (copied where the file system has no hard links) into a
  workspace, and published only if what was linked is a regular file whose SHA-256 is the one its manifest
  gives.
- What could not be published is removed; an OSError while publishing is one sentence (PublishError).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from ticker.errors import InputError, PublishError
from ticker.files.held import remove

PARTIAL = ".partial"
OLD = ".old"
SHOWN_OF_NAME = 40  # characters of the final name shown in a workspace's name (all of it need not fit)


class Workspace:
    """A private folder beside the files it will publish, removed (with what is left in it) when closed."""

    def __init__(self, final: Path, made: tuple[Path, int] | None = None):
        try:
            self.path, fd = made or _private_folder(final)
        except OSError as e:
            raise InputError(f"{final.parent}: cannot write the output there ({e.strerror or e}).") from None
        self._fd: int | None = fd

    def temp(self, final: Path) -> Path:
        """Where `final` is written before it is published."""
        return self.path / final.name

    def close(self) -> None:
        if self._fd is None:
            return
        remove(self.path, ignore_errors=True)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _private_folder(final: Path) -> tuple[Path, int]:
    """A workspace made and locked (its path and the descriptor that holds its flock); OSError if not."""
    while True:
        path = Path(tempfile.mkdtemp(prefix=f".{final.name[:SHOWN_OF_NAME]}.", suffix=PARTIAL, dir=final.parent))
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except FileNotFoundError:  # a sweep took it for a dead run's between its making and its opening: again
            continue
        except BaseException:  # OSError, or stopped (SIGTERM) in between: nothing is left behind
            remove(path, ignore_errors=True)
            raise
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held while it lives: a sweep (ticker.files.publish.sweep) skips it
            if os.fstat(fd).st_nlink > 0:
                return path, fd
        except BaseException:
            remove(path, ignore_errors=True)
            os.close(fd)
            raise
        os.close(fd)  # a sweep took it for a dead run's between its making and its locking: again


def stem_of(temp: Path) -> str:
    """The name a temporary's pictures are numbered under (a folder's pictures carry its name)."""
    return temp.name.removesuffix(PARTIAL)


def segment(temp: Path, k: int) -> Path:
    """Run `k` of a parallel encode of `temp`: not the final extension either."""
    return temp.with_name(f"{temp.name}.seg{k}")


def segment_list(temp: Path) -> Path:
    """The concat list that joins the runs of `temp`."""
    return temp.with_name(f"{temp.name}.seglist")


def leftovers(folder: Path) -> list[Path]:
    """Temporaries a killed run left in a folder (workspaces no living run holds, and the temporaries of older
    versions of ticker): never final, always safe to remove."""
    return [p for p in _temporaries(folder) if not _held(p, lambda: None)]


def sweep(folder: Path) -> list[str]:
    """Remove what killed runs left in a folder (a workspace is removed under its flock, so that its maker,
    if it was only starting, sees it gone and makes another); the names removed."""
    removed = []
    for path in _temporaries(folder):
        if not _held(path, functools.partial(remove, path, ignore_errors=True)):
            discard(path)
            removed.append(path.name)
    return removed


def _temporaries(folder: Path) -> list[Path]:
    """What a run of ticker writes in a folder before it publishes: workspaces, and older versions' names."""
    return sorted({*folder.glob(f".*{PARTIAL}*"), *folder.glob(f".*{OLD}")})


def _held(path: Path, then: Callable[[], None]) -> bool:
    """Whether a living run holds this workspace's flock; if none does, `then` is done under it."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            return False
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        then()
        return False
    finally:
        os.close(fd)


def make_room(out_dir: Path, finals: Iterable[Path], sequence: bool) -> None:
    """The folder exists and nothing of the other kind (a folder for a file, a file for a folder of pictures)
    stands where a final name goes; one sentence if not. A link there is replaced, never written through."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for f in finals:
            with contextlib.suppress(FileNotFoundError):
                st = os.lstat(f)
                if not stat.S_ISLNK(st.st_mode) and stat.S_ISDIR(st.st_mode) != sequence:
                    raise FileExistsError(f"{f} is in the way")
    except OSError as e:
        raise InputError(f"{out_dir}: cannot write the output there ({e.strerror or e}).") from None


def _sync(path: Path) -> None:
    """Flush a file that another program (ffmpeg) wrote to the disk."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(temp: Path, final: Path) -> None:
    """Move a checked file (or folder of pictures) from its workspace to its final name in one rename, its
    data on the disk first."""
    try:
        if not _is_dir(temp):
            _sync(temp)
            os.replace(temp, final)
            return
        stem = stem_of(temp)
        for f in sorted(temp.iterdir()):
            _sync(f)
            if stem != final.name:
                f.rename(temp / f.name.replace(stem, final.name, 1))
        old = temp.with_name(f"{temp.name}{OLD}")  # in the workspace: nobody else can have put it there
        if os.path.lexists(final):
            final.rename(old)  # a folder cannot be replaced in one step: the old one goes aside first
        temp.rename(final)
        discard(old)
    except OSError as e:
        raise PublishError(f"{final}: could not be published ({e.strerror or e}).") from None


def publish_all(temps: list[Path], finals: list[Path]) -> None:
    """Publish files that go together, the last first: a pair's key before its fill."""
    for temp, final in reversed(list(zip(temps, finals))):
        publish(temp, final)


def publish_folder(work: Path, names: dict[str, Path]) -> None:
    """Publish the files made in a work folder under their names (each in one rename)."""
    for source, final in names.items():
        publish(work / source, final)


def _is_dir(path: Path) -> bool:
    """A folder, and not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def discard(path: Path) -> None:
    """Remove a file or folder of pictures, and the runs of its parallel encode; a link is removed as a link,
    never through it."""
    for p in [path, *path.parent.glob(f"{path.name}.seg*")]:
        remove(p)


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link to `source` named `target` (to the link itself if `source` is one), or a copy of a regular
    file where the file system has no hard links."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.EEXIST):
            raise
        with open_regular(source) as src, open(target, "xb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        shutil.copystat(source, target, follow_symlinks=False)


def open_own(path: Path, flags: int = os.O_RDONLY, mode: int = 0o644) -> int:
    """A descriptor of a file in the output tree: never opened through a link (ELOOP), never a FIFO or a
    device (it is opened without blocking, then looked at: EINVAL if it is not a regular file). `mode`: of a
    file made with O_CREAT (less the umask)."""
    fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, mode)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "it is not a regular file", str(path))
    os.set_blocking(fd, True)
    return fd


def open_regular(path: Path) -> io.BufferedReader:
    """A regular file of the output tree opened for reading in binary (open_own)."""
    return open(open_own(path), "rb")


def publish_copy(source: Path, final: Path, same: Callable[[Path], bool]) -> bool:
    """A published file (or folder of pictures) of another day, linked or copied whole under `final`, if what
    was linked is `same` (regular files with the manifest's checksum); False, and nothing published, if not."""
    with Workspace(final) as work:
        temp = work.temp(final)
        try:
            if _is_dir(source):
                temp.mkdir()
                for f in sorted(source.iterdir()):
                    link_or_copy(f, temp / f.name)
            else:
                link_or_copy(source, temp)
        except OSError as e:
            raise PublishError(f"{final}: could not be linked from {source} ({e.strerror or e}).") from None
        if not same(temp):
            return False
        publish(temp, final)
    return True


def write_atomic(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Write a whole file: in a workspace (so that no other run's sweep takes it for a leftover), flushed to the
    disk, then renamed over `path` (which replaces a link there, never writing through it). `mode` (0o600 for
    a file of secrets) is set on the temporary before a byte is written, whatever the umask; else the umask's."""
    try:
        made = _private_folder(path)
    except OSError as e:
        raise PublishError(f"{path}: could not be written ({e.strerror or e}).") from None
    with Workspace(path, made) as work:
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            with open(os.open(work.temp(path), flags, 0o666 if mode is None else mode), "wb") as f:
                if mode is not None:
                    os.fchmod(f.fileno(), mode)
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
                f.flush()
                os.fsync(f.fileno())
            if _is_dir(path):
                raise IsADirectoryError(errno.EISDIR, "Is a directory")
            os.replace(work.temp(path), path)
        except OSError as e:
            raise PublishError(f"{path}: could not be written ({e.strerror or e}).") from None


def open_log(path: Path) -> TextIO:
    """A log file opened for appending: lines are added, never rewritten. A link planted under its name is
    removed (as a link) and a file of ticker's own is made instead."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    try:
        try:
            fd = open_own(path, flags)
        except OSError as e:
            if e.errno != errno.ELOOP:
                raise
            remove(path)  # the link, as a link
            fd = open_own(path, flags | os.O_EXCL)
        return open(fd, "a", encoding="utf-8")
    except OSError as e:
        raise PublishError(f"{path}: the log cannot be written ({e.strerror or e}).") from None
