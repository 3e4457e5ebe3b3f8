"""Values worked out from files, kept by whoever owns them (a command's run, the desk) rather than by the
process: a memo of bounded size, and the identity of a file by which a kept value is known to be stale.

A file is the same while its path, device, inode, size, modification and change times are: a font renamed over
another has another inode, and bytes rewritten move the change time even when the modification time is set
back. A value kept under that identity is never read for a file that changed."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V")

# path, device, inode, size, mtime_ns, ctime_ns; None where the file cannot be looked at (its reader says why)
FileKey = tuple[str, int, int, int, int, int] | None


def file_key(path: Path | str, follow: bool = True) -> FileKey:
    """The identity of the file at `path` as it is now (see the module's docstring)."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError:
        return None
    return (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class Memo(Generic[V]):
    """At most `most` values by key, the least recently used dropped first; safe to share between threads (a
    value may be worked out twice when two ask at once: both are the same)."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        value = make()
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > self.most:
                self._kept.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._kept)
