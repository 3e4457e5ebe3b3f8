"""The station settings page and its API against a real desk (uvicorn on 127.0.0.1): an approver's save writes
the station file (its comments kept) and every reader reads it back; an editor sees it read only and is refused
in Vietnamese; a refused field is said at its label and nothing is written; a file changed since the page read
it is not written over; no sentence names a folder of the server."""

from __future__ import annotations

import re

import httpx
import pytest
from argon2 import PasswordHasher

import ticker.desk.users
from ticker.desk.users import add_user
from ticker.station import load_station

from support.campaigns import MINIMAL, ROOT, write_campaign
from support.desk_server import desk_server
from support.stations import STATION, station_file

HTML = {"accept": "text/html"}


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    monkeypatch.setattr(ticker.desk.users, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def folders(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    write_campaign(campaigns, MINIMAL, name="small.toml")
    return campaigns, out


def _form(page: str) -> dict[str, str]:
    """The form's fields as the page fills them (what a browser would send back, before any change)."""
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    form |= dict(re.findall(r'<input id="[^"]+" name="([^"]+)" value="([^"]*)"', page))
    form |= dict(re.findall(r'<input type="checkbox" id="[^"]+" name="([^"]+)" value="(1)" checked>', page))
    for name, options in re.findall(r'<select id="[^"]+" name="([^"]+)">(.*?)</select>', page):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        form[name] = chosen.group(1) if chosen else ""
    form.pop("csrf", None)
    return {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in form.items()}


def _clean(text: str, *folders) -> None:
    for folder in folders:
        assert str(folder) not in text, "a folder of the server is named"


def test_an_approver_saves_the_settings_and_the_file_reads_back_with_its_comments(folders):
    campaigns, out = folders
    path = station_file(campaigns)
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        page = c.get("/settings", headers=HTML)
        assert page.status_code == 200 and "Cài đặt đài" in page.text and 'href="/settings"' in page.text
        _clean(page.text, campaigns)
        form = _form(page.text)
        assert form["channel[2].network.video_pid"] == "0x0100" and form["station.short"] == "HGCTV"
        form |= {"station.signer": "Trần Thị Bình", "channel[2].network.video_pid": "0x0200", "action": "save"}
        saved = c.post("/settings", data=form, headers=HTML)
        assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=1"
        again = c.get("/settings?saved=1", headers=HTML)
        assert "Đã lưu cài đặt đài." in again.text
        station = load_station(path)
        assert station.signer == "Trần Thị Bình" and station.channel("HGTV HD").network.video_pid == 0x200
        text = path.read_text(encoding="utf-8")
        assert "video_pid = 0x0200       # as the headend's EPG expects" in text
        assert "# the province's channel, on every set-top box" in text and "# Hậu Giang cable" in text
        assert c.get("/api/station").json()["station"]["signer"] == "Trần Thị Bình"
        assert "station.toml" not in c.get("/", headers=HTML).text, "the station file is no campaign"
        assert c.get("/edit/station.toml", headers=HTML).status_code == 404
        assert c.put("/api/campaigns/station.toml", content=MINIMAL, headers={"content-type": "text/plain"},
                     ).status_code == 404, "nor is one made under its name"  # fmt: skip
        assert load_station(path) == station


def test_rows_are_added_and_removed_before_the_save(folders):
    campaigns, out = folders
    path = station_file(campaigns)
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        form = _form(c.get("/settings", headers=HTML).text)
        added = c.post("/settings", data={**form, "action": "add"}, headers=HTML)
        assert added.status_code == 200 and 'id="channel-3"' in added.text and "Chưa lưu" in added.text
        assert path.read_text(encoding="utf-8") == STATION, "nothing written yet"
        form = _form(added.text) | {"channel[3].name": "VTV1", "channel[3].essential": "1",
                                    "channel[3].must_carry": "1"}  # fmt: skip
        removed = c.post("/settings", data={**form, "action": "remove-1"}, headers=HTML)
        assert 'id="channel-3"' not in removed.text and 'value="VTV1"' in removed.text
        form = _form(removed.text)
        assert c.post("/settings", data={**form, "action": "save"}, headers=HTML).status_code == 303
        station = load_station(path)
        assert [(ch.name, ch.essential, ch.must_carry) for ch in station.channels] == [
            ("HGTV HD", False, False), ("VTV1", True, True)]  # fmt: skip
        page = c.get("/settings", headers=HTML).text
        assert 'name="channel[2].must_carry" value="1" checked> Kênh thiết yếu (phải chuyển tiếp nguyên vẹn)' in page
        assert "# the HD multiplex at the headend" in path.read_text(encoding="utf-8")


def test_a_new_station_file_is_made_on_the_page(folders):
    campaigns, out = folders
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        page = c.get("/settings", headers=HTML)
        assert "Chưa có cài đặt đài" in page.text
        form = _form(page.text) | {"station.name": "Đài Truyền hình cáp Sóc Trăng", "action": "save"}
        assert form["station.signer_title"] == "GIÁM ĐỐC" and form["key"] == ""
        assert c.post("/settings", data=form, headers=HTML).status_code == 303
        station = load_station(campaigns / "station.toml")
        assert station.name == "Đài Truyền hình cáp Sóc Trăng" and station.channels == ()


def test_a_bad_pid_is_refused_at_its_field_in_vietnamese_and_nothing_is_written(folders):
    campaigns, out = folders
    path = station_file(campaigns)
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        form = _form(c.get("/settings", headers=HTML).text)
        bad = c.post("/settings", data={**form, "channel[2].network.video_pid": "0x0010", "action": "save"},
                     headers=HTML)  # fmt: skip
        assert bad.status_code == 422
        said = re.search(r'id="err-f-channel-2-network-video-pid" role="alert">([^<]+)<', bad.text).group(1)
        assert said == "«PID hình 2»: phải từ 0x0020 đến 0x1FFE; đã nhập 16.", said
        assert re.search(r"<details open>\s*<summary>Thông số truyền dẫn", bad.text), "its group is opened"
        _clean(bad.text, campaigns)
        same = c.post("/settings", data={**form, "channel[2].network.audio_pid": "0x0100", "action": "save"},
                      headers=HTML)  # fmt: skip
        assert "«PID tiếng 2»: PID 0x0100 đã dùng cho một luồng khác của kênh này" in same.text
        twice = c.post("/settings", data={**form, "channel[2].name": "HGTV", "action": "save"}, headers=HTML)
        assert "«Tên kênh 2»: đã có một kênh khác tên &#39;HGTV&#39;; mỗi kênh một tên." in twice.text
        empty = c.post("/settings", data={**form, "station.name": " ", "action": "save"}, headers=HTML)
        assert "«Tên đơn vị»: cần điền mục này." in empty.text
        c.get("/lang/en")
        english = c.post("/settings", data={**form, "channel[2].network.bitrate": "nhanh", "action": "save"},
                         headers=HTML)  # fmt: skip
        assert "Bit rate 2: &#39;nhanh&#39; is not a bit rate (such as 4M or 4000k)." in english.text
        assert path.read_text(encoding="utf-8") == STATION
        api = c.put("/api/station", json={"name": "X", "channels": [{"name": "A", "network": {"video_pid": 5}}]},
                    headers={"If-Match": form["key"]})  # fmt: skip
        assert api.status_code == 422 and api.json()["error"].startswith("station.toml: channel[1].network.")
        _clean(api.text, campaigns)
        assert path.read_text(encoding="utf-8") == STATION


def test_a_file_changed_since_the_page_read_it_is_not_written_over(folders):
    campaigns, out = folders
    path = station_file(campaigns)
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        form = _form(c.get("/settings", headers=HTML).text)
        path.write_text(STATION.replace("Nguyễn Văn An", "Lê Văn C"), encoding="utf-8")  # by hand, meanwhile
        late = c.post("/settings", data={**form, "action": "save"}, headers=HTML)
        assert late.status_code == 409 and "Người khác đã sửa cài đặt đài" in late.text
        assert "Lê Văn C" in path.read_text(encoding="utf-8")
        stale = c.put("/api/station", json={"name": "X"}, headers={"If-Match": form["key"]})
        assert stale.status_code == 409 and "someone else changed the station settings" in stale.json()["error"]
        _clean(stale.text, campaigns)


def test_the_api_reads_and_writes_the_station(folders):
    campaigns, out = folders
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        assert c.get("/api/station").json() == {"station": None, "key": None, "error": None}
        body = {"name": "Đài Hậu Giang", "short": "HGTV", "channels": [
            {"name": "HGTV", "picture": "576i50", "must_carry": True},
            {"name": "HGTV HD", "picture": "1080i50", "essential": False,
             "network": {"original_network_id": 1, "transport_stream_id": 2, "service_id": 3, "video_pid": "0x0200",
                         "encoder": "h264", "bitrate": "6M"}},
        ]}  # fmt: skip
        made = c.put("/api/station", json=body)
        assert made.status_code == 200, made.text
        got = c.get("/api/station")
        assert got.json()["key"] == made.json()["key"] and got.headers["etag"] == f'"{made.json()["key"]}"'
        assert [ch["must_carry"] for ch in got.json()["station"]["channels"]] == [True, False]
        hd = got.json()["station"]["channels"][1]["network"]
        assert (hd["video_pid"], hd["service_type"], hd["bitrate"]) == (0x200, 0x19, 6_000_000)
        assert c.put("/api/station", json=body).status_code == 409, "a file there, and no If-Match"
        body["channels"][1]["network"]["vidoe_pid"] = 1
        assert c.put("/api/station", json=body, headers={"If-Match": made.json()["key"]}).status_code == 422
        assert "records" not in got.text


def test_an_editor_sees_the_settings_read_only_and_is_refused_in_vietnamese(folders, tmp_path):
    campaigns, out = folders
    path = station_file(campaigns)
    users = tmp_path / "users.toml"
    add_user(users, "lan", "approver", "approverpass1")
    add_user(users, "minh", "editor", "editorpass1")
    with desk_server(campaigns, out, users) as desk:
        minh = desk.client()
        assert minh.post("/api/login", json={"name": "minh", "password": "editorpass1"}).status_code == 200
        minh.headers["X-CSRF-Token"] = minh.get("/api/session").json()["csrf"]
        page = minh.get("/settings", headers=HTML)
        assert "chỉ người duyệt mới được sửa cài đặt đài" in page.text
        assert '<fieldset class="plain" disabled>' in page.text
        form = _form(page.text) | {"station.signer": "Minh", "action": "save"}
        refused = minh.post("/settings", data=form, headers=HTML)
        assert refused.status_code == 403
        assert "minh là người soạn; chỉ người duyệt mới được lưu cài đặt đài. Chưa lưu gì." in refused.text
        assert minh.post("/settings", data={**form, "action": "add"}, headers=HTML).status_code == 403
        assert minh.put("/api/station", json={"name": "X"}, headers={"If-Match": form["key"]}).status_code == 403
        assert path.read_text(encoding="utf-8") == STATION
        lan = desk.client()
        assert lan.post("/api/login", json={"name": "lan", "password": "approverpass1"}).status_code == 200
        lan.headers["X-CSRF-Token"] = lan.get("/api/session").json()["csrf"]
        assert lan.post("/settings", data=form, headers=HTML).status_code == 303
        assert load_station(path).signer == "Minh"
        anonymous = httpx.get(desk.url + "/settings", headers=HTML)
        assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]


def test_a_draft_at_the_desk_names_the_station_s_channels(folders):
    campaigns, out = folders
    station_file(campaigns)
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        text = (ROOT / "letters" / "hau-giang-337-STTT-2020-ncovi.txt").read_bytes()
        made = c.post("/api/drafts", files={"letter": ("cv.txt", text, "text/plain")})
        assert made.status_code == 201, made.text
        drafted = (campaigns / made.json()["file"]).read_text(encoding="utf-8")
        assert 'channels = ["HGTV", "HGTV HD"] # the station\'s channels' in drafted
        station_file(campaigns, STATION.replace("0x0100", "0x0010"))  # broken by hand
        refused = c.post("/new", files={"letter": ("cv.txt", text, "text/plain")}, headers=HTML)
        assert refused.status_code == 400 and "Cài đặt đài có lỗi" in refused.text
        _clean(refused.text, campaigns)
        page = c.get("/settings", headers=HTML)
        assert "«PID hình 2»: phải từ 0x0020 đến 0x1FFE" in page.text, "the page says what is wrong, at its field"
