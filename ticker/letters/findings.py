"""What a letter (công văn) says, for `ticker draft` and the desk: who sent it, its number, date and subject,
each thing it asks of broadcasters and operators, its web addresses and hotlines, and what a campaign needs
that it does not say. Every value keeps the lines it was read from, so that the draft can cite them.

The letter is read by ticker.letters.read (any file kind and encoding), its parts by ticker.letters.source,
its requests by ticker.letters.requests, its dates by ticker.letters.dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ticker.letters.doubts import LongAddress, SuspectWord, long_addresses, suspect_words
from ticker.letters.phones import Phone, find_phones
from ticker.letters.read import Letter
from ticker.letters.requests import Request, Span, find_requests
from ticker.letters.source import Found, Parts, read_parts, unframe
from ticker.letters.suggest import Suggestion, suggest

_URL = re.compile(
    r"<(?P<angle>[^<>\s]+\.[^<>\s]+)>"
    r"|(?P<scheme>https?://[^\s<>\"“”]+)"
    r"|(?P<www>(?<![\w@.])www\.[^\s<>\"“”]+)"
    r"|(?P<bare>(?<![\w@./-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:gov\.vn|com\.vn|org\.vn|edu\.vn|net\.vn|vn|com|org|net)"
    r"(?:/[^\s<>\"“”]*)?(?![\w@-]))",
    re.IGNORECASE,
)


@dataclass
class Findings:
    letter: Letter
    parts: Parts
    requests: list[Request]
    urls: list[Found] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    suspect_words: list[SuspectWord] = field(default_factory=list)  # the crawl's words that may be typos
    long_urls: list[LongAddress] = field(default_factory=list)  # addresses with a language or tracking part

    @property
    def date(self) -> dt.date | None:
        return self.parts.date_line.date if self.parts.date_line else None

    @property
    def suggestion(self) -> Suggestion | None:
        """A wording made of the letter's own points when it lists topics for the crawl instead of words."""
        crawls = self.crawls
        return suggest(crawls[0] if crawls and not any(r.texts for r in crawls) else None, self.phones, self.urls)

    @property
    def crawls(self) -> list[Request]:
        return [r for r in self.requests if r.medium == "crawl"]

    @property
    def missing(self) -> list[str]:
        """What a campaign needs that the letter does not say, then the letter's own blanks (the phrases
        ticker.campaign.provenance.MISSING explains)."""
        out = []
        crawls = self.crawls
        if not crawls:
            out += ["crawl request", "crawl words"]
        elif not any(r.texts for r in crawls):
            out.append("crawl words")
        window = next((r.window for r in crawls if r.window), None)
        if window is None:
            out += ["window start", "window end"]
        elif window.end is None:
            out.append("window end")
        if not any(r.frequency or r.times or r.hours for r in crawls):
            out.append("airing times")
        if not self.urls:
            out.append("web address")
        if self.parts.date_line is None or self.parts.date_line.date is None:
            out.append("letter date")
        if self.parts.number is None or not re.match(r"\d", self.parts.number.value):
            out.append("letter number")
        return out

    def as_json(self) -> dict:
        p = self.parts
        return {
            "letter": {
                "file": self.letter.name,
                "kind": self.letter.kind,
                "encoding": self.letter.encoding,
                "lines": len(self.letter.lines),
                "notes": list(self.letter.notes) + (["the letter stops before its end (cut off?)"] * p.cut_off),
            },
            "source": {
                "issuer": p.issuer.value if p.issuer else None,
                "number": p.number.value if p.number else None,
                "date": self.date.isoformat() if self.date else None,
                "place": p.date_line.place if p.date_line else None,
                "subject": p.subject.value if p.subject else None,
                "addressees": [a.value for a in p.addressees],
                "lines": {
                    k: list(v.lines)
                    for k, v in (("issuer", p.issuer), ("number", p.number), ("subject", p.subject))
                    if v is not None
                }
                | ({"date": [p.date_at, p.date_at]} if p.date_at else {}),
            },
            "requests": [_request_json(r) for r in self.requests],
            "urls": [u.value for u in self.urls],
            "phones": [f.value for f in self.phones],
            "hotlines": [{"number": f.value, "label": f.label, "lines": list(f.lines)} for f in self.phones],
            "suspect_words": [w.as_json() for w in self.suspect_words],
            "long_urls": [u.as_json() for u in self.long_urls],
            "suggestion": s.as_json() if (s := self.suggestion) else None,
            "missing": self.missing,
        }


def _request_json(r: Request) -> dict:
    w = r.window
    return {
        "medium": r.medium,
        "audience": r.audience,
        "text": r.text,
        "texts": r.texts,
        "topics": r.topics,
        "needs_wording": r.needs_wording,
        "window": {
            "start": w.start.isoformat() if w and w.start else None,
            "end": w.end.isoformat() if w and w.end else None,
            "until": w.until if w else None,
            "as_written": w.as_written if w else None,
        },
        "frequency": r.frequency,
        "times": [t.strftime("%H:%M") for t in r.times],
        "lines": list(r.lines),
    }


def read_findings(letter: Letter) -> Findings:
    lines = [unframe(line) for line in letter.lines]  # a pasted table's borders are not the letter's words
    parts = read_parts(lines)
    date = parts.date_line.date if parts.date_line else None
    if date is None and parts.date_line is not None and parts.date_line.year:  # "ngày   tháng 3 năm 2021"
        # not the letter's date (that stays blank): only the year and month its dates without a year are in
        date = dt.date(parts.date_line.year, parts.date_line.month or 1, 1)
    addressees = "; ".join(a.value for a in parts.addressees) or None
    requests = find_requests(lines, parts.body, date, addressees)
    body = range(parts.body[0], parts.body[1] + 1) if parts.body[1] >= parts.body[0] else range(1, len(lines) + 1)
    span = Span([lines[n - 1] for n in body], list(body))
    urls = _urls(span)
    crawls = [r for r in requests if r.medium == "crawl"]
    return Findings(
        letter,
        parts,
        requests,
        urls=urls,
        phones=find_phones(span),
        suspect_words=suspect_words(lines, crawls),
        long_urls=long_addresses(urls),
    )


def _urls(span: Span) -> list[Found]:
    found: dict[str, Found] = {}
    for m in _URL.finditer(span.text):
        value = m.group(0)[1:-1] if m.group("angle") else m.group(0)
        value = _trim(value)
        if "@" in value or not re.search(r"\.[a-z]{2,}", value, re.IGNORECASE):
            continue
        found.setdefault(value, Found(value, span.lines_of(m.start(), m.end())))
    return list(found.values())


def _trim(url: str) -> str:
    """A web address without the sentence's punctuation after it (a ")" closes a bracket unless one opened
    inside the address)."""
    while url and url[-1] in ".,;:!?'’”»]":
        url = url[:-1]
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def qr_address(url: str) -> str:
    """The address a QR code carries: the letter's, with https:// when it wrote none."""
    return url if re.match(r"https?://", url, re.IGNORECASE) else "https://" + url
