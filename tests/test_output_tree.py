"""The playout folder is a share others can write to: nightly and render never follow a link in it, never
write through one, never delete through one, and publish another day's file only if it is the one its manifest
describes. Each case is a hole a probe found (../shared/reports/reliability-2026-12.md, defects 1–3, 7–9, 12)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ticker.campaign.config import load_campaign
from ticker.campaign.outputs import outputs_for
from ticker.files import playout_tree
from ticker.night import nightly as night_of
from ticker.night.jobs import recipe_key

from support.campaigns import ONE_CLIP, ONE_CLIP_FILE, untouched, victim, write_campaign
from support.desk_server import free_port
from support.running import run_ticker, run_ticker_process

DAY = "2020-03-12"
ONE, CLIP = ONE_CLIP, ONE_CLIP_FILE


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("ticker: ") and "warning" not in line]
    assert "Traceback" not in stderr and lines, stderr
    return lines[-1]


@pytest.fixture
def campaign(tmp_path) -> Path:
    return write_campaign(tmp_path, base=ONE, name="one.toml")


def nightly(campaign: Path, out: Path, *more: str, status: int = 0):
    return run_ticker(
        "nightly",
        campaign,
        "-o",
        out,
        "--date",
        DAY,
        "--allow-unapproved",
        *more,
        cwd=campaign.parent,
        check_status=status,
    )


def test_a_day_folder_that_is_a_link_is_refused_and_its_target_left_alone(tmp_path, campaign):
    target, out = victim(tmp_path), tmp_path / "OUT"
    out.mkdir()
    (out / DAY).symlink_to(target, target_is_directory=True)
    done = nightly(campaign, out, status=2)
    sentence = one_sentence(done.stderr)
    assert f"{out / DAY}: is a link" in sentence and "did nothing" in sentence
    assert untouched(target)


def test_a_day_folder_that_is_a_file_is_one_sentence(tmp_path, campaign):
    out = tmp_path / "OUT"
    out.mkdir()
    (out / DAY).write_text("not a folder")
    done = nightly(campaign, out, status=2)
    assert f"{out / DAY}: is a file" in one_sentence(done.stderr)
    assert (out / DAY).read_text() == "not a folder"


def test_a_lock_that_is_a_link_is_refused_and_its_target_not_written(tmp_path, campaign):
    secret, out = tmp_path / "secret.conf", tmp_path / "OUT"
    secret.write_text("keep me")
    out.mkdir()
    (out / ".ticker-nightly.lock").symlink_to(secret)
    done = nightly(campaign, out, status=2)
    assert ".ticker-nightly.lock: is a link" in one_sentence(done.stderr)
    assert secret.read_text() == "keep me" and not (out / DAY).exists()


def test_a_log_that_is_a_link_is_replaced_by_a_file_and_its_target_not_appended_to(tmp_path, campaign):
    app, out = tmp_path / "app.conf", tmp_path / "OUT"
    app.write_text("a=1\n")
    (out / DAY).mkdir(parents=True)
    (out / DAY / "nightly.log").symlink_to(app)
    nightly(campaign, out)
    assert app.read_text() == "a=1\n"
    log = out / DAY / "nightly.log"
    assert not log.is_symlink() and "made one_576i50_qtrle_loop.mov" in log.read_text()


def test_render_never_writes_through_links_planted_under_temporary_or_final_names(tmp_path, campaign):
    target, out = tmp_path / "target.bin", tmp_path / "OUT"
    target.write_bytes(b"keep me")
    out.mkdir()
    # the names an older ticker would have used, for the PIDs to come, and the final name itself
    for pid in range(os.getpid(), os.getpid() + 300):
        (out / f".{CLIP}.{pid}.partial").symlink_to(target)
    (out / CLIP).symlink_to(target)
    run_ticker("render", campaign, "-o", out, "--loop", "--speed", "800", cwd=tmp_path)
    assert target.read_bytes() == b"keep me"
    assert not (out / CLIP).is_symlink() and (out / CLIP).read_bytes()[4:8] == b"ftyp"
    assert sorted(p.name for p in out.iterdir()) == [CLIP]  # the links it would have used, gone as links


def test_a_killed_renders_workspace_is_removed_by_the_next_render(tmp_path, campaign):
    out = tmp_path / "OUT"
    stale = out / f".{CLIP}.k1ll3d.partial"
    stale.mkdir(parents=True)
    (stale / CLIP).write_bytes(b"torn" * 1000)
    os.utime(stale, (0, 0))
    run_ticker("render", campaign, "-o", out, "--loop", "--speed", "800", cwd=tmp_path)
    assert sorted(p.name for p in out.iterdir()) == [CLIP]


@pytest.mark.parametrize("where", ["stale entry", "leftover", "expired day"])
def test_links_in_the_tree_are_removed_as_links_and_the_night_goes_on(tmp_path, campaign, where):
    target, out = victim(tmp_path), tmp_path / "OUT"
    (out / DAY).mkdir(parents=True)
    link = {
        "stale entry": out / DAY / "stale",
        "leftover": out / DAY / ".x.1.partial",
        "expired day": out / "2020-01-01",
    }[where]
    link.symlink_to(target, target_is_directory=True)
    done = nightly(campaign, out, "--keep-days", "5")
    assert "Traceback" not in done.stderr
    assert not os.path.lexists(link) and untouched(target)
    assert (out / DAY / CLIP).is_file()


def _forge(out: Path, campaign: Path, day: str, entry: Path, digest: str) -> None:
    """Another day's manifest listing `entry` as the clip, as anyone who can read the campaign could write."""
    c = load_campaign(campaign)
    key = recipe_key(c, outputs_for(c)[0], dt.date.fromisoformat(DAY))
    manifest = {"files": [{"path": CLIP, "sha256": digest, "bytes": entry.lstat().st_size, "inputs": key}]}
    (out / day / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("forgery", ["a link", "a file of the size with another checksum"])
def test_a_forged_manifest_in_another_day_never_gets_its_file_published(tmp_path, campaign, forgery):
    secret, out = tmp_path / "secret", tmp_path / "OUT"
    secret.write_bytes(b"root:*:18000:0:99999:7:::\n" * 40)
    (out / "2020-03-11").mkdir(parents=True)
    planted = out / "2020-03-11" / CLIP
    if forgery == "a link":
        planted.symlink_to(secret)
        _forge(out, campaign, "2020-03-11", secret, "0" * 64)
    else:
        planted.write_bytes(secret.read_bytes())
        _forge(out, campaign, "2020-03-11", planted, "0" * 64)
    done = nightly(campaign, out)
    made = out / DAY / CLIP
    assert "; linked" not in done.stderr and f"made {CLIP}" in done.stderr
    assert not made.is_symlink() and made.read_bytes()[4:8] == b"ftyp" and secret.read_bytes()[:4] == b"root"


def test_an_intact_clip_of_another_day_is_linked_after_its_checksum_is_checked(tmp_path, campaign):
    out = tmp_path / "OUT"
    nightly(campaign, out)
    made = out / DAY / CLIP
    (out / "2020-03-13").mkdir()
    done = run_ticker("nightly", campaign, "-o", out, "--date", "2020-03-13", "--allow-unapproved", cwd=tmp_path)
    assert "the same as on 2020-03-12; linked" in done.stderr
    linked = out / "2020-03-13" / CLIP
    assert linked.stat().st_ino == made.stat().st_ino
    entry = json.loads((out / "2020-03-13" / "manifest.json").read_text())["files"][0]
    assert entry["sha256"] == hashlib.sha256(linked.read_bytes()).hexdigest()


def test_a_full_disk_under_the_log_is_one_sentence_and_the_night_goes_on(tmp_path, campaign, monkeypatch):
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    out = tmp_path / "OUT"

    def full(path: Path) -> io.TextIOWrapper:
        return open("/dev/full", "a", encoding="utf-8")

    monkeypatch.setattr(playout_tree, "open_log", full)
    stream = io.StringIO()
    status = night_of(campaign, out, dt.date.fromisoformat(DAY), stream=stream, allow_unapproved=True)
    said = stream.getvalue()
    assert status == 0 and (out / DAY / CLIP).is_file(), said
    assert said.count("the log could not be written (No space left on device); the run goes on.") == 1
    assert json.loads((out / DAY / "manifest.json").read_text())["complete"] is True


def test_a_preview_that_cannot_be_written_is_one_sentence_and_leaves_nothing(tmp_path, campaign):
    """Writes beyond RLIMIT_FSIZE fail (EFBIG) as writes on a full disk do (ENOSPC): Pillow's and ffmpeg's."""
    limit = 200_000
    done = run_ticker_process(
        "preview",
        campaign,
        "-o",
        tmp_path / "out",
        cwd=tmp_path,
        check_status=1,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
    )
    assert (
        one_sentence(done.stderr) == f"ticker: {tmp_path / 'out'}: the preview could not be written (File too large)."
    )
    assert list((tmp_path / "out").iterdir()) == []


def test_a_day_folder_swapped_for_a_link_during_the_run_is_never_followed(tmp_path, campaign):
    """The day folder is renamed away and a link to someone else's folder put under its name once the run has
    counted its clips (the progress hook, before any render): the tidy, the manifest and the log stay in the
    folder the run opened, the clip is not published through the link, and the link's target is untouched."""
    target, out = victim(tmp_path), tmp_path / "OUT"
    (out / DAY).mkdir(parents=True)
    (out / DAY / "stale_576i50_qtrle_loop.mov").write_bytes(b"an output since removed")

    def swap(done: int, total: int, name: str) -> None:
        if done == 0:
            (out / DAY).rename(out / "moved-away")
            (out / DAY).symlink_to(target, target_is_directory=True)

    stream = io.StringIO()
    status = night_of(campaign, out, dt.date.fromisoformat(DAY), stream=stream, allow_unapproved=True, progress=swap)
    said = stream.getvalue()
    assert untouched(target), said
    assert status == 1 and f"refused: {out / DAY}: is a link (to {target})" in said, said
    assert "so nothing was published." in said
    assert "/proc/" not in said, "folders are named as they were asked for"
    moved = out / "moved-away"
    assert sorted(p.name for p in moved.iterdir()) == ["manifest.json", "nightly.log"]
    manifest = json.loads((moved / "manifest.json").read_text())
    assert manifest["files"] == [] and manifest["complete"] is False
    assert "removed stale_576i50_qtrle_loop.mov: no clip of the day needs it" in (moved / "nightly.log").read_text()


@pytest.mark.skipif(os.geteuid() != 0, reason="a day folder of another user's needs root to make")
def test_a_day_folder_another_user_made_is_refused_and_nothing_in_it_touched(tmp_path, campaign):
    """On a share others can write to (mode 1777), another user makes the day folder before the run: the run
    refuses it, since that user could swap it or what is in it at any moment."""
    out = tmp_path / "OUT"
    (out / DAY).mkdir(parents=True)
    out.chmod(0o1777)
    (out / DAY / "important.conf").write_text("theirs")
    os.chown(out / DAY / "important.conf", 65534, 65534)
    os.chown(out / DAY, 65534, 65534)
    done = nightly(campaign, out, status=2)
    sentence = one_sentence(done.stderr)
    assert f"{out / DAY}: belongs to another user (uid 65534)" in sentence and "did nothing" in sentence
    assert sorted(p.name for p in (out / DAY).iterdir()) == ["important.conf"]


def test_the_lock_that_cannot_be_written_is_one_sentence_and_the_run_does_nothing(tmp_path, campaign):
    """A full disk refuses the lock's first byte; RLIMIT_FSIZE refuses it the same way (EFBIG)."""
    out = tmp_path / "OUT"
    out.mkdir()
    done = run_ticker_process(
        *("nightly", campaign, "-o", out, "--date", DAY, "--allow-unapproved"),
        cwd=tmp_path,
        check_status=1,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0)),
    )
    assert one_sentence(done.stderr) == (
        f"ticker: {out / '.ticker-nightly.lock'}: cannot be written (File too large); this run did nothing."
    )
    assert [p.name for p in out.iterdir()] == [".ticker-nightly.lock"]


def test_log_lines_hold_a_file_name_with_line_breaks_escaped(tmp_path, campaign):
    """A campaign file whose name holds a line break and a forged log line is named on one line."""
    folder = tmp_path / "c"
    folder.mkdir()
    campaign.rename(folder / "one.toml")
    forged = "z\n2026-12-07T01:30:00+00:00 made evil_576i50_qtrle_loop.mov: 231 frames\nq.toml"
    (folder / forged).write_text("not toml [", encoding="utf-8")
    out, stream = tmp_path / "OUT", io.StringIO()
    status = night_of(folder, out, dt.date.fromisoformat(DAY), stream=stream, allow_unapproved=True)
    log = (out / DAY / "nightly.log").read_text()
    assert status == 2
    assert not [line for line in log.splitlines() if " made evil" in line and line.startswith("2026-12-07T01:30")]
    assert "z\\n2026-12-07T01:30:00+00:00 made evil_576i50_qtrle_loop.mov: 231 frames\\nq.toml" in log
    said = stream.getvalue()
    assert len(said.splitlines()) == said.count("ticker: ") and "z\\n2026" in said, "one line a sentence"


def test_the_desks_render_now_on_a_disk_that_refuses_the_lock_is_one_sentence(tmp_path, campaign):
    """The desk as it runs (`ticker serve`), in a process whose writes all fail as on a full disk."""
    out, port = tmp_path / "OUT", free_port()
    out.mkdir()
    desk = subprocess.Popen(
        [sys.executable, "-m", "ticker", "serve", campaign.parent, "-o", out, "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            while True:
                try:
                    token = c.get("/api/session").json()["csrf"]
                    break
                except httpx.TransportError:
                    assert desk.poll() is None, desk.communicate()[1]
                    time.sleep(0.05)
            resource.prlimit(desk.pid, resource.RLIMIT_FSIZE, (0, 0))  # from now on, as if the disk were full
            answer = c.post("/api/nights", json={"date": DAY}, headers={"X-CSRF-Token": token})
            assert answer.status_code == 400, answer.text
            lock = out.resolve() / ".ticker-nightly.lock"
            assert answer.json() == {"error": f"{lock}: cannot be written (File too large); this run did nothing."}
            page = c.post("/nights", data={"date": DAY, "csrf": token}, headers={"Accept": "text/html"})
            assert page.status_code == 400 and "thư mục phát không dùng được" in page.text and str(out) not in page.text
    finally:
        desk.terminate()
        _, said = desk.communicate(timeout=30)
    assert "Traceback" not in said.decode()
    assert not (out / DAY).exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="a day folder of another user's needs root to make")
def test_expired_day_folders_are_removed_only_when_they_are_ticker_s_own(tmp_path, campaign):
    out = tmp_path / "OUT"
    for day in ("2020-02-01", "2020-02-02"):
        (out / day).mkdir(parents=True)
        (out / day / "manifest.json").write_text("{}")
        (out / day / "clip.mov").write_text("old")
    os.chown(out / "2020-02-02", 65534, 65534)
    nightly(campaign, out)
    assert not (out / "2020-02-01").exists(), "ticker's own, 40 days old"
    assert sorted(p.name for p in (out / "2020-02-02").iterdir()) == ["clip.mov", "manifest.json"]
