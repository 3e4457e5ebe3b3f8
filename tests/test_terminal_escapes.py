"""Escape sequences never reach the operator's terminal: an approver's name holds no control character and is
a name's length, a note holds none but line breaks, a channel's name none, and whatever a file on disk already
holds (written by hand, or before these rules) is printed escaped by every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PC_COVID, write_campaign
from desk_server import desk_server

OSC = "\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31mRED"
CHANNEL = """
[[slot]]
at = "06:30"
seconds = 60
channels = ["VTV\\u001b[2J\\u001b]0;PWNED\\u0007"]
[[output]]
profile = "576i50"
format = "qtrle"
slots = true
"""


def ticker(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ticker", *map(str, args)], cwd=cwd, capture_output=True, timeout=120)


def said(done: subprocess.CompletedProcess) -> tuple[str, str]:
    """stdout and stderr, with no escape byte in either, and no other control byte than line feed and tab."""
    for stream in (done.stdout, done.stderr):
        assert not {b for b in stream if b < 0x20 and b not in b"\n\t"} | ({0x7F} & set(stream)), stream
    return done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def unapproved(folder: Path) -> Path:
    path = folder / "pc-covid.toml"
    text = PC_COVID.read_text(encoding="utf-8")
    path.write_text(text[: text.index("[approval]")], encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "by, why",
    [
        (f"Lan{OSC}", "holds U+001B, a control or invisible character"),
        ("b" * 100_000, "a name has at most 80 characters, not 100000"),
        ("Lan\u202e", "holds U+202E"),
    ],
    ids=["osc", "100000", "bidi"],
)
def test_approve_refuses_an_approver_name_a_users_file_would_refuse(tmp_path, by, why):
    path = unapproved(tmp_path)
    before = path.read_bytes()
    done = ticker("approve", path.name, "--by", by, cwd=tmp_path)
    out, err = said(done)
    assert done.returncode == 2 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("ticker: --by ") and why in err
    assert path.read_bytes() == before and not (tmp_path / ".ticker-audit.jsonl").exists()


def test_a_note_holds_line_breaks_and_no_other_control_character(tmp_path):
    path = unapproved(tmp_path)
    done = ticker("approve", path.name, "--by", "Lan", "--note", "n\x1b[5mBLINK", cwd=tmp_path)
    assert done.returncode == 2 and "--note" in said(done)[1] and "U+001B" in said(done)[1]
    assert "[approval]" not in path.read_text(encoding="utf-8")
    done = ticker("approve", path.name, "--by", "Lan", "--note", "dòng 1\r\ndòng 2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert 'note = "dòng 1\\ndòng 2"' in path.read_text(encoding="utf-8")


def test_what_a_file_on_disk_already_holds_is_printed_escaped(tmp_path):
    path = unapproved(tmp_path)
    assert ticker("approve", path.name, "--by", "Lan", "--note", "ok", cwd=tmp_path).returncode == 0
    text = path.read_text(encoding="utf-8")
    by = 'by = "Lan\\u001b]0;PWNED-TITLE\\u0007\\u001b[2J\\u001b[31mRED"'
    path.write_text(text.replace('by = "Lan"', by).replace('note = "ok"', 'note = "n\\u001b[5m\\u009b1m"'))
    done = ticker("check", path.name, cwd=tmp_path)
    out, _ = said(done)
    assert done.returncode == 0
    assert "approved by Lan\\u001b]0;PWNED-TITLE\\u0007\\u001b[2J\\u001b[31mRED on " in out
    assert "(n\\u001b[5m\\u009b1m)" in out


def test_a_channel_name_with_a_control_character_is_refused_and_said_escaped(tmp_path):
    camps = tmp_path / "camps"
    camps.mkdir()
    write_campaign(camps, CHANNEL)
    for command in (["check", "camps/c.toml"], ["schedule", "camps"]):
        done = ticker(*command, cwd=tmp_path)
        _, err = said(done)
        assert done.returncode == 2 and len(err.strip().splitlines()) == 1, err
        assert "c.toml: slot[1].channels holds U+001B, a control or invisible character" in err


def test_a_file_name_with_an_escape_is_said_escaped(tmp_path):
    camps = tmp_path / "camps"
    camps.mkdir()
    write_campaign(camps)
    (camps / "z\x1b]0;PWNED\x07.toml").write_text("not = [toml", encoding="utf-8")
    done = ticker("schedule", "camps", "--from", "2020-03-12", "--to", "2020-03-12", cwd=tmp_path)
    out, err = said(done)
    assert done.returncode == 2 and "z\\u001b]0;PWNED\\u0007.toml: not valid TOML" in err
    assert "test_" in out
    done = ticker("nightly", "camps", "-o", "out", "--date", "2020-03-20", cwd=tmp_path)  # after the window
    assert done.returncode == 2 and "z\\u001b]0;PWNED\\u0007.toml" in said(done)[1]


def test_a_local_desk_refuses_such_a_name_or_note_and_writes_nothing(tmp_path):
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    path = unapproved(campaigns)
    with desk_server(campaigns, tmp_path / "out") as desk:
        c = desk.client()
        answers = [
            c.post("/api/campaigns/pc-covid.toml/approve", json={"by": f"Lan{OSC}", "note": "n"}),
            c.post("/api/campaigns/pc-covid.toml/approve", json={"by": "Lan", "note": "n\x1b[5mBLINK"}),
            c.post("/api/campaigns/pc-covid.toml/changes", json={"by": f"Lan{OSC}", "note": "sửa"}),
            c.post("/api/campaigns/pc-covid.toml/changes", json={"by": "Lan", "note": "sửa\x1b[5m"}),
        ]
        assert [a.status_code for a in answers] == [400] * 4
        assert "holds U+001B" in answers[0].json()["error"] and answers[1].json()["error"].startswith("the note ")
        assert not any("--" in a.json()["error"] for a in answers), "a clerk at the desk is shown no flag"
        assert "[approval]" not in path.read_text(encoding="utf-8")
        assert not (campaigns / ".ticker-audit.jsonl").exists()
        done = c.post("/api/campaigns/pc-covid.toml/approve", json={"by": " Trần Văn Minh ", "note": "a\r\nb"})
        assert done.status_code == 200 and done.json()["by"] == "Trần Văn Minh" and done.json()["note"] == "a\nb"
