"""The report's facts from records written by hand (no render, no file): each scheduled airing takes the
strongest evidence there is, is counted once, and a day says what it is (not yet, no records, not delivered,
left out) rather than a count it does not have."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ticker.campaign.config import load_campaign
from ticker.records import Approved, Source
from ticker.reports.facts import campaign_facts, date_line
from ticker.reports.words import count_vn

from support.records import APPROVED, WORDS, T, covered, delivery, left_out, played, reading

CAMPAIGN = """\
[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15
[[slot]]
at = ["06:30", "19:45"]
seconds = 20
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."
"""
SOURCE = """
[source]
issuer = "Sở Thông tin và Truyền thông tỉnh Hậu Giang"
number = "337/STTT-CNTT"
date = 2020-03-10
"""
STATION = {"name": "Công ty TNHH Truyền hình cáp Hậu Giang", "short": "HGCTV", "place": "Hậu Giang"}
D = [dt.date(2020, 3, 12) + dt.timedelta(days=n) for n in range(4)]
AFTER = dt.datetime(2020, 3, 16, 9, 0, tzinfo=T)


@pytest.fixture
def campaign(tmp_path):
    cfg = tmp_path / "ncovi.toml"
    cfg.write_text(CAMPAIGN + SOURCE, encoding="utf-8")
    return load_campaign(cfg)


def rows(facts):
    return [(d["date"], r["state"], r["count"], [a["state"] for a in r["airings"]]) for d in facts["days"]
            for r in d["rows"]]  # fmt: skip


def test_vietnamese_forms():
    assert count_vn(3) == "03 lần" and count_vn(12) == "12 lần"
    assert date_line("Hậu Giang", dt.date(2020, 2, 5)) == "Hậu Giang, ngày 05 tháng 02 năm 2020"
    assert date_line("Hậu Giang", dt.date(2020, 11, 21)) == "Hậu Giang, ngày 21 tháng 11 năm 2020"


def test_one_day_delivered_of_four_counts_that_day_alone(campaign):
    facts = campaign_facts(campaign, STATION, reading(delivery(D[0])), now=AFTER)
    assert rows(facts)[0] == ("2020-03-12", "done", 2, ["delivered", "delivered"])
    assert [r[1:3] for r in rows(facts)[1:]] == [("not delivered", 0)] * 3
    assert facts["totals"]["count"] == 2 and facts["totals"]["scheduled"] == 8
    assert facts["bases"] == {"delivered": ["2020-03-12"]} and not facts["interim"]
    assert facts["files"][0]["days"] == ["2020-03-12"]


def test_a_report_asked_mid_window_is_interim_and_counts_nothing_to_come(campaign):
    now = dt.datetime(2020, 3, 13, 12, 0, tzinfo=T)
    facts = campaign_facts(campaign, STATION, reading(delivery(D[0]), delivery(D[1])), now=now)
    assert facts["interim"] and facts["as_of"] == "2020-03-13T12:00+07:00"
    assert rows(facts)[1] == ("2020-03-13", "done", 1, ["delivered", "not yet"])
    assert [r[1] for r in rows(facts)[2:]] == ["not yet", "not yet"]
    assert facts["totals"]["count"] == 3 and facts["totals"]["not_yet"] == 5
    # a report dated before the window's end counts up to that day's end, even when asked later
    dated = campaign_facts(campaign, STATION, reading(delivery(D[0]), delivery(D[1])), date=D[1], now=AFTER)
    assert dated["interim"] and dated["totals"]["count"] == 4


def test_an_approval_voided_mid_window_with_new_words_from_the_third_day(campaign):
    new = ("Người dân khai báo y tế qua ứng dụng NCOVI.",)
    again = Approved("sha256:" + "e" * 64, "Trần Văn Bình", "2020-03-13T21:00:00+07:00")
    records = reading(
        delivery(D[0]),
        delivery(D[1], times=("06:30",)),  # 19:45 dropped from the second day on the night it was made
        left_out(D[2], "voided"),
        delivery(D[2], times=("06:30", "20:00"), words=new, approval=again, version=2),
        delivery(D[3], times=("06:30", "20:00"), words=new, approval=again),
    )
    facts = campaign_facts(campaign, STATION, records, now=AFTER)
    assert [a["time"] for a in facts["days"][1]["rows"][0]["airings"]] == ["06:30"]  # the night's plan, not the file's
    assert [a["time"] for a in facts["days"][2]["rows"][0]["airings"]] == ["06:30", "20:00"]
    assert [(v["words"], v["days"]) for v in facts["versions"]] == [
        (list(WORDS), ["2020-03-12", "2020-03-13"]),
        (list(new), ["2020-03-14", "2020-03-15"]),
    ]
    assert facts["versions"][0]["approval"]["key"] == APPROVED.key
    assert facts["totals"]["count"] == 7


def test_a_day_left_out_says_why_and_counts_nothing(campaign):
    facts = campaign_facts(campaign, STATION, reading(delivery(D[0]), left_out(D[1], "voided")), now=AFTER)
    row = facts["days"][1]["rows"][0]
    assert row["state"] == "left out" and row["count"] == 0 and "chưa được duyệt lại" in row["reason"]


def test_as_run_with_a_missed_an_extra_and_a_duplicated_airing(campaign):
    records = reading(
        *(delivery(d) for d in D),
        covered(D[0]),
        played(D[0], "06:30"),
        played(D[0], "06:31"),  # the same airing logged twice: one airing
        played(D[0], "12:10"),  # an extra
        # 19:45 missed: the log covers the day and has no line for it
        covered(D[1], source=Source.PLAYOUT_LOG),
        played(D[1], "06:30", source=Source.PLAYOUT_LOG),
        played(D[1], "06:30"),  # the same airing in the CSV too: counted once
        played(D[1], "19:46", source=Source.PLAYOUT_LOG),
        played(D[1], "19:45", channel="THHG", file="OTHER_CAMPAIGN"),  # another campaign's clip: not ours
    )
    facts = campaign_facts(campaign, STATION, records, now=AFTER)
    assert rows(facts)[0] == ("2020-03-12", "done", 1, ["aired", "missed"])
    assert [e["time"] for e in facts["days"][0]["extra"]] == ["12:10"]
    assert rows(facts)[1] == ("2020-03-13", "done", 2, ["aired", "aired"])
    assert facts["days"][1]["rows"][0]["airings"][0]["sources"] == ["csv", "playout-log"]
    assert facts["days"][1]["extra"] == []
    t = facts["totals"]
    assert (t["aired"], t["missed"], t["extra"], t["delivered"], t["count"]) == (3, 1, 1, 4, 7)
    assert facts["bases"] == {"played": ["2020-03-12", "2020-03-13"], "delivered": ["2020-03-14", "2020-03-15"]}


def test_a_main_and_a_backup_ticker_air_inserting_one_airing_count_it_once(campaign):
    def inserted(hhmm: str, instance: str):
        record = played(D[0], hhmm, source=Source.AIR)
        return dataclasses.replace(record, fact=dataclasses.replace(record.fact, campaign="ncovi", instance=instance))

    records = reading(delivery(D[0]), *(inserted(t, i) for t in ("06:30", "19:45") for i in ("main", "backup")))
    facts = campaign_facts(campaign, STATION, records, now=AFTER)
    assert rows(facts)[0] == ("2020-03-12", "done", 2, ["aired", "aired"]) and facts["days"][0]["extra"] == []
    assert facts["days"][0]["rows"][0]["basis"] == "inserted"


def test_a_partial_airing_or_an_unrecognised_band_never_counts_as_aired(campaign):
    records = reading(
        delivery(D[0]), covered(D[0], source=Source.WATCH), played(D[0], "06:30", source=Source.WATCH, full=False)
    )
    facts = campaign_facts(campaign, STATION, records, now=AFTER)
    assert rows(facts)[0] == ("2020-03-12", "done", 0, ["partial", "missed"])


def test_seen_on_air_is_the_strongest_basis(campaign):
    records = reading(delivery(D[0]), played(D[0], "06:30"), played(D[0], "06:30", source=Source.WATCH, full=True))
    facts = campaign_facts(campaign, STATION, records, now=AFTER)
    assert facts["days"][0]["rows"][0]["basis"] == "seen"


def test_days_before_the_records_began_have_no_records_not_nothing_delivered(campaign):
    facts = campaign_facts(campaign, STATION, reading(delivery(D[2]), delivery(D[3]), began=D[2]), now=AFTER)
    assert [r[1] for r in rows(facts)] == ["no records", "no records", "done", "done"]
    assert facts["totals"]["count"] == 4
    none = campaign_facts(campaign, STATION, None, now=AFTER)
    assert {r[1] for r in rows(none)} == {"no records"} and not none["records"]


def test_played_evidence_counts_on_a_day_ticker_did_not_deliver(campaign):
    facts = campaign_facts(campaign, STATION, reading(covered(D[0]), played(D[0], "06:30")), now=AFTER)
    assert rows(facts)[0] == ("2020-03-12", "done", 1, ["aired", "missed"])


def test_channels_are_rows_and_an_airing_on_two_channels_is_two(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(CAMPAIGN.replace("seconds = 20", 'seconds = 20\nchannels = ["HGTV", "THHG"]'), encoding="utf-8")
    campaign = load_campaign(cfg)
    records = reading(delivery(D[0], channel="HGTV"), delivery(D[0], channel="THHG"), covered(D[0], "HGTV"),
                      played(D[0], "06:30", "HGTV"))  # fmt: skip
    facts = campaign_facts(campaign, STATION, records, now=AFTER)
    hgtv, thhg = facts["days"][0]["rows"]
    assert (hgtv["channel"], hgtv["basis"], hgtv["count"]) == ("HGTV", "played", 1)
    assert (thhg["channel"], thhg["basis"], thhg["count"]) == ("THHG", "delivered", 2)
    assert facts["days"][1]["rows"][0]["channel"] == "HGTV" and len(facts["days"][1]["rows"]) == 2


def test_the_title_never_reaches_the_words(campaign):
    facts = campaign_facts(campaign, STATION, reading(delivery(D[0])), now=AFTER)
    assert facts["versions"][0]["words"] == list(WORDS)
    assert "internal title" not in str(facts["versions"])
