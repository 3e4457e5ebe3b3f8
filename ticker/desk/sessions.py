"""The desk's sessions, held in memory: a restart ends every session (the table is new, and so is the key
that signs the cookies).

A session cookie (Starlette's, signed) names its session by a random id, and the desk keeps each live id with
its user's name and a stamp of their password's hash (Users.stamp). A request is that user's only while the id
is live, the name is still in the users file and the stamp still matches: logout ends the id, and so do a user
removed and a password set anew, at the next request. The role is the one the file gives at each request.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SESSION_HOURS = 12  # a session ends this long after its login, however much it is used

Clock = Callable[[], float]


@dataclass(frozen=True)
class Live:
    name: str
    stamp: str
    began: float


class Sessions:
    """The live sessions, by id."""

    def __init__(self, clock: Clock = time.monotonic):
        self.clock = clock
        self._live: dict[str, Live] = {}
        self._lock = threading.Lock()

    def begin(self, name: str, stamp: str) -> str:
        """A new session of `name`: its id, unguessable. Sessions past their hours are forgotten here."""
        sid, now = secrets.token_urlsafe(32), self.clock()
        with self._lock:
            self._live = {k: v for k, v in self._live.items() if now - v.began < SESSION_HOURS * 3600}
            self._live[sid] = Live(name, stamp, now)
        return sid

    def get(self, sid: str) -> Live | None:
        live = self._live.get(sid)
        return live if live is not None and self.clock() - live.began < SESSION_HOURS * 3600 else None

    def end(self, sid: str) -> None:
        with self._lock:
            self._live.pop(sid, None)

    def __len__(self) -> int:
        return len(self._live)
