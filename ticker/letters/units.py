"""A letter's body as units — numbered headings, bullets and paragraphs — and the marks read in them: the
media a unit names, the attributes ("Thời gian …") that belong to the request before them, and the Request
each one becomes (ticker.letters.requests)."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from ticker.letters.dates import Window
from ticker.vietnamese.lexicon import is_address


def phrase(words: str) -> str:
    """A phrase as a pattern that still matches when a PDF ran its syllables together ("chạychữ")."""
    return r"\s*".join(re.escape(w) for w in words.split())


def _media(phrases: list[str]) -> re.Pattern[str]:
    alternatives = [phrase(p) if " " in p else rf"\b{re.escape(p)}\b" for p in sorted(phrases, key=len, reverse=True)]
    return re.compile("|".join(alternatives), re.IGNORECASE)


MEDIA = {
    "crawl": _media(
        [
            "chạy chữ",
            "chữ chạy",
            "chạy dòng chữ",
            "chạy băng chữ",
            "dòng chữ chạy",
            "băng chữ chạy",
            "chạy tít",
            "dòng chữ tuyên truyền chạy",
        ]
    ),
    "slate": _media(["bảng thông báo", "thông báo toàn màn hình", "bảng tin thông báo"]),
    "sms": _media(["nhắn tin", "tin nhắn", "SMS"]),
    "clip": _media(["video clip", "clip", "phóng sự", "phim ngắn", "tiểu phẩm", "spot", "TVC", "phát định kỳ"]),
    "other": _media(
        [
            "đưa tin",
            "phát sóng",
            "phương tiện truyền thông đại chúng",
            "tin bài",
            "phát trên sóng",
            "tuyên truyền trên sóng",
        ]
    ),
}
WORDING_MEDIA = ("crawl", "slate", "sms")  # what airs words the letter gives (or the station must write)
HEADING = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[a-zđ])[.)]\s+(?=\S)")
LETTERED = re.compile(r"^[a-zđ][.)]\s+(?=\S)")  # a), b): items of a list as often as headings
BULLET = re.compile(r"^[-–•+*](?!\*?\S*\*\s*$)\s*")
ITEM = re.compile(r"^(?:[-–•+*]|[a-zđ][.)])\s*")
ATTRIBUTE = re.compile(
    r"^(?:[-–+•]\s*)?(?:\d{1,2}[.)]\s*)?(?:\*\s*)?"
    r"(?:Thời\s*gian|Tần\s*suất|Thời\s*lượng|Số\s*lần|Khung\s*giờ|Thời\s*điểm|Vị\s*trí|Nội\s*dung)",
    re.IGNORECASE,
)

UnitKind = Literal["heading", "bullet", "para"]


@dataclass(frozen=True)
class Unit:
    first: int  # lines of the letter (1-based)
    last: int
    text: str
    kind: UnitKind


@dataclass
class Request:
    medium: str
    audience: str | None
    lines: tuple[int, int]
    keyword: str  # the words that name the medium, as written
    texts: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    window: Window | None = None
    frequency: str | None = None
    times: list[dt.time] = field(default_factory=list)
    hours: tuple[dt.time, dt.time] | None = None
    cites: dict[str, tuple[int, int]] = field(default_factory=dict)  # field → the lines it was read from

    @property
    def text(self) -> str | None:
        return "; ".join(self.texts) if self.texts else None

    @property
    def needs_wording(self) -> bool:
        return self.medium in WORDING_MEDIA and not self.texts


class Span:
    """Some lines of the letter joined into one text, knowing which line each character came from."""

    def __init__(self, lines: list[str], numbers: list[int], unit_end: int | None = None):
        self.starts: list[int] = []
        self.numbers = numbers
        at = 0
        for line in lines:
            self.starts.append(at)
            at += len(line) + 1
        self.text = "".join(line + "\n" for line in lines)
        # where the span's first unit ends (its lines joined by line breaks: the unit's text is as long)
        self.unit_end = len(lines[0]) if unit_end is None else unit_end

    def line_of(self, at: int) -> int:
        return self.numbers[max(0, bisect.bisect_right(self.starts, at) - 1)]

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        return (self.line_of(start), self.line_of(max(start, end - 1)))


def units(lines: list[str], body: tuple[int, int]) -> list[Unit]:
    """The body's units; a line that goes on from the one before it (no blank between, and the line before
    ends no sentence, or leaves a bracket or quotation open: a PDF's wrapped line) is part of the same unit."""
    parts: list[tuple[int, int, list[str], UnitKind]] = []
    blank, depth, quoted = True, 0, False  # the brackets and the straight quotation the unit leaves open
    for n in range(body[0], body[1] + 1):
        line = lines[n - 1].strip()
        if not line:
            blank = True
            continue
        kind: UnitKind = "heading" if HEADING.match(line) else "bullet" if BULLET.match(line) else "para"
        if parts and not blank and kind == "para":
            last = parts[-1][2][-1]
            goes_on = line[:1].islower() or line[:1].isdigit() or depth > 0 or quoted
            if goes_on and last[-1:] not in ".:;!?":
                first, _, texts, k = parts[-1]
                texts.append(line)
                parts[-1] = (first, n, texts, k)
                depth, quoted = max(0, depth + openness(line)), quoted ^ (line.count('"') % 2 == 1)
                continue
        parts.append((n, n, [line], kind))
        depth, quoted = max(0, openness(line)), line.count('"') % 2 == 1
        blank = False
    return [Unit(first, last, " ".join(texts), kind) for first, last, texts, kind in parts]


def _plain_word(m: re.Match[str]) -> str:
    word = m.group(0)
    if not is_address(word):
        return word.replace("*", "").replace("_", " ")
    word = word.replace("*", "").lstrip("_")  # an address's own "_" kept, the emphasis around it not
    body = word.rstrip('.,;:!?)”"')
    return body.rstrip("_") + word[len(body) :]


def plain(text: str) -> str:
    """Text without the emphasis a pasted letter carries (*bold*, _italic_); a web address keeps its "_"."""
    text = re.sub(r"\S+", _plain_word, text)
    return re.sub(r"\s+", " ", text).strip()


def openness(text: str) -> int:
    """How many brackets and curly quotations the text opens and leaves open (negative: closes more)."""
    return text.count("(") - text.count(")") + text.count("“") - text.count("”") + text.count("«") - text.count("»")


def is_open(text: str) -> bool:
    """Whether the text leaves a bracket or a quotation open (its words go on after it)."""
    return openness(text) > 0 or text.count('"') % 2 == 1


def medium_matches(text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[str, re.Match[str]]]:
    """The media a text names (from pos to endpos), in its order; "other" only when nothing more specific is."""
    end = len(text) if endpos is None else endpos
    found = [(medium, m) for medium, pattern in MEDIA.items() for m in pattern.finditer(text, pos, end)]
    specific = [(md, m) for md, m in found if md != "other"]
    chosen = specific or found
    return sorted(chosen, key=lambda f: f[1].start())
