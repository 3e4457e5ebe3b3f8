"""What `ticker air` would insert after a real night: the clips `ticker nightly` published for an approved campaign
are the ones the plan takes, each airing as long as its slot, or as its clip of passes is; and the ffmpeg SRT is
relayed through can receive it."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

from ticker.air import check_setup, day_plan, srt_received
from ticker.approval.key import approve
from ticker.night import nightly
from ticker.records.clock import host_clock
from ticker.station import load_station

from support.media import stream_info
from support.stations import STATION, station_file

DAY = dt.date(2020, 3, 12)
ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TINY = """
[campaign]
name = "tiny"
title = "Tải ứng dụng"
start = 2020-03-12
end = 2020-03-12
[[message]]
text = "Tải NCOVI {date}"
[motion]
crossing_seconds = 2
[[slot]]
at = ["06:30"]
seconds = 4
[[slot]]
at = ["12:00"]
passes = 1
channels = ["HGTV"]
[[output]]
profile = "576i50"
format = "qtrle"
slots = true
"""


def test_the_night_s_clips_are_what_the_plan_inserts(tmp_path):
    campaigns, out, records = tmp_path / "campaigns", tmp_path / "out", tmp_path / "records"
    campaigns.mkdir()
    approve(station_file(campaigns, TINY, "tiny.toml"), "Nguyễn Thị Lan")
    station = load_station(station_file(campaigns, STATION))
    assert nightly(campaigns, out, DAY, stream=io.StringIO(), records=records) == 0
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, station)
    assert skipped == []
    slot, passes = insertions
    assert (slot.file.name, slot.start, slot.end - slot.start) == (
        "tiny_576i50_qtrle_4s.mov",
        dt.datetime(2020, 3, 12, 6, 30, tzinfo=ZONE),
        dt.timedelta(seconds=4),
    )
    assert passes.file.name == "tiny_576i50_qtrle_1pass.mov" and passes.start.hour == 12  # fmt: skip
    frames = stream_info(passes.file)["packets"]
    assert passes.end - passes.start == dt.timedelta(seconds=frames / 25), "as long as the clip of its one pass"
    assert slot.words == passes.words == ("Tải NCOVI 12/3/2020",) and slot.title == "Tải ứng dụng"
    hd, skipped = day_plan(campaigns, out, "HGTV HD", DAY, station)
    assert hd == [] and [(s.start.hour, s.why) for s in skipped] == [(6, "format")], "made at 576i50 only"
    assert srt_received(), "imageio-ffmpeg's ffmpeg is built with libsrt"
    problems = check_setup(campaigns / "station.toml", "HGTV HD", clock=host_clock(), source="srt://127.0.0.1:9")
    assert all("libsrt" not in p for p in problems) and all("station" not in p for p in problems), problems
