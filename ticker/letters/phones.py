"""Telephone numbers as Vietnamese letters write them, with the label the letter gives a hotline.

- Subscriber numbers: 0 and 9 or 10 more digits ("0912 345 678", "0293.3876.543", "(0293) 3876543"), or +84
  and the number without its 0; an area code and a service number, 8 or 9 digits in all, with a dot or a space
  anywhere: "0511.1022" (Đà Nẵng's area code before 2017 and its 1022 service) is read whole.
- Service numbers: 1800 or 1900 and four or six digits ("1900 1559", "1800.1091").
- Short numbers, three to five digits (113, 114, 115, 1022, 18001): only where the letter says they are to
  be called (a label before them: "đường dây nóng", "hotline", "tổng đài …", "gọi", "số điện thoại", "liên
  hệ") or in a pair with a number that is one ("0511.1022 hoặc 1022"): a bare "2021" or "337" is a year or a
  letter's number, never a phone.
- Pairs: numbers joined by "hoặc", "và", "/", "," or ";" share the first one's label.

A number's label is the words from the label's first word up to the number ("Tổng đài dịch vụ công"), without
the colon or bracket before the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ticker.letters.units import Span

_CANDIDATE = re.compile(r"(?<![\w/.,:-])(?:\+ ?84|\(0\d{1,4}\)|\d)(?:[ .]?\d| ?\(?\d)*(?![\w/%]|[.,]\d)")
_LABEL = re.compile(
    r"(?:đường\s*dây\s*nóng|hotline|tổng\s*đài|số\s*điện\s*thoại|điện\s*thoại|\bĐT\b|\bSĐT\b|\bTel\b|"
    r"gọi|liên\s*hệ|hỗ\s*trợ\s*qua\s*số)"
    r"(?P<rest>[^\d\n.;:()]{0,40}?)\s*(?:\bsố\b)?\s*[:(]?\s*$",
    re.IGNORECASE,
)
_JOIN = re.compile(r"\s*(?:hoặc|và|/|,|;)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Phone:
    value: str  # as written
    lines: tuple[int, int]
    label: str | None  # "Đường dây nóng", "Tổng đài hỗ trợ"; None when the letter gives none

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.value)


def _kind(digits: str, written: str) -> str | None:
    """ "full" for a subscriber or service number, "short" for three to five digits, else None."""
    if written.lstrip().startswith("+"):
        return "full" if digits.startswith("84") and 10 <= len(digits) <= 12 else None
    if digits.startswith("0") and 8 <= len(digits) <= 11:  # 8 and 9: an area code and a service number
        return "full"
    if digits[:4] in ("1800", "1900") and len(digits) in (8, 10):
        return "full"
    if 3 <= len(digits) <= 5 and not digits.startswith("0"):
        return "short"
    return None


def _pieces(m: re.Match[str]) -> list[tuple[int, int]]:
    """Where the numbers of a candidate are: the whole, or its parts at spaces when the whole is no number
    (two numbers with only a space between them)."""
    text = m.group(0)
    if _kind(re.sub(r"\D", "", text), text):
        return [(m.start(), m.end())]
    out, at = [], m.start()
    for part in re.split(r"( +)", text):
        if part.strip() and _kind(re.sub(r"\D", "", part), part) == "full":
            out.append((at, at + len(part)))
        at += len(part)
    return out


def find_phones(span: Span) -> list[Phone]:
    text = span.text
    out: list[Phone] = []
    last_end, last_label, last_phone = -1, None, False
    for m in _CANDIDATE.finditer(text):
        for start, end in _pieces(m):
            written = text[start:end].strip()
            kind = _kind(re.sub(r"\D", "", written), written)
            before = text[max(0, start - 60) : start]
            line_start = before.rfind("\n") + 1
            label_m = _LABEL.search(before[line_start:]) or _LABEL.search(before)
            paired = last_phone and _JOIN.fullmatch(text[last_end:start]) is not None
            label = _label(label_m.group(0)) if label_m else (last_label if paired else None)
            if kind is None or (kind == "short" and not (label_m or paired)):
                last_phone = False
                continue
            out.append(Phone(written, span.lines_of(start, end), label))
            last_end, last_label, last_phone = end, label, True
    return out


def _label(words: str) -> str | None:
    words = re.sub(r"\s+", " ", words).strip(" :(").strip()
    words = re.sub(r"^(?:gọi|liên\s*hệ)\s+(?=\S)", "", words, flags=re.IGNORECASE)
    words = re.sub(r"\s*\bsố$", "", words, flags=re.IGNORECASE).strip()
    if not words or words.lower() in ("gọi", "liên hệ"):
        return None
    return words[:1].upper() + words[1:]
