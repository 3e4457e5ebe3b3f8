"""Telephone numbers as Vietnamese letters write them, with the label the letter gives a hotline.

- Subscriber numbers: 0 and 9 or 10 more digits ("0912 345 678", "0293.3876.543", "0912-345-678", "(0293)
  3876543"), or +84 and the number without its 0; an area code and a service number, 8 or 9 digits in all,
  with a dot or a space anywhere: "0511.1022" (Đà Nẵng's area code before 2017 and its 1022 service).
- Service numbers: 1800 or 1900 and four or six digits ("1900 1559", "1800.1091").
- Short numbers, three to five digits written together (113, 1022, 9123): only where a label says they are
  to be called, and with nothing after them but the sentence's end or another number: "Tổng đài (miễn phí):
  1022", "gọi 113, 114 hoặc 115". A bare "2021", "1500 cuộc gọi", "2.500" or "123 Nguyễn Huệ" is no phone.
- Pairs: numbers joined by "hoặc", "và", "/", "," or ";" share the first one's label, short ones included
  ("0511.1022 hoặc 1022").
- Not phones: a fax's, a tax code, an account or an identity number ("Fax:", "Mã số thuế", "tài khoản", "CCCD").

A label is a hotline's noun ("đường dây nóng", "hotline", "tổng đài", "số điện thoại", "điện thoại", "ĐT",
"Tel.") with the few words after it, a bracket among them ("Tổng đài chăm sóc khách hàng", "Đường dây nóng
(24/7)"); or a verb ("gọi", "liên hệ"), which says to call the number but gives it no label. A number is
listed once, however often the letter writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ticker.letters.units import Span

_CANDIDATE = re.compile(
    r"(?<![\w.,:=?&#-])(?<![^\d\s]/)(?:\+ ?84|\(0\d{1,4}\)|\d)(?:[ .-]?\(?\d){0,16}"
    r"(?![\w%]|[.,-]\d|/(?!\s*(?:0|\+84|1[89]00)))"
)
_WORD = r"(?:\s+(?:\([^()\n]{0,24}\)|[^\W\d_]+\.?|24/7))"  # a word of a label, "(Zalo)", "(24/7)", "24/7"
_NOUN = r"đường\s*dây\s*nóng|hotline|tổng\s*đài|số\s*điện\s*thoại|điện\s*thoại|\bĐT\b|\bSĐT\b|\bTel\b\.?"
_LABEL = re.compile(
    rf"(?:(?P<noun>(?:{_NOUN})(?:{_WORD}){{0,6}}?)|(?<!cuộc\s)(?P<verb>\b(?:gọi|liên\s*hệ|bấm)\b(?:\s+(?:điện|đến|tới"
    r"|ngay|số|qua|cho))*))\s*(?:\bsố\b)?\s*[:(]?\s*$",
    re.IGNORECASE,
)
_NOT_A_PHONE = re.compile(
    r"(?:\bfax|mã\s*số\s*thuế|\bMST\b|tài\s*khoản|\bSTK\b|\bCMND\b|\bCCCD\b|căn\s*cước|hộ\s*chiếu)[^\d\n]{0,12}$",
    re.IGNORECASE,
)
_JOIN = re.compile(r"\s*(?:hoặc|và|hay|/|,|;)\s*", re.IGNORECASE)
_SHORT_END = re.compile(r"\s*(?:$|[.,;:!?)”\"\n]|(?:hoặc|và|hay|/)\s)", re.IGNORECASE)


@dataclass(frozen=True)
class Phone:
    value: str  # as written
    lines: tuple[int, int]
    label: str | None  # "Đường dây nóng", "Tổng đài hỗ trợ"; None when the letter gives none

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.value)


def _kind(written: str) -> str | None:
    """ "full" for a subscriber or service number, "short" for three to five digits written together, else None."""
    digits = re.sub(r"\D", "", written)
    if written.lstrip().startswith("+"):
        return "full" if digits.startswith("84") and 10 <= len(digits) <= 12 else None
    if digits.startswith("0") and 8 <= len(digits) <= 11:  # 8 and 9: an area code and a service number
        return "full"
    if digits[:4] in ("1800", "1900") and len(digits) in (8, 10):
        return "full"
    if 3 <= len(digits) <= 5 and written.isdigit() and not digits.startswith("0"):
        return "short"
    return None


def _pieces(m: re.Match[str]) -> list[tuple[int, int]]:
    """Where the numbers of a candidate are: the whole, or its parts at spaces when the whole is no number
    (two numbers with only a space between them)."""
    text = m.group(0)
    if _kind(text):
        return [(m.start(), m.end())]
    out, at = [], m.start()
    for part in re.split(r"( +)", text):
        if part.strip() and _kind(part) == "full":
            out.append((at, at + len(part)))
        at += len(part)
    return out


def find_phones(span: Span) -> list[Phone]:
    text = span.text
    out: list[Phone] = []
    seen: set[str] = set()
    last_end, last_label = -1, None
    for m in _CANDIDATE.finditer(text):
        for start, end in _pieces(m):
            written = text[start:end].strip()
            kind = _kind(written)
            before = text[max(0, start - 80) : start]
            before = before[before.rfind("\n") + 1 :]
            if kind is None or _NOT_A_PHONE.search(before):
                last_end = -1
                continue
            paired = last_end >= 0 and _JOIN.fullmatch(text[last_end:start]) is not None
            label_m = _LABEL.search(before)
            if kind == "short" and not ((label_m or paired) and _SHORT_END.match(text, end)):
                last_end = -1
                continue
            label = _label(label_m["noun"]) if label_m and label_m["noun"] else None
            if paired and label_m is None:
                label = last_label
            last_end, last_label = end, label
            phone = Phone(written, span.lines_of(start, end), label)
            if phone.digits not in seen:
                seen.add(phone.digits)
                out.append(phone)
    return out


def _label(words: str) -> str:
    words = re.sub(r"\s+", " ", words).strip(" :(").strip()
    return words[:1].upper() + words[1:]
