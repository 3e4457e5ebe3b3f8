"""The command as a user meets it: listings, JSON, checks, and one clear sentence for bad input."""

from __future__ import annotations

import contextlib
import json
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.campaigns import HAU_GIANG, MINIMAL, PC_COVID, shortened, write_campaign
from support.running import run_ticker, run_ticker_process


def _bad_input(tmp_path, *args):
    out = tmp_path / "out"
    done = run_ticker(*args, "-o", out, cwd=tmp_path, check_status=2)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert not out.exists() or not any(out.iterdir()), "nothing is written for bad input"
    return lines[0]


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def test_profiles_lists_every_profile_with_size_rate_scan_and_aspect(tmp_path):
    out = run_ticker("profiles", cwd=tmp_path).stdout
    for line in (
        "1080i50       1920x1080  25     interlaced, top field first  16:9    1:1",
        "576i50        720x576    25     interlaced, top field first  16:9    64:45",
        "576i50-4x3    720x576    25     interlaced, top field first  4:3     16:15",
        "1080x1920p25  1080x1920  25     progressive                  9:16    1:1",
    ):
        assert line in out
    for pid in ("1080p50", "1080p25", "720p50"):
        assert pid in out


# `ticker profiles` in a fresh interpreter: the listing, then the names of every module it imported
IMPORTED = (
    "import json, sys; from ticker.cli.commands import main; status = main(['profiles']); "
    "print(json.dumps({'status': status, 'modules': sorted(sys.modules)}), file=sys.stderr)"
)


def test_profiles_starts_without_the_letters_readers_the_desk_or_the_encoders(tmp_path):
    done = subprocess.run([sys.executable, "-c", IMPORTED], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "576i50-4x3" in done.stdout
    found = json.loads(done.stderr.strip().splitlines()[-1])
    assert found["status"] == 0
    packages = {name.partition(".")[0] for name in found["modules"]}
    assert "ticker" in packages and "ticker.cli.commands" in found["modules"]
    assert packages.isdisjoint({"docx", "pypdf", "fastapi", "starlette", "uvicorn", "av", "numpy"}), sorted(
        packages & {"docx", "pypdf", "fastapi", "starlette", "uvicorn", "av", "numpy"}
    )


def test_check_validates_without_rendering_and_names_the_layout_engine(tmp_path):
    out = run_ticker("check", HAU_GIANG, cwd=tmp_path).stdout
    assert "layout engine: raqm" in out and "NotoSans-Bold.ttf" in out and out.strip().endswith("ok")
    assert list(tmp_path.iterdir()) == []


def test_render_json_describes_each_output(tmp_path):
    done = run_ticker(
        "render",
        PC_COVID,
        "-o",
        tmp_path / "o",
        "--profile",
        "720p50",
        "--format",
        "qtrle",
        "--seconds",
        "3",
        "--speed",
        "2000",
        "--text",
        "Xin chào",
        "--json",
        cwd=tmp_path,
    )
    (o,) = json.loads(done.stdout)["outputs"]
    assert set(o) == {
        "path",
        "key",
        "fill",
        "target",
        "profile",
        "format",
        "frames",
        "encoded",
        "fps",
        "width",
        "height",
        "interlaced",
        "loop",
        "speed_px_per_s",
        "seconds",
        "band_y",
        "band_height",
        "crawl",
        "layers",
        "qr_url",
    }
    assert o["key"] is None and o["fill"] is None
    assert 0 < o["encoded"] < o["frames"], "a timed qtrle clip encodes its repeating period once"
    assert set(o["layers"]) == {"label", "qr"} and o["qr_url"] == "https://pccovid.gov.vn/"
    assert (o["frames"], o["fps"], o["width"], o["height"], o["loop"]) == (150, 50, 1280, 720, False)
    assert o["speed_px_per_s"] == 2000


def test_an_output_folder_that_is_a_file_is_bad_input(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    done = run_ticker("render", HAU_GIANG, "-o", blocker, cwd=tmp_path, check_status=2)
    assert "cannot write the output there" in done.stderr and "Traceback" not in done.stderr


def test_a_render_that_fails_midway_leaves_no_file(tmp_path):
    """ffmpeg runs out of room halfway (a 3 MB file size limit): exit 1, nothing under any name."""
    out = tmp_path / "out"
    limit = 3 << 20
    done = run_ticker_process(
        "render",
        shortened(HAU_GIANG, tmp_path / "campaign", crossing=6),  # half the loop, still past the limit, readable
        "-o",
        out,
        "--profile",
        "576i50",
        "--format",
        "prores4444",
        "--loop",
        cwd=tmp_path,
        check_status=1,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
    )
    assert "Traceback" not in done.stderr and "ffmpeg" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert list(out.iterdir()) == []


def _encoding(folder: Path) -> bool:
    """Whether a clip (or a run of one) in a workspace under `folder` holds bytes: ffmpeg is writing it."""
    with contextlib.suppress(OSError):
        return any(".mov" in p.name and p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return False


def test_ctrl_c_mid_render_publishes_nothing_and_stops_ffmpeg(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ticker", "render", str(HAU_GIANG), "-o", str(out), "--profile", "1080i50"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not _encoding(out) and time.monotonic() < deadline:
        time.sleep(0.1)  # until ffmpeg has written into the partial file
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted; nothing was published" in err
    assert list(out.iterdir()) == []
    still_running = [p for p in Path("/proc").glob("[0-9]*/cmdline") if str(out).encode() in _read_or_empty(p)]
    assert still_running == [], "an ffmpeg still writes into the output folder"


@pytest.mark.parametrize("char, code", [("😀", "U+1F600"), ("漢", "U+6F22"), ("\u200b", "U+200B")])
def test_a_character_the_font_lacks_stops_the_render(tmp_path, char, code):
    line = _bad_input(tmp_path, "render", HAU_GIANG, "--text", f"Đề nghị người dân {char} tải ứng dụng")
    assert code in line and "column 19" in line and "NotoSans-Bold" in line


def test_a_character_the_font_lacks_in_the_campaign_names_the_message_and_line(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(HAU_GIANG.read_text(encoding="utf-8").replace("phòng dịch", "phòng ☃ dịch"), encoding="utf-8")
    line = _bad_input(tmp_path, "render", cfg)
    assert "message[1]" in line and "U+2603" in line and str(cfg) in line


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("[style]\nsise = 0.05\n", "style.sise is not a known key (did you mean 'size'?)"),
        ("[style]\nsize = 'big'\n", "style.size must be a number, not str 'big'"),
        ("[style]\nsize = 3\n", "style.size must be between 0.02 and 0.2 (got 3)"),
        ("[style]\nposition = 'middle'\n", "style.position must be one of top, bottom"),
        ("[style]\ncolor = 'blurple'\n", "style.color is not a colour"),
        ("[motion]\nspeed = 3\n", "motion.speed is not a known key"),
        ("[[output]]\nprofile = '1080i60'\nformat = 'qtrle'\nloop = true\n", "output[1].profile must be one of"),
        (
            "[[output]]\nprofile = '1080i50'\nformat = 'qtrle'\n",
            "needs one of loop = true, seconds = N or slots = true",
        ),
        ("[campain]\n", "campain is not a known key (did you mean 'campaign'?)"),
        ("[style\n", "not valid TOML"),
        ("[style]\nband_color = 'rgb(300,0,0)'\n", "style.band_color is not a colour"),
        ("[style]\nbackground = 'bad.toml'\n", "which is not a readable picture"),
        ("[style]\nbackground = 'nothing.png'\n", "style.background is neither a colour nor an existing picture"),
    ],
)
def test_a_wrong_campaign_file_gets_one_sentence_naming_file_and_key(tmp_path, extra, expected):
    cfg = write_campaign(tmp_path, extra, name="bad.toml")
    line = _bad_input(tmp_path, "render", cfg)
    assert line.startswith(f"ticker: {cfg}: ") and expected in line, line


def test_end_before_start_and_missing_file(tmp_path):
    cfg = write_campaign(tmp_path, base=MINIMAL.replace("end = 2020-03-15", "end = 2020-03-01"))
    assert "campaign.end is before campaign.start" in _bad_input(tmp_path, "render", cfg)
    assert "no such campaign file" in _bad_input(tmp_path, "render", tmp_path / "missing.toml")


@pytest.mark.parametrize("value", ["nan", "inf", "0"])
def test_seconds_must_be_a_sensible_length(tmp_path, value):
    assert "--seconds" in _bad_input(tmp_path, "render", HAU_GIANG, "--seconds", value)


def test_too_short_for_one_pass_says_how_long_it_must_be(tmp_path):
    line = _bad_input(tmp_path, "render", HAU_GIANG, "--profile", "1080p50", "--format", "qtrle", "--seconds", "10")
    assert "too short for one pass" in line and "at least" in line
