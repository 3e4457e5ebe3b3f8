"""What `ticker air` inserts into a channel on a day: each approved airing with the clip the night published and
checked for it, made at the channel's picture in a format with alpha, from the campaign as it is now; every
other airing skipped with why; and `ticker air --check`'s sentences. The day folder is written as the night
writes it (the library's own entries, keys and manifest writer), with clips of a few bytes: nothing here decodes
them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zoneinfo
from pathlib import Path

import pytest

import ticker
from ticker import __version__
from ticker.air import Insertion, Skipped, check_setup, day_plan
from ticker.approval.key import approve, content_key, revoke
from ticker.campaign import airings, clips, file_name, load_campaign, outputs_for
from ticker.errors import InputError
from ticker.files import write_manifest
from ticker.files.manifest import Entry, file_entry
from ticker.night.jobs import recipe_key
from ticker.records import Clock
from ticker.station import Channel, Network, Station

from support.stations import STATION, station_file

ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.date(2020, 3, 12)
CAMPAIGN = """
[campaign]
name = "ncovi"
title = "Khai báo y tế"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Hôm nay {date}: tải ứng dụng Khai báo y tế."
[[slot]]
at = ["06:30", "19:45"]
seconds = 20
channels = ["HGTV"]
[[slot]]
at = ["12:00"]
passes = 2
[[output]]
profile = "576i50"
format = "qtrle"
slots = true
[[output]]
profile = "1080i50"
format = "fillkey"
slots = true
"""
SLOT_FILE = "ncovi_576i50_qtrle_20s.mov"
PASSES_FILE = "ncovi_576i50_qtrle_2passes.mov"
HD = Network(0x2001, 12, 101, 0x19, "h264", 8_000_000)
CHANNELS = (Channel("HGTV", "576i50"), Channel("HGTV HD", "1080i50", network=HD),
            Channel("VTV1", "576i50", must_carry=True))  # fmt: skip
STATION_OF = Station("Đài Hậu Giang", channels=CHANNELS)
PASS_FRAMES = 400  # the length the night gave the 2-pass clip: 16 s at 25 frames a second


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), ZONE)


def _campaign(folder: Path, text: str = CAMPAIGN, name: str = "ncovi.toml", approved: bool = True) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if approved:
        approve(path, "Nguyễn Thị Lan")
    return path


def _night(out: Path, *paths: Path, version: str | None = None, engine: str | None = None) -> Path:
    """OUT/DAY as a night makes it of the campaigns: each clip's file (a few bytes), its entry with the key it is
    made for, and the day's airings with the files that serve them; the manifest by the library's writer."""
    folder = out / DAY.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Entry] = []
    rows = []
    for path in paths:
        campaign = load_campaign(path)
        made = clips(campaign, DAY, outputs_for(campaign))
        names: dict[int, list[str]] = {}
        for n, clip in enumerate(made):
            o = clip.output
            name = file_name(campaign, o)
            frames = PASS_FRAMES if o.passes else round((o.seconds or 4) * 25)
            (folder / name).write_bytes(f"clip {name}".encode())
            key = recipe_key(campaign, o, DAY, ticker=version, engine=engine)
            entry: Entry = {**file_entry(folder / name), "inputs": key, "campaign": campaign.name,
                            "profile": o.profile.id, "format": o.format.id, "frames": frames, "duration": frames / 25,
                            "loop": o.loop, "slot": clip.airs, "channels": list(clip.channels)}  # fmt: skip
            files.append(entry)
            if o.format.pair:  # the key of a fill+key pair, as the night lists it
                (folder / f"{name}_A").write_bytes(b"key")
                entry["key"] = f"{name}_A"
                files.append({**file_entry(folder / f"{name}_A"), "inputs": key, "key_of": name})
            names[n] = [name]
        for a in airings(campaign, DAY):
            served = [name for n, clip in enumerate(made) if a.served_by(clip) for name in names[n]]
            rows.append({"campaign": campaign.name, "start": a.start.isoformat(), "seconds": a.slot.seconds,
                         "passes": a.slot.passes, "channels": list(a.slot.channels), "files": served})  # fmt: skip
    write_manifest(folder, {"ticker": version or __version__, "date": DAY.isoformat(), "complete": True, "files": files,
                            "airings": rows})  # fmt: skip
    return folder


@pytest.fixture
def night(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    path = _campaign(campaigns)
    return campaigns, out, path, _night(out, path)


def test_the_channel_gets_each_approved_airing_with_its_clip_words_key_and_end(night):
    campaigns, out, path, folder = night
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    campaign = load_campaign(path)
    words = ("Hôm nay 12/3/2020: tải ứng dụng Khai báo y tế.",)
    key = content_key(campaign)
    assert insertions == [
        Insertion("ncovi", "Khai báo y tế", folder / SLOT_FILE, at(6, 30), at(6, 30) + dt.timedelta(seconds=20), key,
                  words),
        Insertion("ncovi", "Khai báo y tế", folder / PASSES_FILE, at(12, 0), at(12, 0) + dt.timedelta(seconds=16),
                  key, words),  # two passes: as long as the clip the night made for them
        Insertion("ncovi", "Khai báo y tế", folder / SLOT_FILE, at(19, 45), at(19, 45) + dt.timedelta(seconds=20),
                  key, words),
    ]  # fmt: skip
    assert skipped == [] and all(i.start.utcoffset() == dt.timedelta(hours=7) for i in insertions)


def test_a_channel_whose_picture_no_clip_with_alpha_is_made_at_is_skipped_for_the_format(night):
    campaigns, out, _, _ = night
    insertions, skipped = day_plan(campaigns, out, "HGTV HD", DAY, STATION_OF)
    assert insertions == [], "its only clip at 1080i50 is a fill+key pair"
    assert skipped == [Skipped("ncovi", at(12, 0), "format")], "06:30 and 19:45 are HGTV's only"
    assert skipped[0].sentence == (
        "ncovi at 12:00:00: skipped: no clip serves it at the channel's picture format in a format with alpha "
        "(qtrle, prores4444)."
    )


def test_a_draft_an_unapproved_and_a_revoked_campaign_are_skipped(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    draft = _campaign(campaigns, CAMPAIGN.replace("[campaign]", '[campaign]\nstatus = "draft"'), approved=False)
    other = _campaign(campaigns, CAMPAIGN.replace('"ncovi"', '"other"'), "other.toml", approved=False)
    _night(out, draft, other)
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert insertions == [] and [(s.campaign, s.start.time(), s.why) for s in skipped] == [
        (name, t, why) for t in (dt.time(6, 30), dt.time(12, 0), dt.time(19, 45))
        for name, why in (("ncovi", "draft"), ("other", "not approved"))
    ]  # fmt: skip
    approve(other, "Nguyễn Thị Lan")
    assert len(day_plan(campaigns, out, "HGTV", DAY, STATION_OF)[0]) == 3
    revoke(other, "Nguyễn Thị Lan")
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert insertions == [] and {s.why for s in skipped if s.campaign == "other"} == {"not approved"}


def test_a_change_since_the_night_voids_the_approval_and_approved_again_the_clip_is_stale(night):
    campaigns, out, path, _ = night
    path.write_text(path.read_text(encoding="utf-8").replace("tải ứng dụng", "cài ứng dụng"), encoding="utf-8")
    _, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert {s.why for s in skipped} == {"not approved"} and len(skipped) == 3, "voided by the change"
    approve(path, "Nguyễn Thị Lan")
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert insertions == [] and {s.why for s in skipped} == {"changed"}, "the clip still says the old words"
    assert "render the day again" in skipped[0].sentence


def test_a_clip_published_by_another_ticker_or_layout_engine_airs_while_it_is_the_campaign_s(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    path = _campaign(campaigns)
    _night(out, path, version="0.0.1", engine="basic")
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert len(insertions) == 3 and skipped == []


def test_a_clip_changed_gone_or_not_ticker_s_is_not_checked(night, tmp_path):
    campaigns, out, _, folder = night
    clip = folder / SLOT_FILE
    data = clip.read_bytes()
    clip.write_bytes(data[::-1])  # the same size, other bytes
    _, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert [(s.start.time(), s.why) for s in skipped] == [(dt.time(6, 30), "clip not checked"),
                                                          (dt.time(19, 45), "clip not checked")]  # fmt: skip
    assert len(day_plan(campaigns, out, "HGTV", DAY, STATION_OF, verify=False)[0]) == 3, "the size alone passes"
    elsewhere = tmp_path / "elsewhere.mov"
    elsewhere.write_bytes(data)
    clip.unlink()
    clip.symlink_to(elsewhere)
    assert len(day_plan(campaigns, out, "HGTV", DAY, STATION_OF)[1]) == 2, "a link is not a file ticker published"
    clip.unlink()
    os.link(elsewhere, clip)
    assert len(day_plan(campaigns, out, "HGTV", DAY, STATION_OF)[1]) == 2, "nor a hard link to a file elsewhere"
    clip.unlink()
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert [i.start.time() for i in insertions] == [dt.time(12, 0)] and {s.why for s in skipped} == {"clip not checked"}


def test_no_night_or_no_campaign_file_skips_what_the_night_planned(night):
    campaigns, out, path, folder = night
    insertions, skipped = day_plan(campaigns, out.parent / "nowhere", "HGTV", DAY, STATION_OF)
    assert insertions == [] and [s.why for s in skipped] == ["no clip"] * 3
    (folder / "manifest.json").unlink()
    assert {s.why for s in day_plan(campaigns, out, "HGTV", DAY, STATION_OF)[1]} == {"no clip"}
    _night(out, path)
    path.write_text("[campaign\n", encoding="utf-8")  # a file that cannot be read now
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert insertions == [] and [(s.campaign, s.why) for s in skipped] == [("ncovi", "no campaign")] * 3
    path.unlink()  # a folder of no campaigns: nothing airs
    assert [s.why for s in day_plan(campaigns, out, "HGTV", DAY, STATION_OF)[1]] == ["no campaign"] * 3
    assert day_plan(campaigns, out, "HGTV HD", DAY, STATION_OF)[1] == [Skipped("ncovi", at(12, 0), "no campaign")]


def test_a_campaign_whose_font_is_gone_since_is_skipped_and_the_others_air(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    shutil.copy(Path(ticker.__file__).parent / "fonts" / "NotoSans-Regular.ttf", campaigns / "Own.ttf")
    own = _campaign(campaigns, CAMPAIGN.replace("[[message]]", '[style]\nfont = "Own.ttf"\n[[message]]'))
    other = _campaign(campaigns, CAMPAIGN.replace('"ncovi"', '"other"'), "other.toml")
    _night(out, own, other)
    assert len(day_plan(campaigns, out, "HGTV", DAY, STATION_OF)[0]) == 6
    (campaigns / "Own.ttf").unlink()
    insertions, skipped = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    assert {i.campaign for i in insertions} == {"other"} and len(insertions) == 3
    assert [(s.campaign, s.why) for s in skipped] == [("ncovi", "no campaign")] * 3


def test_a_loop_serves_an_airing_for_its_seconds_or_its_passes(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    looped = CAMPAIGN.split("[[output]]")[0] + '[[output]]\nprofile = "576i50"\nformat = "prores4444"\nloop = true\n'
    path = _campaign(campaigns, looped)
    folder = _night(out, path)
    insertions, _ = day_plan(campaigns, out, "HGTV", DAY, STATION_OF)
    loop = folder / "ncovi_576i50_prores4444_loop.mov"
    assert [(i.file, i.loop, (i.end - i.start).total_seconds()) for i in insertions] == [
        (loop, True, 20),
        (loop, True, 8),
        (loop, True, 20),
    ], "the loop's 4 s twice for the two passes"


def test_an_unknown_or_must_carry_channel_is_refused_in_one_sentence(night):
    campaigns, out, _, _ = night
    with pytest.raises(InputError, match=r"^the station file: names no channel 'HGTV2' \(its channels: 'HGTV', "):
        day_plan(campaigns, out, "HGTV2", DAY, STATION_OF)
    with pytest.raises(InputError) as refused:
        day_plan(campaigns, out, "VTV1", DAY, STATION_OF)
    assert str(refused.value) == (
        "the station file: channel 'VTV1' is must carry (kênh thiết yếu): pay-TV relays it intact, so ticker air "
        "inserts nothing into it."
    )


SYNCED = Clock("host", "synchronised", "adjtimex")


def test_a_good_set_up_has_nothing_to_say(tmp_path):
    path = station_file(tmp_path)
    assert check_setup(path, "HGTV HD", clock=SYNCED) == []
    assert check_setup(path, "HGTV HD", clock=SYNCED, source="srt://10.0.0.5:9000?mode=caller", srt=lambda: True) == []


def test_each_problem_of_the_set_up_is_one_sentence(tmp_path):
    path = station_file(tmp_path)
    assert check_setup(tmp_path / "none.toml", "HGTV", clock=SYNCED) == [
        f"{tmp_path / 'none.toml'}: no station file; ticker air reads the channel's picture format and transport "
        "stream from it."
    ]
    assert check_setup(station_file(tmp_path, STATION + "[station\n", "bad.toml"), "HGTV", clock=SYNCED)[0].startswith(
        f"{tmp_path / 'bad.toml'}: not valid TOML"
    )
    assert check_setup(path, "VTV1", clock=SYNCED) == [
        f"{path}: names no channel 'VTV1' (its channels: 'HGTV', 'HGTV HD')."
    ]
    assert check_setup(path, "HGTV", clock=SYNCED) == [
        f"{path}: channel 'HGTV' has no [channel.network]; ticker air needs its transport stream's ids, PIDs, "
        "encoder and bit rate."
    ]
    no_picture = STATION.replace('picture = "1080i50"\n', "").replace(
        'bitrate = "8M"', 'bitrate = "8M"\nservice_type = 0x19'
    )
    bare = station_file(tmp_path, no_picture, "bare.toml")
    assert check_setup(bare, "HGTV HD", clock=SYNCED) == [
        f"{bare}: channel 'HGTV HD' gives no picture format (picture); ticker air needs it to choose the day's clip "
        "made at it."
    ]
    carried = station_file(tmp_path, STATION.replace("essential = false", "must_carry = true"), "carried.toml")
    assert check_setup(carried, "HGTV HD", clock=SYNCED) == [
        f"{carried}: channel 'HGTV HD' is must carry (kênh thiết yếu): pay-TV relays it intact, so ticker air "
        "inserts nothing into it."
    ]


def test_a_clock_not_kept_and_an_srt_input_no_ffmpeg_here_receives_are_problems(tmp_path):
    path = station_file(tmp_path)
    assert check_setup(path, "HGTV HD", clock=Clock("host", "unsynchronised", "adjtimex")) == [
        "The host clock is not synchronised (no NTP daemon keeps it, or it lost its servers): airings start by "
        "it, so the crawl would miss its minute."
    ]
    assert check_setup(path, "HGTV HD", clock=Clock("host", "unknown")) == [
        "Whether the host clock is synchronised cannot be asked of the kernel: airings start by it, so keep it "
        "with NTP and check it by hand."
    ]
    said = check_setup(path, "HGTV HD", clock=SYNCED, source="srt://10.0.0.5:9000?passphrase=secret123456",
                       srt=lambda: False)  # fmt: skip
    assert said == [
        "srt://10.0.0.5:9000: this machine's ffmpeg is built without libsrt, as PyAV's libraries are: an SRT "
        "input cannot be received here."
    ], "the passphrase never repeated"
    assert check_setup(path, "HGTV HD", clock=SYNCED, source="udp://239.1.1.1:1234", srt=lambda: False) == []
