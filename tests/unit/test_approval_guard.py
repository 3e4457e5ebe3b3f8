"""An editor's save never changes a campaign's [approval] as the reader reads the file (editing.save_text with
keep_approval, which the desk's saves use): whatever precedes the text (byte order marks, spaces, comments,
other characters) and however the table is written, the file after the save approves exactly what it did."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ticker.campaign.config import load_campaign
from ticker.campaign.editing import ApprovalChanged, file_key, save_text, text_toml
from ticker.errors import InputError, TickerError

from support.campaigns import MINIMAL

BOM = "\ufeff"
KEYS = ("sha256:" + "0" * 64, "sha256:" + "ab" * 32)
TIMES = ("2026-12-06T10:00:00+07:00", "2026-12-06T03:00:00Z", "2026-12-06T10:00:00.5+07:00")
QUIET = (BOM, " ", "\t", "\n", "\r\n", "# chú thích\n")  # what TOML and the reader pass over (one BOM)
OTHERS = ("\u00a0", "\u200b", "\u2028", "\u3000", "\ufffe", "Đ", "\x00")
HARMLESS = re.compile("\ufeff?(?:[ \t\n]|\r\n|# chú thích\n)*")  # one BOM first at most, then QUIET only


def _approval(by: str, at: str, key: str, form: str) -> tuple[str, str]:
    """The table written one way (before the first table of the file, or at its end): (top, end)."""
    if form == "table":
        return "", f'\n[approval]\nby = "{by}"\nat = {at}\nkey = "{key}"\n'
    if form == "inline":
        return f'approval = {{ by = "{by}", at = {at}, key = "{key}" }}\n', ""
    return f'approval.by = "{by}"\napproval.at = {at}\napproval.key = "{key}"\n', ""


APPROVALS = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(["lan", "Lan", "Trần Văn Bình"]),
        st.sampled_from(TIMES),
        st.sampled_from(KEYS),
        st.sampled_from(["table", "inline", "dotted"]),
    ),
)
PREFIXES = st.one_of(
    st.lists(st.sampled_from(QUIET), max_size=4).map("".join),
    st.lists(st.sampled_from(QUIET[1:]), max_size=3).map(lambda rest: BOM + "".join(rest)),
    st.lists(st.sampled_from(QUIET + OTHERS), max_size=4).map("".join),
    st.text(max_size=3),
)


def _text(prefix: str, approval: tuple[str, str, str, str] | None) -> str:
    top, end = _approval(*approval) if approval else ("", "")
    return prefix + top + MINIMAL + end


def _as_read(path: Path) -> tuple[str, str, str, str] | None:
    """The approval as nightly reads the file: who, when (with its offset), the key, the note; None for none."""
    try:
        a = load_campaign(path).approval
    except TickerError:
        return None
    return None if a is None else (a.by, a.at.isoformat(), a.key, a.note)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["", BOM, "\n", "# sửa tay\n"]),
    APPROVALS,
    PREFIXES,
    st.one_of(st.just("same"), APPROVALS),
)
def test_a_save_by_an_editor_leaves_the_approval_as_it_was(disk_prefix, on_disk, prefix, sent):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.toml"
        path.write_bytes(_text(disk_prefix, on_disk).encode("utf-8"))
        before, raw = _as_read(path), path.read_bytes()
        text = _text(prefix, on_disk if sent == "same" else sent)
        harmless = sent == "same" and HARMLESS.fullmatch(prefix) is not None
        try:
            save_text(path, text, file_key(raw), keep_approval=True)
        except InputError as e:  # ApprovalChanged, or a text the reader cannot read: nothing written
            assert not harmless, f"the same approval after {prefix!r} was refused: {e}"
            assert path.read_bytes() == raw
        else:
            assert _as_read(path) == before
            assert path.read_bytes() == text.encode("utf-8")  # the bytes judged are the bytes written


def test_an_approval_behind_a_byte_order_mark_is_seen_and_refused(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    raw = path.read_bytes()
    forged = BOM + _text("", ("lan", TIMES[0], KEYS[0], "table"))
    assert text_toml(path, forged)["approval"]["by"] == "lan"  # as the reader reads it
    with pytest.raises(ApprovalChanged, match="changes its \\[approval\\] table; only an approver may"):
        save_text(path, forged, file_key(raw), keep_approval=True)
    assert path.read_bytes() == raw
    save_text(path, forged, file_key(raw))  # an approver's save writes it
    assert _as_read(path) == ("lan", TIMES[0], KEYS[0], "")


def test_an_editor_saves_around_an_approval_written_another_way_and_not_one_moved_in_time(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(BOM + _text("", ("lan", TIMES[0], KEYS[0], "table")), encoding="utf-8")
    raw = path.read_bytes()
    edited = _text("# sửa\n", ("lan", TIMES[0], KEYS[0], "inline")).replace("NCOVI.", "NCOVI ngay.")
    save_text(path, edited, file_key(raw), keep_approval=True)  # the same table, written inline: kept
    assert _as_read(path) == ("lan", TIMES[0], KEYS[0], "")
    moved = edited.replace(TIMES[0], TIMES[1])  # the same instant, said in another zone: not the same approval
    with pytest.raises(ApprovalChanged):
        save_text(path, moved, file_key(path.read_bytes()), keep_approval=True)
