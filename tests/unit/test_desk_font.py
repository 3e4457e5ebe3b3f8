"""The desk's one font of its own (for the TOML page and file names): a monospace font that has every letter of
Vietnamese as one glyph, so that no mark is set beside its letter, with its licence beside it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

import ticker.desk

STATIC = Path(ticker.desk.__file__).parent / "static"
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
VOWELS = "aăâeêioôơuưy"
MARKS = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền, sắc, ngã, hỏi, nặng


def test_the_monospace_font_draws_every_vietnamese_letter_and_the_toml_signs():
    font = TTFont(STATIC / "NotoSansMono-vi.ttf")
    cmap = font.getBestCmap()
    letters = {*LETTERS, *LETTERS.upper()}
    letters |= {unicodedata.normalize("NFC", v + m) for v in VOWELS + VOWELS.upper() for m in MARKS}
    assert len(letters) == 2 * (len(LETTERS) + 5 * len(VOWELS)) and all(len(c) == 1 for c in letters)
    assert not sorted(c for c in letters if ord(c) not in cmap)
    assert all(ord(c) in cmap for c in '[]="#.,:-_0123456789₫…')
    widths = {font["hmtx"][font.getBestCmap()[ord(c)]][0] for c in "iWđỗ[= "}
    assert len(widths) == 1  # monospace: every glyph as wide
    assert "SIL Open Font License" in (STATIC / "NotoSansMono.LICENSE.txt").read_text(encoding="utf-8")
