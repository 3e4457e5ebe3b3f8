"""Publication: how a file ticker writes reaches its final name, and the rules every writer keeps to.

- A file is written under a temporary name that no watch folder picks up (a leading dot and a suffix that is
  not the final extension: `.NAME.PID.partial`, the runs of a parallel encode `….partial.seg{k}`, a folder
  set aside while it is replaced `.NAME.PID.old`), checked, and renamed to its final name in one step.
- Data is flushed to the disk (fsync) before the rename, so a crash never leaves a final name on a torn file.
- A fill+key pair is published key first: playout loads a pair by its fill's name.
- A file made for another day is hard-linked (copied where the file system has no hard links).
- What could not be published is removed; an OSError while publishing is one sentence (PublishError).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ticker.errors import InputError, PublishError

PARTIAL = ".partial"
OLD = ".old"


def temp_for(final: Path) -> Path:
    """The temporary name a file (or folder of pictures) is written under before it is published as `final`."""
    return final.with_name(f".{final.name}.{os.getpid()}{PARTIAL}")


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
    """Temporaries a killed run left in a folder: never final, always safe to remove."""
    return sorted({*folder.glob(f".*{PARTIAL}*"), *folder.glob(f".*{OLD}")})


def make_room(out_dir: Path, finals: Iterable[Path], sequence: bool) -> None:
    """The folder exists and nothing of the other kind (a folder for a file, a file for a folder of pictures)
    stands where a final name goes; one sentence if not."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for f in finals:
            if f.exists() and f.is_dir() != sequence:
                raise FileExistsError(f"{f} is in the way")
    except OSError as e:
        raise InputError(f"{out_dir}: cannot write the output there ({e.strerror or e}).") from None


def _sync(path: Path) -> None:
    """Flush a file that another program (ffmpeg) wrote to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(temp: Path, final: Path) -> None:
    """Move a checked file (or folder of pictures) to its final name in one rename, its data on the disk first."""
    try:
        if not temp.is_dir():
            _sync(temp)
            os.replace(temp, final)
            return
        stem = stem_of(temp)
        for f in sorted(temp.iterdir()):
            _sync(f)
            f.rename(temp / f.name.replace(stem, final.name, 1))
        old = final.with_name(f".{final.name}.{os.getpid()}{OLD}")
        if final.exists():
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
    """Publish the files made in a work folder under their names (each in one rename), then drop the folder."""
    for source, final in names.items():
        publish(work / source, final)
    shutil.rmtree(work, ignore_errors=True)


def discard(path: Path) -> None:
    """Remove a file or folder of pictures, and the runs of its parallel encode."""
    for p in [path, *path.parent.glob(f"{path.name}.seg*")]:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        elif p.exists() or p.is_symlink():
            p.unlink()


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link to `source` named `target`, or a copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish_copy(source: Path, final: Path) -> None:
    """A published file (or folder of pictures) of another day, linked or copied whole under `final`."""
    temp = temp_for(final)
    try:
        if source.is_dir():
            temp.mkdir()
            for f in sorted(source.iterdir()):
                link_or_copy(f, temp / f.name)
        else:
            link_or_copy(source, temp)
    except OSError as e:
        discard(temp)
        raise PublishError(f"{final}: could not be linked from {source} ({e.strerror or e}).") from None
    publish(temp, final)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a whole file: to a temporary, flushed to the disk, then renamed over `path`."""
    temp = temp_for(path)
    try:
        with open(temp, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except OSError as e:
        with contextlib.suppress(OSError):  # nothing to remove where the folder itself is not one
            temp.unlink(missing_ok=True)
        raise PublishError(f"{path}: could not be written ({e.strerror or e}).") from None


def open_log(path: Path) -> TextIO:
    """A log file opened for appending: lines are added, never rewritten."""
    try:
        return open(path, "a", encoding="utf-8")
    except OSError as e:
        raise PublishError(f"{path}: the log cannot be written ({e.strerror or e}).") from None
