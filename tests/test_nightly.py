"""`ticker nightly` as an operator's timer runs it: the day's clips and a manifest that matches them, nothing
made twice, atomic files under a kill, one run at a time, and the same files from a Dask cluster."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ticker.campaign.config import Output, load_campaign
from ticker.night.jobs import Job, Snapshot, run

from support.campaigns import CONFIGS
from support.media import framemd5, stream_info
from support.processes import processes_naming
from support.running import run_ticker

DAY = "2020-03-12"
# A campaign whose text changes every day ({date}), with two airings served by a 12 s slot clip, and a loop
# for one channel.
DAILY = """
[campaign]
name = "daily"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Hôm nay {weekday} {date}: còn {days_left} ngày để tải ứng dụng."
[motion]
crossing_seconds = 4
[[slot]]
at = ["06:30", "19:00"]
seconds = 12
[[output]]
profile = "576i50"
format = "prores4444"
slots = true
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
channels = ["HG1"]
"""
# The same words every day, for two channels that take the same fill+key pair; its window ends on 13/3.
SAME = """
[campaign]
name = "same"
start = 2020-03-12
end = 2020-03-13
[[message]]
text = "Tải ứng dụng NCOVI."
[motion]
crossing_seconds = 4
[[output]]
profile = "576i50"
format = "fillkey"
loop = true
channels = ["HG1"]
[[output]]
profile = "576i50"
format = "fillkey"
loop = true
channels = ["HG2"]
"""


def _folder(base: Path, **campaigns: str) -> Path:
    cfg = base / "campaigns"
    cfg.mkdir(parents=True)
    for name, text in campaigns.items():
        (cfg / f"{name}.toml").write_text(text, encoding="utf-8")
    return cfg


def nightly(cfg: Path, out: Path, *args, status: int = 0) -> subprocess.CompletedProcess:
    return run_ticker("nightly", cfg, "-o", out, "--allow-unapproved", *args, cwd=cfg.parent, check_status=status)


def sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def manifest_matches(day_dir: Path) -> dict:
    """The manifest lists exactly the day's files, each with its checksum, size and decoded frame count."""
    manifest = json.loads((day_dir / "manifest.json").read_text(encoding="utf-8"))
    listed = {e["path"]: e for e in manifest["files"]}
    on_disk = {p.name for p in day_dir.iterdir() if p.name not in ("manifest.json", "nightly.log")}
    assert set(listed) == on_disk, "the folder holds the manifest's files and nothing else"
    for name, e in listed.items():
        assert sha256(day_dir / name) == e["sha256"] and (day_dir / name).stat().st_size == e["bytes"]
        assert stream_info(day_dir / name)["packets"] == e["frames"], name
        assert e["duration"] == pytest.approx(e["frames"] / 25)
    return manifest


def stats(folder: Path) -> dict:
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size)
        for p in folder.iterdir()
        if p.name != "nightly.log"
    }


@pytest.fixture(scope="module")
def first_night(tmp_path_factory):
    """The two campaigns rendered for 12/3 with two processes, once for the tests that read or copy it."""
    base = tmp_path_factory.mktemp("night")
    cfg = _folder(base, daily=DAILY, same=SAME)
    done = nightly(cfg, base / "out", "--date", DAY, "--jobs", 2)
    return base, done


def _copy(first_night, tmp_path) -> tuple[Path, Path]:
    base, _ = first_night
    shutil.copytree(base, tmp_path / "night")
    return tmp_path / "night" / "campaigns", tmp_path / "night" / "out"


def test_a_night_makes_the_day_and_a_manifest_that_matches_it(first_night):
    base, done = first_night
    assert "rendering 3 clip(s)" in done.stderr, "the pair both channels take is rendered once"
    manifest = manifest_matches(base / "out" / DAY)
    assert manifest["complete"] and manifest["date"] == DAY and not manifest["failed"] and not manifest["errors"]
    files = {e["path"]: e for e in manifest["files"]}
    assert set(files) == {
        "daily_576i50_prores4444_12s.mov",
        "daily_576i50_qtrle_loop.mov",
        "same_576i50_fillkey_loop.mov",
        "same_576i50_fillkey_loop_A.mov",
    }
    slot = files["daily_576i50_prores4444_12s.mov"]
    assert (slot["campaign"], slot["profile"], slot["format"], slot["frames"], slot["loop"], slot["slot"]) == (
        "daily",
        "576i50",
        "prores4444",
        300,
        False,
        ["06:30", "19:00"],
    )
    assert files["daily_576i50_qtrle_loop.mov"]["channels"] == ["HG1"]
    fill = files["same_576i50_fillkey_loop.mov"]
    assert fill["channels"] == ["HG1", "HG2"] and fill["key"] == "same_576i50_fillkey_loop_A.mov"
    assert files["same_576i50_fillkey_loop_A.mov"]["key_of"] == "same_576i50_fillkey_loop.mov"
    assert [(a["start"], a["files"]) for a in manifest["airings"]] == [
        ("2020-03-12T06:30:00+07:00", ["daily_576i50_prores4444_12s.mov", "daily_576i50_qtrle_loop.mov"]),
        ("2020-03-12T19:00:00+07:00", ["daily_576i50_prores4444_12s.mov", "daily_576i50_qtrle_loop.mov"]),
    ]
    assert "made daily_576i50_prores4444_12s.mov: 300 frames" in (base / "out" / DAY / "nightly.log").read_text()


def test_the_second_run_renders_nothing_and_touches_nothing(first_night, tmp_path):
    cfg, out = _copy(first_night, tmp_path)
    before = stats(out / DAY)
    done = nightly(cfg, out, "--date", DAY)
    assert stats(out / DAY) == before, "no clip and not the manifest is written again"
    assert "nothing to render: 3 clip(s) up to date" in done.stderr
    assert "nothing to render" in (out / DAY / "nightly.log").read_text()
    nightly(cfg, out, "--date", DAY, "--verify")  # checksums every kept file
    assert stats(out / DAY) == before


def test_a_changed_message_renders_its_campaign_again_and_no_other(first_night, tmp_path):
    cfg, out = _copy(first_night, tmp_path)
    before = stats(out / DAY)
    (cfg / "same.toml").write_text(SAME.replace("NCOVI.", "NCOVI ngay hôm nay."), encoding="utf-8")
    # and the daily campaign's loop is given up: its file goes
    (cfg / "daily.toml").write_text(
        DAILY.split('[[output]]\nprofile = "576i50"\nformat = "qtrle"')[0], encoding="utf-8"
    )
    done = nightly(cfg, out, "--date", DAY)
    assert "rendering 1 clip(s): same_576i50_fillkey_loop.mov" in done.stderr
    assert "removed daily_576i50_qtrle_loop.mov: no clip of the day needs it" in done.stderr
    after = stats(out / DAY)
    assert after["daily_576i50_prores4444_12s.mov"] == before["daily_576i50_prores4444_12s.mov"]
    for name in ("same_576i50_fillkey_loop.mov", "same_576i50_fillkey_loop_A.mov"):
        assert after[name][:2] != before[name][:2]
    manifest_matches(out / DAY)


def test_the_next_days_link_what_is_the_same_and_leave_finished_campaigns_alone(first_night, tmp_path):
    cfg, out = _copy(first_night, tmp_path)
    done = nightly(cfg, out, "--date", "2020-03-13")
    # {date} changes the daily campaign's text; the other's pictures are the same as yesterday's
    assert "2 made, 1 linked from another day, 0 up to date, 0 failed" in done.stderr
    assert (out / "2020-03-13" / "same_576i50_fillkey_loop.mov").stat().st_ino == (
        out / DAY / "same_576i50_fillkey_loop.mov"
    ).stat().st_ino
    assert framemd5(out / DAY / "daily_576i50_qtrle_loop.mov") != framemd5(
        out / "2020-03-13" / "daily_576i50_qtrle_loop.mov"
    )
    manifest_matches(out / "2020-03-13")

    done = nightly(cfg, out, "--date", "2020-03-14")
    assert {e["campaign"] for e in manifest_matches(out / "2020-03-14")["files"]} == {"daily"}
    assert "same: the window ended on 2020-03-13; left alone" in (out / "2020-03-14" / "nightly.log").read_text()

    done = nightly(cfg, out, "--date", "2020-03-20", "--keep-days", 6)
    assert "nothing to render: 0 clip(s)" in done.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["2020-03-14", "2020-03-20"], (
        "day folders more than 6 days before 20/3 are removed"
    )
    assert "removed 2020-03-13/: 7 days before 2020-03-20, beyond the 6 kept" in done.stderr

    # made far ahead, a run never removes the days still to air: it counts from today
    today = dt.date.today()
    (out / today.isoformat()).mkdir()
    (out / today.isoformat() / "manifest.json").write_text('{"files": []}')
    nightly(cfg, out, "--date", (today + dt.timedelta(days=60)).isoformat(), "--keep-days", 1)
    assert (out / today.isoformat()).is_dir()


def _slow(base: Path, seconds: tuple[int, int]) -> Path:
    """Two clips that take some seconds: every frame of an H.264 file is encoded."""
    slow = DAILY.replace('format = "prores4444"\nslots = true', f'format = "h264"\nseconds = {seconds[0]}').replace(
        'format = "qtrle"\nloop = true', f'format = "h264"\nseconds = {seconds[1]}'
    )
    return _folder(base, slow=slow)


def test_a_run_killed_mid_render_leaves_no_file_under_a_final_name(tmp_path):
    cfg, out = _slow(tmp_path, (32, 24)), tmp_path / "out"
    day_dir = out / DAY
    run = subprocess.Popen(
        [sys.executable, "-m", "ticker", "nightly", cfg, "-o", out, "--date", DAY, "--jobs", "2", "--allow-unapproved"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not (day_dir.is_dir() and list(day_dir.glob(".*.partial*"))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(day_dir.glob(".*.partial*")), "the render started"
    time.sleep(0.5)
    assert processes_naming(day_dir), "the run's processes hold the day folder"
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 20
    while processes_naming(day_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_naming(day_dir), "the workers and their encoders end with the run"
    assert not list(day_dir.glob("*.mp4")), "nothing under a final name"
    assert not (day_dir / "manifest.json").exists() or not json.loads((day_dir / "manifest.json").read_text())["files"]

    done = nightly(cfg, out, "--date", DAY, "--jobs", 2)
    assert "2 made" in done.stderr
    assert json.loads((day_dir / "manifest.json").read_text())["complete"]
    manifest_matches(day_dir)
    assert not list(day_dir.glob(".*")), "the killed run's temporary files are gone"


def test_two_runs_started_together_one_renders_and_the_other_says_who_holds_the_lock(tmp_path):
    cfg, out = _slow(tmp_path, (16, 12)), tmp_path / "out"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "ticker", "nightly", cfg, "-o", out, "--date", DAY, "--allow-unapproved"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(r.pid, r.wait(), r.stderr.read()) for r in runs]
    assert sorted(code for _, code, _ in results) == [0, 75]
    (winner,) = [pid for pid, code, _ in results if code == 0]
    (loser,) = [err for _, code, err in results if code == 75]
    assert loser.strip().splitlines() == [loser.strip()] and "Traceback" not in loser
    assert re.fullmatch(
        rf"ticker: {re.escape(str(out))}: another nightly run holds \.ticker-nightly\.lock "
        rf"\(pid {winner} on \S+, since \S+\); this run did nothing\.",
        loser.strip(),
    ), loser
    manifest_matches(out / DAY)


def test_a_bad_campaign_file_is_reported_and_the_others_are_made(tmp_path):
    cfg = _folder(
        tmp_path,
        same=SAME,
        broken=SAME.replace('name = "same"', 'name = "broken"').replace("[motion]", "[motion]\ngap = 9"),
    )
    done = nightly(cfg, tmp_path / "out", "--date", DAY, status=2)
    assert f"ticker: error: {cfg / 'broken.toml'}: motion.gap must be between 0.05 and 4 (got 9)." in done.stderr
    assert "Traceback" not in done.stderr
    manifest = manifest_matches(tmp_path / "out" / DAY)
    assert {e["campaign"] for e in manifest["files"]} == {"same"}
    assert not manifest["complete"] and manifest["errors"] == [
        f"{cfg / 'broken.toml'}: motion.gap must be between 0.05 and 4 (got 9)."
    ]


def test_a_campaign_with_its_own_font_and_logo_over_a_foreign_manifest(tmp_path):
    from PIL import Image

    cfg = _folder(
        tmp_path, own=SAME.replace("[motion]", '[style]\nfont = "fonts/Own.ttf"\nlogo = "logo.png"\n[motion]')
    )
    (cfg / "fonts").mkdir()
    shutil.copy(
        Path(__file__).resolve().parent.parent / "ticker" / "fonts" / "NotoSans-Regular.ttf", cfg / "fonts" / "Own.ttf"
    )
    Image.new("RGBA", (64, 64), (255, 200, 0, 255)).save(cfg / "logo.png")
    day_dir = tmp_path / "out" / DAY
    day_dir.mkdir(parents=True)
    (day_dir / "manifest.json").write_text('{"files": [{"path": "../../x", "inputs": 3}, "junk"]}')
    done = nightly(cfg, tmp_path / "out", "--date", DAY)
    assert "1 made" in done.stderr
    (fill, _key) = manifest_matches(day_dir)["files"]
    assert fill["path"] == "same_576i50_fillkey_loop.mov"


def test_a_job_is_refused_where_it_would_make_another_file(tmp_path):
    cfg = _folder(tmp_path, same=SAME)
    campaign = load_campaign(cfg / "same.toml")
    output = Output("576i50", "fillkey", loop=True, seconds=None)
    job = Job("0" * 64, Snapshot.of(campaign, output), output, None, str(tmp_path / "dest"), str(cfg / "same.toml"))
    outcome = run(job, str(tmp_path))
    assert outcome.status == 1 and "this machine would make a different file" in outcome.error
    assert not (tmp_path / "dest").exists()


def test_a_dask_cluster_makes_the_same_files(first_night, tmp_path, monkeypatch):
    from dask import distributed  # installed with the test extras: never skipped

    base, _ = first_night
    monkeypatch.setenv("TICKER_PUBLISH_ROOT", str(tmp_path))  # the workers' root, as README's farm sets it
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl:
        done = nightly(base / "campaigns", tmp_path / "farm", "--date", DAY, "--scheduler", cl.scheduler_address)
    assert f"Dask scheduler {cl.scheduler_address}" in done.stderr and "rendering 3 clip(s)" in done.stderr
    farm = manifest_matches(tmp_path / "farm" / DAY)
    local = json.loads((base / "out" / DAY / "manifest.json").read_text())
    assert [e["path"] for e in farm["files"]] == [e["path"] for e in local["files"]]
    for e in farm["files"]:
        assert framemd5(tmp_path / "farm" / DAY / e["path"]) == framemd5(base / "out" / DAY / e["path"]), e["path"]


@pytest.mark.slow
def test_hau_giang_night_of_12_march(tmp_path):
    done = nightly(CONFIGS, tmp_path / "out", "--date", DAY, "--jobs", 2, "--records", tmp_path / "records")
    manifest = manifest_matches(tmp_path / "out" / DAY)
    assert sorted(e["path"] for e in manifest["files"]) == [
        "haugiang-ncovi_1080i50_prores4444_loop.mov",
        "haugiang-ncovi_576i50_prores4444_loop.mov",
    ]
    assert all(e["slot"] == ["06:30", "11:30", "19:45"] for e in manifest["files"])
    assert "pc-covid: the window starts on 2021-11-15" in (tmp_path / "out" / DAY / "nightly.log").read_text()
    assert "2 made" in done.stderr
