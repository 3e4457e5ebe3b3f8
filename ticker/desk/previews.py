"""The moving previews the desk makes (the editor's of an edit, the approver's proof page): each is a render,
a core of the machine for as long as its clip lasts, and the loop of a long message at a slow crossing is
minutes long. So a clip shows at most the loop's first PREVIEW_SECONDS (the contact sheet still shows the whole
crawl), and the desk makes one preview of a file at a time, one for each person at a time, and at most
PREVIEWS_AT_ONCE in all; another asked for meanwhile is refused at once (429) with one sentence, never queued.

`ticker preview` on the command line keeps the whole loop: it runs once, for the operator who asked, and its
clip is what goes to the department that approves it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ticker.desk.guard import DeskError

PREVIEW_SECONDS = 60.0  # enough to judge the look and the speed, and to read the start of the text as it moves;
# a minute of the preview's 960 × 540 at 25 frames a second renders in about ten seconds of a core, where the
# eleven-minute loop of a long message at a 120-second crossing took four minutes and a gigabyte
PREVIEWS_AT_ONCE = 2  # the desk's machine keeps a core for the pages, the API and the nightly run


class Busy(DeskError):
    status = 429


class Previews:
    """The previews being made, by file and by person. `started` (for tests: a point where one is held) is
    called with the file's name once its places are taken, before the preview is made."""

    def __init__(
        self,
        seconds: float = PREVIEW_SECONDS,
        most: int = PREVIEWS_AT_ONCE,
        started: Callable[[str], None] | None = None,
    ):
        self.seconds, self.most, self.started = seconds, most, started
        self._lock = threading.Lock()
        self._files: set[str] = set()
        self._people: set[str] = set()

    @contextmanager
    def making(self, name: str, person: str) -> Iterator[None]:
        """Holds the file's and the person's places while the preview is made; Busy if either is taken or the
        desk makes its most already."""
        with self._lock:
            if name in self._files:
                raise Busy(f"{name}: a preview of it is being made now; wait for it, then look again.")
            if person in self._people:
                raise Busy("you have a preview still being made; the desk makes one at a time for each person.")
            if len(self._files) >= self.most:
                raise Busy(
                    f"the desk is making {len(self._files)} previews now, the most it makes at once; try again "
                    f"in a minute."
                )
            self._files.add(name)
            self._people.add(person)
        try:
            if self.started is not None:
                self.started(name)
            yield
        finally:
            with self._lock:
                self._files.discard(name)
                self._people.discard(person)
