"""The campaign calendar: airing slots, the days a campaign airs, placeholders filled per day, clips timed by
passes, and `ticker schedule` as an operator reads it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ticker.campaign.calendar import vn_day
from ticker.campaign.config import load_campaign
from ticker.campaign.placeholders import placeholder_values

from support.campaigns import CONFIGS, HAU_GIANG, write_campaign
from support.running import run_ticker


def MINIMAL_WITH(message: str) -> str:
    return f"""
[campaign]
name = "test"
start = 2020-03-12
end = 2020-03-15
[[message]]
{message}
"""


def test_schedule_lists_the_hau_giang_window_and_nothing_after_it(tmp_path):
    out = run_ticker("schedule", CONFIGS, "--from", "2020-03-11", "--to", "2020-03-16", cwd=tmp_path).stdout
    blocks = {}
    for line in out.splitlines():
        if not line.startswith(" "):
            current = line
            blocks[current] = []
        else:
            blocks[current].append(line)
    headings = list(blocks)
    assert headings == [
        "thứ Tư 11/3/2020 (2020-03-11): nothing airs",
        "thứ Năm 12/3/2020 (2020-03-12)",
        "thứ Sáu 13/3/2020 (2020-03-13)",
        "thứ Bảy 14/3/2020 (2020-03-14)",
        "Chủ nhật 15/3/2020 (2020-03-15)",
        "thứ Hai 16/3/2020 (2020-03-16): nothing airs",
    ]
    for heading in headings[1:5]:
        rows = blocks[heading]
        assert [r.split()[0] for r in rows] == ["06:30", "11:30", "19:45"]
        for r in rows:
            assert "120 s" in r and "haugiang-ncovi" in r
            assert "haugiang-ncovi_1080i50_prores4444_loop.mov (looped)" in r
            assert "haugiang-ncovi_576i50_prores4444_loop.mov (looped)" in r


def test_schedule_json_gives_local_times_with_their_offset(tmp_path):
    done = run_ticker("schedule", HAU_GIANG, "--from", "2020-03-15", "--to", "2020-03-16", "--json", cwd=tmp_path)
    days = json.loads(done.stdout)["days"]
    assert [d["date"] for d in days] == ["2020-03-15", "2020-03-16"]
    assert days[1]["airings"] == []
    first = days[0]["airings"][0]
    assert first["start"] == "2020-03-15T06:30:00+07:00" and first["seconds"] == 120
    assert first["files"] == [
        "haugiang-ncovi_1080i50_prores4444_loop.mov (looped)",
        "haugiang-ncovi_576i50_prores4444_loop.mov (looped)",
    ]


def test_schedule_without_dates_covers_every_window(tmp_path):
    out = run_ticker("schedule", HAU_GIANG, cwd=tmp_path).stdout
    headings = [line for line in out.splitlines() if not line.startswith(" ")]
    assert headings[0].startswith("thứ Năm 12/3/2020") and headings[-1].startswith("Chủ nhật 15/3/2020")
    assert len(headings) == 4


def test_placeholders_are_filled_for_the_day(tmp_path):
    text = 'text = "Hôm nay {weekday} {date} (ngày {day}/{days}, còn {days_left} ngày, {start}–{end}) {{QR}}"'
    cfg = write_campaign(tmp_path, base=MINIMAL_WITH(text))
    out = run_ticker("check", cfg, "--date", "2020-03-15", cwd=tmp_path).stdout
    assert "text: Hôm nay Chủ nhật 15/3/2020 (ngày 4/4, còn 1 ngày, 12/3/2020–15/3/2020) {QR}" in out
    campaign = load_campaign(cfg)
    assert placeholder_values(campaign, dt.date(2020, 3, 12))["days_left"] == "4"
    assert vn_day(dt.date(2020, 3, 12)) == "thứ Năm 12/3/2020"


def test_placeholders_are_not_words_when_the_encoding_is_read(tmp_path):
    # Latin-1 letters with placeholders around them stay Unicode; TCVN3 around them is still converted
    cfg = write_campaign(tmp_path, base=MINIMAL_WITH('text = "Hôm nay {date}, còn {days_left} ngày."'))
    assert (
        "text: Hôm nay 12/3/2020, còn 4 ngày." in run_ticker("check", cfg, "--date", "2020-03-12", cwd=tmp_path).stdout
    )
    cfg = write_campaign(tmp_path, base=MINIMAL_WITH('text = "§Ò nghÞ ng\u00adêi d©n ({weekday} {date})"'))
    assert (
        "text: Đề nghị người dân (thứ Năm 12/3/2020)"
        in run_ticker("check", cfg, "--date", "2020-03-12", cwd=tmp_path).stdout
    )


def test_a_private_use_character_beside_a_placeholder_is_one_sentence(tmp_path):
    cfg = write_campaign(tmp_path, base=MINIMAL_WITH('text = "Gọi \\uf0b7 ngày {date}"'))  # Word's Symbol bullet
    (line,) = run_ticker("check", cfg, cwd=tmp_path, check_status=2).stderr.strip().splitlines()
    assert "U+F0B7" in line and "message[1]" in line


def test_braces_without_placeholders_are_single_braces(tmp_path):
    cfg = write_campaign(tmp_path, base=MINIMAL_WITH('text = "Gọi {{1900 9095}}"'))
    assert "text: Gọi {1900 9095}" in run_ticker("check", cfg, cwd=tmp_path).stdout


def test_placeholders_outside_the_window_are_filled_for_its_first_day_with_a_note(tmp_path):
    cfg = write_campaign(tmp_path, base=MINIMAL_WITH('text = "Ngày {date}"'))
    done = run_ticker("check", cfg, cwd=tmp_path)
    assert "text: Ngày 12/3/2020" in done.stdout
    assert "filled for 12/3/2020, the window's first day" in done.stdout


@pytest.mark.parametrize(
    "extra, message",
    [
        ('[[slot]]\nat = "06:30"\n', "slot[1] needs either seconds = N or passes = N"),
        ('[[slot]]\nat = "6h30"\nseconds = 60\n', 'slot[1].at must be a time of day such as "06:30"'),
        ('[[slot]]\nat = ["06:30", "06:31"]\nseconds = 120\n', "slot[1] at 06:31:00 overlaps slot[1] at 06:30:00"),
        (
            '[[slot]]\nat = "23:59"\nseconds = 120\n[[slot]]\nat = "00:00"\nseconds = 10\n',
            "slot[2] at 00:00:00 overlaps slot[1] at 23:59:00",
        ),
        ('[[slot]]\nat = "06:30"\nseconds = 10.01\n', "slot[1].seconds must be a whole number of frames"),
        (
            '[[output]]\nprofile = "576i50"\nformat = "png"\nslots = true\n',
            "output[1].slots asks for a clip per airing slot, but the campaign has no [[slot]]",
        ),
        (
            '[[output]]\nprofile = "576i50"\nformat = "png"\n',
            "output[1] needs one of loop = true, seconds = N or slots = true",
        ),
    ],
)
def test_bad_slots_are_one_sentence_naming_the_key(tmp_path, extra, message):
    cfg = write_campaign(tmp_path, extra)
    (line,) = run_ticker("check", cfg, cwd=tmp_path, check_status=2).stderr.strip().splitlines()
    assert line.startswith(f"ticker: {cfg}: {message}")


def test_unknown_placeholder_and_time_zone_are_refused(tmp_path):
    cfg = write_campaign(tmp_path, base=MINIMAL_WITH('text = "Ngày {ngay}"'))
    err = run_ticker("check", cfg, cwd=tmp_path, check_status=2).stderr
    assert "message[1].text holds an unknown placeholder {ngay}" in err and "Traceback" not in err
    cfg = write_campaign(
        tmp_path, base=MINIMAL_WITH('text = "x"').replace("end = 2020-03-15", 'end = 2020-03-15\ntimezone = "Hanoi"')
    )
    err = run_ticker("check", cfg, cwd=tmp_path, check_status=2).stderr
    assert "campaign.timezone is not a time zone" in err
