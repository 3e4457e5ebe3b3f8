"""Whether this host's clock is kept right, as the kernel says: adjtimex(2) with no change asked returns
TIME_ERROR while the clock is not synchronised (no NTP daemon disciplining it, or one that lost its servers).
Records carry it, so that a time read on a clock nobody kept is known for what it is."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

from ticker.records.lines import Clock

TIME_ERROR = 5


class _Timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class _Timex(ctypes.Structure):
    """struct timex of <sys/timex.h> (Linux): the fields up to `tai`, then the kernel's padding."""

    _fields_ = [
        ("modes", ctypes.c_uint),
        ("offset", ctypes.c_long),
        ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long),
        ("esterror", ctypes.c_long),
        ("status", ctypes.c_int),
        ("constant", ctypes.c_long),
        ("precision", ctypes.c_long),
        ("tolerance", ctypes.c_long),
        ("time", _Timeval),
        ("tick", ctypes.c_long),
        ("ppsfreq", ctypes.c_long),
        ("jitter", ctypes.c_long),
        ("shift", ctypes.c_int),
        ("stabil", ctypes.c_long),
        ("jitcnt", ctypes.c_long),
        ("calcnt", ctypes.c_long),
        ("errcnt", ctypes.c_long),
        ("stbcnt", ctypes.c_long),
        ("tai", ctypes.c_int),
        ("padding", ctypes.c_int * 11),
    ]


@functools.cache
def _adjtimex() -> Any:
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    return getattr(libc, "adjtimex", None)


def host_clock() -> Clock:
    """The host's clock, and whether the kernel holds it synchronised ("unknown" where it cannot be asked)."""
    call = _adjtimex()
    if call is None:
        return Clock("host", "unknown")
    tx = _Timex()  # modes 0: only read
    state = call(ctypes.byref(tx))
    if state < 0:
        return Clock("host", "unknown")
    return Clock("host", "unsynchronised" if state == TIME_ERROR else "synchronised", "adjtimex")
