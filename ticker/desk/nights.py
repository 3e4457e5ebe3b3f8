"""Nightly runs started from the desk ("make tomorrow's files now"), in the background: each in a thread of
its own, with what a page shows while it runs (its state, clips done of the day's total, the last lines of its
log) and, once it ends, nightly's status and the sentences that say what went wrong.

The run is the same `ticker.night.nightly.nightly` an operator's timer starts, under the same lock on OUT: a second
run for the same OUT (from the desk, from the timer, or from another thread here: flock is held per open file,
so the kernel refuses it within one process too) ends "failed" with the sentence naming who holds it. The desk
keeps no state but this, in memory: the last KEEP finished runs are remembered; a restart forgets them (the
day's manifest and nightly.log stay the record).
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import threading
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ticker.errors import TickerError
from ticker.night import nightly

KEEP = 50  # finished runs remembered
LOG_LINES = 200  # lines of a run's log kept for its page
MOST_ERRORS = 100
PREFIX = "ticker: "
SAID = ("error: ", "failed: ")  # how nightly's log begins a line that says what went wrong


class _Tail(io.StringIO):
    """A text stream that keeps the last lines written to it, and every line that says an error (a StringIO
    whose own buffer is never written: only the lines kept are)."""

    def __init__(self, lines: int = LOG_LINES):
        super().__init__()
        self.lines: deque[str] = deque(maxlen=lines)
        self.said: list[str] = []
        self._partial = ""
        self._lock = threading.Lock()

    def write(self, s: str) -> int:
        with self._lock:
            *whole, self._partial = (self._partial + s).split("\n")
            for line in whole:
                self.lines.append(line)
                said = line.removeprefix(PREFIX)
                if said.startswith(SAID) and len(self.said) < MOST_ERRORS:
                    self.said.append(said.split(": ", 1)[1])
        return len(s)

    def last(self) -> list[str]:
        with self._lock:
            return [*self.lines, *([self._partial] if self._partial else [])]


RunState = Literal["queued", "running", "done", "failed"]


@dataclass
class _Run:
    id: str
    day: dt.date
    out: Path
    state: RunState = "queued"
    counts: tuple[int, int] = (0, 0)  # clips finished, of the day's total: one tuple, read whole by any thread
    status: int | None = None
    failure: str | None = None  # what ended the run, when it did not end by itself
    tail: _Tail = field(default_factory=_Tail)

    def progress(self, done: int, total: int, name: str) -> None:
        self.counts = (done, total)

    def view(self) -> dict:
        errors = [*self.tail.said, *([self.failure] if self.failure else [])]
        return {
            "id": self.id,
            "date": self.day.isoformat(),
            "state": self.state,
            "progress": dict(zip(("done", "total"), self.counts)),
            "status": self.status,
            "errors": errors,
            "log": self.tail.last(),
        }


class Jobs:
    """The desk's background nightly runs, by id; safe to use from any thread."""

    def __init__(self, keep: int = KEEP):
        self.keep = keep
        self._runs: dict[str, _Run] = {}  # in the order they were started
        self._lock = threading.Lock()

    def start(
        self,
        config_dir: Path,
        out: Path,
        day: dt.date,
        *,
        records: Path | None = None,
        allow_unapproved: bool = False,
        workers: int = 1,
    ) -> str:
        """Start a nightly run for `day` of the campaigns in `config_dir` into `out` (its records in `records`);
        its id (unguessable: it may appear in a page's address)."""
        run = _Run(secrets.token_urlsafe(16), day, out)
        with self._lock:
            self._runs[run.id] = run
            self._forget()
        thread = threading.Thread(
            target=self._run,
            args=(run, config_dir, records, allow_unapproved, workers),
            name=f"ticker-nightly-{run.id[:8]}",
            daemon=True,
        )
        thread.start()
        return run.id

    def get(self, job_id: str) -> dict | None:
        """What a page shows of the run: {"id", "date", "state", "progress": {"done", "total"}, "status"
        (nightly's exit status once done, else None), "errors" (sentences), "log" (its last lines)}."""
        with self._lock:
            run = self._runs.get(job_id)
            return run.view() if run is not None else None

    def recent(self) -> list[dict]:
        """Every run remembered, the last started first."""
        with self._lock:
            return [run.view() for run in reversed(self._runs.values())]

    def _run(self, run: _Run, config_dir: Path, records: Path | None, allow_unapproved: bool, workers: int) -> None:
        run.state = "running"
        try:
            status = nightly(
                config_dir,
                run.out,
                run.day,
                workers=workers,
                stream=run.tail,
                allow_unapproved=allow_unapproved,
                progress=run.progress,
                records=records,
            )
        except TickerError as e:  # another run holds OUT (LockedError), a folder that is not one, …
            run.failure, run.state = str(e), "failed"
        except Exception as e:  # a fault of ticker's: the desk goes on, and the page says it
            run.tail.write(traceback.format_exc())
            run.failure = f"{run.out}: the nightly run stopped on a fault of ticker's: {type(e).__name__}: {e}"
            run.state = "failed"
        else:
            run.status, run.state = status, "done"

    def _forget(self) -> None:
        """Only the last `keep` finished runs are remembered (a running one always is)."""
        finished = [k for k, r in self._runs.items() if r.state in ("done", "failed")]
        for key in finished[: max(0, len(finished) - self.keep)]:
            del self._runs[key]
