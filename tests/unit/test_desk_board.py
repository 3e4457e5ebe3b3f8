"""The tonight board and the calendar's month, from campaign files, a day's manifest and records made here: what
airs on each channel, from which file, whether it is ready, and what the records say of it on air."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from ticker.approval.key import approve
from ticker.campaign.config import load_campaign
from ticker.desk.calendar import Filters, month_of
from ticker.desk.fields import answers, form_fields
from ticker.desk.tonight import board, channels_of
from ticker.records import Aired, Covered, Record, Source

ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.date(2020, 3, 12)
CAMPAIGN = """
[campaign]
name = "ncovi"
title = "Khai báo y tế"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Đề nghị người dân tải ứng dụng Khai báo y tế."
[[slot]]
at = ["06:30", "19:45"]
seconds = 20
channels = ["HGTV"]
[[slot]]
at = ["12:00"]
seconds = 20
[[output]]
profile = "576i50"
format = "qtrle"
slots = true
"""
FILE = "ncovi_576i50_qtrle_20s.mov"


def _campaign(tmp_path, text=CAMPAIGN, name="ncovi.toml", approved=True):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    if approved:
        approve(path, "Nguyễn Thị Lan")
    return load_campaign(path)


def _manifest(qc="passed"):
    start = lambda t: dt.datetime.combine(DAY, t, ZONE).isoformat()  # noqa: E731
    return {
        "files": [{"path": FILE, "qc": qc, "channels": []}],
        "airings": [
            {"campaign": "ncovi", "start": start(dt.time(h, m)), "files": [FILE]}
            for h, m in ((6, 30), (12, 0), (19, 45))
        ],
        "failed": [],
    }


def _watch(start: str, evidence=("evidence/frames/w-06-30.png",), full=True, channel="HGTV"):
    return Record(Source.WATCH, channel, DAY, Aired(start, None, "", "ncovi", full=full, evidence=evidence))


def test_each_channel_lists_its_airings_with_the_file_ready_and_what_the_watch_saw(tmp_path):
    c = _campaign(tmp_path)
    now = dt.datetime(2020, 3, 12, 13, 0, tzinfo=ZONE)
    records = [
        _watch("2020-03-12T06:30:02+07:00"),
        Record(Source.WATCH, "HGTV", DAY, Covered("2020-03-12T00:00+07:00", "2020-03-12T13:00+07:00")),
    ]
    boards = board([c], DAY, ("HGTV", "THVL1"), _manifest(), records, now)
    assert [b.channel for b in boards] == ["HGTV", "THVL1"]
    hgtv, thvl = boards
    assert [a.time for a in hgtv.airings] == ["06:30", "12:00", "19:45"]
    assert [a.time for a in thvl.airings] == ["12:00"]  # the slot for every channel only
    assert all(a.files[0].name == FILE and a.files[0].ready == "ready" and a.ready for a in hgtv.airings)
    assert [a.aired for a in hgtv.airings] == ["seen", "missed", "later"]  # 12:00 inside what the watch covered
    assert hgtv.airings[0].frame == "evidence/frames/w-06-30.png" and hgtv.airings[1].frame is None
    assert thvl.airings[0].aired == "unknown"  # nobody watched THVL1
    assert hgtv.ready == 3


def test_a_file_changed_since_the_night_or_a_night_not_made_is_not_ready(tmp_path):
    c = _campaign(tmp_path)
    now = dt.datetime(2020, 3, 12, 5, 0, tzinfo=ZONE)
    changed = board([c], DAY, ("HGTV",), _manifest(qc="changed"), [], now)[0]
    assert {a.files[0].ready for a in changed.airings} == {"changed"} and changed.ready == 0
    before = board([c], DAY, ("HGTV",), None, [], now)[0]
    assert {(a.files[0].name, a.files[0].ready) for a in before.airings} == {(FILE, "not built")}


def test_a_campaign_not_approved_is_listed_as_not_airing_and_a_draft_not_at_all(tmp_path):
    pending = _campaign(tmp_path, approved=False)
    draft = _campaign(tmp_path, CAMPAIGN.replace('"ncovi"', '"nhap"').replace(
        "[campaign]", '[campaign]\nstatus = "draft"'), "nhap.toml", approved=False)  # fmt: skip
    now = dt.datetime(2020, 3, 12, 5, 0, tzinfo=ZONE)
    hgtv = board([pending, draft], DAY, ("HGTV",), None, [], now)[0]
    assert {a.campaign for a in hgtv.airings} == {"ncovi"} and not any(a.approved or a.ready for a in hgtv.airings)


def test_a_channel_only_a_campaign_names_is_on_the_board_too(tmp_path):
    c = _campaign(tmp_path, CAMPAIGN.replace('channels = ["HGTV"]', 'channels = ["HGTV", "Kênh 2"]'))
    assert channels_of(("HGTV",), [c]) == ["HGTV", "Kênh 2"]
    assert channels_of((), []) == [""]  # no station channels: one board for every channel


def test_the_month_hides_drafts_and_unapproved_airings_unless_asked_and_counts_them(tmp_path):
    approved = _campaign(tmp_path)
    pending = _campaign(tmp_path, CAMPAIGN.replace('"ncovi"', '"other"'), "other.toml", approved=False)
    shown = Filters.of("2020-03", "", "", "", DAY)
    m = month_of([approved, pending], shown, ("HGTV",))
    assert m.first == dt.date(2020, 3, 1) and m.weeks[0][0].date == dt.date(2020, 2, 24)  # Monday first
    days = {d.date: d for w in m.weeks for d in w}
    assert [(c.campaign, c.airings) for c in days[DAY].campaigns] == [("ncovi", 3)] and days[DAY].hidden == 3
    assert days[dt.date(2020, 3, 16)].airings == 0 and not days[dt.date(2020, 2, 24)].in_month
    everything = month_of([approved, pending], Filters.of("2020-03", "", "", "all", DAY), ("HGTV",))
    states = {c.campaign: c.state for w in everything.weeks for d in w if d.date == DAY for c in d.campaigns}
    assert states == {"ncovi": "airs", "other": "unapproved"}
    thvl = month_of([approved], Filters.of("2020-03", "THVL1", "", "", DAY), ("HGTV", "THVL1"))
    assert [c.airings for w in thvl.weeks for d in w if d.date == DAY for c in d.campaigns] == [1]
    one = month_of([approved, pending], Filters.of("2020-03", "", "other", "all", DAY), ())
    assert {c.campaign for w in one.weeks for d in w for c in d.campaigns} == {"other"}


def test_a_month_that_is_not_one_is_this_month():
    today = dt.date(2026, 12, 7)
    assert Filters.of("2020-13", "", "", "", today).month == dt.date(2026, 12, 1)
    assert Filters.of("../x", "", "", "", today).month == dt.date(2026, 12, 1)
    chosen = Filters.of("2020-03", "HGTV", "", "all", today)
    assert chosen.query(month="2020-04") == "month=2020-04&channel=HGTV&shown=all"


def test_the_form_offers_the_stations_channels_for_each_slot_and_output_and_reads_them_back():
    fields = {f.key: f for f in form_fields(CAMPAIGN, ("HGTV", "THVL1"))}
    assert fields["slot[1].channels"].choices == ("HGTV", "THVL1") and fields["slot[1].channels"].value == ("HGTV",)
    assert fields["slot[2].channels"].value == () and fields["output[1].channels"].kind == "channels"
    own = form_fields(CAMPAIGN.replace('["HGTV"]', '["Kênh cũ"]'), ("HGTV",))
    assert next(f for f in own if f.key == "slot[1].channels").choices == ("HGTV", "Kênh cũ")
    given = answers({"slot[1].channels": "HGTV, THVL1", "slot[2].channels": ""}, form_fields(CAMPAIGN, ("HGTV",)))
    assert given["slot[1].channels"] == ["HGTV", "THVL1"] and given["slot[2].channels"] == ""


def test_a_channel_whose_picture_the_station_gives_lists_only_the_files_made_at_it(tmp_path):
    two = CAMPAIGN + '[[output]]\nprofile = "1080i50"\nformat = "prores4444"\nslots = true\n'
    c = _campaign(tmp_path, two)
    now = dt.datetime(2020, 3, 12, 5, 0, tzinfo=ZONE)
    hgtv, thvl = board([c], DAY, ("HGTV", "THVL1"), None, [], now, {"HGTV": "576i50"})
    assert {f.name for a in hgtv.airings for f in a.files} == {FILE}
    assert {f.profile for a in thvl.airings for f in a.files} == {"576i50", "1080i50"}
