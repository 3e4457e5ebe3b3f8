"""`ticker watch` on a live channel: a programme with the crawl inserted sent over UDP on 127.0.0.1 by ffmpeg in
real time (`-re`, no initial burst), watched by a real `ticker watch` process, stopped with SIGTERM: the airing
is on the sender's clock within half a second, the span watched is recorded, a stream that stops for two
seconds leaves that time not watched, a scheduled airing not seen raises the alarm once, and the status file
says what a monitoring system reads."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

import pytest

from ticker.encode.ffmpeg_args import ffmpeg_exe

from support.desk_server import free_port
from support.programmes import Insert, overlaid
from support.running import run_ticker

TODAY = dt.date.today()
CAMPAIGN = f"""[campaign]
name = "ncovi"
start = {TODAY - dt.timedelta(days=2)}
end = {TODAY + dt.timedelta(days=2)}
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI để khai báo y tế."
[motion]
crossing_seconds = 4
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("live")
    folder = base / "campaigns"
    folder.mkdir()
    (folder / "c.toml").write_text(CAMPAIGN, encoding="utf-8")
    run_ticker("render", folder / "c.toml", "-o", base, cwd=base)
    loop = base / "ncovi_576i50_qtrle_loop.mov"
    programme = overlaid(base, loop, seconds=7, inserts=[Insert(1.2, 5.6)])
    quiet = overlaid(base / "quiet", loop, seconds=3, inserts=[])
    mpeg2 = overlaid(base / "mpeg2", loop, seconds=3, inserts=[], codec="mpeg2")
    sound = base / "sound-only.ts"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=frequency=1000:duration=1.5", "-c:a", "mp2",
                    "-f", "mpegts", str(sound)], check=True)  # fmt: skip
    return {"base": base, "folder": folder, "programme": programme, "quiet": quiet, "mpeg2": mpeg2, "sound": sound}


def send(path: Path, port: int, *more: str) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-re", "-readrate_initial_burst", "0",
                    *more, "-i", str(path), "-c", "copy", "-f", "mpegts", f"udp://127.0.0.1:{port}?pkt_size=1316"],
                   check=True)  # fmt: skip


def watching(made: dict, port: int, records: Path, notify: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ, **({"NOTIFY_SOCKET": str(notify)} if notify else {}))
    watcher = subprocess.Popen(
        [sys.executable, "-m", "ticker", "watch", str(made["folder"]), f"udp://127.0.0.1:{port}", "--channel", "HGTV",
         "--records", str(records)],
        cwd=made["base"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not _listening(port):  # the process up, its socket open (as the kernel lists it)
        assert watcher.poll() is None and time.monotonic() < deadline, "the watch did not open its socket"
        time.sleep(0.05)
    time.sleep(0.2)
    return watcher


def _listening(port: int) -> bool:
    """Whether a UDP socket of this machine is bound to the port (/proc/net/udp: local address as IP:PORT, hex)."""
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as f:
            if any(line.split()[1].endswith(f":{port:04X}") for line in list(f)[1:]):
                return True
    return False


def stop(watcher: subprocess.Popen) -> tuple[int, str]:
    time.sleep(1.5)
    watcher.send_signal(signal.SIGTERM)
    _, err = watcher.communicate(timeout=30)
    return watcher.returncode, err


def lines(records: Path) -> list[dict]:
    found = []
    for f in sorted(records.glob("*/watch@HGTV*.jsonl")):
        found += [json.loads(t) for t in f.read_text(encoding="utf-8").splitlines()]
    return found


def moment(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


@pytest.mark.slow
def test_an_airing_on_a_live_channel_is_on_the_senders_clock_and_one_missed_raises_the_alarm(made):
    zone = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    due = dt.datetime.now(zone) - dt.timedelta(minutes=7)  # a scheduled airing nothing aired for
    later = dt.datetime.now(zone) + dt.timedelta(minutes=5)  # the next one
    if not due.date() == later.date() == dt.datetime.now(zone).date():
        pytest.skip("near midnight: the airings would not all be today's")
    folder = made["base"] / "campaigns-live"
    folder.mkdir()
    slot = f'\n[[slot]]\nat = ["{due:%H:%M}", "{later:%H:%M}"]\nseconds = 20\nchannels = ["HGTV"]\n'
    (folder / "c.toml").write_text(CAMPAIGN + slot, encoding="utf-8")
    records, port = made["base"] / "records-live", free_port()
    watcher = watching(dict(made, folder=folder), port, records)
    sent = time.time()
    send(made["programme"].path, port)
    send(made["quiet"].path, port)  # the stream goes on: the alarm is not said again
    status, err = stop(watcher)
    assert status == 0 and "stopped; what was seen is recorded" in err and "Traceback" not in err
    (airing,) = [x for x in lines(records) if x["kind"] == "airing"]
    assert abs(moment(airing["start"]) - (sent + 1.2)) < 0.5, (airing["start"], sent)
    assert abs(moment(airing["end"]) - (sent + 5.6)) < 0.5, (airing["end"], sent)
    assert airing["clock"]["basis"] == "stream" and airing["passes"] >= 1
    spans = [x for x in lines(records) if x["kind"] == "covered"]
    assert spans and moment(spans[0]["start"]) < sent + 0.6 and moment(spans[-1]["end"]) > sent + 6
    said = f"alarm: ncovi: the airing of {due:%H:%M} was not seen on air a minute after its start"
    assert err.count(said) == 1, err
    state = json.loads((records / "status-HGTV.json").read_text(encoding="utf-8"))
    assert state["channel"] == "HGTV" and state["airings_today"] == 1 and state["last_picture"]
    assert state["next_airing"] == f"{later:%Y-%m-%dT%H:%M}:00+07:00 ncovi" and state["continuity_errors"] <= 2
    # (the second sender's packets start each PID's counter anew: the video's and the sound's, unless by chance)
    assert state["alarms"] == [said.removeprefix("alarm: ")]


@pytest.mark.slow
def test_two_seconds_without_signal_are_not_watched_and_systemd_hears_it_is_alive(made, tmp_path):
    records, port = made["base"] / "records-gap", free_port()
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:  # as systemd listens to a Type=notify unit
        systemd.bind(str(tmp_path / "notify"))
        watcher = watching(made, port, records, notify=tmp_path / "notify")
        send(made["programme"].path, port, "-t", "3")
        time.sleep(2)
        send(made["programme"].path, port, "-ss", "4")
        status, err = stop(watcher)
        systemd.setblocking(False)
        heard = []
        with contextlib.suppress(BlockingIOError):
            while True:
                heard.append(systemd.recv(4096).decode())
    assert status == 0 and "Traceback" not in err
    spans = sorted((moment(x["start"]), moment(x["end"])) for x in lines(records) if x["kind"] == "covered")
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(spans)]
    assert len(spans) >= 2 and max(gaps) > 1.5, spans
    assert heard[0].startswith("READY=1\nSTATUS=HGTV: watching udp://127.0.0.1:"), heard
    assert sum(m.startswith("WATCHDOG=1") for m in heard) >= 3 and heard[-1].startswith("STOPPING=1"), heard
    assert any("STATUS=HGTV watched, last picture" in m for m in heard), heard


@pytest.mark.slow
def test_garbage_a_stream_without_video_and_a_change_of_format_are_each_said_once_and_watching_goes_on(made):
    """Random bytes, then a programme of sound alone, then the channel (the crawl on it), then the channel in
    another format (MPEG-2 after H.264) on the same address: the airing is found, each fault said once, and the
    channel in its new format watched."""
    records, port = made["base"] / "records-faults", free_port()
    watcher = watching(made, port, records)
    noise = os.urandom(1316 * 400)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        for k in range(0, len(noise), 1316):  # about half a megabyte in a second
            udp.sendto(noise[k : k + 1316], ("127.0.0.1", port))
            time.sleep(0.0025)
    send(made["sound"], port)
    time.sleep(2.5)  # watching again after its pause
    send(made["programme"].path, port)
    changed = time.time()
    send(made["mpeg2"].path, port)
    send(made["mpeg2"].path, port)
    status, err = stop(watcher)
    assert status == 0 and "Traceback" not in err, err
    faults = [line for line in err.splitlines() if line.startswith("ticker: HGTV: ")]
    assert len(faults) == len(set(faults)), err  # each said once
    assert sum("none of its programmes has video" in line for line in faults) == 1, err
    assert sum("service 1 changed its streams" in line for line in faults) == 1, err
    assert len([x for x in lines(records) if x["kind"] == "airing"]) == 1
    spans = [x for x in lines(records) if x["kind"] == "covered"]
    assert moment(spans[-1]["end"]) > changed + 4, (spans, changed)  # the new format watched too


@pytest.mark.slow
def test_an_encrypted_srt_stream_is_watched_and_its_passphrase_never_said(made):
    """ffmpeg sends as an SRT listener with a passphrase; ticker calls it with the passphrase from a file."""
    records, port = made["base"] / "records-srt", free_port()
    secret = made["base"] / "srt-passphrase"
    secret.write_text("chạy chữ 2020\n", encoding="utf-8")
    url = f"srt://127.0.0.1:{port}?mode=listener&passphrase={'chạy chữ 2020'.replace(' ', '%20')}&pkt_size=1316"
    sender = subprocess.Popen([ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-re",
                               "-readrate_initial_burst", "0", "-i", str(made["programme"].path), "-c", "copy",
                               "-f", "mpegts", url])  # fmt: skip
    watcher = subprocess.Popen(
        [sys.executable, "-m", "ticker", "watch", str(made["folder"]), f"srt://127.0.0.1:{port}", "--channel", "HGTV",
         "--records", str(records), "--srt-mode", "caller", "--srt-latency", "120", "--srt-passphrase-file",
         str(secret)],
        cwd=made["base"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        sender.wait(timeout=60)
    finally:
        sender.kill()
    status, err = stop(watcher)
    assert status == 0 and "Traceback" not in err, err
    (airing,) = [x for x in lines(records) if x["kind"] == "airing"]
    assert airing["passes"] >= 1 and abs(airing["stream"][1] - airing["stream"][0] - 4.4) <= 0.08
    assert any(name.startswith("evidence/clips/") for name in airing["evidence"])
    state = (records / "status-HGTV.json").read_text(encoding="utf-8")
    assert "chạy" not in err and "chạy" not in state and json.loads(state)["stream"] == f"srt://127.0.0.1:{port}"
