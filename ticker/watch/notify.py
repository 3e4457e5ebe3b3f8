"""systemd's notification protocol (sd_notify(3)), for a watch run as a service of Type=notify: READY=1 once the
channel is being watched, WATCHDOG=1 while the loop that reads the stream is alive (systemd restarts the service
when they stop for WatchdogSec: a read stuck past every timeout), STATUS= in one line, STOPPING=1 at SIGTERM.
Without NOTIFY_SOCKET (not run by systemd) it says nothing. A datagram that cannot be sent is dropped: the
channel is watched whether systemd hears of it or not."""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Mapping

PING_EVERY = 2.0  # seconds between two WATCHDOG=1 at most (a unit's WatchdogSec is many times this)


class Notifier:
    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        where = (os.environ if env is None else env).get("NOTIFY_SOCKET", "")
        self.address = "\0" + where[1:] if where.startswith("@") else where  # "@…": an abstract socket
        self.socket: socket.socket | None = None
        if self.address and (self.address.startswith(("/", "\0"))):
            self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self.pinged = -PING_EVERY
        self.said = ""

    def send(self, *lines: str) -> None:
        if self.socket is None:
            return
        with contextlib.suppress(OSError):
            self.socket.sendto("\n".join(lines).encode("utf-8"), self.address)

    def ready(self, status: str) -> None:
        self.send("READY=1", f"STATUS={status}")
        self.said, self.pinged = status, time.monotonic()

    def alive(self, status: str) -> None:
        """The loop is alive: WATCHDOG=1 every PING_EVERY seconds, and the status when it changes."""
        now = time.monotonic()
        if now - self.pinged >= PING_EVERY or status != self.said:
            self.send("WATCHDOG=1", *([f"STATUS={status}"] if status != self.said else []))
            self.said, self.pinged = status, now

    def stopping(self) -> None:
        self.send("STOPPING=1", "STATUS=stopping; what was seen is recorded")

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None
