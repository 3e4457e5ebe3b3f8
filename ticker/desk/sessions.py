"""The desk's sessions and sign-ins. A desk with users keeps its sessions beside its users file, with the key that
signs its cookies (ticker.desk.keeping), so that a restart ends no session; a local desk without users holds
them in memory.

A session cookie (Starlette's, signed) names its session by a random id, and the desk keeps each live id with
its user's name and a stamp of their password's hash (Users.stamp). A request is that user's only while the id
is live, the name is still in the users file and the stamp still matches: logout ends the id, and so do a user
removed and a password set anew, at the next request. The role is the one the file gives at each request.

Passwords are checked VERIFYING at a time (argon2 takes 64 MiB each), and failures back off under one name
(known or not alike, so that the wait tells nothing of which names exist) and from one address: the first few
are free, then each further one waits twice as long as the one before, up to LONGEST_WAIT.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from ticker.desk.keeping import Kept, hashed, read_sessions, write_sessions

SESSION_HOURS = 12  # a session ends this long after its login, however much it is used
NAME_TRIES = 5  # failures under one name before it waits: room for a few typing mistakes
ADDRESS_TRIES = 20  # failures from one address before it waits: a newsroom may reach the desk through one address
FIRST_WAIT = 1.0  # seconds of the first wait, doubled at each further failure
LONGEST_WAIT = 900.0  # seconds: a person waits a quarter of an hour at worst; a guesser gets ~100 tries a day
FORGET = 3600.0  # seconds without a failure after which a name or an address starts afresh
MOST_KEPT = 10_000  # names and addresses remembered: made-up names cannot grow the desk without end
VERIFYING = 2  # passwords checked at once: 128 MiB at most with argon2-cffi's defaults, however many ask

Clock = Callable[[], float]


@dataclass(frozen=True)
class Live:
    name: str
    stamp: str
    began: float


class Sessions:
    """The live sessions, by the hash of their id; kept in `store` (ticker.desk.keeping) when given, read from it
    when made. `clock`: seconds since the epoch (a session's hours count across restarts)."""

    def __init__(self, clock: Clock = time.time, store: Path | None = None):
        self.clock, self.store = clock, store
        self._lock = threading.Lock()
        now = clock()
        kept = read_sessions(store) if store is not None else []
        self._live: dict[str, Live] = {
            k.id: Live(k.name, k.stamp, k.began) for k in kept if 0 <= now - k.began < SESSION_HOURS * 3600
        }

    def begin(self, name: str, stamp: str) -> str:
        """A new session of `name`: its id, unguessable. Sessions past their hours are forgotten here."""
        sid, now = secrets.token_urlsafe(32), self.clock()
        with self._lock:
            self._live = {k: v for k, v in self._live.items() if now - v.began < SESSION_HOURS * 3600}
            self._live[hashed(sid)] = Live(name, stamp, now)
            self._keep()
        return sid

    def get(self, sid: str) -> Live | None:
        live = self._live.get(hashed(sid))
        return live if live is not None and self.clock() - live.began < SESSION_HOURS * 3600 else None

    def end(self, sid: str) -> None:
        with self._lock:
            if self._live.pop(hashed(sid), None) is not None:
                self._keep()

    def _keep(self) -> None:
        if self.store is not None:
            write_sessions(self.store, [Kept(k, v.name, v.stamp, v.began) for k, v in self._live.items()])

    def __len__(self) -> int:
        return len(self._live)


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    until: float = 0.0  # no try before then


class Logins:
    """Who may try a password now, and how many are checked at once. Used from the desk's event loop only."""

    def __init__(self, clock: Clock = time.monotonic):
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()  # in the order of their last failure
        self._turns = asyncio.Semaphore(VERIFYING)
        self.waiting = 0  # sign-ins waiting for their turn
        self.checking = 0  # sign-ins whose password is being checked

    def wait(self, name: str, address: str) -> tuple[str, float] | None:
        """("name" or "address", seconds) while a sign-in under this name or from this address must wait;
        None when it may try now."""
        now = self.clock()
        for key in _keys(name, address):
            found = self._failures.get(key)
            if found is not None and found.until > now:
                return key[0], found.until - now
        return None

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        for key, free in zip(_keys(name, address), (NAME_TRIES, ADDRESS_TRIES), strict=True):
            found = self._failures.get(key)
            if found is None or now - found.last > FORGET:
                found = self._failures[key] = _Failures()
            self._failures.move_to_end(key)
            found.count, found.last = found.count + 1, now
            if found.count >= free:
                found.until = now + min(FIRST_WAIT * 2 ** min(found.count - free, 32), LONGEST_WAIT)
        while self._failures:  # forgotten from the front: the longest since their last failure
            oldest = next(iter(self._failures.values()))
            if len(self._failures) <= MOST_KEPT and now - oldest.last <= FORGET:
                break
            self._failures.popitem(last=False)

    def succeeded(self, name: str) -> None:
        """The name starts afresh; the address does not (one's own sign-in must not clear a guesser's count)."""
        self._failures.pop(_keys(name, "")[0], None)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Held while one password is checked: VERIFYING at once, the others wait their turn (on the event loop,
        holding no thread, so that every other request keeps being answered)."""
        self.waiting += 1
        try:
            await self._turns.acquire()
        finally:
            self.waiting -= 1
        self.checking += 1
        try:
            yield
        finally:
            self.checking -= 1
            self._turns.release()


def _keys(name: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
    return ("name", unicodedata.normalize("NFC", name)), ("address", address)
