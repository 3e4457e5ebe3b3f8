"""The report's facts without rendering: the schedule per day, delivery from a hand-written manifest, the
as-run matched within five minutes and on the slot's channels, and the Vietnamese forms."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ticker.campaign.config import load_campaign
from ticker.campaign.operator import Operator
from ticker.errors import ConfigError, InputError
from ticker.reports.facts import AsRun, campaign_facts, count_vn, date_line, read_as_run, report_paths

CAMPAIGN = """\
[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-13
[[slot]]
at = ["06:30"]
seconds = 20
channels = ["HGTV"]
[[slot]]
at = ["19:45"]
seconds = 20
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."
[source]
issuer = "Sở <Thông tin>"
number = "337/STTT-CNTT"
date = 2020-03-10
"""
OP = Operator("Công ty TNHH Truyền hình cáp Hậu Giang", "HGCTV", "Hậu Giang")
T = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def campaign(tmp_path):
    cfg = tmp_path / "ncovi.toml"
    cfg.write_text(CAMPAIGN, encoding="utf-8")
    return load_campaign(cfg)


def test_vietnamese_forms():
    assert count_vn(3) == "03 lần" and count_vn(12) == "12 lần"
    assert date_line("Hậu Giang", dt.date(2020, 2, 5)) == "Hậu Giang, ngày 05 tháng 02 năm 2020"
    assert date_line("Hậu Giang", dt.date(2020, 11, 21)) == "Hậu Giang, ngày 21 tháng 11 năm 2020"


def test_days_and_channels(campaign):
    facts = campaign_facts(campaign, OP, date=dt.date(2020, 3, 16))
    assert [d["date_vn"] for d in facts["days"]] == ["12/3/2020", "13/3/2020"]
    assert facts["days"][0]["weekday"] == "thứ Năm" and facts["total"] == 4
    assert facts["days"][0]["channels"] == [
        {"channel": "HGTV", "times": ["06:30"], "count": 1},
        {"channel": "tất cả các kênh", "times": ["19:45"], "count": 1},
    ]
    assert facts["days"][0]["delivery"]["status"] == "not asked"


def test_delivery_from_a_manifest(campaign, tmp_path):
    out = tmp_path / "out"
    (out / "2020-03-12").mkdir(parents=True)
    manifest = {
        "complete": True,
        "files": [{"path": "ncovi_a.mov", "sha256": "ab" * 32, "bytes": 10, "inputs": "k"}],
        "airings": [
            {"campaign": "ncovi", "start": "2020-03-12T06:30:00+07:00", "files": ["ncovi_a.mov"]},
            {"campaign": "ncovi", "start": "2020-03-12T19:45:00+07:00", "files": []},
        ],
    }
    (out / "2020-03-12" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    facts = campaign_facts(campaign, OP, out=out)
    first, second = (d["delivery"] for d in facts["days"])
    assert first["status"] == "incomplete" and first["reason"] == "no file for 19:45"
    assert second["status"] == "not delivered" and facts["not_delivered"] == ["2020-03-13"]
    assert facts["files"] == [{"path": "ncovi_a.mov", "sha256": "ab" * 32, "bytes": 10, "days": ["2020-03-12"]}]
    (out / "2020-03-13").symlink_to(out / "2020-03-12")  # a day folder that is a link: its claims are not believed
    second = campaign_facts(campaign, OP, out=out)["days"][1]["delivery"]
    assert second["status"] == "not delivered" and second["reason"] == "the day folder is a link"


def test_as_run_matching(campaign):
    rows = [
        AsRun(dt.datetime(2020, 3, 12, 6, 34), "HGTV", "ncovi_x.mov", 2),  # aired
        AsRun(dt.datetime(2020, 3, 12, 19, 45, tzinfo=T), "VTV1", "NCOVI_X", 3),  # any channel: aired
        AsRun(dt.datetime(2020, 3, 13, 6, 30), "VTV1", "ncovi_x.mov", 4),  # wrong channel: extra
        AsRun(dt.datetime(2020, 3, 13, 19, 45), "HGTV", "other.mov", 5),  # not the campaign's file: ignored
    ]
    facts = campaign_facts(campaign, OP, as_run=rows)
    first, second = (d["as_run"] for d in facts["days"])
    assert first == {"scheduled": 2, "aired": 2, "missed": [], "extra": []}
    assert second["missed"] == ["06:30", "19:45"] and [e["channel"] for e in second["extra"]] == ["VTV1"]
    assert facts["as_run"] == {"scheduled": 4, "aired": 2, "missed": 2, "extra": 1}


def test_as_run_csv_lines(tmp_path):
    good = tmp_path / "a.csv"
    good.write_text("\ufeffstart,channel,file\n2020-03-12T06:30:00+07:00,HGTV,a.mov\n\n", encoding="utf-8")
    (row,) = read_as_run(good)
    assert row.start.utcoffset() == dt.timedelta(hours=7) and row.line == 2
    bad = tmp_path / "b.csv"
    bad.write_text("start,channel,file\n2020-13-01T06:30,HGTV,a.mov\n2020-03-12T06:30,HGTV,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"b.csv line 2: start .* is not a time.*b.csv line 3: names no file"):
        read_as_run(bad)
    (tmp_path / "c.csv").write_text("time,file\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: the header has no column start, channel"):
        read_as_run(tmp_path / "c.csv")


def test_paths_and_operator_table(tmp_path):
    assert report_paths(tmp_path / "bc", ["a"]) == {"a": tmp_path / "bc"}
    assert report_paths(tmp_path / "bc", ["a", "b"])["b"] == tmp_path / "bc-b"
    with pytest.raises(InputError, match="does not exist"):
        report_paths(tmp_path / "no" / "bc", ["a"])
    cfg = tmp_path / "h.toml"
    cfg.write_text(CAMPAIGN + '[operator]\nname = "Đài"\nshrt = "X"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"operator\.shrt is not a known key"):
        load_campaign(cfg)
    cfg.write_text(CAMPAIGN + '[operator]\nname = "Đài"\nshort = "X"\n', encoding="utf-8")
    assert load_campaign(cfg).operator == Operator("Đài", "X")
