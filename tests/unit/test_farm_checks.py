"""What a farm worker checks before it writes or publishes anything, and what a snapshot carries: names that
stay inside the job's folder, a folder inside the worker's root, only the files the output uses (each what it
must be), and the run's lease. None of these renders: each job here is refused before its first picture."""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from ticker.campaign.config import Output, load_campaign
from ticker.errors import ConfigError, RenderError
from ticker.files.held import Held
from ticker.night import lease as leases
from ticker.night.jobs import Job, Snapshot, reach, recipe_key, run
from ticker.night.lease import RunGone, check_lease, hold_lease
from ticker.night.snapshot import _read

FONTS = Path(__file__).resolve().parents[2] / "ticker" / "fonts"
CAMPAIGN = """
[campaign]
name = "farm"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Tải ứng dụng NCOVI."
"""
OUTPUT = Output("576i50", "qtrle", loop=True, seconds=None)


def _campaign(folder: Path, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "c.toml"
    path.write_text(CAMPAIGN + extra, encoding="utf-8")
    return path


def _job(tmp_path: Path, snapshot: Snapshot | None = None, dest: Path | None = None) -> Job:
    campaign = load_campaign(_campaign(tmp_path / "cfg"))
    return Job(
        recipe_key(campaign, OUTPUT, None),
        snapshot or Snapshot.of(campaign, OUTPUT),
        OUTPUT,
        None,
        str(dest or tmp_path / "out" / "day"),
        str(campaign.path),
    )


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """The folder jobs make their temporary folders in: `../NAME` from one of those is `tmp_path/NAME`."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    (tmp_path / "out").mkdir()
    return folder


def _everything(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "name",
    ["../escaped", "ABSOLUTE", "a/../../escaped", "", "a\0b", "./c.toml", "a//b", "a/", ".", "c.toml", "c.toml/x"],
    ids=[
        "dotdot",
        "absolute",
        "inner-dotdot",
        "empty",
        "nul",
        "dot",
        "double-slash",
        "trailing",
        "itself",
        "twice",
        "file-as-folder",
    ],
)
def test_a_snapshot_name_outside_the_job_folder_is_refused_before_anything_is_written(tmp_path, work, name):
    name = name.replace("ABSOLUTE", str(tmp_path / "absolute"))
    job = _job(tmp_path)
    bad = dataclasses.replace(job.snapshot, files=(*job.snapshot.files, (name, b"root:*:0:0")))
    before = _everything(tmp_path)
    outcome = run(dataclasses.replace(job, snapshot=bad), str(tmp_path / "out"))
    assert outcome.status == 2 and outcome.result is None
    assert outcome.error.startswith("the job's snapshot") and outcome.error.endswith("nothing was unpacked.")
    assert outcome.error.count(". ") == 0, "one sentence"
    assert _everything(tmp_path) == before, "nothing written anywhere, and the job's own folder removed"
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "absolute").exists()


def test_a_snapshot_without_its_campaign_file_is_refused(tmp_path, work):
    job = _job(tmp_path)
    bad = dataclasses.replace(job.snapshot, campaign="elsewhere.toml")
    outcome = run(dataclasses.replace(job, snapshot=bad), str(tmp_path / "out"))
    assert outcome.status == 2 and "does not hold its campaign file 'elsewhere.toml'" in outcome.error


@pytest.mark.parametrize("where", ["outside", "relative", "link-out", "no-root"])
def test_a_job_publishes_only_inside_the_root_it_is_given(tmp_path, work, monkeypatch, where):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path / "elsewhere")
    dest = {
        "outside": tmp_path / "elsewhere" / "day",
        "relative": Path("out/day"),
        "link-out": tmp_path / "out" / "link" / "day",
        "no-root": tmp_path / "out" / "day",
    }[where]
    monkeypatch.delenv("TICKER_PUBLISH_ROOT", raising=False)
    outcome = run(_job(tmp_path, dest=dest), None if where == "no-root" else str(tmp_path / "out"))
    assert outcome.status == 1 and outcome.result is None and "refused" in outcome.error
    expected = {
        "outside": f"which is not inside {(tmp_path / 'out').resolve()}.",
        "relative": "is not an absolute path.",
        "link-out": f"which is not inside {(tmp_path / 'out').resolve()}.",
        "no-root": "this worker was started without TICKER_PUBLISH_ROOT",
    }[where]
    assert expected in outcome.error
    assert not (tmp_path / "elsewhere" / "day").exists() and not (tmp_path / "out" / "day").exists()
    assert _everything(work) == set()


def test_a_dask_worker_checks_dest_against_its_environment(tmp_path, work, monkeypatch):
    monkeypatch.setenv("TICKER_PUBLISH_ROOT", str(tmp_path / "out"))
    (tmp_path / "elsewhere").mkdir()
    outcome = run(_job(tmp_path, dest=tmp_path / "elsewhere"))
    assert "not inside this worker's publishing root" in outcome.error and "(TICKER_PUBLISH_ROOT)" in outcome.error
    outcome = run(_job(tmp_path))  # inside the root, but no lease: a Dask job must name a live one
    assert outcome.status == 1 and "names no lease" in outcome.error


def _picture(path: Path, colour: tuple[int, int, int, int]) -> None:
    Image.new("RGBA", (8, 8), colour).save(path)


def test_only_the_files_the_output_uses_are_packed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"root:$6$very-secret-hash:19000:0:99999:7:::\n")
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "fonts").mkdir()
    shutil.copy(FONTS / "NotoSans-Regular.ttf", cfg / "fonts" / "Own.ttf")
    _picture(cfg / "logo.png", (255, 200, 0, 255))
    _picture(cfg / "unused-logo.png", (1, 2, 3, 255))
    path = _campaign(
        cfg,
        f'[style]\nfont = "fonts/Own.ttf"\nlogo = "logo.png"\n'
        f'[preset.unused]\nfont = "{secret}"\nlabel_font = "../secret.txt"\nlogo = "unused-logo.png"\n',
    )
    campaign = load_campaign(path)
    snapshot = Snapshot.of(campaign, OUTPUT)
    names = dict(snapshot.files)
    assert set(names) == {"c.toml", "fonts/Own.ttf", "logo.png", "unused-logo.png"}
    assert all(secret.read_bytes() not in data for data in names.values())
    assert names["unused-logo.png"] != (cfg / "unused-logo.png").read_bytes(), "a stand-in, not the picture"
    # where the job runs the campaign file reads the same, and the clip has the same key
    into = tmp_path / "unpacked"
    into.mkdir()
    unpacked = load_campaign(snapshot.unpack(into))
    assert recipe_key(unpacked, OUTPUT, None) == recipe_key(campaign, OUTPUT, None)
    # an output in the preset packs that preset's files, and refuses the one that is not a font
    with pytest.raises(ConfigError) as e:
        Snapshot.of(campaign, dataclasses.replace(OUTPUT, style="unused"))
    assert str(e.value) == (
        f"{path}: preset.unused.font ({secret}) is not a font (no TrueType, OpenType or font collection header)."
    )


def _no_outlines(path: Path) -> None:
    font = TTFont(FONTS / "NotoSans-Regular.ttf")
    font["glyf"].glyphs = {}
    del font["glyf"]
    del font["loca"]
    font.save(path)


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("text", "is not a font (no TrueType, OpenType or font collection header)."),
        ("header", "is not a font fontTools can read"),
        ("outlines", "is a font without outlines (no glyf, CFF or CFF2 table)."),
    ],
)
def test_a_used_font_that_is_not_a_font_is_refused_in_one_sentence(tmp_path, kind, expected):
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    font = cfg / "Own.ttf"
    shutil.copy(FONTS / "NotoSans-Regular.ttf", font)
    campaign = load_campaign(_campaign(cfg, '[style]\nfont = "Own.ttf"\n'))  # read whole and good
    if kind == "text":  # then replaced before the job is packed
        font.write_text("root:*:19000:0:99999:7:::\n")
    elif kind == "header":
        font.write_bytes(b"\x00\x01\x00\x00" + os.urandom(200))
    elif kind == "outlines":
        _no_outlines(font)
    with pytest.raises(ConfigError) as e:
        Snapshot.of(campaign, OUTPUT)
    assert str(e.value).startswith(f"{campaign.path}: style.font (") and expected in str(e.value)
    assert str(e.value).count(". ") == 0


def test_only_regular_files_are_read_and_a_fifo_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    fifo = r"^c.toml: style.font \(.*fifo\) is a FIFO \(named pipe\), not a regular file; a font file must be one\.$"
    with pytest.raises(ConfigError, match=fifo):
        _read(tmp_path / "fifo", "font", "c.toml: style.font")
    (tmp_path / "link.ttf").symlink_to(FONTS / "NotoSans-Regular.ttf")
    with pytest.raises(ConfigError, match=r"cannot be read \(Too many levels of symbolic links\)"):
        _read(tmp_path / "link.ttf", "font", "c.toml: style.font")


def test_a_campaign_file_too_large_to_send_is_refused(tmp_path):
    path = _campaign(tmp_path / "cfg", "# " + "x" * 900_000 + "\n")  # read when it was this long
    campaign = load_campaign(path)
    with path.open("a") as f:
        f.write("# " + "x" * 150_000 + "\n")  # and then it grew
    too_big = r"c\.toml: the campaign file \(.*\) is 1.05 MB, more than a campaign file may be \(1 MB\)\.$"
    with pytest.raises(ConfigError, match=too_big):
        Snapshot.of(campaign, OUTPUT)


def test_a_lease_is_held_refreshed_and_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(leases, "HEARTBEAT", 0.05)
    stale = tmp_path / f".ticker-lease.{'0' * 32}"
    stale.write_text("0" * 32)
    os.utime(stale, (time.time() - 60, time.time() - 60))
    target = tmp_path / "not-a-lease"
    target.write_text("kept")
    (tmp_path / f".ticker-lease.{'1' * 32}").symlink_to(target)
    with Held.open(tmp_path) as out, hold_lease(out) as path:
        lease = Path(path)
        assert not stale.exists() and target.read_text() == "kept", "a killed run's lease goes, a link's target stays"
        assert lease.read_text() == lease.name.removeprefix(".ticker-lease.") and len(lease.name) == 14 + 32
        os.utime(lease, (time.time() - 60, time.time() - 60))
        time.sleep(0.3)
        assert time.time() - lease.stat().st_mtime < 1, "the heartbeat touches it"
        check_lease(path, tmp_path, "c.toml")
    assert not lease.exists()


@pytest.mark.parametrize("case", ["removed", "stale", "link", "token", "outside", "name"])
def test_a_lease_that_is_not_live_stops_publication(tmp_path, case):
    root = tmp_path / "out"
    root.mkdir()
    token = "ab" * 16
    lease = root / f".ticker-lease.{token}"
    lease.write_text(token)
    if case == "stale":
        os.utime(lease, (time.time() - 11, time.time() - 11))
    elif case == "removed":
        lease.unlink()
    elif case == "link":
        lease.rename(root / "real")
        lease.symlink_to(root / "real")
    elif case == "token":
        lease.write_text("cd" * 16)
    elif case == "outside":
        root = tmp_path / "other"
        root.mkdir()
    elif case == "name":
        lease = lease.rename(root / "lease")
    with pytest.raises(RunGone) as e:
        check_lease(str(lease), root, "c.toml")
    expected = {
        "removed": "was removed).",
        "stale": "was last refreshed 11 s ago).",
        "link": "is a link).",
        "token": "does not hold its token).",
        "outside": "is not a ticker lease inside",
        "name": "is not a ticker lease inside",
    }[case]
    assert str(e.value).startswith("c.toml: not published: ") and expected in str(e.value)


def test_a_job_of_a_run_here_publishes_only_in_the_very_folder_its_run_holds(tmp_path):
    """A run on this machine names its day folder by identity: a folder put under that name since (a link, or
    another folder, even one of this user's) is refused before anything is written in it."""
    out, day = tmp_path / "out", tmp_path / "out" / "day"
    day.mkdir(parents=True)
    with Held.open(out) as top, top.sub("day") as held:
        job = dataclasses.replace(_job(tmp_path, dest=top.path / "day"), folder=held.identity)
        with reach(job, str(top.path)) as folder:
            assert folder.identity == held.identity
        day.rename(out / "away")
        day.mkdir()
        with pytest.raises(RenderError, match=r"is not the folder its run holds \(it was replaced\)\.$"):
            reach(job, str(top.path))
        day.rmdir()
        day.symlink_to(out / "away", target_is_directory=True)
        with pytest.raises(
            RenderError, match=r": refused: .*/day: is a link \(to .*away\); .*nothing was published\.$"
        ):
            reach(job, str(top.path))
    assert sorted(p.name for p in out.iterdir()) == ["away", "day"] and list((out / "away").iterdir()) == []
