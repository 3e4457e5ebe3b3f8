"""The report page against a real desk (uvicorn on 127.0.0.1), and in a real browser: without a station file
it says so in Vietnamese with a link to the settings; with one, a report is made from the records with an
as-run recorded first; a bad as-run line is said at its field by its line, with no folder of the server; a
report asked before the window's end is marked interim before it is made."""

from __future__ import annotations

import datetime as dt
import io
import json

import docx
import pytest
from playwright.sync_api import expect

from ticker.records import Records

from support.campaigns import ROOT
from support.desk_server import desk_server
from support.records import delivery
from support.stations import station_file

HTML = {"accept": "text/html"}
CAMPAIGN = """\
[campaign]
name = "ncovi"
title = "NCOVI nội bộ"
start = 2020-03-12
end = 2020-03-13
[[slot]]
at = ["06:30", "19:45"]
seconds = 20
channels = ["HGTV"]
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."
"""
AS_RUN = "start,channel,file\n2020-03-12T06:30:00,HGTV,ncovi_576i50_qtrle_loop.mov\n"
BAD = AS_RUN + "hôm qua,HGTV,ncovi.mov\n"
ARTIFACTS = ROOT / "test-artifacts" / "desk"


@pytest.fixture
def folders(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    (campaigns / "ncovi.toml").write_text(CAMPAIGN, encoding="utf-8")
    with Records.open(campaigns / "records") as records:
        records.append([delivery(dt.date(2020, 3, 12), channel="HGTV"), delivery(dt.date(2020, 3, 13), channel="HGTV")])
    return campaigns, out


def _clean(text: str, *folders) -> None:
    for folder in folders:
        assert str(folder) not in text, "a folder of the server is named"
    assert "--station" not in text and "ticker report" not in text and "station.toml" not in text


def test_without_a_station_file_the_page_says_so_and_links_to_the_settings(folders):
    campaigns, out = folders
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        page = c.get("/reports/ncovi.toml", headers=HTML)
        assert page.status_code == 200 and 'id="report-no-station"' in page.text
        assert "Chưa có thông tin của đài" in page.text and 'href="/settings"' in page.text
        assert 'id="report"' not in page.text  # no form to press in vain
        made = c.post("/reports/ncovi.toml", data={"kind": "docx"}, headers=HTML)
        assert made.status_code == 409 and "trang «Cài đặt đài»" in made.text
        api = c.get("/api/campaigns/ncovi.toml/report.docx")
        assert api.status_code == 409 and "Station settings" in api.json()["error"]
        for text in (page.text, made.text, api.text):
            _clean(text, campaigns, out)


def test_a_report_is_made_from_the_records_with_the_as_run_recorded_first(folders):
    campaigns, out = folders
    station_file(campaigns)
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        page = c.get("/reports/ncovi.toml", headers=HTML)
        assert 'id="report-interim"' not in page.text  # the window ended long ago
        assert '<option value="HGTV"' in page.text  # the station's channels
        files = {"as_run": ("as-run.csv", AS_RUN.encode(), "text/csv")}
        made = c.post("/reports/ncovi.toml", data={"kind": "json", "as_run_kind": "csv"}, files=files)
        assert made.status_code == 200 and 'filename="bao-cao-ncovi.json"' in made.headers["content-disposition"]
        facts = made.json()
        assert facts["station"]["short"] == "HGCTV" and facts["bases"]["played"] == ["2020-03-12"]
        assert [a["state"] for a in facts["days"][0]["rows"][0]["airings"]] == ["aired", "missed"]
        assert facts["totals"]["count"] == 3  # 1 aired of 2 on the 12th, 2 delivered on the 13th
        assert any(p.name.startswith("csv@HGTV") for p in (campaigns / "records" / "2020-03-12").iterdir())
        letter = c.post("/reports/ncovi.toml", data={"kind": "docx", "from": "2020-03-13", "to": "2020-03-13"})
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
        assert "Đề nghị người dân tải ứng dụng NCOVI." in text and "NCOVI nội bộ" not in text


def test_a_bad_as_run_or_dates_are_said_at_the_field_in_the_pages_language(folders):
    campaigns, out = folders
    station_file(campaigns)
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        before = sorted(p.name for p in (campaigns / "records").rglob("*"))
        files = {"as_run": ("as-run.csv", BAD.encode(), "text/csv")}
        made = c.post("/reports/ncovi.toml", data={"kind": "docx"}, files=files, headers=HTML)
        assert made.status_code == 422 and "«Nhật ký phát»: dòng 3 không đọc được" in made.text
        assert sorted(p.name for p in (campaigns / "records").rglob("*")) == before  # nothing recorded
        _clean(made.text, campaigns, out)
        assert "ticker-report-" not in made.text
        order = c.post("/reports/ncovi.toml", data={"kind": "docx", "from": "2020-03-13", "to": "2020-03-12"})
        assert order.status_code == 422 and "«Đến ngày» phải từ «Từ ngày» trở đi." in order.text
        caspar = c.post("/reports/ncovi.toml", data={"kind": "docx", "as_run_kind": "casparcg"}, files=files)
        assert "«Kênh đã phát»" in caspar.text
        c.get("/lang/en?next=/")
        english = c.post("/reports/ncovi.toml", data={"kind": "docx"}, files=files, headers=HTML)
        assert "«As-run log»: line 3 cannot be read" in english.text


@pytest.mark.xdist_group("chromium")
def test_the_report_page_in_a_browser_warns_of_an_interim_report_and_downloads_it(folders, chromium):
    campaigns, out = folders
    today = dt.date.today()
    text = CAMPAIGN.replace("2020-03-12", (today - dt.timedelta(days=1)).isoformat()).replace(
        "2020-03-13", (today + dt.timedelta(days=5)).isoformat())  # fmt: skip
    (campaigns / "ncovi.toml").write_text(text, encoding="utf-8")
    station_file(campaigns)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with desk_server(campaigns, out) as desk:
        context = chromium.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(desk.url + "/reports")
        page.click("text=Lập báo cáo")
        expect(page.locator("#report-interim")).to_contain_text("báo cáo sơ bộ")
        page.set_input_files("#report-as-run", files=[{"name": "as-run.csv", "mimeType": "text/csv",
                                                       "buffer": AS_RUN.encode()}])  # fmt: skip
        page.screenshot(path=str(ARTIFACTS / "report-1-form.png"), full_page=True)
        with page.expect_download() as got:
            page.click("#report-json")
        facts = json.loads(got.value.path().read_text(encoding="utf-8"))
        assert facts["interim"] and facts["campaign"] == "ncovi"
        context.close()
