"""Two versions of a campaign on one channel's day: the words the night delivered (frozen in the records) and the
campaign file's words as edited since. Each airing is told to be the version that alone was on screen where
the two differ for a second or more (a short airing too, when that part was on screen), with the delivered
file it matches; the other version's words are never a band unrecognised. (When no version alone was seen for a
second, the version is uncertain: tests/unit/test_watch_versions.py.)"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from support.programmes import Insert, overlaid
from support.running import run_ticker

START = dt.datetime(2020, 3, 12, 6, 29, tzinfo=dt.timezone(dt.timedelta(hours=7)))
DELIVERED = "Đề nghị người dân tải ứng dụng NCOVI để khai báo y tế."
EDITED = "Đề nghị người dân tải ứng dụng PC-COVID để khai báo y tế."
CAMPAIGN = """[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "{words}"
[motion]
crossing_seconds = 4
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
[[slot]]
at = ["06:29"]
seconds = 20
channels = ["HGTV"]
"""
STATION = '[station]\nname = "Truyền hình cáp Thử"\nshort = "THC"\n\n[[channel]]\nname = "HGTV"\n'


def test_each_airing_is_told_to_be_the_version_seen_where_they_differ_or_is_uncertain(tmp_path: Path):
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / "station.toml").write_text(STATION, encoding="utf-8")
    campaign = folder / "ncovi.toml"
    campaign.write_text(CAMPAIGN.format(words=DELIVERED), encoding="utf-8")
    run_ticker("nightly", folder, "-o", tmp_path / "out", "--date", "2020-03-12", "--allow-unapproved", cwd=tmp_path)
    night = folder / "records" / "2020-03-12" / "nightly@HGTV.jsonl"
    (delivery,) = [json.loads(t) for t in night.read_text(encoding="utf-8").splitlines()]
    delivered_loop = tmp_path / "out" / "2020-03-12" / delivery["files"][0]["path"]
    campaign.write_text(CAMPAIGN.format(words=EDITED), encoding="utf-8")  # edited after the night
    run_ticker("render", campaign, "-o", tmp_path / "edited", "--date", "2020-03-12", cwd=tmp_path)
    edited_loop = tmp_path / "edited" / "ncovi_576i50_qtrle_loop.mov"
    programme = overlaid(tmp_path, delivered_loop, seconds=20,
                         inserts=[Insert(1, 7), Insert(9, 15, loop=edited_loop), Insert(17, 18.4)])  # fmt: skip
    run_ticker("watch", folder, programme.path, "--channel", "HGTV", "--start", START.isoformat(), cwd=tmp_path)
    lines = (folder / "records" / "2020-03-12" / "watch@HGTV.jsonl").read_text(encoding="utf-8").splitlines()
    first, second, short = [r for r in map(json.loads, lines) if r["kind"] == "airing"]
    assert first["version"] == delivery["key"] and first["file"] == delivery["files"][0]["path"]
    assert first["versions"] == [] and first["passes"] == 1
    assert second["version"].startswith("sha256:") and second["version"] != delivery["key"]
    assert second["file"] == "" and second["passes"] == 1  # not delivered: no file of the night's
    assert short["version"] == delivery["key"] and short["passes"] == 0  # 1.4 s, the differing words on screen
    for airing, insert in zip((first, second, short), programme.inserts, strict=True):
        start = dt.datetime.fromisoformat(airing["start"])
        assert abs((start - (START + dt.timedelta(seconds=insert.start))).total_seconds()) <= 0.08, airing
    assert not [r for r in map(json.loads, lines) if r["kind"] == "unrecognised"]  # the other version's words
