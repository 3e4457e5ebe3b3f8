"""The moving previews the desk makes (the editor's of an edit, the approver's proof page): each is a render,
a core of the machine for as long as its clip lasts, and the loop of a long message at a slow crossing is
minutes long. So a clip shows at most the loop's first PREVIEW_SECONDS (the contact sheet still shows the whole
crawl), and the desk makes one preview of a file at a time, one for each person at a time, and at most
PREVIEWS_AT_ONCE in all; another asked for meanwhile is refused at once (429) with one sentence, never queued.

A preview is made in a thread of its own, the page asking every second how far it is: getting ready, then the
clip's pictures encoded of its total with an estimate of the time left (ticker.desk.progress), then the
animation, contact sheet and checks; then the finished preview, or one sentence. The last KEEP are remembered.

`ticker preview` on the command line keeps the whole loop: it runs once, for the operator who asked, and its
clip is what goes to the department that approves it."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from ticker.desk.guard import DeskError
from ticker.desk.progress import preview_left
from ticker.desk.words import words
from ticker.errors import TickerError

PREVIEW_SECONDS = 60.0  # enough to judge the look and the speed, and to read the start of the text as it moves;
# a minute of the preview's 960 × 540 at 25 frames a second renders in about ten seconds of a core, where the
# eleven-minute loop of a long message at a 120-second crossing took four minutes and a gigabyte
PREVIEWS_AT_ONCE = 2  # the desk's machine keeps a core for the pages, the API and the nightly run
KEEP = 20  # finished previews remembered (their pages are served from their folders, not from here)
log = logging.getLogger("ticker.desk")
Counted = Callable[[int, int], None]  # (pictures encoded, of the clip's total), ticker.render's `counted`
Maker = Callable[[Counted], Any]  # makes the preview, telling its count; what it returns, the page shows


class Busy(DeskError):
    status = 429


@dataclass
class _Making:
    """One preview asked for: what its page shows while it is made, and once it is."""

    id: str
    name: str
    which: str  # "proof" or "moving" (ticker.desk.actions)
    person: str
    state: Literal["running", "done", "failed"] = "running"
    counts: tuple[int, int] = (0, 0)  # one tuple, read whole by any thread
    first: float | None = None  # time.monotonic() when its first picture was encoded, and its last
    last: float | None = None
    began: float = 0.0
    ended: float | None = None
    made: Any = None
    failure: TickerError | None = None  # the library's refusal, said as the desk says any (or `fault`)
    fault: bool = False  # a fault of ticker's own: logged, and the page says only that the preview failed

    def counted(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = now
        if done >= total:
            self.last = now
        self.counts = (done, total)

    def view(self, lang: str) -> dict[str, Any]:
        done, total = self.counts
        now = self.ended or time.monotonic()
        phase = "preparing" if self.first is None else "pictures" if self.last is None else "finishing"
        left = None
        if self.state == "running" and self.first is not None:  # the rate from the first picture on
            encoding = (self.last or now) - self.first
            left = preview_left(done - 1, total - 1, encoding, None if self.last is None else now - self.last)
        failed = (
            self.failure.said(lang)
            if isinstance(self.failure, DeskError)
            else str(self.failure)
            if self.failure is not None and not self.fault
            else words(lang)["preview_failed"]
        )
        return {
            "id": self.id,
            "file": self.name,
            "which": self.which,
            "state": self.state,
            "phase": phase,
            "progress": {"done": done, "total": total},
            "elapsed": round(now - self.began, 1),
            "left": None if left is None else round(left),
            "made": self.made,
            "error": failed if self.state == "failed" else None,
        }


class Previews:
    """The previews being made, by file and by person, and the last KEEP asked for, by id. For tests, points
    where one is held, in the thread that makes it: `started` is called with the file's name once its places
    are taken, before it is made; `told`, with the file's name and its count, after each picture is encoded."""

    def __init__(
        self,
        seconds: float = PREVIEW_SECONDS,
        most: int = PREVIEWS_AT_ONCE,
        started: Callable[[str], None] | None = None,
        told: Callable[[str, int, int], None] | None = None,
    ):
        self.seconds, self.most, self.started, self.told = seconds, most, started, told
        self._lock = threading.Lock()
        self._files: set[str] = set()
        self._people: set[str] = set()
        self._made: dict[str, _Making] = {}  # in the order they were asked for

    def start(self, name: str, person: str, which: str, make: Maker) -> str:
        """Make a preview of the file for the person in the background (Busy at once if either place is taken,
        or the desk makes its most already); its id (unguessable: it is in the page's address)."""
        places = ExitStack()
        places.enter_context(self.making(name, person))
        job = _Making(secrets.token_urlsafe(16), name, which, person, began=time.monotonic())
        with self._lock:
            self._made[job.id] = job
            ended = [k for k, j in self._made.items() if j.state != "running"]
            for key in ended[: max(0, len(ended) - KEEP)]:
                del self._made[key]
        threading.Thread(
            target=self._make, args=(job, make, places), name=f"ticker-preview-{job.id[:8]}", daemon=True
        ).start()
        return job.id

    def get(self, job_id: str, person: str, lang: str = "vi") -> dict[str, Any] | None:
        """What a page shows of a preview the person asked for (None for another's, or one not remembered):
        {"id", "file", "which", "state", "phase" ("preparing", "pictures", "finishing"), "progress": {"done",
        "total"} (the clip's pictures), "elapsed" and "left" (seconds; "left" None without an estimate), "made"
        (what the maker returned, once done), "error" (its sentence in `lang`, once failed)}."""
        with self._lock:
            job = self._made.get(job_id)
            return job.view(lang) if job is not None and job.person == person else None

    def _counted(self, job: _Making, done: int, total: int) -> None:
        job.counted(done, total)
        if self.told is not None:
            self.told(job.name, done, total)

    def _make(self, job: _Making, make: Maker, places: ExitStack) -> None:
        with places:
            try:
                if self.started is not None:
                    self.started(job.name)
                job.made = make(lambda done, total: self._counted(job, done, total))
            except TickerError as e:
                log.warning("%s: the preview was not made: %s", job.name, e)
                job.failure = e
            except Exception as e:  # a fault of ticker's: the desk goes on, and the page says the preview failed
                log.exception("%s: the preview stopped on a fault of ticker's", job.name)
                job.failure, job.fault = TickerError(f"{type(e).__name__}: {e}"), True
        job.ended = time.monotonic()  # its places free first: a page told it is done may ask for the next
        job.state = "failed" if job.failure is not None else "done"

    @contextmanager
    def making(self, name: str, person: str) -> Iterator[None]:
        """Holds the file's and the person's places while the preview is made; Busy if either is taken or the
        desk makes its most already."""
        with self._lock:
            if name in self._files:
                raise Busy(
                    f"{name}: a preview of it is being made now; wait for it, then look again.",
                    shown=(
                        f"{name}: đang làm bản xem trước của tệp này; hãy đợi xong rồi xem lại.",
                        f"{name}: a preview of it is being made now; wait for it, then look again.",
                    ),
                )
            if person in self._people:
                raise Busy(
                    "you have a preview still being made; the desk makes one at a time for each person.",
                    shown=(
                        "Bạn đang có một bản xem trước chưa làm xong; mỗi người làm một bản một lúc.",
                        "You have a preview still being made; the desk makes one at a time for each person.",
                    ),
                )
            if len(self._files) >= self.most:
                raise Busy(
                    f"the desk is making {len(self._files)} previews now, the most it makes at once; try again "
                    f"in a minute.",
                    shown=(
                        f"Bàn điều hành đang làm {len(self._files)} bản xem trước, nhiều nhất một lúc; hãy thử lại "
                        "sau một phút.",
                        f"The desk is making {len(self._files)} previews now, the most at once; try again in a minute.",
                    ),
                )
            self._files.add(name)
            self._people.add(person)
        try:
            yield
        finally:
            with self._lock:
                self._files.discard(name)
                self._people.discard(person)
