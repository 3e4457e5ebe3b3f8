"""What the command line prints is escaped (ticker.terminal): no control or format character reaches the
terminal, the text stays readable, line breaks and tabs stay, and JSON stays the same JSON."""

from __future__ import annotations

import io
import json
import sys
import unicodedata

from ticker.campaign.signoff import approval_note, approver_name
from ticker.terminal import Escaping, escaped


def test_control_characters_are_printed_as_escapes_and_text_is_left_as_it_is():
    assert escaped("Đề nghị người dân\ttải ứng dụng\n") == "Đề nghị người dân\ttải ứng dụng\n"
    assert escaped("by Lan\x1b]0;PWNED\x07\x1b[2J") == "by Lan\\u001b]0;PWNED\\u0007\\u001b[2J"
    assert escaped("a\rb\r\nc") == "a\\u000db\r\nc", "a lone CR would overwrite the line; CRLF is a line break"
    assert escaped("\x7f\x85\x9b31m") == "\\u007f\\u0085\\u009b31m", "DEL and the C1 controls (CSI) too"
    assert escaped("abc\u202edef") == "abc\\u202edef", "a direction override"
    assert escaped("x\U000e0001y") == "x\\udb40\\udc01y", "a format character beyond the BMP, as JSON writes it"


def test_every_control_and_format_character_is_escaped_but_line_feed_and_tab():
    left = [
        c
        for c in map(chr, range(sys.maxunicode + 1))
        if unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\t" and "\\u" not in escaped(f"a{c}b")
    ]
    assert left == []


def test_json_printed_escaped_is_the_same_json():
    value = {"by": "Lan\x1b]0;x\x07\x9b\u202e\U000e0001", "note": "dòng 1\ndòng 2\r\n"}
    for ascii_only in (True, False):
        text = json.dumps(value, ensure_ascii=ascii_only)
        assert json.loads(escaped(text)) == value


def test_the_stream_escapes_what_is_written_to_it():
    out = io.StringIO()
    stream = Escaping(out)
    print("ticker:", "VTV\x1b[2J", file=stream)
    assert out.getvalue() == "ticker: VTV\\u001b[2J\n" and not stream.isatty()


def test_an_approvers_name_and_note_are_recorded_in_their_one_form():
    assert approver_name("  Nguyễn Thị Lan ") == unicodedata.normalize("NFC", "Nguyễn Thị Lan")
    assert approval_note(" dòng 1\r\ndòng 2\rdòng 3 ") == "dòng 1\ndòng 2\ndòng 3"


def test_a_log_line_holds_its_line_breaks_escaped_and_stays_one_line():
    from ticker.terminal import one_line

    forged = "z\n2026-12-07T01:30:00+00:00 made evil.mov\r\u2028\u2029\t\x1b[2J"
    line = one_line(forged)
    assert line.splitlines() == [line] and "\x1b" not in line
    assert line == "z\\n2026-12-07T01:30:00+00:00 made evil.mov\\r\\u2028\\u2029\\t\\u001b[2J"


def test_a_crash_is_said_with_its_traceback_escaped(monkeypatch, capsysbinary):
    """A fault of ticker's own: its traceback is printed while stderr still escapes, since the exception's
    message may quote what a file holds."""
    from ticker.cli import commands as cli

    def crash(args) -> int:
        raise RuntimeError("in z\x1b]0;PWNED\x07.toml")

    monkeypatch.setattr(cli, "cmd_profiles", crash)
    assert cli.main(["profiles"]) == 1
    err = capsysbinary.readouterr().err.decode("utf-8")
    assert "Traceback" in err and "RuntimeError: in z\\u001b]0;PWNED\\u0007.toml" in err and "\x1b" not in err
