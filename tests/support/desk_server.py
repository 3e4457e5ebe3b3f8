"""A real desk for the tests: `ticker.desk` served by uvicorn on a free port of 127.0.0.1, in a thread of the
test process, and an httpx client that keeps the session's cookie and sends its CSRF token."""

from __future__ import annotations

import re
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from ticker.desk.app import Desk, create_app
from ticker.desk.sessions import Logins, Sessions
from ticker.desk.users import UsersFile


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Running:
    url: str
    desk: Desk

    def client(self, csrf: bool = True) -> httpx.Client:
        """A client with a session; with `csrf`, its token is sent with every request."""
        c = httpx.Client(base_url=self.url, timeout=120, follow_redirects=False)
        token = c.get("/api/session").json()["csrf"]
        if csrf:
            c.headers["X-CSRF-Token"] = token
        return c


@contextmanager
def desk_server(
    campaigns: Path,
    out: Path,
    users: Path | None = None,
    house: Path | None = None,
    *,
    station: Path | None = None,
    records: Path | None = None,
    clock: Callable[[], float] = time.monotonic,
    secure_cookies: bool = False,
) -> Iterator[Running]:
    """`clock`: the desk's clock for sessions and login back-off (a test's own, to pass a wait without waiting)."""
    desk = Desk(
        campaigns=campaigns.resolve(),
        out=out.resolve(),
        station=(station or campaigns / "station.toml").resolve(),
        records=(records or campaigns / "records").resolve(),
        users=UsersFile(users) if users else None,
        house=house,
        proofs_dir=Path(tempfile.mkdtemp(prefix="proofs-", dir=campaigns.parent)),
        sessions=Sessions(clock),
        logins=Logins(clock),
    )
    port = free_port()
    app = create_app(desk, secure_cookies=secure_cookies)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the desk did not start"
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{port}", desk)
    finally:
        server.should_exit = True
        thread.join(10)


def preview_made(c: httpx.Client, started: httpx.Response, seconds: float = 120) -> httpx.Response:
    """The page's part for a preview once it is made (or failed): `started` is the desk's answer to the asking
    (its progress, which asks for itself again until then); asked for here every 0.1 s."""
    assert started.status_code == 200, started.text
    found = re.search(r'id="preview-([\w-]+)"', started.text)
    assert found, started.text
    deadline = time.monotonic() + seconds
    while 'hx-get="/previews/' in (got := c.get(f"/previews/{found[1]}", headers={"HX-Request": "true"})).text:
        assert time.monotonic() < deadline, f"the preview was not made: {got.text}"
        time.sleep(0.1)
    return got
