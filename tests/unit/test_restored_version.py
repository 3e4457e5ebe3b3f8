"""What restoring an approved version writes (ticker.desk.versions.restored_text): the version's words under
the file's approval as it is now, so that no approval comes back that was withdrawn or replaced since."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ticker.campaign.editing import Opened
from ticker.desk.versions import Version, restored_text

PATH = Path("campaigns/ncovi.toml")
WORDS = '# the words\n[campaign]\nname = "ncovi"\n\n[[message]]\ntext = "{}"\n'
LAN = '\n[approval]\n# written by ticker approve\nby = "Lan"\nat = 2020-03-11T10:00:00+07:00\nkey = "sha256:aa"\n'
HOA = '\n[approval]\nby = "Hoa"\nat = 2020-03-12T09:00:00+07:00\nkey = "sha256:bb"\n'
VERSION = Version(PATH, {"version": "0" * 64, "by": "Lan"}, WORDS.format("Tải NCOVI") + LAN)


def _now(text: str) -> Opened:
    return Opened(PATH, text, "sha256:now")


def test_under_the_approval_that_approved_it_the_very_text_approved_is_written():
    assert restored_text(VERSION, _now(WORDS.format("Tải Bluezone") + LAN)) == VERSION.text


def test_under_another_approval_the_words_come_back_under_the_approval_of_now():
    restored = restored_text(VERSION, _now(WORDS.format("Tải Bluezone") + HOA))
    data = tomllib.loads(restored)
    assert data["message"][0]["text"] == "Tải NCOVI" and data["approval"]["by"] == "Hoa"
    assert restored.startswith("# the words\n")  # the version's layout and comments kept


def test_without_an_approval_now_or_with_a_file_that_cannot_be_read_none_comes_back():
    for now in (WORDS.format("Tải Bluezone"), "[campaign\nbroken"):
        data = tomllib.loads(restored_text(VERSION, _now(now)))
        assert "approval" not in data and data["message"][0]["text"] == "Tải NCOVI"
