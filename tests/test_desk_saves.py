"""Saving and approving at the desk, against a real desk (uvicorn on 127.0.0.1) over the test's own folders: an
editor's text is judged as the file it becomes is read (a byte order mark hides no approval); two saves, or a
save and an approval, of one version never both land; a proof is never shown for another version than the file's;
no two files of the folder share a campaign.name."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

import ticker.desk.users
from ticker.approval import audit
from ticker.approval.key import state as approval_state
from ticker.campaign import editing
from ticker.campaign.config import load_campaign
from ticker.desk.users import add_user

from support.campaigns import MINIMAL, write_campaign
from support.desk_server import desk_server, preview_made
from support.processes import waiting_on

BOM = "\ufeff"
SMALL = (
    MINIMAL.replace('name = "test"', 'name = "small"\ntitle = "Thử"')
    + """
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
)
WORDS = "Đề nghị người dân tải ứng dụng Khai báo y tế phòng dịch NCOVI."
LOCK = ".ticker-campaigns.lock"  # the campaigns' lock, which every writer of ticker's holds to compare and write
WAIT = 60  # seconds a step may take before the test gives up on it (never reached when it works)


@pytest.fixture
def folders(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    write_campaign(campaigns, SMALL, base="", name="small.toml")
    write_campaign(campaigns, SMALL.replace('"small"', '"other"'), base="", name="other.toml")
    return campaigns, out


@pytest.fixture
def desk(folders):
    with desk_server(*folders) as running:
        yield running


def _until(done, lock: Path) -> None:
    """Returns once `done` (a future) has finished or waits on `lock`: the second writer is either through
    (nothing held it back) or held back by the first."""
    deadline = time.monotonic() + WAIT
    while not (done.done() or waiting_on(lock)):
        assert time.monotonic() < deadline, "the second save neither went through nor waited"
        time.sleep(0.01)


def test_two_saves_of_one_version_at_the_same_moment_one_is_told_it_changed(desk, folders, monkeypatch):
    """The first save is held between its comparison of the key and its rename; the second, with the same
    If-Match, comes then: it waits for the first and is a 409, and the file holds the first."""
    path = folders[0] / "small.toml"
    reached, go = threading.Event(), threading.Event()
    write = editing.write_atomic

    def held(target, data, **kwargs):
        if not reached.is_set():
            reached.set()
            assert go.wait(WAIT)
        write(target, data, **kwargs)

    monkeypatch.setattr(editing, "write_atomic", held)
    first, second = desk.client(), desk.client()
    opened = first.get("/api/campaigns/small.toml").json()
    mine, theirs = (opened["text"].replace("Thử", title) for title in ("Của Minh", "Của Hoa"))

    def put(c: httpx.Client, text: str) -> httpx.Response:
        return c.put("/api/campaigns/small.toml", content=text.encode(), headers={"If-Match": opened["key"]})

    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(put, first, mine)
        assert reached.wait(WAIT)
        two = pool.submit(put, second, theirs)
        _until(two, folders[0] / LOCK)
        go.set()
        statuses = one.result(WAIT).status_code, two.result(WAIT).status_code
    assert statuses == (200, 409)
    assert "someone else changed this file" in two.result().json()["error"]
    assert two.result().json()["theirs"] == mine
    assert path.read_text(encoding="utf-8") == mine


def test_a_save_that_lands_while_an_approver_approves_stays_and_the_approval_is_refused(desk, folders, monkeypatch):
    """The approval is held after it read the file; an editor's save of that version lands: the approval is a
    409, the file is the editor's, and the trail holds no approval."""
    path = folders[0] / "small.toml"
    reached, go = threading.Event(), threading.Event()
    writable = audit.writable

    def held(campaign_file):
        reached.set()
        assert go.wait(WAIT)
        writable(campaign_file)

    monkeypatch.setattr(audit, "writable", held)
    approver, editor = desk.client(), desk.client()
    seen = approver.get("/api/campaigns/small.toml").json()
    with ThreadPoolExecutor(1) as pool:
        approving = pool.submit(
            approver.post, "/api/campaigns/small.toml/approve", json={"by": "Lan", "key": seen["content_key"]}
        )
        assert reached.wait(WAIT)
        edit = seen["text"].replace(WORDS, "Nội dung mới của biên tập viên.")
        saved = editor.put("/api/campaigns/small.toml", content=edit.encode(), headers={"If-Match": seen["key"]})
        assert saved.status_code == 200
        go.set()
        got = approving.result(WAIT)
    assert got.status_code == 409 and "changed while it was being approved" in got.json()["error"]
    assert got.json().keys() == {"error"}, "an approval carries no editor's texts"
    assert path.read_text(encoding="utf-8") == edit
    assert [e["action"] for e in audit.entries(path)] == ["saved"]  # the editor's save; no approval
    assert editor.get("/api/campaigns/small.toml").json()["approval"]["approved"] is False


@pytest.fixture
def editor_users(tmp_path, monkeypatch) -> Path:
    """A users file with one editor, minh (argon2 at its cheapest: these tests are about what an editor may
    write, not about how hard a hash is to crack)."""
    monkeypatch.setattr(ticker.desk.users, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    users = tmp_path / "users.toml"
    add_user(users, "minh", "editor", "matkhau-123")
    return users


def _login(running, name: str) -> httpx.Client:
    c = running.client()
    assert c.post("/api/login", json={"name": name, "password": "matkhau-123"}).status_code == 200
    c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf"]
    return c


def _approval(key: str) -> str:
    return f'\n[approval]\nby = "lan"\nat = 2026-12-06T10:00:00+07:00\nkey = "{key}"\n'


def test_an_editor_cannot_forge_an_approval_behind_byte_order_marks(folders, editor_users):
    path = folders[0] / "small.toml"
    before = path.read_bytes()
    with desk_server(*folders, users=editor_users) as running:
        c = _login(running, "minh")
        opened = c.get("/api/campaigns/small.toml").json()
        forged = opened["text"] + _approval(opened["content_key"])
        new = (BOM * 2 + forged.replace('"small"', '"forged"')).encode()  # the API drops one: the reader the other
        got = c.put("/api/campaigns/forged.toml", content=new)
        assert got.status_code == 403 and "minh is an editor; only an approver" in got.json()["error"]
        got = c.put(
            "/api/campaigns/small.toml", content=(BOM * 2 + forged).encode(), headers={"If-Match": opened["key"]}
        )
        assert got.status_code == 403 and "only an approver may change its [approval]" in got.json()["error"]
        page = c.post(
            "/edit/small.toml/toml", data={"text": BOM + forged, "key": opened["key"]}, headers={"HX-Request": "true"}
        )
        assert page.status_code == 403 and "chỉ người duyệt mới được sửa phần duyệt của tệp" in page.text  # worded
        assert str(folders[0]) not in page.text
        form = c.post("/edit/small.toml/save", data={"base": BOM + forged, "key": opened["key"], "output[1].loop": "1"})
        assert form.status_code in (403, 422) and "saved" not in form.headers.get("hx-redirect", "")
        assert c.get("/api/campaigns/small.toml").json()["approval"]["approved"] is False
    assert path.read_bytes() == before and not (folders[0] / "forged.toml").exists()
    assert not (folders[0] / audit.AUDIT).exists()
    assert "not approved" in approval_state(load_campaign(path)).sentence  # what `ticker check` says of it


def test_no_save_gives_a_file_the_campaign_name_another_file_has(desk, folders):
    c = desk.client()
    small = c.get("/api/campaigns/small.toml").json()
    assert (
        c.post("/api/campaigns/small.toml/approve", json={"by": "Lan", "key": small["content_key"]}).status_code == 200
    )
    text = c.get("/api/campaigns/small.toml").json()["text"]
    other = c.get("/api/campaigns/other.toml").json()
    before = (folders[0] / "other.toml").read_bytes()
    said = "is already the name of"
    got = c.put("/api/campaigns/0-small.toml", content=text.split("[approval]")[0].encode())
    assert got.status_code == 422 and "campaign.name 'small' is already the name of" in got.json()["error"]
    assert got.json()["error"].endswith("small.toml; file names would collide.")
    renamed = other["text"].replace('"other"', '"small"')
    got = c.put("/api/campaigns/other.toml", content=renamed.encode(), headers={"If-Match": other["key"]})
    assert got.status_code == 422 and said in got.json()["error"]
    page = c.post("/edit/other.toml/toml", data={"text": renamed, "key": other["key"]}, headers={"HX-Request": "true"})
    assert page.status_code == 422 and "đã là tên chiến dịch của tệp small.toml" in page.text
    form = {"base": renamed, "key": other["key"], "output[1].loop": "1"}  # the form has no name field: its base
    got = c.post("/edit/other.toml/save", data=form, headers={"HX-Request": "true"})
    assert got.status_code == 422 and "đã là tên chiến dịch của tệp small.toml" in got.text
    assert not (folders[0] / "0-small.toml").exists() and (folders[0] / "other.toml").read_bytes() == before
    rows = {r["file"]: r for r in c.get("/api/campaigns").json()["campaigns"]}
    assert rows["small.toml"]["errors"] == [] and rows["other.toml"]["errors"] == []
    assert "small.toml: approved by Lan" in approval_state(load_campaign(folders[0] / "small.toml")).sentence


def test_a_proof_of_an_earlier_version_is_never_shown_as_the_files(desk, folders):
    c = desk.client()
    opened = c.get("/api/campaigns/small.toml").json()
    old = opened["text"].replace(WORDS, "NỘI DUNG CŨ")
    saved = c.put("/api/campaigns/small.toml", content=old.encode(), headers={"If-Match": opened["key"]})
    assert (
        "/proof/small.toml" in preview_made(c, c.post("/approve/small.toml/proof", headers={"HX-Request": "true"})).text
    )
    assert "NỘI DUNG CŨ" in c.get("/proof/small.toml").text
    new = old.replace("NỘI DUNG CŨ", "NỘI DUNG MỚI")
    assert (
        c.put("/api/campaigns/small.toml", content=new.encode(), headers={"If-Match": saved.json()["key"]}).status_code
        == 200
    )
    for part in ("", "/preview.webp", "/preview.mp4", "/contact.png"):
        got = c.get(f"/proof/small.toml{part}")
        assert got.status_code == 409 and "một bản cũ của tệp" in got.json()["error"], part
    page = c.get("/proof/small.toml", headers={"Accept": "text/html"})
    assert page.status_code == 409 and "một bản cũ của tệp" in page.text and "NỘI DUNG CŨ" not in page.text
    assert "NỘI DUNG MỚI" in c.get("/approve/small.toml").text
    assert (
        "/proof/small.toml" in preview_made(c, c.post("/approve/small.toml/proof", headers={"HX-Request": "true"})).text
    )
    page = c.get("/proof/small.toml")
    assert page.status_code == 200 and "NỘI DUNG MỚI" in page.text and "NỘI DUNG CŨ" not in page.text
