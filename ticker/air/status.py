"""What a monitoring system (and the desk's tonight board) reads of a channel `ticker air` is inserting into: the
status file RECORDS/air-status-CHANNEL.json, written whole every EVERY seconds; and systemd's notifications
(ticker.watch.notify: READY once the output is open, WATCHDOG while pictures go out, STATUS in one line)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ticker.files import write_atomic
from ticker.watch.notify import Notifier

EVERY = 2.0  # seconds between two writes of the status file


def status_path(records: Path, channel: str) -> Path:
    return records / f"air-status-{urllib.parse.quote(channel, safe='')}.json"


@dataclass
class AirStatus:
    channel: str
    input: bool = False  # pictures are coming in
    last_picture: str | None = None  # its wall time
    continuity_errors: int = 0  # packets of the input lost or out of order since it began
    output_rate: int = 0  # the output's constant rate, bits a second
    encoder_lag: float = 0.0  # seconds from a picture decoded at the input to its encoding (the reserve, the crawl)
    crawl: bool = False  # a crawl is being inserted now
    airing: str | None = None  # its campaign
    next_airing: str | None = None  # the next insertion's start and campaign, today
    alarms: list[str] = field(default_factory=list)

    def line(self) -> str:
        if not self.input:
            return f"{self.channel}: no input"
        crawl = f"crawl on ({self.airing})" if self.crawl else "crawl off"
        return f"{self.channel}: on air, {crawl}, lag {self.encoder_lag:.2f} s"


@dataclass
class Shown:
    """Where the status goes: the file (every EVERY seconds) and systemd."""

    path: Path
    notifier: Notifier = field(default_factory=Notifier)
    written: float = -EVERY
    ready: bool = False

    def show(self, status: AirStatus, force: bool = False) -> None:
        if not self.ready and status.input:
            self.notifier.ready(status.line())
            self.ready = True
        self.notifier.alive(status.line())
        now = time.monotonic()
        if force or now - self.written >= EVERY:
            write_atomic(self.path, json.dumps(asdict(status), ensure_ascii=False, indent=1) + "\n")
            self.written = now

    def stopping(self) -> None:
        self.notifier.stopping()
        self.notifier.close()


def moment(when: dt.datetime) -> str:
    return when.isoformat(timespec="milliseconds")
