"""Nothing lost at the desk (a real desk on 127.0.0.1 over the test's own folders): the approved version of a
campaign kept, shown from its history and restored (approved again when the file's approval is still the one
that approved it, never an approval withdrawn since); a save refused because the file changed shows how the two
differ and keeps the text typed, to save over theirs; the letter a draft came from kept beside it, its lines
shown as the draft cites them, its file downloaded, and moved with the campaign to the archive and back."""

from __future__ import annotations

import html
import re
import shutil
import stat
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

import ticker.desk.users
from ticker.approval import revoke
from ticker.approval.versions import VERSIONS
from ticker.desk.users import add_user
from ticker.letters.kept import LETTERS

from support.campaigns import MINIMAL, ROOT, write_campaign
from support.desk_server import desk_server

LETTER = ROOT / "letters" / "hau-giang-337-STTT-2020-ncovi.txt"
SMALL = (
    MINIMAL.replace('name = "test"', 'name = "small"\ntitle = "Thử"')
    + """
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
)
WORDS = "Khai báo y tế"


@pytest.fixture
def folders(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    write_campaign(campaigns, SMALL, base="", name="small.toml")
    return campaigns, out


@pytest.fixture
def desk(folders):
    with desk_server(*folders) as running:
        yield running


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page)[1]


def _approved_then_changed(c: httpx.Client) -> tuple[bytes, str]:
    """small.toml approved by Lan, then its words changed: the approved file's bytes, and its version's id."""
    opened = c.get("/api/campaigns/small.toml").json()
    assert c.post("/api/campaigns/small.toml/approve", json={"by": "Lan", "key": opened["content_key"]}).is_success
    approved = c.get("/api/campaigns/small.toml").json()
    edit = approved["text"].replace(WORDS, "Khai báo sức khoẻ")
    assert c.put("/api/campaigns/small.toml", content=edit.encode(), headers={"If-Match": approved["key"]}).is_success
    (version,) = c.get("/api/campaigns/small.toml/versions").json()["versions"]
    return approved["text"].encode(), version["version"]


def test_the_approved_version_is_shown_from_the_history_and_restored_approved_again(desk, folders):
    c, campaigns = desk.client(), folders[0]
    approved, vid = _approved_then_changed(c)
    assert (campaigns / VERSIONS / f"{vid}.toml").read_bytes() == approved
    assert c.get("/api/campaigns/small.toml").json()["approval"]["voided"] is True
    edit = c.get("/edit/small.toml").text
    link = f"/edit/small.toml/versions/{vid}"
    assert (
        f'href="{link}"' in edit
        and "xem bản đã duyệt" in edit
        and f'href="{link}"' in c.get("/approve/small.toml").text
    )

    page = c.get(link).text
    assert "Lan duyệt" in page and "Khôi phục bản đã duyệt này" in page and str(campaigns) not in page
    assert re.search(r'<tr class="left">.*Khai báo sức khoẻ', page) and re.search(rf'<tr class="right">.*{WORDS}', page)
    assert c.get(f"/api/campaigns/small.toml/versions/{vid}").json()["text"] == approved.decode()

    got = c.post(f"{link}/restore", data={"csrf": _hidden(page, "csrf"), "key": _hidden(page, "key")})
    assert got.status_code == 303 and got.headers["location"] == "/edit/small.toml?saved=1"
    assert (campaigns / "small.toml").read_bytes() == approved  # the very bytes approved: the approval holds again
    assert c.get("/api/campaigns/small.toml").json()["approval"]["approved"] is True
    last = c.get("/api/campaigns/small.toml").json()["history"][-1]
    assert last["action"] == "restored version" and last["version"] == vid
    assert '-text = "Đề nghị người dân tải ứng dụng Khai báo sức khoẻ' in last["diff"] and "+text" in last["diff"]
    assert "Khôi phục bản đã duyệt" in c.get("/edit/small.toml").text  # in the history, in words
    assert "Tệp hiện tại đúng là bản đã duyệt này" in c.get(link).text


def test_a_restore_from_a_page_opened_before_a_change_restores_nothing(desk, folders):
    c, path = desk.client(), folders[0] / "small.toml"
    _, vid = _approved_then_changed(c)
    page = c.get(f"/edit/small.toml/versions/{vid}").text
    path.write_text(path.read_text(encoding="utf-8").replace("Thử", "Người khác sửa"), encoding="utf-8")
    before = path.read_bytes()
    got = c.post(f"/edit/small.toml/versions/{vid}/restore", data={"csrf": _hidden(page, "csrf"),
                                                                 "key": _hidden(page, "key")})  # fmt: skip
    assert got.status_code == 409 and "Tệp đã đổi từ khi bạn mở trang này" in got.text and "Người khác sửa" in got.text
    assert path.read_bytes() == before
    stale = c.post(f"/api/campaigns/small.toml/versions/{vid}/restore", headers={"If-Match": _hidden(page, "key")})
    assert stale.status_code == 409 and stale.json()["theirs"] == before.decode()


@pytest.fixture
def users(tmp_path, monkeypatch) -> Path:
    """An approver, lan, and an editor, minh (argon2 at its cheapest: what is tested is what each may write)."""
    monkeypatch.setattr(ticker.desk.users, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    path = tmp_path / "users.toml"
    add_user(path, "lan", "approver", "matkhau-123")
    add_user(path, "minh", "editor", "matkhau-123")
    return path


def _login(running, name: str) -> httpx.Client:
    c = running.client()
    assert c.post("/api/login", json={"name": name, "password": "matkhau-123"}).status_code == 200
    c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf"]
    return c


def test_an_editor_restores_the_approved_words_but_never_an_approval_withdrawn_since(folders, users):
    path = folders[0] / "small.toml"
    with desk_server(*folders, users=users) as running:
        lan, minh = _login(running, "lan"), _login(running, "minh")
        _, vid = _approved_then_changed(lan)
        revoke(path, "lan")  # the approval withdrawn (ticker revoke)
        got = minh.post(f"/api/campaigns/small.toml/versions/{vid}/restore")
        assert got.status_code == 200, got.text
        assert got.json()["approval"] == minh.get("/api/campaigns/small.toml").json()["approval"]
        assert got.json()["approval"]["approved"] is False and got.json()["approval"]["by"] is None
        text = path.read_text(encoding="utf-8")
        assert WORDS in text and "[approval]" not in text  # the words approved, without the approval withdrawn
        assert minh.get("/api/campaigns/small.toml").json()["history"][-1]["by"] == "minh"
        other = lan.get("/api/campaigns/small.toml/versions/" + "0" * 64)
        assert other.status_code == 404 and other.json()["error"].startswith("small.toml: no approved version")
        assert minh.get("/edit/small.toml/versions/..%2F..%2Fusers").status_code == 404


def test_a_version_changed_behind_the_desks_back_is_not_shown_or_restored(desk, folders):
    c = desk.client()
    approved, vid = _approved_then_changed(c)
    (folders[0] / VERSIONS / f"{vid}.toml").write_bytes(approved.replace(b"Lan", b"Mallory"))
    assert c.get(f"/api/campaigns/small.toml/versions/{vid}").status_code == 404
    page = c.get(f"/edit/small.toml/versions/{vid}", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Chiến dịch này không có bản đã duyệt như vậy" in page.text
    assert c.post(f"/api/campaigns/small.toml/versions/{vid}/restore").status_code == 404


def test_a_conflict_shows_how_the_two_differ_and_saves_the_typed_text_over_theirs_on_request(desk, folders):
    c, path = desk.client(), folders[0] / "small.toml"
    page = c.get("/edit/small.toml").text
    base, key = path.read_text(encoding="utf-8"), _hidden(page, "key")
    path.write_text(base.replace("Thử", "Người khác sửa"), encoding="utf-8")
    form = {"base": base, "key": key, "output[1].loop": "1", "campaign.title": "<b>Của tôi</b>"}
    got = c.post("/edit/small.toml/save", data=form, headers={"HX-Request": "true"})
    assert got.status_code == 200 and got.headers["hx-retarget"] == "#conflict"
    shown = got.text
    assert "Người khác đã sửa tệp này sau khi bạn mở nó" in shown and str(folders[0]) not in shown
    assert re.search(r'<tr class="left"><td class="n">4</td><td class="n"></td>.*Người khác sửa', shown)
    assert re.search(r'<tr class="right"><td class="n"></td><td class="n">4</td>.*&lt;b&gt;Của tôi&lt;/b&gt;', shown)
    assert "<b>Của tôi</b>" not in shown  # escaped everywhere
    assert "Toàn văn hai bản" in shown and 'id="yours-text"' in shown
    yours = re.search(r'<textarea id="yours-text" name="text"[^>]*>(.*?)</textarea>', shown, re.S)[1]
    theirs_key = re.search(r'<form hx-post="/edit/small.toml/toml".*?name="key" value="([^"]+)"', shown, re.S)[1]
    saving = {"text": html.unescape(yours), "key": theirs_key}  # as the browser sends the textarea's text
    again = c.post("/edit/small.toml/toml", data=saving, headers={"HX-Request": "true"})
    assert again.status_code == 204 and 'title = "<b>Của tôi</b>"' in path.read_text(encoding="utf-8")

    opened = c.get("/api/campaigns/small.toml").json()
    path.write_text(opened["text"].replace("Của tôi", "Của Hoa"), encoding="utf-8")
    api = c.put("/api/campaigns/small.toml", content=opened["text"].replace("Của tôi", "Của Minh").encode(),
                headers={"If-Match": opened["key"]})  # fmt: skip
    assert api.status_code == 409
    assert '-title = "<b>Của Hoa</b>"' in api.json()["diff"] and '+title = "<b>Của Minh</b>"' in api.json()["diff"]


def test_the_letter_a_draft_came_from_is_kept_shown_downloaded_and_archived_with_it(desk, folders):
    c, campaigns = desk.client(), folders[0]
    data = LETTER.read_bytes()
    name = 'Công văn 337 \\"STTT\\".txt'.encode()  # quotes in the name, escaped as some clients send them
    body = (b'--b0undary\r\nContent-Disposition: form-data; name="letter"; filename="' + name + b'"\r\n'
            b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n--b0undary--\r\n")  # fmt: skip
    sent = c.post("/api/drafts", content=body, headers={"Content-Type": "multipart/form-data; boundary=b0undary"})
    made = sent.json()["file"]
    assert made == "cv-337-sttt-cntt.toml"
    kept = campaigns / LETTERS / "cv-337-sttt-cntt.txt"
    assert kept.read_bytes() == data and stat.S_IMODE(kept.stat().st_mode) == 0o600

    edit = c.get(f"/edit/{made}").text
    assert f'href="/edit/{made}/letter"' in edit and f'href="/edit/{made}/letter#line-61"' in edit  # the cite
    page = c.get(f"/edit/{made}/letter").text
    line61 = data.decode().splitlines()[60]
    assert re.search(rf'<li id="line-61">{re.escape(line61)}</li>', page) and str(campaigns) not in page
    assert c.get(f"/api/campaigns/{made}/letter").json()["lines"][60] == line61
    got = c.get(f"/edit/{made}/letter/original")
    assert got.status_code == 200 and got.content == data
    said = got.headers["content-disposition"]
    assert said.startswith("attachment; filename=\"C_ng_v_n_337_STTT_.txt\"; filename*=UTF-8''C%C3%B4ng%20v")
    assert '"STTT"' not in said and "\n" not in said
    assert c.get(f"/api/campaigns/{made}/letter/original").content == data
    assert c.get("/api/campaigns/small.toml/letter").status_code == 404
    assert "Chiến dịch này không có công văn gốc" in c.get("/edit/small.toml/letter").text

    second = c.post("/api/drafts", files={"letter": ("cv.txt", data, "text/plain")}).json()["file"]
    assert second == "cv-337-sttt-cntt-2.toml" and (campaigns / LETTERS / "cv-337-sttt-cntt-2.txt").exists()

    assert c.post(f"/api/campaigns/{made}/archive").status_code == 200
    assert not kept.exists() and (campaigns / "archive" / LETTERS / "cv-337-sttt-cntt.txt").read_bytes() == data
    shutil.copy(LETTER, campaigns / "stray.txt")  # nothing else of the folder moves with it
    assert c.post(f"/api/archive/{made}/restore").status_code == 200
    assert kept.read_bytes() == data and (campaigns / "stray.txt").exists()
    assert line61 in c.get(f"/edit/{made}/letter").text


def test_a_letters_folder_that_is_a_link_makes_no_draft_and_is_said_in_words(desk, folders, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folders[0] / LETTERS).symlink_to(elsewhere)
    got = desk.client().post("/new", data={"pasted": LETTER.read_text(encoding="utf-8")})
    assert got.status_code == 400 and "Không cất được công văn cạnh bản nháp" in got.text
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in folders[0].glob("*.toml")) == ["small.toml"]
    assert str(tmp_path) not in got.text
