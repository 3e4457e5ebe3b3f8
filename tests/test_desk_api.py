"""The desk's JSON API, against a real desk (uvicorn on 127.0.0.1) over the test's own folders: every endpoint,
the 409 of a file changed on disk, CSRF, path traversal, roles, escaping, and what it refuses at start."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import av
import docx
import pytest
from PIL import Image

from ticker.desk.overview import folder_rows

from support.campaigns import HAU_GIANG, MINIMAL, ROOT, write_campaign
from support.desk_server import desk_server, preview_made
from support.running import run_ticker
from support.stations import STATION, station_file

LETTER = ROOT / "letters" / "hau-giang-337-STTT-2020-ncovi.txt"
SMALL = (
    MINIMAL.replace('name = "test"', 'name = "small"\ntitle = "Thử"')
    + """
[[slot]]
at = ["06:30", "19:45"]
seconds = 60
[[output]]
profile = "576i50"
format = "prores4444"
loop = true
"""
)
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def folders(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    shutil.copy(HAU_GIANG, campaigns / "hau-giang.toml")
    write_campaign(campaigns, SMALL, base="", name="small.toml")
    (campaigns / "broken.toml").write_text('[campaign]\nname = "x"\n', encoding="utf-8")
    return campaigns, out


@pytest.fixture
def desk(folders):
    with desk_server(*folders) as running:
        yield running


def _users(tmp_path: Path) -> Path:
    users = tmp_path / "users.toml"
    for name, role in (("lan", "approver"), ("minh", "editor")):
        run_ticker("serve", "--users", users, "--add-user", name, "--role", role, cwd=tmp_path, input="matkhau-123\n")
    return users


def test_the_campaigns_list_shows_every_file_with_its_state_and_the_unreadable_one_with_its_sentence(desk):
    rows = {r["file"]: r for r in desk.client().get("/api/campaigns").json()["campaigns"]}
    assert set(rows) == {"hau-giang.toml", "small.toml", "broken.toml"}
    for key in ("file", "name", "title", "start", "end", "state", "errors", "warnings", "next_airing"):
        assert key in rows["small.toml"]
    assert rows["hau-giang.toml"]["state"] == "ended" and rows["hau-giang.toml"]["verdict"] == "ok"
    assert rows["small.toml"]["title"] == "Thử"
    assert "broken.toml" in rows["broken.toml"]["errors"][0] and rows["broken.toml"]["state"] is None


def test_a_campaign_is_opened_with_its_fields_key_and_approval(desk):
    got = desk.client().get("/api/campaigns/hau-giang.toml")
    body = got.json()
    assert got.status_code == 200 and body["key"].startswith("sha256:") and got.headers["etag"] == f'"{body["key"]}"'
    assert body["approval"]["approved"] is True and body["approval"]["by"] == "Nguyễn Thị Lan"
    assert body["fields"]["motion.crossing_seconds"] == 12 and body["fields"]["campaign.start"] == "2020-03-12"
    assert body["text"] == HAU_GIANG.read_text(encoding="utf-8")


def test_a_save_needs_the_key_it_was_opened_with_and_a_change_on_disk_is_a_409_with_both_texts(desk, folders):
    c = desk.client()
    path = folders[0] / "small.toml"
    opened = c.get("/api/campaigns/small.toml").json()
    mine = opened["text"].replace('title = "Thử"', 'title = "Của tôi"')
    saved = c.put("/api/campaigns/small.toml", content=mine.encode(), headers={"If-Match": opened["key"]})
    assert saved.status_code == 200, saved.text
    assert path.read_text(encoding="utf-8") == mine and saved.json()["key"] != opened["key"]
    theirs = mine.replace("Của tôi", "Của người khác")
    path.write_text(theirs, encoding="utf-8")  # someone edits it by hand meanwhile
    again = c.put("/api/campaigns/small.toml", content=mine.replace("tôi", "ta").encode(),
                  headers={"If-Match": saved.json()["key"]})  # fmt: skip
    assert again.status_code == 409
    body = again.json()
    assert "someone else changed this file" in body["error"] and body["theirs"] == theirs and "Của ta" in body["yours"]
    assert path.read_text(encoding="utf-8") == theirs


def test_an_invalid_text_is_a_422_with_the_clis_sentence_and_nothing_changes(desk, folders):
    c = desk.client()
    path = folders[0] / "small.toml"
    before = path.read_bytes()
    opened = c.get("/api/campaigns/small.toml").json()
    bad = opened["text"].replace("end = 2020-03-15", "end = 2020-03-01")
    got = c.put("/api/campaigns/small.toml", content=bad.encode(), headers={"If-Match": opened["key"]})
    assert got.status_code == 422 and "campaign.end" in got.json()["error"] and "small.toml" in got.json()["error"]
    assert path.read_bytes() == before
    cli = run_ticker("check", path, cwd=folders[0], check_status=None)
    assert cli.returncode == 0  # the file on disk is still the good one


def test_a_new_file_is_made_by_a_put_without_if_match(desk, folders):
    c = desk.client()
    made = c.put("/api/campaigns/new-one.toml", content=SMALL.replace('"small"', '"new-one"').encode())
    assert made.status_code == 201 and (folders[0] / "new-one.toml").is_file()


def test_a_changing_call_without_the_csrf_token_is_refused_and_changes_nothing(desk, folders):
    c = desk.client(csrf=False)
    before = {p.name: p.read_bytes() for p in folders[0].iterdir()}
    opened = c.get("/api/campaigns/small.toml").json()
    calls = [
        c.put("/api/campaigns/small.toml", content=b"x = 1", headers={"If-Match": opened["key"]}),
        c.post("/api/campaigns/small.toml/approve", json={"by": "Lan"}),
        c.post("/api/drafts", files={"letter": ("l.txt", LETTER.read_bytes(), "text/plain")}),
        c.post("/api/nights", json={"date": "2020-03-12"}),
        c.put("/api/campaigns/small.toml", content=b"x = 1", headers={"If-Match": opened["key"], "X-CSRF-Token": "no"}),
    ]
    assert [r.status_code for r in calls] == [403] * len(calls)
    assert "CSRF" in calls[0].json()["error"]
    assert {p.name: p.read_bytes() for p in folders[0].iterdir()} == before
    assert not folders[1].exists() or not any(folders[1].iterdir())


@pytest.mark.parametrize(
    "path",
    [
        "/api/campaigns/..%2F..%2Fetc%2Fpasswd",
        "/api/campaigns/%2Fetc%2Fpasswd",
        "/api/campaigns/.ticker-audit.jsonl",
        "/api/campaigns/link.toml",
        "/api/campaigns/..%2Fcampaigns%2Fsmall.toml/frame.png",
        "/api/campaigns/..%2Fsecret.toml/report.json",
        "/api/nights/..%2F..",
        "/api/nights/2020-03-12%2F..%2F..",
        "/api/nights/2020-03-12/files/..%2F..%2Fcampaigns%2Fsmall.toml",
        "/api/nights/2020-03-12/files/manifest.json",
        "/api/nights/2020-03-12/log%2F..",
        "/api/jobs/..%2F..",
        "/edit/..%2Fsecret.toml",
        "/approve/link.toml",
        "/proof/small.toml/..%2F..%2Fsecret.toml",
    ],
)
def test_a_path_outside_the_folders_is_not_found(desk, folders, path):
    (folders[0].parent / "secret.toml").write_text(SMALL, encoding="utf-8")
    os.symlink(folders[0].parent / "secret.toml", folders[0] / "link.toml")
    (folders[1] / "2020-03-12").mkdir(parents=True)
    got = desk.client().get(path, headers={"Accept": "application/json"})
    assert got.status_code == 404, (path, got.status_code, got.text[:200])
    assert "error" in got.json() and "Thử" not in got.text


def test_a_campaign_the_folder_does_not_hold_is_said_in_the_pages_words_without_the_folder(desk, folders):
    got = desk.client().get("/edit/missing.toml", headers={"Accept": "text/html"})
    assert got.status_code == 404 and "Không có chiến dịch" in got.text and "missing.toml" in got.text
    assert str(folders[0]) not in got.text and str(folders[0].parent) not in got.text
    api = desk.client().get("/api/campaigns/missing.toml", headers={"Accept": "application/json"})
    assert api.status_code == 404 and str(folders[0]) not in api.json()["error"]


def test_a_changing_call_on_a_path_outside_is_not_found(desk, folders):
    os.symlink(HAU_GIANG, folders[0] / "link.toml")
    c = desk.client()
    assert c.post("/api/campaigns/link.toml/approve", json={"by": "x"}).status_code == 404
    assert c.put("/api/campaigns/..%2Fx.toml", content=SMALL.encode(), headers={"If-Match": "k"}).status_code == 404
    assert not (folders[0].parent / "x.toml").exists()


def test_a_letter_becomes_a_draft_file_with_its_findings(desk, folders):
    got = desk.client().post("/api/drafts", files={"letter": (LETTER.name, LETTER.read_bytes(), "text/plain")})
    assert got.status_code == 201, got.text
    body = got.json()
    assert body["file"] == "cv-337-sttt-cntt.toml" and body["findings"]["source"]["number"] == "337/STTT-CNTT"
    text = (folders[0] / body["file"]).read_text(encoding="utf-8")
    assert "start = 2020-03-12" in text and "# the letter, line 61" in text
    second = desk.client().post("/api/drafts", files={"letter": (LETTER.name, LETTER.read_bytes(), "text/plain")})
    assert second.json()["file"] == "cv-337-sttt-cntt-2.toml"  # never over the first


def test_an_upload_of_another_type_or_too_large_is_refused(desk, folders):
    c = desk.client()
    assert c.post("/api/drafts", files={"letter": ("l.exe", b"MZ", "application/octet-stream")}).status_code == 415
    big = c.post("/api/drafts", files={"letter": ("l.txt", b"a" * (21 * 1024 * 1024), "text/plain")})
    assert big.status_code == 413
    assert sorted(p.name for p in folders[0].iterdir()) == ["broken.toml", "hau-giang.toml", "small.toml"]


def test_the_frame_is_a_png_of_the_outputs_size(desk):
    got = desk.client().get("/api/campaigns/small.toml/frame.png")
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(got.content)).size == (720, 576)


def test_approval_on_a_local_desk_records_the_name_given(desk, folders):
    got = desk.client().post("/api/campaigns/small.toml/approve", json={"by": "Trần Văn Minh", "note": "đồng ý"})
    assert got.status_code == 200 and got.json()["approved"] and got.json()["by"] == "Trần Văn Minh"
    assert "[approval]" in (folders[0] / "small.toml").read_text(encoding="utf-8")


def test_with_users_only_an_approver_approves_and_the_approval_is_theirs(tmp_path, folders):
    users = _users(tmp_path)
    with desk_server(*folders, users=users) as running:
        c = running.client()
        assert c.get("/api/campaigns").status_code == 401
        assert c.post("/api/login", json={"name": "minh", "password": "wrong-one"}).status_code == 401
        assert c.post("/api/login", json={"name": "minh", "password": "matkhau-123"}).status_code == 200
        c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf"]
        refused = c.post("/api/campaigns/small.toml/approve", json={"by": "someone"})
        assert refused.status_code == 403 and "minh is an editor" in refused.json()["error"]
        assert "[approval]" not in (folders[0] / "small.toml").read_text(encoding="utf-8")
        a = running.client()
        assert a.post("/api/login", json={"name": "lan", "password": "matkhau-123"}).status_code == 200
        a.headers["X-CSRF-Token"] = a.get("/api/session").json()["csrf"]
        done = a.post("/api/campaigns/small.toml/approve", json={"by": "someone else", "note": "ok"})
        assert done.status_code == 200 and done.json()["by"] == "lan"


def test_the_schedule_marks_unapproved_airings(desk):
    got = desk.client().get("/api/schedule", params={"from": "2020-03-12", "to": "2020-03-13"}).json()
    assert [d["date"] for d in got["days"]] == ["2020-03-12", "2020-03-13"]
    rows = got["days"][0]["rows"]
    small = [r for r in rows if r["campaign"] == "small"]
    assert [r["time"] for r in small] == ["06:30", "19:45"] and all(r["unapproved"] for r in small)
    assert all(not r["unapproved"] for r in rows if r["campaign"] == "haugiang-ncovi")
    assert desk.client().get("/api/schedule", params={"from": "2020-03-12", "to": "2020-01-01"}).status_code == 400


def test_a_night_runs_in_the_background_and_its_files_are_listed_and_downloaded(desk, folders, tmp_path):
    c = desk.client()
    (folders[0] / "hau-giang.toml").unlink()  # only the small one: a 576i50 loop
    (folders[0] / "broken.toml").unlink()  # (a file that cannot be read leaves the day incomplete)
    c.post("/api/campaigns/small.toml/approve", json={"by": "Lan"})
    started = c.post("/api/nights", json={"date": "2020-03-12"})
    assert started.status_code == 202
    job = started.json()["job"]
    deadline = time.monotonic() + 600
    while (state := c.get(f"/api/jobs/{job}").json())["state"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert state["state"] == "done", state
    assert f'id="job-{job}"' in c.get("/nights").text  # the runs started are listed on the nights page
    assert state["progress"]["done"] == state["progress"]["total"] >= 1
    manifest = c.get("/api/nights/2020-03-12").json()
    assert manifest["complete"] and manifest["files"] and all(f["qc"] == "passed" for f in manifest["files"])
    name = manifest["files"][0]["path"]
    got = c.get(f"/api/nights/2020-03-12/files/{name}")
    assert got.status_code == 200 and len(got.content) == manifest["files"][0]["bytes"]
    (tmp_path / name).write_bytes(got.content)
    with av.open(str(tmp_path / name)) as f:
        assert f.streams.video[0].codec_context.name == "prores" and sum(1 for _ in f.decode(video=0)) > 0
    assert "nightly 2020-03-12" in c.get("/api/nights/2020-03-12/log").text
    assert c.get("/api/jobs/nope").status_code == 404


def test_a_second_night_while_one_holds_the_lock_is_told_who_holds_it(desk, folders):
    from ticker.files.playout_tree import hold_lock

    folders[1].mkdir(exist_ok=True)
    c = desk.client()
    with hold_lock(folders[1]):
        got = c.post("/api/nights", json={"date": "2020-03-12"})
        page = c.post("/nights", data={"date": "2020-03-12"}, headers={"HX-Request": "true"})
    assert (
        got.status_code == 409 and "another nightly run holds" in got.json()["error"] and "pid" in got.json()["error"]
    )
    assert "Một đêm đang dựng tệp" in page.text and "pid" not in page.text
    assert not (folders[1] / "2020-03-12").exists()


def test_the_report_is_downloaded_in_each_kind(desk, folders):
    c = desk.client()
    assert c.get("/api/campaigns/small.toml/report.docx").status_code == 409  # no station file yet
    station_file(folders[0], STATION.replace("Công ty TNHH Truyền hình cáp Hậu Giang", "Truyền hình cáp Thử"))
    got = {kind: c.get(f"/api/campaigns/small.toml/report.{kind}") for kind in ("docx", "html", "json")}
    for kind, r in got.items():
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"], (kind, r.text[:300])
    letter = "\n".join(p.text for p in docx.Document(io.BytesIO(got["docx"].content)).paragraphs)
    assert "Truyền hình cáp Thử" in letter and "Thử" in got["html"].text
    assert got["json"].json()["campaign"] == "small"
    assert c.get("/api/campaigns/small.toml/report.exe").status_code == 404


def test_script_in_a_message_is_escaped_on_every_page(desk, folders):
    evil = SMALL.replace('title = "Thử"', f'title = "{SCRIPT}"').replace("phòng dịch NCOVI.", f"NCOVI {SCRIPT}")
    (folders[0] / "small.toml").write_text(evil, encoding="utf-8")
    c = desk.client()
    pages = ["/", "/edit/small.toml", "/edit/small.toml/toml", "/approve/small.toml", "/schedule?from=2020-03-12",
             "/reports", "/reports/small.toml", "/nights", "/campaigns/small.toml/verdict"]  # fmt: skip
    for page in pages:
        got = c.get(page)
        assert got.status_code == 200, page
        assert SCRIPT not in got.text and "<script>alert" not in got.text, page
    assert "&lt;script&gt;alert" in c.get("/edit/small.toml").text
    assert "script-src 'self'" in c.get("/").headers["content-security-policy"]


def test_the_openapi_description_is_served_from_the_desk_itself(desk):
    c = desk.client()
    spec = c.get("/api/openapi.json").json()
    assert {"/api/campaigns", "/api/campaigns/{file}", "/api/drafts", "/api/schedule", "/api/nights"} <= set(
        spec["paths"]
    )
    page = c.get("/api/docs").text
    assert (
        "/api/campaigns/{file}/approve" in page and "cdn" not in page.lower() and "http" not in page.split("<body")[0]
    )


def test_a_desk_on_another_address_without_users_is_refused_at_start(tmp_path):
    (tmp_path / "c").mkdir()
    done = subprocess.run([sys.executable, "-m", "ticker", "serve", "c", "-o", "out", "--host", "0.0.0.0"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "needs --users FILE" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_local_desk_answers_only_its_own_names(desk):
    """A page of another site whose name is made to point at 127.0.0.1 (DNS rebinding) gets nothing."""
    c = desk.client()
    assert c.get("/api/campaigns", headers={"Host": "evil.example:8470"}).status_code == 400
    assert c.get("/api/campaigns", headers={"Host": "localhost"}).status_code == 200


def test_a_body_longer_than_the_limit_is_refused_as_it_arrives(desk, folders):
    from ticker.desk.guard import BODY_LIMIT

    def body():
        yield b'--x\r\nContent-Disposition: form-data; name="letter"; filename="l.txt"\r\n\r\n'
        for _ in range(BODY_LIMIT // (1 << 20) + 2):
            yield b"a" * (1 << 20)  # sent chunked: no Content-Length to believe

    got = desk.client().post("/api/drafts", content=body(), headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert got.status_code == 413 and "larger than" in got.json()["error"]
    assert sorted(p.name for p in folders[0].iterdir()) == ["broken.toml", "hau-giang.toml", "small.toml"]


def test_the_proof_page_is_made_on_request_and_served_from_the_desk(desk):
    c = desk.client()
    assert c.get("/proof/small.toml").status_code == 404  # none made yet
    made = preview_made(c, c.post("/approve/small.toml/proof", headers={"HX-Request": "true"}))
    assert made.status_code == 200 and "/proof/small.toml" in made.text
    page = c.get("/proof/small.toml")
    assert page.status_code == 200 and "Thử" in page.text and page.headers["content-type"].startswith("text/html")
    webp = c.get("/proof/small.toml/preview.webp")
    assert webp.status_code == 200 and Image.open(io.BytesIO(webp.content)).format == "WEBP"


def test_changes_asked_for_are_kept_in_the_audit_trail_and_shown(desk, folders):
    c = desk.client()
    before = (folders[0] / "small.toml").read_bytes()
    assert c.post("/api/campaigns/small.toml/changes", json={"by": "Lan", "note": ""}).status_code == 400
    got = c.post("/api/campaigns/small.toml/changes", json={"by": "Lan", "note": "sửa giờ phát"})
    assert got.status_code == 200 and got.json()["action"] == "changes requested"
    assert (folders[0] / "small.toml").read_bytes() == before
    assert "sửa giờ phát" in (folders[0] / ".ticker-audit.jsonl").read_text(encoding="utf-8")
    assert "sửa giờ phát" in c.get("/approve/small.toml").text
    # the clerk sees it at the top of the edit page, and the campaign is "cần sửa" until an approval answers it
    page = c.get("/edit/small.toml").text
    assert 'id="requested"' in page and "Cần sửa" in page and "Lan" in page and "sửa giờ phát" in page
    during = dt.datetime(2020, 3, 13, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))  # inside its window
    rows = {r["file"]: r for r in folder_rows(folders[0], during)}
    assert rows["small.toml"]["state"] == "changes" and rows["small.toml"]["state_vi"] == "cần sửa"
    edited = c.get("/api/campaigns/small.toml").json()
    assert edited["requested"]["note"] == "sửa giờ phát" and edited["requested"]["changed"] is False
    assert c.post("/api/campaigns/small.toml/approve", json={"by": "Lan"}).status_code == 200
    assert 'id="requested"' not in c.get("/edit/small.toml").text
    assert {r["file"]: r for r in folder_rows(folders[0], during)}["small.toml"]["state"] == "airing"


def test_pages_ask_for_a_login_and_the_login_form_needs_its_token(tmp_path, folders):
    users = _users(tmp_path)
    with desk_server(*folders, users=users) as running:
        c = running.client(csrf=False)
        assert c.get("/", headers={"Accept": "text/html"}).headers["location"].startswith("/login")
        form = {"name": "lan", "password": "matkhau-123", "next": "/schedule"}
        assert c.post("/login", data=form).status_code == 403  # no token
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)[1]
        assert c.post("/login", data={**form, "password": "sai"} | {"csrf": token}).status_code == 401
        done = c.post("/login", data=form | {"csrf": token})
        assert done.status_code == 303 and done.headers["location"] == "/schedule"
        assert c.get("/", headers={"Accept": "text/html"}).status_code == 200
        assert c.post("/login", data=form | {"csrf": token}).status_code == 403  # a new session: a new token
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)[1]
        evil = c.post("/login", data=form | {"csrf": token, "next": "//evil.example/"})
        assert evil.status_code == 303 and evil.headers["location"] == "/"  # never to another site


def test_an_edit_is_checked_with_each_sentence_beside_its_field(desk, folders):
    c = desk.client()
    base = (folders[0] / "small.toml").read_text(encoding="utf-8")
    form = {"base": base, "output[1].loop": "1", "motion.crossing_seconds": "12"}
    lacks = c.post("/edit/small.toml/check", data=form | {"message[1].text": "Chữ \ue000 lạ"})
    assert lacks.status_code == 200
    at = re.search(r'<p class="error" id="err-f-message-1-text"[^>]*>([^<]*)</p>', lacks.text)[1]
    assert "U+E000" in at and "phông chữ không có ký tự" in at and "Nội dung chạy chữ" in at  # worded at the field
    assert str(folders[0]) not in lacks.text and ".toml:" not in at
    tcvn3 = "§Ò nghÞ ng\u00adêi d©n t¶i øng dông."  # typed in TCVN3, pasted as Latin-1
    converted = c.post("/edit/small.toml/check", data=form | {"message[1].text": tcvn3})
    note = re.search(r'<p class="note" id="note-f-message-1-text"[^>]*>([^<]*)</p>', converted.text)[1]
    assert "TCVN3" in note and 'id="frame"' in converted.text
    late = c.post("/edit/small.toml/check", data=form | {"campaign.end": "1/3/2020"})  # typed day first
    end = re.search(r'id="err-f-campaign-end"[^>]*>([^<]*)<', late.text)[1]
    assert "Đến ngày" in end and "1/3/2020" in end and "trước ngày bắt đầu" in end  # the field's label, the value
    assert (folders[0] / "small.toml").read_text(encoding="utf-8") == base  # a check writes nothing


def test_an_editor_cannot_write_an_approval_into_the_text(tmp_path, folders):
    users = _users(tmp_path)
    path = folders[0] / "small.toml"
    with desk_server(*folders, users=users) as running:
        c = running.client()
        c.post("/api/login", json={"name": "minh", "password": "matkhau-123"})
        c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf"]
        opened = c.get("/api/campaigns/small.toml").json()
        forged = (
            opened["text"]
            + f'\n[approval]\nby = "lan"\nat = 2026-12-01T10:00:00+07:00\nkey = "{opened["content_key"]}"\n'
        )
        before = path.read_bytes()
        got = c.put("/api/campaigns/small.toml", content=forged.encode(), headers={"If-Match": opened["key"]})
        assert got.status_code == 403 and "only an approver may change its [approval]" in got.json()["error"]
        assert (
            c.put("/api/campaigns/forged.toml", content=forged.replace('"small"', '"forged"').encode()).status_code
            == 403
        )
        assert path.read_bytes() == before and not (folders[0] / "forged.toml").exists()
        fine = opened["text"].replace('title = "Thử"', 'title = "Sửa"')  # an editor's own change is saved
        assert (
            c.put("/api/campaigns/small.toml", content=fine.encode(), headers={"If-Match": opened["key"]}).status_code
            == 200
        )


def test_an_approval_is_of_what_the_approver_saw(desk, folders):
    c = desk.client()
    seen = c.get("/api/campaigns/small.toml").json()
    path = folders[0] / "small.toml"
    path.write_text(seen["text"].replace("phòng dịch NCOVI.", "phòng dịch NCOVI ngay."), encoding="utf-8")
    got = c.post("/api/campaigns/small.toml/approve", json={"by": "Lan", "key": seen["content_key"]})
    assert got.status_code == 409 and "what it airs changed since it was looked at" in got.json()["error"]
    assert "[approval]" not in path.read_text(encoding="utf-8")
    now = c.get("/api/campaigns/small.toml").json()["content_key"]
    assert c.post("/api/campaigns/small.toml/approve", json={"by": "Lan", "key": now}).status_code == 200


def test_a_file_removed_while_open_is_a_409(desk, folders):
    c = desk.client()
    opened = c.get("/api/campaigns/small.toml").json()
    (folders[0] / "small.toml").unlink()
    got = c.put("/api/campaigns/small.toml", content=opened["text"].encode(), headers={"If-Match": opened["key"]})
    assert got.status_code == 409 and "someone else removed this file" in got.json()["error"]
    assert not (folders[0] / "small.toml").exists()


def test_a_text_may_name_only_files_inside_the_campaigns_folder(desk, folders, tmp_path):
    Image.new("RGBA", (64, 64), (255, 0, 0, 255)).save(tmp_path / "private.png")
    c = desk.client()
    opened = c.get("/api/campaigns/small.toml").json()
    for value in (str(tmp_path / "private.png"), "../private.png", "~/x.png"):
        text = opened["text"] + f'\n[style]\nlogo = "{value}"\n'
        checked = c.post("/api/campaigns/small.toml/check", content=text.encode())
        assert checked.json()["png"] is None and "outside" in checked.json()["error"], value
        saved = c.put("/api/campaigns/small.toml", content=text.encode(), headers={"If-Match": opened["key"]})
        assert saved.status_code == 422 and "style.logo names a file outside" in saved.json()["error"]
    os.symlink(tmp_path / "private.png", folders[0] / "inside.png")  # a link out is out
    text = opened["text"] + '\n[style]\nlogo = "inside.png"\n'
    assert "outside" in c.post("/api/campaigns/small.toml/check", content=text.encode()).json()["error"]


def test_a_file_named_in_vietnamese_opens_like_any_other(desk, folders):
    shutil.copy(folders[0] / "small.toml", folders[0] / "Hậu Giang tháng 3.toml")
    c = desk.client()
    rows = {r["file"] for r in c.get("/api/campaigns").json()["campaigns"]}
    assert "Hậu Giang tháng 3.toml" in rows
    assert c.get("/api/campaigns/Hậu Giang tháng 3.toml").status_code == 200
    assert c.get("/edit/Hậu Giang tháng 3.toml").status_code == 200


def test_a_draft_never_takes_a_campaign_name_the_folder_has(desk, folders):
    text = (
        (folders[0] / "small.toml").read_text(encoding="utf-8").replace('name = "small"', 'name = "cv-337-sttt-cntt"')
    )
    (folders[0] / "on-air.toml").write_text(text, encoding="utf-8")
    got = desk.client().post("/api/drafts", files={"letter": (LETTER.name, LETTER.read_bytes(), "text/plain")})
    assert got.json()["file"] == "cv-337-sttt-cntt-2.toml"
    assert 'name = "cv-337-sttt-cntt-2"' in (folders[0] / "cv-337-sttt-cntt-2.toml").read_text(encoding="utf-8")


def test_a_refusal_to_htmx_is_a_fragment_it_shows(desk):
    c = desk.client(csrf=False)
    got = c.post("/edit/small.toml/save", data={"base": "x"}, headers={"HX-Request": "true"})
    assert got.status_code == 403 and got.headers["content-type"].startswith("text/html")
    assert 'class="error"' in got.text and "bấm lại một lần nữa" in got.text and "CSRF" not in got.text
    assert c.get("/api/campaigns").headers["x-content-type-options"] == "nosniff"


def test_the_moving_preview_is_of_the_edit_not_saved_and_apart_from_the_approvers(desk, folders):
    c = desk.client()
    base = (folders[0] / "small.toml").read_text(encoding="utf-8")
    form = {"base": base, "output[1].loop": "1", "campaign.title": "Bản đang soạn"}
    made = preview_made(c, c.post("/edit/small.toml/moving", data=form, headers={"HX-Request": "true"}))
    assert made.status_code == 200 and "/moving/small.toml" in made.text
    assert "Bản đang soạn" in c.get("/moving/small.toml").text
    assert c.get("/proof/small.toml").status_code == 404  # the approver sees only the saved file's proof
    assert (folders[0] / "small.toml").read_text(encoding="utf-8") == base


def test_the_edit_page_saves_and_shows_both_texts_when_the_file_changed(desk, folders):
    c = desk.client()
    path = folders[0] / "small.toml"
    page = c.get("/edit/small.toml").text
    key = re.search(r'name="key" value="([^"]+)"', page)[1]
    base = path.read_text(encoding="utf-8")
    form = {"base": base, "key": key, "output[1].loop": "1", "campaign.title": "Đã sửa"}
    saved = c.post("/edit/small.toml/save", data=form, headers={"HX-Request": "true"})
    assert saved.status_code == 204 and saved.headers["hx-redirect"] == "/edit/small.toml?saved=1"
    assert 'title = "Đã sửa"' in path.read_text(encoding="utf-8") and "[[output]]" in path.read_text(encoding="utf-8")
    path.write_text(base.replace("Thử", "Người khác sửa"), encoding="utf-8")
    again = c.post("/edit/small.toml/save", data=form | {"campaign.title": "Lần hai"}, headers={"HX-Request": "true"})
    assert "Người khác đã sửa tệp này sau khi bạn mở nó" in again.text and str(folders[0]) not in again.text
    assert "Người khác sửa" in again.text and "Lần hai" in again.text  # both texts, and how they differ
    assert "Người khác sửa" in path.read_text(encoding="utf-8")


def test_the_approval_form_refuses_an_editor_where_its_answer_goes(tmp_path, folders):
    with desk_server(*folders, users=_users(tmp_path)) as running:
        c = running.client()
        c.post("/api/login", json={"name": "minh", "password": "matkhau-123"})
        c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf"]
        got = c.post("/approve/small.toml", data={"action": "approve"}, headers={"HX-Request": "true"})
        assert got.status_code == 403 and "minh là người soạn" in got.text and 'class="error"' in got.text
        assert "[approval]" not in (folders[0] / "small.toml").read_text(encoding="utf-8")


def test_the_first_page_says_what_waits_and_shows_one_state_on_request(tmp_path):
    """Three campaigns of this week: one to approve, one an approver asked changes of, one a draft; the first
    page counts each with a link that lists only them, and names no folder of the server."""
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    today = dt.date.today()
    week = f"start = {today - dt.timedelta(days=1)}\nend = {today + dt.timedelta(days=6)}\n"
    for name, extra in (("cho", ""), ("sua", ""), ("nhap", 'status = "draft"\n')):
        (campaigns / f"{name}.toml").write_text(
            f'[campaign]\nname = "{name}"\ntitle = "Chiến dịch {name}"\n{week}{extra}'
            '[[message]]\ntext = "Đề nghị người dân tải ứng dụng NCOVI."\n',
            encoding="utf-8",
        )
    with desk_server(campaigns, tmp_path / "out") as running:
        c = running.client()
        assert c.post("/api/campaigns/sua.toml/changes", json={"by": "Lan", "note": "sửa lời"}).status_code == 200
        page = c.get("/").text
        assert re.search(r"Chờ duyệt: <strong>1</strong>", page) and re.search(r"Cần sửa: <strong>1</strong>", page)
        assert re.search(r"Nháp: <strong>1</strong>", page) and str(campaigns) not in page
        only = c.get("/?state=changes").text
        assert "Chiến dịch sua" in only and "Chiến dịch cho" not in only and "Chiến dịch nhap" not in only
        assert "Chiến dịch cho" in c.get("/?state=pending").text


def test_a_campaign_archived_leaves_the_list_and_the_air_and_comes_back_as_it_was(desk, folders):
    c, campaigns = desk.client(), folders[0]
    approved = (campaigns / "hau-giang.toml").read_bytes()
    got = c.post("/api/campaigns/hau-giang.toml/archive")
    assert got.status_code == 200 and not (campaigns / "hau-giang.toml").exists()
    assert (campaigns / "archive" / "hau-giang.toml").read_bytes() == approved  # moved whole, never deleted
    assert "hau-giang.toml" not in {r["file"] for r in c.get("/api/campaigns").json()["campaigns"]}
    listed = run_ticker("schedule", campaigns, "--from", "2020-03-12", cwd=campaigns.parent, check_status=None)
    assert "small" in listed.stdout and "haugiang" not in listed.stdout  # (broken.toml is said, exit 2)
    (kept,) = c.get("/api/archive").json()["archived"]
    assert kept["file"] == "hau-giang.toml" and kept["title"] and kept["at"]
    assert "hau-giang.toml" in c.get("/archive").text
    assert c.post("/api/campaigns/hau-giang.toml/archive").status_code == 404  # no longer in the list

    shutil.copy(HAU_GIANG, campaigns / "hau-giang.toml")  # a file of that name made meanwhile: nothing moves
    refused = c.post("/api/archive/hau-giang.toml/restore")
    assert refused.status_code == 409 and (campaigns / "archive" / "hau-giang.toml").exists()
    (campaigns / "hau-giang.toml").unlink()
    assert c.post("/api/archive/hau-giang.toml/restore").status_code == 200
    assert (campaigns / "hau-giang.toml").read_bytes() == approved
    assert not (campaigns / "archive" / "hau-giang.toml").exists()
    assert c.get("/api/campaigns/hau-giang.toml").json()["approval"]["approved"] is True  # as it was
    trail = (campaigns / ".ticker-audit.jsonl").read_text(encoding="utf-8")
    assert '"action": "archived"' in trail and '"action": "restored"' in trail
    assert c.post("/api/archive/..%2Fsmall.toml/restore").status_code == 404


def test_an_archive_folder_that_is_a_link_is_never_written_through(desk, folders, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folders[0] / "archive").symlink_to(elsewhere)
    got = desk.client().post("/api/campaigns/small.toml/archive")
    assert got.status_code == 400 and (folders[0] / "small.toml").exists() and list(elsewhere.iterdir()) == []
    assert str(elsewhere) not in got.text


def test_every_save_is_in_the_history_with_who_when_and_what_changed(desk, folders):
    c = desk.client()
    opened = c.get("/api/campaigns/small.toml").json()
    edit = opened["text"].replace("seconds = 60", "seconds = 90")
    assert edit != opened["text"]
    put = c.put("/api/campaigns/small.toml", content=edit.encode(), headers={"If-Match": opened["key"]})
    assert put.status_code == 200
    (saved,) = [e for e in c.get("/api/campaigns/small.toml").json()["history"] if e["action"] == "saved"]
    assert saved["by"] and saved["at"] and "-seconds = 60" in saved["diff"] and "+seconds = 90" in saved["diff"]
    page = c.get("/edit/small.toml").text
    assert 'id="history"' in page and "Lưu thay đổi" in page and "+seconds = 90" in page
    assert "+seconds = 90" in c.get("/approve/small.toml").text  # the approver sees what changed too
