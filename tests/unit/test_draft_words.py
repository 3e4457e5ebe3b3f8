"""ticker's own stand-in words (what `ticker draft` writes where the letter gives none) keep a campaign a draft:
with `status = "draft"` taken out, the file is refused at that message's text, however the words were spaced."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ticker.campaign import load_campaign
from ticker.campaign.provenance import DRAFT_WORDS
from ticker.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "configs" / "hau-giang-ncovi.toml"


def _with(tmp_path: Path, words: str, draft: bool) -> Path:
    path = tmp_path / "c.toml"
    shutil.copy(EXAMPLE, path)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'text = """.*?"""', f'text = """{words}"""', text, count=1, flags=re.S)
    if draft:
        text = text.replace("[campaign]\n", '[campaign]\nstatus = "draft"\n', 1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("words", [DRAFT_WORDS, DRAFT_WORDS.replace(": ", ":\n  ")])
def test_the_drafts_own_words_cannot_leave_draft(tmp_path, words):
    with pytest.raises(ConfigError) as caught:
        load_campaign(_with(tmp_path, words, draft=False))
    assert "message[1].text still holds the words a draft is made with" in str(caught.value)
    assert [(r.key, r.why) for r in caught.value.refusals] == [("message[1].text", "draft-words")]


def test_a_draft_may_hold_them_and_words_of_the_stations_own_may_leave_draft(tmp_path):
    assert load_campaign(_with(tmp_path, DRAFT_WORDS, draft=True)).status == "draft"
    assert load_campaign(_with(tmp_path, "Lời chạy chữ của đài.", draft=False)).status == "ready"
