"""The tonight board, the watch's pictures and the calendar, against a real desk over a night ticker made: each
channel's airings with the file that serves them and whether it is ready, what the watch saw with its frame, a
slot's channels set in the form, the month with what will not air hidden until asked for."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
import zoneinfo
from urllib.parse import urlencode

import pytest
from PIL import Image

from ticker.air.switch import switched_off
from ticker.approval.key import approve
from ticker.night import nightly
from ticker.records import Aired, Covered, Record, Records, Source

from support.desk_server import desk_server

ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.date(2020, 3, 12)
HTML = {"accept": "text/html"}
FORM = "application/x-www-form-urlencoded"
CAMPAIGN = """
[campaign]
name = "ncovi"
title = "Khai báo y tế"
start = 2020-03-12
end = 2020-03-13
[[message]]
text = "Khai báo y tế"
[motion]
crossing_seconds = 2
[[slot]]
at = ["06:30", "19:45"]
seconds = 4
channels = ["HGTV"]
[[slot]]
at = ["12:00"]
seconds = 4
[[output]]
profile = "576i50"
format = "qtrle"
slots = true
"""
STATION = """
[station]
name = "Công ty TNHH Truyền hình cáp Hậu Giang"
[[channel]]
name = "HGTV"
picture = "576i50"
[[channel]]
name = "THVL1"
picture = "576i50"
"""


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (96, 54), (0, 40, 120)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.slow
def test_tonight_shows_each_channels_airings_files_and_what_aired_with_its_frame(tmp_path):
    campaigns, out, records = tmp_path / "campaigns", tmp_path / "out", tmp_path / "campaigns" / "records"
    campaigns.mkdir()
    (campaigns / "station.toml").write_text(STATION, encoding="utf-8")
    (campaigns / "ncovi.toml").write_text(CAMPAIGN, encoding="utf-8")
    approve(campaigns / "ncovi.toml", "Nguyễn Thị Lan")
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        before = c.get("/api/tonight", params={"day": DAY.isoformat()}).json()
        assert before["built"] is False and [b["channel"] for b in before["boards"]] == ["HGTV", "THVL1"]
        assert {f["ready"] for b in before["boards"] for a in b["airings"] for f in a["files"]} == {"not built"}
        page = c.get("/tonight", params={"day": DAY.isoformat()}, headers=HTML).text
        assert "chưa dựng" in page and "thứ Năm 12/3/2020" in page

        assert nightly(campaigns, out, DAY, records=records, stream=io.StringIO()) == 0
        with Records.open(records) as folder:
            cited = folder.add_evidence(DAY, "frames", "watch-HGTV-0630-m1.png", _png())
            folder.append([
                Record(Source.WATCH, "HGTV", DAY, Aired("2020-03-12T06:30:01+07:00", "2020-03-12T06:30:03+07:00",
                                                        campaign="ncovi", full=True, evidence=(cited,))),
                Record(Source.WATCH, "HGTV", DAY, Covered("2020-03-12T06:00+07:00", "2020-03-12T13:00+07:00")),
            ])  # fmt: skip
        board = c.get("/api/tonight", params={"day": DAY.isoformat()}).json()
        hgtv, thvl = board["boards"]
        assert [a["time"] for a in hgtv["airings"]] == ["06:30", "12:00", "19:45"]
        assert [a["time"] for a in thvl["airings"]] == ["12:00"]
        assert all(a["ready"] and a["files"][0]["ready"] == "ready" for a in hgtv["airings"] + thvl["airings"])
        assert [a["aired"] for a in hgtv["airings"][:2]] == ["seen", "missed"] and hgtv["airings"][0]["frame"] == cited
        page = c.get("/tonight", params={"day": DAY.isoformat()}, headers=HTML).text
        assert "đã thấy trên sóng" in page and "không thấy phát" in page and "3/3 lần phát" in page
        assert str(tmp_path) not in page

        frame = c.get(f"/tonight/{DAY}/frame", params={"cited": cited})
        assert frame.status_code == 200 and frame.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(frame.content)).size == (96, 54)
        (tmp_path / "secret.png").write_bytes(_png())
        os.symlink(tmp_path / "secret.png", records / DAY.isoformat() / "evidence" / "frames" / "link.png")
        for bad in ("evidence/frames/link.png", "evidence/frames/../../../secret.png", "../secret.png",
                    "evidence/clips/watch-HGTV-0630-m1.png"):  # fmt: skip
            assert c.get(f"/tonight/{DAY}/frame", params={"cited": bad}).status_code == 404, bad

        api = c.get("/api/calendar", params={"month": "2020-03", "channel": "THVL1"}).json()
        day = next(d for w in api["weeks"] for d in w if d["date"] == DAY.isoformat())
        assert [(x["campaign"], x["airings"]) for x in day["campaigns"]] == [("ncovi", 1)]  # 12:00, every channel

        # a slot's channels ticked in the form: THVL1 now has the morning airing too
        edit = c.get("/api/campaigns/ncovi.toml").json()
        form = urlencode([("base", edit["text"]), ("key", edit["key"]),
                       ("campaign.title", "Khai báo y tế"), ("campaign.start", "12/3/2020"),
                       ("campaign.end", "13/3/2020"), ("slot[1].channels", ""), ("slot[1].channels", "HGTV"),
                       ("slot[1].channels", "THVL1"), ("slot[2].channels", "")])  # fmt: skip
        saved = c.post("/edit/ncovi.toml/save", content=form, headers={"content-type": FORM})
        assert saved.status_code == 204, saved.text
        assert 'channels = ["HGTV", "THVL1"]' in (campaigns / "ncovi.toml").read_text(encoding="utf-8")

        month = c.get("/calendar", params={"month": "2020-03"}, headers=HTML).text
        assert 'data-date="2020-03-12"' in month and "lần phát đang ẩn" in month  # voided by the edit: hidden
        shown = c.get("/calendar", params={"month": "2020-03", "shown": "all"}, headers=HTML).text
        assert "Khai báo y tế ×3" in shown and "chưa duyệt" in shown
        api = c.get("/api/calendar", params={"month": "2020-03", "channel": "THVL1", "shown": "all"}).json()
        day = next(d for w in api["weeks"] for d in w if d["date"] == DAY.isoformat())
        assert [(x["campaign"], x["airings"]) for x in day["campaigns"]] == [("ncovi", 3)]  # 06:30, 12:00, 19:45


def test_the_schedule_hides_what_will_not_air_until_asked_and_takes_a_day_as_written(tmp_path):
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "station.toml").write_text(STATION, encoding="utf-8")
    (campaigns / "ncovi.toml").write_text(CAMPAIGN, encoding="utf-8")
    approve(campaigns / "ncovi.toml", "Nguyễn Thị Lan")
    (campaigns / "nhap.toml").write_text(
        CAMPAIGN.replace('"ncovi"', '"nhap"').replace("[campaign]", '[campaign]\nstatus = "draft"'), encoding="utf-8"
    )
    with desk_server(campaigns, tmp_path / "out") as desk:
        c = desk.client()
        page = c.get("/schedule", params={"from": "12/3/2020"}, headers=HTML).text
        assert "thứ Năm 12/3/2020" in page and "ncovi" in page and "nhap" not in page
        assert "3 lần phát đang ẩn" in page and "4 giây" in page and "all day" not in page
        everything = c.get("/schedule", params={"from": "2020-03-12", "shown": "all"}, headers=HTML).text
        assert "nhap" in everything and "lần phát đang ẩn" not in everything
        thvl = c.get("/schedule", params={"from": "2020-03-12", "channel": "THVL1"}, headers=HTML).text
        assert thvl.count("<tr class") == 2  # 12:00 on the 12th and the 13th: the only airings for every channel
        bad = c.get("/schedule", params={"from": "31/2/2020"}, headers=HTML)
        assert bad.status_code == 404 and "31/2/2020" in bad.text and "YYYY" not in bad.text


@pytest.mark.slow
def test_a_failed_night_waits_on_the_first_page_until_acknowledged_and_a_voided_approval_in_the_approvers_list(
    tmp_path,
):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    today = dt.datetime.now(ZONE).date()  # the first page looks back a fortnight from today
    text = CAMPAIGN.replace("seconds = 4", "seconds = 2").replace("2020-03-12", today.isoformat())
    (campaigns / "ncovi.toml").write_text(text.replace("2020-03-13", today.isoformat()), encoding="utf-8")
    approve(campaigns / "ncovi.toml", "Nguyễn Thị Lan")
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        assert c.get("/api/alarms").json() == {"failed_nights": []}
        assert nightly(campaigns, out, today, stream=io.StringIO()) != 0  # 2 s is too short for one pass
        first = c.get("/", headers=HTML).text
        assert f'id="failed-{today}"' in first and "1 tệp không dựng được" in first and "Đêm lỗi" in first
        assert c.get("/api/alarms").json()["failed_nights"][0]["failed"] == 1
        done = c.post(f"/nights/{today}/acknowledge", headers=HTML)
        assert done.status_code == 303
        assert "failed-" not in c.get("/", headers=HTML).text
        trail = (campaigns / ".ticker-audit.jsonl").read_text(encoding="utf-8")
        assert '"action": "night acknowledged"' in trail and f'"day": "{today}"' in trail
        assert c.post(f"/api/nights/{today}/acknowledge").status_code == 404  # nothing waits any more
        assert nightly(campaigns, out, today, stream=io.StringIO()) != 0  # the same failure: the same manifest
        assert "failed-" not in c.get("/", headers=HTML).text
        time.sleep(1.1)  # the manifest's `written`, to the second, tells one writing of it from the next
        path = campaigns / "ncovi.toml"
        path.write_text(path.read_text(encoding="utf-8").replace("crossing_seconds = 2", "crossing_seconds = 3"))
        approve(path, "Nguyễn Thị Lan")
        assert nightly(campaigns, out, today, stream=io.StringIO()) != 0  # failed otherwise: shown again
        assert f'id="failed-{today}"' in c.get("/", headers=HTML).text

        # an edit of the words voids the approval: the approvers find it in their list
        opened = c.get("/api/campaigns/ncovi.toml").json()
        changed = opened["text"].replace('text = "Khai báo y tế"', 'text = "Khai báo y tế ngay"')
        assert c.put("/api/campaigns/ncovi.toml", content=changed.encode(),
                     headers={"If-Match": opened["key"]}).status_code == 200  # fmt: skip
        listed = c.get("/", params={"state": "voided"}, headers=HTML).text
        assert "Chờ duyệt lại: <strong>1</strong>" in listed and "đã sửa sau khi duyệt" in listed
        assert "/edit/ncovi.toml" in listed


def test_the_edit_page_says_every_outputs_warnings_not_only_those_of_the_first(tmp_path):
    two = (
        CAMPAIGN.replace('slots = true', 'slots = true\n[[output]]\nprofile = "576i50"\nformat = "qtrle"\n'
                         'slots = true\nstyle = "dim"')
        + '[preset.dim]\nband_color = "#303030"\ncolor = "#505050"\n'
    )  # fmt: skip
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "two.toml").write_text(two.replace('"ncovi"', '"two"'), encoding="utf-8")
    with desk_server(campaigns, tmp_path / "out") as desk:
        c = desk.client()
        opened = c.get("/api/campaigns/two.toml").json()
        checked = c.post("/edit/two.toml/check", data={"base": opened["text"], "key": opened["key"]},
                         headers={"hx-request": "true"}).text  # fmt: skip
        assert "1.0:1" in checked and "two_dim_576i50" in checked  # the second output's, the picture the first's


def test_off_now_on_the_board_takes_the_crawl_off_a_channel_ticker_air_inserts_into_and_an_approver_puts_it_back(
    tmp_path,
):
    campaigns, out, records = tmp_path / "campaigns", tmp_path / "out", tmp_path / "campaigns" / "records"
    campaigns.mkdir()
    network = "\n".join(("[channel.network]", "original_network_id = 8", "transport_stream_id = 7", "service_id = 101",
                          'encoder = "mpeg2"', 'bitrate = "4M"', ""))  # fmt: skip
    station = STATION.replace('[[channel]]\nname = "THVL1"', network + '[[channel]]\nname = "THVL1"')
    (campaigns / "station.toml").write_text(station, encoding="utf-8")
    (campaigns / "ncovi.toml").write_text(CAMPAIGN, encoding="utf-8")
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        page = c.get("/tonight", headers=HTML).text
        assert page.count("Tắt chữ chạy ngay") == 1 and 'action="/tonight/HGTV/off"' in page  # THVL1: not ticker's
        assert c.post("/tonight/THVL1/off", headers=HTML).status_code == 404
        assert switched_off(records, "HGTV") is None
        done = c.post("/tonight/HGTV/off", headers={**HTML, "HX-Request": "true"})
        assert done.status_code == 204 and done.headers["HX-Redirect"] == "/tonight", done.text
        off = switched_off(records, "HGTV")
        assert off is not None and off.by == "desk"
        page = c.get("/tonight", headers=HTML).text
        assert "Chữ chạy đang tắt trên kênh này: desk tắt lúc" in page and "Bật lại chữ chạy" in page
        assert c.get("/api/tonight").json()["boards"][0]["off"]["by"] == "desk"
        assert c.post("/tonight/HGTV/on", headers=HTML).status_code == 303
        assert switched_off(records, "HGTV") is None and "Tắt chữ chạy ngay" in c.get("/tonight", headers=HTML).text
        trail = (campaigns / ".ticker-audit.jsonl").read_text(encoding="utf-8")
        assert '"action": "air off"' in trail and '"action": "air on"' in trail and '"channel": "HGTV"' in trail
