"""SIGTERM, what systemd sends when it stops the nightly service (to the whole control group) or an operator's
`kill`: the run ends as it does on Ctrl-C, saying so, with nothing under a final name and no temporaries left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.campaigns import write_campaign
from support.processes import processes_naming

SLOW = """
[campaign]
name = "slow"
start = 2020-03-01
end = 2020-03-31
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."
[motion]
crossing_seconds = 4
[[output]]
profile = "576i50"
format = "h264"
seconds = 300
[[output]]
profile = "576i50"
format = "qtrle"
seconds = 300
"""


def _started(folder: Path, timeout: float = 60) -> None:
    """Until a render has written into its workspace."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.is_dir() and any(p.iterdir()) for p in folder.glob(".*.partial")):
            time.sleep(0.3)
            return
        time.sleep(0.05)
    raise AssertionError("the render did not start")


def test_sigterm_stops_a_render_with_one_sentence_and_leaves_nothing(tmp_path):
    campaign, out = write_campaign(tmp_path, base=SLOW, name="slow.toml"), tmp_path / "out"
    run = subprocess.Popen(
        [sys.executable, "-m", "ticker", "render", campaign, "-o", out, "--straight"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    _started(out)
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 143, stderr
    assert stderr.strip().splitlines()[-1] == "ticker: stopped (SIGTERM); nothing half-made was published."
    assert "Traceback" not in stderr
    assert list(out.iterdir()) == []


def test_sigterm_to_a_nightly_services_group_leaves_no_temporaries_and_no_processes(tmp_path):
    campaign, out = write_campaign(tmp_path, base=SLOW, name="slow.toml"), tmp_path / "out"
    day_dir = out / "2020-03-12"
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ticker",
            "nightly",
            campaign,
            "-o",
            out,
            "--date",
            "2020-03-12",
            "--jobs",
            "2",
            "--allow-unapproved",
        ],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, as a service's control group
    )
    _started(day_dir)
    assert processes_naming(day_dir), "the run's processes hold the day folder"
    os.killpg(run.pid, signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 143, stderr
    assert "ticker: stopped (SIGTERM); nothing half-made was published." in stderr and "Traceback" not in stderr
    deadline = time.monotonic() + 20
    while processes_naming(day_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_naming(day_dir)
    assert not list(day_dir.glob(".*.partial*")) and not list(day_dir.glob("*.m*"))
