"""Escape sequences never reach the operator's terminal: an approver's name holds no control character and is
a name's length, a note holds none but line breaks, a channel's name none, and whatever a file on disk already
holds (written by hand, or before these rules) is printed escaped by every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from ticker.cli import commands as cli

from support.campaigns import PC_COVID, write_campaign
from support.desk_server import desk_server
from support.running import run_ticker_process

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


@pytest.fixture
def ticker(tmp_path, monkeypatch, capsysbinary):
    """`ticker ARGS` in this process (main escapes whatever stdout and stderr are when it is called), in
    tmp_path: its exit status, stdout and stderr, checked for control characters (`said`)."""
    monkeypatch.chdir(tmp_path)

    def run(*args) -> tuple[int, str, str]:
        status = cli.main([str(a) for a in args])
        captured = capsysbinary.readouterr()
        out, err = said(captured.out.decode("utf-8"), captured.err.decode("utf-8"))
        return status, out, err

    return run


def said(*streams: str) -> tuple[str, ...]:
    """The streams, with no escape character in any, and no other control character than line feed and tab."""
    for text in streams:
        assert not [c for c in text if (c < " " and c not in "\n\t") or "\x7f" <= c <= "\x9f"], text
    return streams


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
def test_approve_refuses_an_approver_name_a_users_file_would_refuse(tmp_path, ticker, by, why):
    path = unapproved(tmp_path)
    before = path.read_bytes()
    status, out, err = ticker("approve", path.name, "--by", by)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("ticker: --by ") and why in err
    assert path.read_bytes() == before and not (tmp_path / ".ticker-audit.jsonl").exists()


def test_a_note_holds_line_breaks_and_no_other_control_character(tmp_path, ticker):
    path = unapproved(tmp_path)
    status, _, err = ticker("approve", path.name, "--by", "Lan", "--note", "n\x1b[5mBLINK")
    assert status == 2 and "--note" in err and "U+001B" in err
    assert "[approval]" not in path.read_text(encoding="utf-8")
    status, _, err = ticker("approve", path.name, "--by", "Lan", "--note", "dòng 1\r\ndòng 2")
    assert status == 0, err
    assert 'note = "dòng 1\\ndòng 2"' in path.read_text(encoding="utf-8")


def test_what_a_file_on_disk_already_holds_is_printed_escaped(tmp_path, ticker):
    """The command itself, as a process: what reaches its own stdout."""
    path = unapproved(tmp_path)
    assert ticker("approve", path.name, "--by", "Lan", "--note", "ok")[0] == 0
    text = path.read_text(encoding="utf-8")
    by = 'by = "Lan\\u001b]0;PWNED-TITLE\\u0007\\u001b[2J\\u001b[31mRED"'
    path.write_text(text.replace('by = "Lan"', by).replace('note = "ok"', 'note = "n\\u001b[5m\\u009b1m"'))
    done = run_ticker_process("check", path.name, cwd=tmp_path, timeout=120)
    out, _ = said(done.stdout, done.stderr)
    assert "approved by Lan\\u001b]0;PWNED-TITLE\\u0007\\u001b[2J\\u001b[31mRED on " in out
    assert "(n\\u001b[5m\\u009b1m)" in out


def test_a_channel_name_with_a_control_character_is_refused_and_said_escaped(tmp_path, ticker):
    camps = tmp_path / "camps"
    camps.mkdir()
    write_campaign(camps, CHANNEL)
    for command in (["check", "camps/c.toml"], ["schedule", "camps"]):
        status, _, err = ticker(*command)
        assert status == 2 and len(err.strip().splitlines()) == 1, err
        assert "c.toml: slot[1].channels holds U+001B, a control or invisible character" in err


def test_a_file_name_with_an_escape_is_said_escaped(tmp_path, ticker):
    camps = tmp_path / "camps"
    camps.mkdir()
    write_campaign(camps)
    (camps / "z\x1b]0;PWNED\x07.toml").write_text("not = [toml", encoding="utf-8")
    status, out, err = ticker("schedule", "camps", "--from", "2020-03-12", "--to", "2020-03-12")
    assert status == 2 and "z\\u001b]0;PWNED\\u0007.toml: not valid TOML" in err
    assert "test_" in out
    status, _, err = ticker("nightly", "camps", "-o", "out", "--date", "2020-03-20")  # after the window
    assert status == 2 and "z\\u001b]0;PWNED\\u0007.toml" in err


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
