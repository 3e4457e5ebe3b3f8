"""`ticker watch` over recordings of a channel's output with ticker's crawl inserted at known times (ffmpeg
overlaying ticker's own loop on a moving programme), read as a compliance officer would read the records: each
airing found with its start and end within two pictures of the truth, its passes, the same through the 4:3
centre cut, a shift of 4 lines and a low bit rate; a band of the same look with other words never aired; no
airing invented where there was none; the evidence frames decode and are sealed; the report counts what was
seen."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import subprocess
from pathlib import Path

import av
import pytest

from ticker.campaign import load_campaign
from ticker.encode.ffmpeg_args import ffmpeg_exe
from ticker.watch.reference import references

from support.programmes import Insert, overlaid, variant
from support.running import run_ticker

START = dt.datetime(2020, 3, 12, 6, 29, tzinfo=dt.timezone(dt.timedelta(hours=7)))
PICTURE = 0.04  # a frame at 25 frames a second
WORDS = "Đề nghị người dân tải ứng dụng NCOVI để khai báo y tế."
CAMPAIGN = """[campaign]
name = "{name}"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "{words}"
[motion]
crossing_seconds = 4
[[output]]
profile = "{profile}"
format = "{format}"
loop = true
"""
STATION = '[station]\nname = "Truyền hình cáp Thử"\nshort = "THC"\n\n[[channel]]\nname = "HGTV"\n'


def crawl_loop(
    folder: Path, name: str = "ncovi", words: str = WORDS, profile: str = "576i50", format: str = "qtrle"
) -> tuple[Path, Path]:
    """A campaign's loop (with alpha), rendered by ticker: the loop and the campaign file."""
    folder.mkdir(parents=True, exist_ok=True)
    campaign = folder / f"{name}.toml"
    campaign.write_text(CAMPAIGN.format(name=name, words=words, profile=profile, format=format), encoding="utf-8")
    run_ticker("render", campaign, "-o", folder, "--date", "2020-03-12", cwd=folder)
    return folder / f"{name}_{profile}_{format}_loop.mov", campaign


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("watch")
    loop, campaign = crawl_loop(base / "loop")
    programme = overlaid(base, loop, profile="576i50", seconds=14, inserts=[Insert(2, 6.4), Insert(8, 13.2)])
    return {"base": base, "loop": loop, "campaign": campaign, "programme": programme}


def watch(made: dict, recording: Path, name: str, *more: str, campaign: Path | None = None) -> list[dict]:
    folder = made["base"] / f"campaigns-{name}"
    folder.mkdir(exist_ok=True)
    (folder / "c.toml").write_text((campaign or made["campaign"]).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "station.toml").write_text(STATION, encoding="utf-8")
    done = run_ticker("watch", folder, recording, "--channel", "HGTV", "--start", START.isoformat(), *more,
                      cwd=made["base"])  # fmt: skip
    made["said"], made["stdout"] = done.stderr, done.stdout
    lines = (folder / "records" / "2020-03-12" / "watch@HGTV.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(t) for t in lines]


def seen(lines: list[dict], kind: str = "airing") -> list[dict]:
    return [line for line in lines if line["kind"] == kind]


def at(seconds: float) -> dt.datetime:
    return START + dt.timedelta(seconds=seconds)


def assert_found(lines: list[dict], inserts) -> None:
    airings = seen(lines)
    assert len(airings) == len(inserts), airings
    for a, insert in zip(airings, inserts, strict=True):
        start, end = dt.datetime.fromisoformat(a["start"]), dt.datetime.fromisoformat(a["end"])
        assert abs((start - at(insert.start)).total_seconds()) <= 2 * PICTURE, (a, insert)
        assert abs((end - at(insert.end)).total_seconds()) <= 2 * PICTURE, (a, insert)
        assert a["source"] == "watch" and a["campaign"] == "ncovi" and a["version"].startswith("sha256:")
        assert a["full"] is True and a["passes"] >= 1 and a["confidence"] >= 0.85


def test_the_airings_are_found_to_the_picture_with_their_passes(made):
    lines = watch(made, made["programme"].path, "own")
    assert_found(lines, made["programme"].inserts)
    first, second = seen(lines)
    assert (first["passes"], second["passes"]) == (1, 1)  # 4.4 s and 5.2 s of a 5.1 s period, 3.1 s of text
    (covered,) = seen(lines, "covered")
    assert covered["start"].startswith("2020-03-12T06:29:00") and covered["end"].startswith("2020-03-12T06:29:14")
    assert covered["clock"]["basis"] == "stream"


@pytest.mark.parametrize("kind", ["centre-cut", "shift4", "low-bitrate"])
def test_the_crawl_is_found_through_what_the_channel_did_to_the_picture(made, kind):
    recording = variant(made["programme"], made["base"] / kind, kind)  # type: ignore[arg-type]
    assert_found(watch(made, recording.path, kind), made["programme"].inserts)


def test_the_crawl_is_found_in_an_mpeg2_channel(made):
    programme = overlaid(made["base"] / "mpeg2", made["loop"], seconds=8, inserts=[Insert(2, 6)], codec="mpeg2")
    assert_found(watch(made, programme.path, "mpeg2"), programme.inserts)


def test_an_hd_crawl_is_found_in_the_channel_down_converted_to_sd(made):
    hd = made["base"] / "hd"
    loop, campaign = crawl_loop(hd, profile="1080i50", format="prores4444")
    programme = overlaid(hd, loop, profile="1080i50", seconds=6, inserts=[Insert(1, 5)])
    sd = variant(programme, hd, "sd")
    assert_found(watch(made, sd.path, "sd", campaign=campaign), programme.inserts)


def test_a_band_of_the_same_look_with_other_words_is_unrecognised_never_aired(made):
    other = made["base"] / "other"
    loop, _ = crawl_loop(other, "tin", "Bản tin thời sự địa phương: thời tiết hôm nay nắng nóng, nhiệt độ 35 độ.")
    programme = overlaid(other, loop, profile="576i50", seconds=8, inserts=[Insert(2, 6)])
    lines = watch(made, programme.path, "lookalike")
    assert seen(lines) == []
    (band,) = seen(lines, "unrecognised")
    assert abs((dt.datetime.fromisoformat(band["start"]) - at(2)).total_seconds()) < 0.5


def test_no_airing_is_invented_in_a_programme_without_the_crawl(made):
    programme = overlaid(made["base"] / "none", made["loop"], profile="576i50", seconds=12, inserts=[],
                         under="mandelbrot")  # fmt: skip
    slots = '\n[[slot]]\nat = ["06:29", "07:00"]\nseconds = 20\nchannels = ["HGTV"]\n'
    scheduled = made["base"] / "scheduled.toml"
    scheduled.write_text(made["campaign"].read_text(encoding="utf-8") + slots, encoding="utf-8")
    lines = watch(made, programme.path, "none", campaign=scheduled)
    assert seen(lines) == [] and seen(lines, "unrecognised") == [] and len(seen(lines, "covered")) == 1
    said = made["stdout"].splitlines()
    assert "HGTV: ncovi's airing of 06:29 was not seen on air: missed" in said  # watched, and not there
    assert not any("of 07:00" in line for line in said), said  # not watched: neither missed nor seen


def test_an_airing_seen_that_no_scheduled_airing_explains_is_said_extra(made):
    scheduled = made["base"] / "once.toml"
    scheduled.write_text(made["campaign"].read_text(encoding="utf-8") + '\n[[slot]]\nat = ["06:29"]\nseconds = 5\n',
                         encoding="utf-8")  # fmt: skip
    assert len(seen(watch(made, made["programme"].path, "once", campaign=scheduled))) == 2
    said = [line for line in made["stdout"].splitlines() if "extra" in line or "missed" in line]
    assert said == ["HGTV: ncovi aired at 06:29:08 with no airing scheduled near it: extra"]  # 06:29:02 is 06:29


def test_a_hole_in_a_recordings_pictures_is_not_watched(made):
    """Pictures missing from 5 s to 8.4 s (the recorder lost them): two spans watched, the hole between."""
    holed = made["base"] / "holed.ts"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", made["programme"].path, "-map", "0:v",
                    "-vf", "select='not(between(t,5,8.4))'", "-fps_mode", "passthrough", "-c:v", "mpeg2video",
                    "-b:v", "4M", holed], check=True)  # fmt: skip
    spans = [(dt.datetime.fromisoformat(c["start"]), dt.datetime.fromisoformat(c["end"]))
             for c in seen(watch(made, holed, "holed"), "covered")]  # fmt: skip
    assert len(spans) == 2 and spans[0][0] == at(0) and spans[1][1] == at(14)
    assert (
        abs((spans[0][1] - at(5)).total_seconds()) <= PICTURE
        and abs((spans[1][0] - at(8.4)).total_seconds()) <= PICTURE
    )


def test_the_evidence_frames_decode_show_the_band_and_are_sealed(made):
    lines = watch(made, made["programme"].path, "evidence")
    folder = made["base"] / "campaigns-evidence" / "records"
    first = seen(lines)[0]
    frames = [name for name in first["evidence"] if name.startswith("evidence/frames/")]
    assert [n.rsplit("-", 1)[1] for n in frames] == ["0.png", "1.png", "2.png", "m1.png"]  # first, middle, last;
    assert len(first["evidence"]) == 5  # the first picture of the message's first words; the packets
    pictures = []
    for name in frames[:3]:
        with av.open(str(folder / "2020-03-12" / name)) as c:
            picture = next(c.decode(video=0)).to_ndarray(format="gray").astype(int)
        assert picture.shape == (576, 720) and picture[488:544].std() > 20  # the band's text, not a flat band
        pictures.append(picture[488:544])
    assert all(abs(a - b).mean() > 5 for a, b in itertools.pairwise(pictures))  # the crawl moved between them
    run_ticker("records", folder, "seal", cwd=made["base"])
    done = run_ticker("records", folder, "verify", cwd=made["base"])
    assert "2020-03-12" in done.stdout and "altered" not in done.stdout


def test_an_airing_keeps_the_first_picture_of_each_messages_first_words(made):
    """Taken from the channel's own pictures once a message's start is a third of the way in: the second
    message's picture comes as many pictures after the first's as the crawl takes to bring it there."""
    second = "Gọi đường dây nóng 1900 9095 khi có triệu chứng."
    folder = made["base"] / "two-messages"
    loop, campaign = crawl_loop(folder, "hai", WORDS + '"\n[[message]]\ntext = "' + second)
    programme = overlaid(folder, loop, profile="576i50", seconds=9, inserts=[Insert(1, 8.6)])
    (airing,) = seen(watch(made, programme.path, "messages", campaign=campaign))
    names = {n.rsplit("-", 1)[1]: n for n in airing["evidence"] if n.endswith(".png")}
    assert names.keys() == {"0.png", "1.png", "2.png", "m1.png", "m2.png"}, airing["evidence"]
    with av.open(str(programme.path)) as c:
        aired = [f.to_ndarray(format="rgb24").astype(int) for f in c.decode(video=0)]

    def when(name: str) -> int:  # the picture of the programme that is the evidence's
        with av.open(str(made["base"] / "campaigns-messages" / "records" / "2020-03-12" / names[name])) as c:
            kept = next(c.decode(video=0)).to_ndarray(format="rgb24")
        assert kept[488:544].std() > 20  # the band, with its text
        differences = [abs(picture - kept).mean() for picture in aired]
        assert min(differences) == 0
        return differences.index(0)

    (ref,) = references(load_campaign(campaign), dt.date(2020, 3, 12))
    between = (ref.messages[1] - ref.messages[0]) / ref.speed * 25  # pictures from one message's start to the next
    first, later = when("m1.png"), when("m2.png")
    entered = 25 + (ref.window / 3 + ref.messages[0]) / ref.speed * 25  # the loop starts with the text at the right
    assert abs(first - entered) <= 2 and abs(later - first - between) <= 2, (first, entered, later, between)


def test_the_airings_first_seconds_are_kept_as_the_channels_own_packets(made):
    """From the key frame before the airing's start, as the recording holds them (the tables in front)."""
    lines = watch(made, made["programme"].path, "packets")
    first = seen(lines)[0]
    (clip,) = [name for name in first["evidence"] if name.startswith("evidence/clips/")]
    data = (made["base"] / "campaigns-packets" / "records" / "2020-03-12" / clip).read_bytes()
    recording = made["programme"].path.read_bytes()
    own = {recording[i : i + 188] for i in range(0, len(recording), 188)}
    assert len(data) % 188 == 0 and all(data[i : i + 188] in own for i in range(0, len(data), 188))
    with av.open(io.BytesIO(data)) as c:
        pictures = [(f.time, f.key_frame, f.to_ndarray(format="gray")) for f in c.decode(video=0)]
    start, end = first["stream"]
    assert pictures[0][1] and pictures[0][0] <= start  # it opens on a key frame, at or before the start
    assert pictures[-1][0] >= min(start + 5, end) - 2 * PICTURE  # the airing's first 5 s (this one is 4.4 s long)
    shown = min(pictures, key=lambda p: abs(p[0] - (start + 1)))[2]
    assert shown[488:544].std() > 20  # the band, a second into the airing


def test_the_programme_is_chosen_by_its_service_id_in_a_multi_programme_stream(made):
    two = made["base"] / "two-programmes.ts"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=720x576:r=25:d=14",
                    "-i", made["programme"].path, "-map", "0:v", "-map", "1:v", "-c:v:0", "mpeg2video", "-c:v:1",
                    "copy", "-program", "program_num=1:st=0", "-program", "program_num=2:st=1", two],
                   check=True)  # fmt: skip
    assert_found(watch(made, two, "service", "--service", "2"), made["programme"].inserts)
    assert seen(watch(made, two, "first")) == []  # without a service, the first: another programme
    done = run_ticker("watch", made["base"] / "campaigns-first", two, "--channel", "HGTV", "--start",
                      START.isoformat(), "--service", "7", cwd=made["base"], check_status=2)  # fmt: skip
    assert done.stderr == f"ticker: {two}: it carries no service 7 (it carries 1, 2).\n"


def test_the_report_counts_the_airings_seen_and_the_evidence_keeps_to_its_quota(made):
    lines = watch(made, made["programme"].path, "report", "--evidence-quota", "1M")
    kept = [
        made["base"] / "campaigns-report" / "records" / "2020-03-12" / n for a in seen(lines) for n in a["evidence"]
    ]
    assert len(seen(lines)) == 2 and 0 < len(kept) < 8 and sum(f.stat().st_size for f in kept) <= 1_000_000
    assert made["said"].count("evidence quota of the day (1,000,000 bytes) is spent") == 1, made["said"]
    folder = made["base"] / "campaigns-report"
    text = (folder / "c.toml").read_text(encoding="utf-8")
    (folder / "c.toml").write_text(text + '\n[[slot]]\nat = ["06:30"]\nseconds = 20\nchannels = ["HGTV"]\n',
                                   encoding="utf-8")  # fmt: skip
    run_ticker("report", folder, "-o", made["base"] / "bc", "--from", "2020-03-12", "--to", "2020-03-12",
               "--date", "2020-03-16", cwd=made["base"])  # fmt: skip
    facts = json.loads((made["base"] / "bc.json").read_text(encoding="utf-8"))
    (row,) = facts["days"][0]["rows"]
    assert row["basis"] == "seen" and row["count"] == 1 and row["airings"][0]["sources"] == ["watch"]
    assert [e["source"] for e in facts["days"][0]["extra"]] == ["watch"]  # the second airing, unscheduled
