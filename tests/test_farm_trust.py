"""A farm that checks what it is sent, as an operator sets one up from the README: a Dask scheduler and worker
over TLS with the farm's own certificates, the worker publishing only under TICKER_PUBLISH_ROOT, and a killed
`ticker nightly` whose jobs publish nothing afterwards; a job whose run is gone when its render ends publishes
nothing; a font that is not a font is refused before any job is sent."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ticker.campaign.config import Output, load_campaign
from ticker.night.jobs import Job, Snapshot, recipe_key, run

from support.media import stream_info
from support.running import run_ticker_process

DAY = "2020-03-12"
TINY = """
[campaign]
name = "NAME"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Tải ứng dụng NCOVI."
[motion]
crossing_seconds = 2
[[output]]
profile = "576i50"
"""
LOOP = 'format = "qtrle"\nloop = true\n'
DASK = [sys.executable, "-m", "dask"]  # `dask scheduler`, `dask worker` of this environment


def _folder(base: Path, name: str, output: str = LOOP, style: str = "") -> Path:
    cfg = base / f"cfg-{name}"
    cfg.mkdir(parents=True)
    (cfg / "c.toml").write_text(TINY.replace("NAME", name) + output + style, encoding="utf-8")
    return cfg


def test_a_job_whose_run_is_gone_when_its_render_ends_publishes_nothing(tmp_path):
    """The lease is live when the job starts and is removed while it renders (as a killed run's goes stale)."""
    out, day = tmp_path / "out", tmp_path / "out" / DAY
    day.mkdir(parents=True)
    campaign = load_campaign(_folder(tmp_path, "gone") / "c.toml")
    output = Output("576i50", "qtrle", loop=True, seconds=None)
    token = "5e" * 16
    lease = out / f".ticker-lease.{token}"
    lease.write_text(token)
    job = Job(
        recipe_key(campaign, output, None), Snapshot.of(campaign, output), output, None, str(day), "c.toml", str(lease)
    )

    def the_run_dies() -> None:
        while not any(p.name.endswith(".partial") for p in day.iterdir()):
            time.sleep(0.01)
        lease.unlink()

    dying = threading.Thread(target=the_run_dies, daemon=True)
    dying.start()
    outcome = run(job, str(out))
    dying.join(timeout=5)
    assert outcome.result is None and outcome.status == 1
    assert outcome.error == (
        f"c.toml: not published: the nightly run that asked for it is gone (its lease {lease} was removed)."
    )
    assert list(day.iterdir()) == [], "no file under a final name, no temporary left"


def test_nightly_refuses_a_font_that_is_not_a_font_before_sending_it(tmp_path):
    cfg = _folder(tmp_path, "notafont", style='[style]\nfont = "Own.ttf"\n')
    (cfg / "Own.ttf").write_text("root:*:19000:0:99999:7:::\n")
    done = run_ticker_process(
        "nightly",
        cfg,
        "-o",
        tmp_path / "out",
        "--date",
        DAY,
        "--allow-unapproved",
        cwd=tmp_path,
        check_status=2,
        timeout=120,
    )
    # refused where the campaign is read, before any job is packed: named in one sentence, left out
    errors = [line for line in done.stderr.splitlines() if line.startswith("ticker: error: ")]
    assert len(errors) == 1 and str(cfg / "c.toml") in errors[0] and "Own.ttf" in errors[0], done.stderr
    assert "Traceback" not in done.stderr
    manifest = json.loads((tmp_path / "out" / DAY / "manifest.json").read_text())
    assert manifest["files"] == [] and len(manifest["errors"]) == 1 and "Own.ttf" in manifest["errors"][0]


def _certificates(folder: Path) -> dict[str, Path]:
    """The farm's own CA and one certificate it signs, made with openssl as the README makes them."""
    folder.mkdir()

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ticker-farm-ca",
            "-keyout", "ca.key", "-out", "ca.pem")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=ticker-farm", "-keyout", "farm.key",
            "-out", "farm.csr")  # fmt: skip
    openssl("x509", "-req", "-in", "farm.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-out", "farm.pem")  # fmt: skip
    return {"ca": folder / "ca.pem", "cert": folder / "farm.pem", "key": folder / "farm.key"}


@pytest.fixture(scope="module")
def farm(tmp_path_factory) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """A TLS scheduler and one worker started as the README starts them (the worker's root: ROOT/shared); the
    root, the scheduler's address and the environment that gives `ticker nightly` its client certificates."""
    root = tmp_path_factory.mktemp("farm")
    (root / "shared").mkdir()
    certs = _certificates(root / "tls")
    tls = ["--tls-ca-file", certs["ca"], "--tls-cert", certs["cert"], "--tls-key", certs["key"]]
    scheduler = [*DASK, "scheduler", "--protocol", "tls", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
    started: list[subprocess.Popen] = []
    with contextlib.ExitStack() as logs:
        try:
            started.append(
                subprocess.Popen(
                    [*scheduler, "--scheduler-file", root / "scheduler.json", *tls],
                    stdout=subprocess.DEVNULL,
                    stderr=logs.enter_context(open(root / "scheduler.log", "w")),
                )
            )
            address = _address(root / "scheduler.json")
            assert address.startswith("tls://")
            started.append(
                subprocess.Popen(
                    [*DASK, "worker", address, "--nthreads", "1", "--no-dashboard", *tls],
                    env={**os.environ, "TICKER_PUBLISH_ROOT": str(root / "shared")},
                    stdout=subprocess.DEVNULL,
                    stderr=logs.enter_context(open(root / "worker.log", "w")),
                )
            )
            client = {
                "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(certs["ca"]),
                "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(certs["cert"]),
                "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(certs["key"]),
                "DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION": "true",
            }
            yield root, address, client
        finally:
            for p in reversed(started):
                p.terminate()
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


def _address(scheduler_file: Path) -> str:
    """The address a scheduler wrote in its file, once it has written it whole."""
    for _ in range(600):
        with contextlib.suppress(OSError, ValueError, KeyError):
            return json.loads(scheduler_file.read_text())["address"]
        time.sleep(0.1)
    raise AssertionError("the scheduler did not start in 60 s")


def _nightly(cfg: Path, out: Path, address: str, env: dict[str, str], status: int) -> subprocess.CompletedProcess:
    return run_ticker_process(
        "nightly", cfg, "-o", out, "--date", DAY, "--scheduler", address, "--allow-unapproved",
        cwd=cfg.parent, check_status=status, timeout=180, env={**os.environ, **env},
    )  # fmt: skip


def test_nightly_over_tls_publishes_only_inside_the_workers_root(farm):
    root, address, client = farm
    cfg = _folder(root, "tls")
    done = _nightly(cfg, root / "shared" / "crawls", address, client, 0)
    assert "1 made" in done.stderr
    day = root / "shared" / "crawls" / DAY
    (entry,) = json.loads((day / "manifest.json").read_text())["files"]
    assert stream_info(day / entry["path"])["packets"] == entry["frames"]
    assert sorted(p.name for p in (root / "shared" / "crawls").iterdir()) == [".ticker-nightly.lock", DAY]
    # an OUT the worker was not started with: every job refused, nothing there but the run's own files
    done = _nightly(cfg, root / "elsewhere", address, client, 1)
    assert (
        f"failed: tls_576i50_qtrle_loop.mov: {cfg / 'c.toml'}: refused: it would publish in "
        f"{(root / 'elsewhere' / DAY).resolve()}, which is not inside this worker's publishing root "
        f"{(root / 'shared').resolve()} (TICKER_PUBLISH_ROOT)." in done.stderr
    )
    assert sorted(p.name for p in (root / "elsewhere" / DAY).iterdir()) == ["manifest.json", "nightly.log"]
    # without its certificates the client says which settings it needs
    done = _nightly(cfg, root / "shared" / "uncertified", address, {}, 2)
    assert (
        f"ticker: --scheduler {address}: TLS needs this client's certificates: set "
        f"DASK_DISTRIBUTED__COMM__TLS__CA_FILE and DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT" in done.stderr
    )


def test_a_killed_nightly_run_publishes_nothing_afterwards(farm):
    """SIGKILL while the worker renders; the lease it leaves is then as old as a dead run's gets (the clock is
    moved on for it rather than waited for); the worker finishes its render and publishes nothing."""
    root, address, client = farm
    cfg = _folder(root, "killed", output='format = "h264"\nseconds = 20\n')
    out = root / "shared" / "killed"
    day = out / DAY
    env = {**os.environ, **client}
    command = [
        sys.executable,
        "-m",
        "ticker",
        "nightly",
        cfg,
        "-o",
        out,
        "--date",
        DAY,
        "--scheduler",
        address,
        "--allow-unapproved",
    ]
    runner = subprocess.Popen(list(map(str, command)), cwd=root, env=env, stderr=subprocess.DEVNULL)

    def partials() -> list[Path]:
        return [p for p in day.iterdir() if p.name.endswith(".partial")] if day.exists() else []

    try:
        deadline = time.monotonic() + 120
        while not partials() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert partials(), "the worker started the render"
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait(timeout=10)
    (lease,) = out.glob(".ticker-lease.*")
    os.utime(lease, (time.time() - 60, time.time() - 60))
    deadline = time.monotonic() + 120
    while partials() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    assert sorted(p.name for p in day.iterdir()) == ["nightly.log"], "no clip under its name, no temporary left"
