"""Nothing airs unapproved: `ticker approve` binds a yes to what airs, a change to one word voids it (check says
so, the audit trail records it, the nightly leaves the campaign out), and approving again puts it back."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from ticker.approval.key import approve
from ticker.campaign.editing import Changed, Conflict

from support.campaigns import CONFIGS
from support.processes import waiting_on
from support.running import run_ticker

CAMPAIGN = """\
# Hậu Giang: the crawl the cable operators run (a comment approval keeps)
[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15

[[slot]]
at = ["06:30", "19:45"]
seconds = 20

[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."

[motion]
crossing_seconds = 2

[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
DAY = "2020-03-12"


def audit(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / ".ticker-audit.jsonl").read_text(encoding="utf-8").splitlines()]


def nightly(folder: Path, out: Path) -> dict:
    run_ticker("nightly", folder, "-o", out, "--date", DAY, cwd=folder)
    return json.loads((out / DAY / "manifest.json").read_text(encoding="utf-8"))


def test_approve_change_one_word_and_approve_again(tmp_path):
    folder = tmp_path / "campaigns"
    folder.mkdir()
    cfg = folder / "ncovi.toml"
    cfg.write_text(CAMPAIGN, encoding="utf-8")
    assert "not approved" in run_ticker("check", cfg, cwd=tmp_path).stdout
    manifest = nightly(folder, tmp_path / "out")
    assert manifest["files"] == [] and [u["campaign"] for u in manifest["unapproved"]] == ["ncovi"]

    done = run_ticker("approve", cfg, "--by", "Trần Văn Bình", "--note", "trưởng phòng", cwd=tmp_path)
    assert "approved by Trần Văn Bình" in done.stdout
    text = cfg.read_text(encoding="utf-8")
    assert text.startswith("# Hậu Giang: the crawl the cable operators run")  # the file's own words are kept
    approval = tomllib.loads(text)["approval"]
    assert approval["by"] == "Trần Văn Bình" and approval["at"].utcoffset() is not None
    assert approval["key"].startswith("sha256:") and approval["note"] == "trưởng phòng"
    assert "approved by Trần Văn Bình" in run_ticker("check", cfg, cwd=tmp_path).stdout
    manifest = nightly(folder, tmp_path / "out")
    assert manifest["unapproved"] == [] and len(manifest["files"]) == 1 and len(manifest["airings"]) == 2

    cfg.write_text(text.replace("tải ứng dụng", "cài ứng dụng"), encoding="utf-8")
    checked = run_ticker("check", cfg, cwd=tmp_path).stdout
    assert "approved by Trần Văn Bình" in checked and "but message 1 changed since" in checked
    assert "unapproved again" in checked
    trail = audit(folder)
    assert [e["action"] for e in trail] == ["approved", "voided"]
    assert trail[1]["changed"] == ["message 1 changed"] and trail[1]["key"] == approval["key"]
    run_ticker("check", cfg, cwd=tmp_path)
    assert len(audit(folder)) == 2  # said once

    out = tmp_path / "out2"
    manifest = nightly(folder, out)
    assert manifest["files"] == [] and manifest["airings"] == []
    (left,) = manifest["unapproved"]
    assert left["campaign"] == "ncovi" and "message 1 changed" in left["reason"]
    assert "ncovi: left out:" in (out / DAY / "nightly.log").read_text(encoding="utf-8")
    schedule = json.loads(run_ticker("schedule", folder, "--from", DAY, "--to", DAY, "--json", cwd=tmp_path).stdout)
    assert all(row["unapproved"] for row in schedule["days"][0]["airings"])

    run_ticker("approve", cfg, "--by", "Trần Văn Bình", cwd=tmp_path)
    manifest = nightly(folder, out)
    assert manifest["unapproved"] == [] and len(manifest["files"]) == 1
    assert [e["action"] for e in audit(folder)] == ["approved", "voided", "approved"]

    run_ticker("approve", cfg, "--revoke", "--by", "Trần Văn Bình", cwd=tmp_path)
    assert "approval" not in tomllib.loads(cfg.read_text(encoding="utf-8"))
    assert audit(folder)[-1]["action"] == "revoked"
    assert "not approved" in run_ticker("check", cfg, cwd=tmp_path).stdout


def test_a_draft_cannot_be_approved_and_a_name_is_needed(tmp_path):
    cfg = tmp_path / "d.toml"
    cfg.write_text(CAMPAIGN.replace("end = 2020-03-15", 'end = 2020-03-15\nstatus = "draft"'), encoding="utf-8")
    done = run_ticker("approve", cfg, "--by", "A", cwd=tmp_path, check_status=2)
    assert "a draft cannot be approved" in done.stderr and "[approval]" not in cfg.read_text(encoding="utf-8")
    cfg.write_text(CAMPAIGN, encoding="utf-8")
    assert "--by" in run_ticker("approve", cfg, cwd=tmp_path, check_status=2).stderr
    assert not (tmp_path / ".ticker-audit.jsonl").exists()


def test_the_examples_carry_their_approval(tmp_path):
    for cfg in sorted(p for p in CONFIGS.glob("*.toml") if p.name != "station.toml"):  # the station file: no campaign
        shutil.copy(cfg, tmp_path / cfg.name)
        line = run_ticker("check", tmp_path / cfg.name, cwd=tmp_path).stdout.splitlines()[0]
        assert ": approved by " in line and "but" not in line, line


def test_a_planted_link_as_the_audit_trail_is_refused_and_nothing_changes(tmp_path):
    cfg = tmp_path / "ncovi.toml"
    cfg.write_text(CAMPAIGN, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("not ticker's\n", encoding="utf-8")
    (tmp_path / ".ticker-audit.jsonl").symlink_to(victim)
    done = run_ticker("approve", cfg, "--by", "A", cwd=tmp_path, check_status=1)
    assert "audit trail" in done.stderr and "Traceback" not in done.stderr
    assert cfg.read_text(encoding="utf-8") == CAMPAIGN and victim.read_text(encoding="utf-8") == "not ticker's\n"


def test_the_proof_page_says_who_approved_it(tmp_path):
    cfg = tmp_path / "ncovi.toml"
    cfg.write_text(CAMPAIGN, encoding="utf-8")
    run_ticker("approve", cfg, "--by", "Trần Văn Bình", cwd=tmp_path)
    run_ticker("preview", cfg, "-o", tmp_path / "proof", cwd=tmp_path)
    data = json.loads((tmp_path / "proof" / "ncovi_proof.json").read_text(encoding="utf-8"))
    assert data["approval"]["approved"] is True and data["approval"]["by"] == "Trần Văn Bình"
    page = (tmp_path / "proof" / "ncovi_proof.html").read_text(encoding="utf-8")
    assert "Đã duyệt: Trần Văn Bình" in page


def test_an_example_approved_then_one_word_changed(tmp_path):
    shutil.copy(CONFIGS / "hau-giang-ncovi.toml", tmp_path / "hau-giang-ncovi.toml")
    shutil.copy(CONFIGS / ".ticker-audit.jsonl", tmp_path / ".ticker-audit.jsonl")
    cfg = tmp_path / "hau-giang-ncovi.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("Đề nghị người dân", "Mời người dân"), encoding="utf-8")
    line = run_ticker("check", cfg, cwd=tmp_path).stdout.splitlines()[0]
    assert "approved by Nguyễn Thị Lan" in line and "but message 1 changed since" in line
    assert audit(tmp_path)[-1]["action"] == "voided" and audit(tmp_path)[-1]["file"] == "hau-giang-ncovi.toml"
    manifest = nightly(tmp_path, tmp_path / "out")  # nothing rendered: it is left out
    assert manifest["files"] == [] and "message 1 changed" in manifest["unapproved"][0]["reason"]


def test_an_edit_saved_while_approve_waits_for_the_folder_stays_and_nothing_is_approved(tmp_path):
    """`ticker approve` has read the file and waits for the campaigns' lock, which a save holds; the save
    writes an edit and lets go. The approval is refused in one sentence and the edit stays."""
    cfg = tmp_path / "ncovi.toml"
    cfg.write_text(CAMPAIGN, encoding="utf-8")
    lock = tmp_path / ".ticker-campaigns.lock"
    edit = CAMPAIGN.replace("tải ứng dụng", "cài ứng dụng")
    with open(lock, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        approving = subprocess.Popen(
            [sys.executable, "-m", "ticker", "approve", cfg, "--by", "Lan"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while approving.poll() is None and not waiting_on(lock):  # read, and now held back by the save
            assert time.monotonic() < deadline, "approve neither finished nor waited for the lock"
            time.sleep(0.01)
        cfg.write_text(edit, encoding="utf-8")
    out, err = approving.communicate(timeout=60)
    assert approving.returncode == 1 and out == ""
    assert (
        err
        == f"ticker: {cfg}: changed while it was being approved or revoked; nothing was written: look at it again.\n"
    )
    assert cfg.read_text(encoding="utf-8") == edit
    assert not (tmp_path / ".ticker-audit.jsonl").read_text(encoding="utf-8")


def test_an_approval_of_what_was_not_looked_at_is_refused_as_a_change_without_texts(tmp_path):
    """A stale approval is a change on disk (ticker.campaign.editing.Changed, exit 1, 409 at the desk), not an editor's
    conflict: it carries no texts; a tab in its note is kept as a space, not refused."""
    cfg = tmp_path / "ncovi.toml"
    cfg.write_text(CAMPAIGN, encoding="utf-8")
    with pytest.raises(Changed) as caught:
        approve(cfg, "Lan", seen="sha256:" + "0" * 64)
    assert not isinstance(caught.value, Conflict) and caught.value.exit_status == 1
    assert "what it airs changed since it was looked at" in str(caught.value)
    assert cfg.read_text(encoding="utf-8") == CAMPAIGN
    assert approve(cfg, "Lan", "xin\tsửa giờ").note == "xin sửa giờ"
    assert audit(tmp_path)[-1]["note"] == "xin sửa giờ"
