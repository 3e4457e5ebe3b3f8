"""SIGTERM, what systemd (and most supervisors) send to stop a service, handled as Ctrl-C is: the signal
becomes an exception, so every render's cleanup runs (its workspace removed, nothing published) before the
process ends. A subclass of KeyboardInterrupt, so whatever cleans up after one cleans up after the other."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

EXIT_STATUS = 128 + signal.SIGTERM  # what a shell reports for a process ended by SIGTERM


class Stopped(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM)."""


_ASKED = threading.Event()


def _stop(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the cleanup itself is not interrupted again
    _ASKED.set()
    raise Stopped


def asked() -> bool:
    """Whether SIGTERM came: also when the exception was raised inside a library's callback that turned it into an
    error of its own (PyAV's blocking reads: "Immediate exit requested")."""
    return _ASKED.is_set()


def stop_on_sigterm() -> None:
    """From now on, SIGTERM raises Stopped in the main thread."""
    signal.signal(signal.SIGTERM, _stop)


@contextmanager
def stoppable() -> Iterator[None]:
    """SIGTERM raises Stopped while this lasts (in the main thread only, where Python runs handlers: a pool
    worker's job; a Dask worker's thread is stopped by its own worker)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def between(stop: threading.Event) -> Iterator[None]:
    """SIGTERM sets `stop` while this lasts, instead of raising: for a loop that must finish what it is doing
    (a picture half sent) and ends at its next look at `stop`. The caller raises Stopped after, if `asked()`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def later(signum: int, frame: FrameType | None) -> None:
        _ASKED.set()
        stop.set()

    previous = signal.signal(signal.SIGTERM, later)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
