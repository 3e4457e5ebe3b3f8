"""Who is logged in at a real desk (uvicorn on 127.0.0.1): the users file as it is now (a user removed, a role
changed, a password set anew), logout, the back-off of failed logins and the cap on passwords checked at once,
and the session cookie's Secure flag."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import tomlkit
from argon2 import PasswordHasher

import ticker.desk.users
from ticker.desk.sessions import ADDRESS_TRIES, NAME_TRIES
from ticker.desk.users import add_user

from support.campaigns import MINIMAL, write_campaign
from support.desk_server import desk_server, free_port

CHEAP = dict(time_cost=1, memory_cost=8, parallelism=1)
SMALL = MINIMAL.replace('name = "test"', 'name = "small"')


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    """argon2 at its cheapest: these tests are about who is let in, not about how hard a hash is to crack."""
    monkeypatch.setattr(ticker.desk.users, "hasher", PasswordHasher(**CHEAP))


@pytest.fixture
def folders(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    write_campaign(campaigns, base=SMALL, name="small.toml")
    users = tmp_path / "users.toml"
    add_user(users, "lan", "approver", "approverpass1")
    add_user(users, "minh", "editor", "editorpass1")
    return campaigns, out, users


class Clock:
    """The desk's clock, moved on by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _login(running, name: str, password: str) -> httpx.Client:
    c = running.client()
    got = c.post("/api/login", json={"name": name, "password": password})
    assert got.status_code == 200, got.text
    c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf"]
    return c


def _edit(users, change) -> None:
    """The users file edited by hand, in place (its inode kept), as an editor saves it."""
    doc = tomlkit.parse(users.read_text(encoding="utf-8"))
    change(doc["user"])
    with open(users, "r+", encoding="utf-8") as f:
        f.truncate()
        f.write(tomlkit.dumps(doc))


def test_a_user_removed_from_the_file_is_logged_out_and_cannot_log_in(folders):
    with desk_server(*folders) as running:
        minh, lan = _login(running, "minh", "editorpass1"), _login(running, "lan", "approverpass1")
        inode = os.stat(folders[2]).st_ino
        _edit(folders[2], lambda tables: tables.remove(next(t for t in tables if t["name"] == "minh")))
        assert os.stat(folders[2]).st_ino == inode
        assert minh.get("/api/campaigns").status_code == 401
        assert minh.get("/api/session").json()["user"] is None
        assert minh.get("/", headers={"Accept": "text/html"}).headers["location"].startswith("/login")
        again = running.client().post("/api/login", json={"name": "minh", "password": "editorpass1"})
        assert again.status_code == 401
        assert lan.get("/api/campaigns").status_code == 200, "the others' sessions go on"


def test_an_approver_demoted_by_hand_is_an_editor_at_the_next_request(folders):
    with desk_server(*folders) as running:
        lan = _login(running, "lan", "approverpass1")
        _edit(folders[2], lambda tables: next(t for t in tables if t["name"] == "lan").update(role="editor"))
        refused = lan.post("/api/campaigns/small.toml/changes", json={"note": "sửa giờ"})
        assert refused.status_code == 403 and "lan is an editor" in refused.json()["error"]
        assert lan.get("/api/campaigns").status_code == 200, "the same password: the session goes on, as an editor"
        assert not (folders[0] / ".ticker-audit.jsonl").exists()


def test_a_password_set_anew_ends_the_sessions_and_only_the_new_one_works(folders):
    with desk_server(*folders) as running:
        lan = _login(running, "lan", "approverpass1")
        add_user(folders[2], "lan", "editor", "newpassword9")  # as `ticker serve --add-user lan` writes it
        assert lan.get("/api/campaigns").status_code == 401
        assert lan.post("/api/campaigns/small.toml/changes", json={"note": "x"}).status_code == 401
        old = running.client().post("/api/login", json={"name": "lan", "password": "approverpass1"})
        assert old.status_code == 401
        new = running.client().post("/api/login", json={"name": "lan", "password": "newpassword9"})
        assert new.status_code == 200 and new.json() == {"user": "lan", "role": "editor"}


def test_a_broken_users_file_keeps_the_users_read_before(folders):
    with desk_server(*folders) as running:
        lan = _login(running, "lan", "approverpass1")
        good = folders[2].read_text(encoding="utf-8")
        folders[2].write_text(good.replace("[[user]]", "[[user]", 1), encoding="utf-8")
        assert lan.get("/api/campaigns").status_code == 200
        assert running.client().post("/api/login", json={"name": "minh", "password": "editorpass1"}).status_code == 200


def test_a_session_logged_out_is_refused_when_its_cookie_is_sent_again(folders):
    with desk_server(*folders) as running:
        for logout in ("/api/logout", "/logout"):
            lan = _login(running, "lan", "approverpass1")
            kept = lan.cookies["ticker_desk"]
            assert lan.post(logout).status_code in (200, 303)
            replay = httpx.Client(base_url=running.url, cookies={"ticker_desk": kept}, timeout=30)
            replay.headers["X-CSRF-Token"] = lan.headers["X-CSRF-Token"]  # the token of the session logged out
            assert replay.get("/api/campaigns").status_code == 401
            assert replay.get("/api/session").json()["user"] is None
            changes = replay.post("/api/campaigns/small.toml/changes", json={"note": "x"})
            assert changes.status_code == 401, logout
        assert not (folders[0] / ".ticker-audit.jsonl").exists()


def test_a_login_again_ends_the_session_it_came_with(folders):
    with desk_server(*folders) as running:
        lan = _login(running, "lan", "approverpass1")
        kept = lan.cookies["ticker_desk"]
        assert lan.post("/api/login", json={"name": "lan", "password": "approverpass1"}).status_code == 200
        assert httpx.get(running.url + "/api/campaigns", cookies={"ticker_desk": kept}).status_code == 401
        assert lan.get("/api/campaigns").status_code == 200


@pytest.mark.parametrize("name", ["lan", "nobody"])
def test_failed_logins_under_a_name_known_or_not_wait_then_the_right_password_works(folders, name):
    clock = Clock()
    with desk_server(*folders, clock=clock) as running:
        c = running.client()
        for _ in range(NAME_TRIES):
            assert c.post("/api/login", json={"name": name, "password": "wrong-one"}).status_code == 401
        waited = c.post("/api/login", json={"name": name, "password": "approverpass1"})
        assert waited.status_code == 429 and waited.headers["retry-after"] == "1"
        assert waited.json() == {"error": "too many failed logins under this name; try again in 1 second."}
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)[1]
        other = running.client()
        other_token = re.search(r'name="csrf" value="([^"]+)"', other.get("/login").text)[1]
        wrong = other.post("/login", data={"name": "minh", "password": "wrong-one", "csrf": other_token})
        assert wrong.status_code == 401 and "không khớp với người dùng nào" in wrong.text  # the page's words
        page = c.post("/login", data={"name": name, "password": "approverpass1", "csrf": token})
        assert page.status_code == 429 and "thử lại sau 1 giây" in page.text and page.headers["retry-after"] == "1"
        assert running.client().post("/api/login", json={"name": "minh", "password": "editorpass1"}).status_code == 200
        assert c.get("/healthz").status_code == 200

        clock.now += 1
        assert c.post("/api/login", json={"name": name, "password": "wrong-again"}).status_code == 401
        assert c.post("/api/login", json={"name": name, "password": "x"}).headers["retry-after"] == "2", "doubled"
        clock.now += 2
        right = c.post("/api/login", json={"name": name, "password": "approverpass1"})
        assert right.status_code == (200 if name == "lan" else 401)


def test_failed_logins_from_one_address_wait_whatever_the_names(folders):
    clock = Clock()
    with desk_server(*folders, clock=clock) as running:
        c = running.client()
        for i in range(ADDRESS_TRIES):
            assert c.post("/api/login", json={"name": f"guess{i}", "password": "wrong-one"}).status_code == 401
        waited = c.post("/api/login", json={"name": "lan", "password": "approverpass1"})
        assert waited.status_code == 429 and "from this address" in waited.json()["error"]
        clock.now += 1
        assert c.post("/api/login", json={"name": "lan", "password": "approverpass1"}).status_code == 200


class GatedHasher(PasswordHasher):
    """A hasher whose checks are held at a gate the test opens, counting how many are inside at once."""

    def __init__(self) -> None:
        super().__init__(**CHEAP)
        self.inside = self.most = 0
        self.gate = threading.Semaphore(0)
        self._lock = threading.Lock()

    def verify(self, hash, password):
        with self._lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        try:
            assert self.gate.acquire(timeout=60)
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.inside -= 1


def _until(condition) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the desk did not get there"
        time.sleep(0.01)


def test_two_passwords_at_most_are_checked_at_once_and_the_desk_keeps_answering(folders, monkeypatch):
    hasher = GatedHasher()
    with desk_server(*folders) as running:
        monkeypatch.setattr(ticker.desk.users, "hasher", hasher)
        asking = 6
        clients = [running.client() for _ in range(asking)]
        with ThreadPoolExecutor(asking) as pool:
            tries = [pool.submit(c.post, "/api/login", json={"name": f"n{i}", "password": "p"}) for i, c in
                     enumerate(clients)]  # fmt: skip
            _until(lambda: hasher.inside + running.desk.logins.waiting == asking)  # every one has come in
            assert hasher.inside == 2 and running.desk.logins.waiting == asking - 2
            assert clients[0].get("/healthz").status_code == 200
            assert clients[0].get("/api/session").status_code == 200
            for _ in range(asking):
                hasher.gate.release()
            assert [t.result().status_code for t in tries] == [401] * asking
        assert hasher.most == 2


def test_the_session_cookie_is_secure_when_the_request_came_over_https(folders):
    with desk_server(*folders) as running:
        c = running.client()
        assert "secure" not in httpx.get(running.url + "/api/session").headers["set-cookie"].lower()
        over_tls = {"X-Forwarded-Proto": "https"}
        assert "; secure" in httpx.get(running.url + "/api/session", headers=over_tls).headers["set-cookie"].lower()
        got = c.post("/api/login", json={"name": "lan", "password": "approverpass1"}, headers=over_tls)
        assert got.status_code == 200 and "; secure" in got.headers["set-cookie"].lower()


def test_serve_secure_cookies_marks_the_cookie_secure_even_over_plain_http(folders, tmp_path):
    port = free_port()
    desk = subprocess.Popen(
        [sys.executable, "-m", "ticker", "serve", folders[0], "-o", folders[1], "--port", str(port), "--users",
         folders[2], "--secure-cookies"],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"

        def listening() -> bool:
            assert desk.poll() is None, desk.stderr.read() if desk.stderr else ""
            try:
                return httpx.get(url + "/healthz").status_code == 200
            except httpx.TransportError:
                return False

        _until(listening)
        cookie = httpx.get(url + "/api/session").headers["set-cookie"].lower()
        assert "; secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    finally:
        desk.terminate()
        desk.communicate(timeout=30)


def test_a_restart_of_the_desk_logs_nobody_out_and_a_logout_stays_for_good(folders, tmp_path):
    """A real `ticker serve --users` stopped with SIGTERM and started again, the browsers' cookies kept: the key and
    the sessions are kept beside the users file (mode 0600, the session ids only hashed)."""
    campaigns, out, users = folders
    port = free_port()
    url = f"http://127.0.0.1:{port}"

    def started() -> subprocess.Popen:
        desk = subprocess.Popen([sys.executable, "-m", "ticker", "serve", campaigns, "-o", out, "--port", str(port),
                                 "--users", users], cwd=tmp_path, stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    return desk
            except httpx.TransportError:
                assert desk.poll() is None and time.monotonic() < deadline, desk.stderr.read() if desk.stderr else ""
                time.sleep(0.05)

    def stopped(desk: subprocess.Popen) -> None:
        desk.send_signal(signal.SIGTERM)
        _, err = desk.communicate(timeout=20)
        assert desk.returncode == 0 and "Traceback" not in err, err

    def logged_in(name: str, password: str) -> httpx.Client:
        c = httpx.Client(base_url=url, timeout=60, follow_redirects=False)
        c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf"]
        assert c.post("/api/login", json={"name": name, "password": password}).status_code == 200
        c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf"]
        return c

    def page(c: httpx.Client) -> int:
        return c.get("/", headers={"Accept": "text/html"}).status_code

    desk = started()
    try:
        lan, minh = logged_in("lan", "approverpass1"), logged_in("minh", "editorpass1")
        stopped(desk)
        desk = started()
        assert page(lan) == 200 and page(minh) == 200  # the same cookies, the desk restarted: still logged in
        assert minh.post("/api/logout").status_code == 200
        stopped(desk)
        desk = started()
        assert page(lan) == 200 and page(minh) == 303  # logged out for good: to the login page
    finally:
        if desk.poll() is None:
            desk.kill()
        desk.communicate(timeout=20)  # its pipe closed, whichever way it ended
    key, kept = users.with_name("users.toml.key"), users.with_name("users.toml.sessions")
    assert key.stat().st_mode & 0o777 == 0o600 and kept.stat().st_mode & 0o777 == 0o600
    cookie = lan.cookies["ticker_desk"].split(".")[0]
    sid = json.loads(base64.b64decode(cookie + "=" * (-len(cookie) % 4)))["sid"]
    assert sid not in kept.read_text() and hashlib.sha256(sid.encode()).hexdigest() in kept.read_text()


def test_a_page_open_past_its_session_asks_for_a_login_in_vietnamese_and_what_was_typed_is_then_saved(folders):
    """The TOML page open past its session's 12 hours: saving says, in Vietnamese and with no address of the API,
    to log in again in a new tab; once logged in there (the same browser), the page's first try hands it the new
    session's token (the desk's script takes it up) and the next saves what was typed."""
    clock = Clock()
    campaigns = folders[0]
    with desk_server(*folders, clock=clock) as running:
        lan = _login(running, "lan", "approverpass1")
        page = lan.get("/edit/small.toml/toml").text
        token = re.search(r'"X-CSRF-Token": "([^"]+)"', page)[1]
        key = re.search(r'name="key" value="([^"]+)"', page)[1]
        before = (campaigns / "small.toml").read_text(encoding="utf-8")
        typed = before.replace('name = "small"\n', 'name = "small"\ntitle = "Đã sửa khi phiên đã hết"\n', 1)
        assert typed != before

        def save() -> httpx.Response:
            return lan.post("/edit/small.toml/toml", data={"key": key, "text": typed},
                            headers={"X-CSRF-Token": token, "HX-Request": "true"})  # fmt: skip

        clock.now += 13 * 3600
        expired = save()
        assert expired.status_code == 401 and "Phiên đăng nhập đã hết" in expired.text, expired.text
        assert "/api/login" not in expired.text and 'href="/login"' in expired.text
        assert (campaigns / "small.toml").read_text(encoding="utf-8") == before
        assert lan.post("/api/login", json={"name": "lan", "password": "approverpass1"}).status_code == 200
        stale = save()  # the page's token is the old session's: refused, with the new one for the page's script
        assert stale.status_code == 403 and "bấm lại một lần nữa" in stale.text and "/api" not in stale.text
        token = stale.headers["X-CSRF-Renewed"]
        assert save().status_code == 204 and (campaigns / "small.toml").read_text(encoding="utf-8") == typed
