"""Nightly runs started from the desk ("make tomorrow's files now", or every day of a campaign's window still
to build), in the background: each in a thread of its own, or the days of a window one after another in one
thread, with what a page shows while it runs (its state, clips done of the day's total, an estimate of the time
left from its rate so far, the last lines of its log) and, once it ends, nightly's status and the sentences that
say what went wrong.

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
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ticker.desk.progress import time_left
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
Told = Callable[[str, int, int], None]  # (the run's id, clips done, of the day's total)


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
    began: float | None = None  # time.monotonic() when the day's clips were counted
    ended: float | None = None  # and when the run ended

    def progress(self, done: int, total: int, name: str) -> None:
        if self.began is None:
            self.began = time.monotonic()
        self.counts = (done, total)

    def end(self, state: RunState) -> None:
        self.ended = time.monotonic()
        self.state = state

    def view(self) -> dict:
        errors = [*self.tail.said, *([self.failure] if self.failure else [])]
        done, total = self.counts
        elapsed = None if self.began is None else (self.ended or time.monotonic()) - self.began
        left = time_left(done, total, elapsed) if self.state == "running" and elapsed is not None else None
        return {
            "id": self.id,
            "date": self.day.isoformat(),
            "state": self.state,
            "progress": {"done": done, "total": total},
            "elapsed": None if elapsed is None else round(elapsed, 1),  # seconds since the clips were counted
            "left": None if left is None else round(left),  # seconds, at the rate so far; None before a rate
            "status": self.status,
            "errors": errors,
            "log": self.tail.last(),
        }


class Jobs:
    """The desk's background nightly runs, by id; safe to use from any thread. `told` (for tests: a point where
    a run is held) is called in the run's thread after each count nightly gives it."""

    def __init__(self, keep: int = KEEP, told: Told | None = None):
        self.keep, self.told = keep, told
        self._runs: dict[str, _Run] = {}  # in the order they were started
        self._lock = threading.Lock()
        self._turn = threading.Lock()  # held by the run of a queue that is underway: queues wait for each other

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
        run = self._add(out, [day])[0]
        threading.Thread(
            target=self._run,
            args=(run, config_dir, records, allow_unapproved, workers),
            name=f"ticker-nightly-{run.id[:8]}",
            daemon=True,
        ).start()
        return run.id

    def start_days(
        self,
        config_dir: Path,
        out: Path,
        days: list[dt.date],
        *,
        records: Path | None = None,
        allow_unapproved: bool = False,
        workers: int = 1,
    ) -> list[str]:
        """Nightly runs for `days`, queued in that order and made one after another in one thread (after those
        of any other queue of this desk), each under nightly's own lock on OUT (a day that finds it held by
        another, such as the nightly timer, fails with the holder's name; the next is tried all the same); their
        ids. A single day (`start`) is not queued: it runs at once, or fails naming who holds OUT."""
        runs = self._add(out, days)

        def queue() -> None:
            for run in runs:
                with self._turn:
                    self._run(run, config_dir, records, allow_unapproved, workers)

        if runs:
            threading.Thread(target=queue, name=f"ticker-nightly-{runs[0].id[:8]}", daemon=True).start()
        return [run.id for run in runs]

    def _add(self, out: Path, days: list[dt.date]) -> list[_Run]:
        runs = [_Run(secrets.token_urlsafe(16), day, out) for day in days]
        with self._lock:
            for run in runs:
                self._runs[run.id] = run
            self._forget()
        return runs

    def get(self, job_id: str) -> dict | None:
        """What a page shows of the run: {"id", "date", "state", "progress": {"done", "total"}, "elapsed" and
        "left" (seconds since the clips were counted, and left at the rate so far: None until a clip is done),
        "status" (nightly's exit status once done, else None), "errors" (sentences), "log" (its last lines)}."""
        with self._lock:
            run = self._runs.get(job_id)
            return run.view() if run is not None else None

    def recent(self) -> list[dict]:
        """Every run remembered, the last started first."""
        with self._lock:
            return [run.view() for run in reversed(self._runs.values())]

    def waiting(self, out: Path) -> set[dt.date]:
        """The days a run of this desk is queued for, or making now, into `out`."""
        with self._lock:
            return {r.day for r in self._runs.values() if r.out == out and r.state in ("queued", "running")}

    def shown(self, finished: int = 5) -> list[dict]:
        """The runs a page lists: every one not finished yet, in the order they run, then the last `finished`."""
        with self._lock:
            runs = [run.view() for run in self._runs.values()]
        ended = [r for r in reversed(runs) if r["state"] in ("done", "failed")]
        return [*[r for r in runs if r["state"] in ("queued", "running")], *ended[:finished]]

    def _run(self, run: _Run, config_dir: Path, records: Path | None, allow_unapproved: bool, workers: int) -> None:
        run.state = "running"

        def progress(done: int, total: int, name: str) -> None:
            run.progress(done, total, name)
            if self.told is not None:
                self.told(run.id, done, total)

        try:
            status = nightly(
                config_dir,
                run.out,
                run.day,
                workers=workers,
                stream=run.tail,
                allow_unapproved=allow_unapproved,
                progress=progress,
                records=records,
            )
        except TickerError as e:  # another run holds OUT (LockedError), a folder that is not one, …
            run.failure = str(e)
            run.end("failed")
        except Exception as e:  # a fault of ticker's: the desk goes on, and the page says it
            run.tail.write(traceback.format_exc())
            run.failure = f"{run.out}: the nightly run stopped on a fault of ticker's: {type(e).__name__}: {e}"
            run.end("failed")
        else:
            run.status = status
            run.end("done")

    def _forget(self) -> None:
        """Only the last `keep` finished runs are remembered (a running one always is)."""
        finished = [k for k, r in self._runs.items() if r.state in ("done", "failed")]
        for key in finished[: max(0, len(finished) - self.keep)]:
            del self._runs[key]
