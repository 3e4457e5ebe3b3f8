"""The processes and locks of a run, as /proc shows them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def waiting_on(lock: Path) -> int:
    """How many flocks wait on the file `lock` for its holder now, from the kernel's table of locks: a writer
    held back by another is seen there, without guessing how long it takes to get there."""
    if not lock.exists():
        return 0
    st = lock.stat()
    file = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"  # as the kernel names it there
    with open("/proc/locks", encoding="ascii") as f:
        rows = [line.split() for line in f]
    return sum(1 for row in rows if "->" in row and row[-3] == file)


def processes_naming(folder: Path) -> list[int]:
    """The processes whose command line names `folder`, or that hold it or anything in it open (a render's
    workers and encoders: they reach the folder through a descriptor's name in /proc, /proc/PID/fd/N)."""
    found = []
    inside = str(folder.resolve())
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if str(folder).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
                continue
            for fd in (proc / "fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target == inside or target.startswith(inside + "/"):
                        found.append(int(proc.name))
                        break
        except OSError:
            pass
    return found
