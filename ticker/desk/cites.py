"""The comments `ticker draft` writes beside each value it read from a letter ("the letter, line 61"), as the
edit page shows them in Vietnamese: the draft writes its comments in English, the one language of the file
format, and the desk says them in the page's language.

Only the draft's own phrases are said anew (PHRASES, the words of ticker.letters.draft); what the letter itself
says inside them (its quoted frequency or window, “…”) is kept as written. A comment someone wrote by hand is
theirs, shown as they wrote it and marked as the file's own words (`Cite.own`), in either language."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINES = r"lines? (\d+(?:–\d+)?)"
# (the draft's phrase, its Vietnamese); tried in order, each a regular expression over the whole comment's part
PHRASES: tuple[tuple[str, str], ...] = (
    (r"the letter's subject \(V/v\), " + _LINES, r"trích yếu (V/v) của công văn, dòng \1"),
    (r"the words of the letter, " + _LINES, r"lời trong công văn, dòng \1"),
    (r"the letter's first web address, " + _LINES, r"địa chỉ web đầu tiên trong công văn, dòng \1"),
    (r"the letter gives no words, only what they must say \(the letter, " + _LINES + r"\):",
     r"công văn không cho lời, chỉ nói lời phải có gì (công văn, dòng \1):"),
    (r"the letter gives no words, only what they must say \(the letter\):",
     "công văn không cho lời, chỉ nói lời phải có gì:"),
    (r"the letter asks for a crawl \(" + _LINES + r"\) but gives no words",
     r"công văn đề nghị chạy chữ (dòng \1) nhưng không cho lời"),
    (r"the letter asks for no crawl: write one from what it asks, or leave it unaired",
     "công văn không đề nghị chạy chữ: hãy viết lời theo yêu cầu của công văn, hoặc không phát"),
    (r"the letter sets no hours: these are the house's", "công văn không nêu giờ: đây là giờ mặc định của đài"),
    (r"the times are the house's", "giờ là giờ mặc định của đài"),
    (r"the times are spread from 06:00 to 22:00", "giờ được rải đều từ 06:00 đến 22:00"),
    (r"the whole time", "suốt thời gian"),
    (r"the station's channels", "các kênh của đài"),
    (r"a stand-in: the letter does not say when the crawl ends",
     "tạm điền: công văn không nói khi nào ngừng chạy chữ"),
    (r"delete this line when the words and window are right: then it can air",
     "bỏ đánh dấu này khi lời và thời gian đã đúng: khi đó mới được phát"),
    (r"no start in the letter: the day after it was received \(([^)]*)\)",
     r"công văn không nêu ngày bắt đầu: ngày sau ngày nhận (\1)"),
    (r"no start in the letter and no date on it: the day after it was received \(today\)",
     "công văn không nêu ngày bắt đầu và không đề ngày: ngày sau ngày nhận (hôm nay)"),
    (r'"([^"]*)" is the moment it stops', r"«\1» là lúc ngừng"),
    (r"a suggestion made of the letter's own points, not its words: read it, change it, then accept it",
     "lời gợi ý ghép từ các ý của công văn, không phải lời của công văn: đọc, sửa, rồi chấp nhận"),
    (r"the letter, " + _LINES, r"công văn, dòng \1"),
    (r"the letter", "công văn"),
    (_LINES, r"dòng \1"),
)  # fmt: skip
_QUOTED = re.compile(r"“[^”]*”")
_ENGLISH = re.compile(r"\b(the|is|are|of|and|this|that|its|when|what|from|with|by|or|it|to|a|no|in|at)\b")


@dataclass(frozen=True)
class Cite:
    text: str
    own: bool  # someone's own words in the file, shown as written (not the draft's, not said anew)


def cite(comment: str, lang: str) -> Cite:
    """A value's comment as the page in `lang` shows it (module docstring)."""
    if not comment:
        return Cite(comment, False)
    quoted: list[str] = []

    def keep(m: re.Match[str]) -> str:
        quoted.append(m.group(0))
        return f"\x00{len(quoted) - 1}\x00"

    text = _QUOTED.sub(keep, comment)
    for pattern, vietnamese in PHRASES:
        text = re.sub(pattern, vietnamese, text)
    if _ENGLISH.search(text.replace("\x00", " ")):
        return Cite(comment, True)
    if lang == "en":
        return Cite(comment, False)
    return Cite(re.sub(r"\x00(\d+)\x00", lambda m: quoted[int(m.group(1))], text), False)
