"""Who is logged in at a real desk (uvicorn on 127.0.0.1): the users file as it is now (a user removed, a role
changed, a password set anew) and logout."""

from __future__ import annotations

import os

import httpx
import pytest
import tomlkit
from argon2 import PasswordHasher

import ticker.desk.users
from ticker.desk.users import add_user

from conftest import MINIMAL, run_ticker, write_campaign
from desk_server import desk_server

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


def test_a_password_set_anew_ends_the_sessions_and_only_the_new_one_works(folders, tmp_path):
    with desk_server(*folders) as running:
        lan = _login(running, "lan", "approverpass1")
        run_ticker("serve", "--users", folders[2], "--add-user", "lan", "--role", "editor", cwd=tmp_path,
                   input="newpassword9\n")  # fmt: skip
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
