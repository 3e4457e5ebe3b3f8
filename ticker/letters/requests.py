"""What a letter asks of broadcasters and operators: one request per thing asked, with its medium (a crawl, a
full-screen notice, a clip, an SMS or something else), whom it addresses, the words to air when the letter
gives them (or the points the station must word itself), its window and how often.

A letter's body is read as units: numbered headings ("3. Các Doanh nghiệp Viễn thông và Truyền hình cáp"),
bullets ("- *Các doanh nghiệp truyền hình cáp*: thực hiện chạy chữ …") and paragraphs. A heading that names
addressees sets the audience of what follows it; a unit that names a medium starts a request, and the units
after it that belong to it (its "Thời gian …" line, the rest of a bracket it opened, the list its colon
announced) are added to it. The same words asked of telecoms as an SMS and of cable operators as a crawl are
two requests, and only the crawl becomes a message.
"""

from __future__ import annotations

import datetime as dt
import re

from ticker.letters.dates import Window, airing_range, airing_times, find_deadline, find_frequency, find_window
from ticker.letters.units import (
    ATTRIBUTE,
    BULLET,
    HEADING,
    ITEM,
    LETTERED,
    WORDING_MEDIA,
    Request,
    Span,
    Unit,
    medium_matches,
    openness,
    plain,
    units,
)
from ticker.letters.words import read_words

_MARKER = re.compile(
    r"(?:(?:với|có)\s*)?(?:cùng\s*)?(?:các\s*)?nội\s*dung(?:\s*(?:cụ\s*thể\s*)?(?:như\s*sau|sau\s*đây|sau))?\s*:?",
    re.IGNORECASE,
)
_AUDIENCE = re.compile(
    r"^(?:Đối\s+với\s+)?(?:(?:các|Các|Quý)\s+)?(?:Sở|Ban|UBND|Ủy ban|Uỷ ban|Đài|Báo|Doanh\s+nghiệp|doanh\s+nghiệp|"
    r"Công\s+ty|Tổng\s+công\s+ty|Trung\s+tâm|Cổng|[Nn]hà\s+mạng|Truyền\s+hình|Tập\s+đoàn|Viettel|VNPT|MobiFone|"
    r"Mobifone|Hệ\s+thống|cơ\s+quan|đơn\s+vị|Phòng)\b"
)
_ASKED = re.compile(
    r"đề\s*nghị\s+(?:Quý\s+)?(?P<who>(?:các\s+)?(?:Đài|Báo|Công\s+ty|Tổng\s+công\s+ty|doanh\s+nghiệp|Doanh\s+nghiệp|"
    r"Trung\s+tâm|nhà\s+mạng)[^,.;:]{0,80}?)\s+(?:thực\s+hiện|triển\s+khai|phối\s+hợp|tổ\s+chức|chạy|phát|đăng|"
    r"đưa|nhắn|tuyên\s+truyền)"
)
# whom a medium in a sentence that asks several is asked of: "các doanh nghiệp viễn thông nhắn tin và …"
_WHO = re.compile(
    r"(?:các\s+)?(?:doanh\s+nghiệp|nhà\s+mạng|Đài|Báo|Công\s+ty|Trung\s+tâm|Tổng\s+công\s+ty)"
    r"(?:\s+(?!(?:thực|triển|nhắn|chạy|phát|gửi|đăng|tổ|và|với)\b)[^\s,;:.()]+){0,8}",
    re.IGNORECASE,
)
GENERIC = {"các doanh nghiệp", "doanh nghiệp", "các đơn vị", "đơn vị", "các cơ quan", "các đài"}


def _audience_of(unit: Unit) -> tuple[str | None, int]:
    """(the addressees a unit names at its start, where the rest of it starts in unit.text)."""
    text = HEADING.sub("", unit.text) if unit.kind == "heading" else BULLET.sub("", unit.text)
    clear = plain(text)
    if unit.kind == "heading" and _AUDIENCE.match(clear) and not medium_matches(clear):
        return clear.rstrip(".:;"), len(unit.text)
    head, colon, _ = clear.partition(":")
    if colon and _AUDIENCE.match(head) and len(head.split()) <= 14:
        return re.sub(r"^Đối\s+với\s+", "", head).strip(), unit.text.index(":") + 1
    asked = _ASKED.search(clear)
    if asked and asked.group("who").strip().lower() not in GENERIC:
        return asked.group("who").strip(), len(unit.text) - len(text)
    return None, len(unit.text) - len(text)


class _Gather:
    """The units a request takes, with what the test of the next one needs kept up to date as they come (so
    that a request of thousands of lines is read in one pass)."""

    def __init__(self, first: Unit):
        self.depth, self.quoted = 0, False
        self.first_colon = first.text.rstrip().endswith(":")
        self.last = first.text
        self.took(first)

    def took(self, unit: Unit) -> None:
        self.last = unit.text
        self.depth = max(0, self.depth + openness(unit.text))
        self.quoted ^= unit.text.count('"') % 2 == 1

    def belongs(self, unit: Unit) -> bool:
        if self.depth or self.quoted:  # the rest of a bracket or quotation the request opened
            return True
        clear = plain(ITEM.sub("", unit.text))
        if ATTRIBUTE.match(unit.text) or ATTRIBUTE.match(clear):  # its "Thời gian …", "Nội dung: …"
            return True
        in_list = self.last.rstrip().endswith(":") or LETTERED.match(self.last)
        if unit.kind == "heading" and not (LETTERED.match(unit.text) and in_list):  # a), b) of its list
            return False
        if unit.kind == "para" and unit.text[:1] in '(<“"':  # the link or the words it goes on to give
            return True
        if self.last.rstrip().endswith(":"):  # the list or the words its colon announced
            return not medium_matches(clear) or clear[:1] in '“"«('
        return self.first_colon and unit.kind in ("bullet", "heading") and not medium_matches(clear)


def find_requests(
    lines: list[str], body: tuple[int, int], letter_date: dt.date | None, addressees: str | None
) -> list[Request]:
    """The requests in the body, in the letter's order (see the module's docstring)."""
    body_units = units(lines, body)
    requests: list[Request] = []
    section: str | None = None
    covered: set[int] = set()
    i = 0
    while i < len(body_units):
        unit = body_units[i]
        own, at = _audience_of(unit)
        if unit.kind == "heading":
            section = own  # a new heading: its addressees, or none
        attribute = ATTRIBUTE.match(unit.text) or ATTRIBUTE.match(plain(unit.text[at:]))
        if attribute or not medium_matches(unit.text, at):
            i += 1
            continue
        j, gather = i + 1, _Gather(unit)
        while j < len(body_units) and gather.belongs(body_units[j]):
            gather.took(body_units[j])
            j += 1
        taken = [n for u in body_units[i:j] for n in range(u.first, u.last + 1) if lines[n - 1].strip()]
        covered.update(range(body_units[i].first, body_units[j - 1].last + 1))
        # the span's text begins with the unit's, its lines joined by line breaks instead of spaces
        span = Span([lines[n - 1].strip() for n in taken], taken, len(unit.text))
        media = medium_matches(span.text, at, len(unit.text))
        requests.extend(_read(span, media, own or section or addressees, letter_date))
        i = j
    _inherit_window(lines, body, covered, requests, letter_date)
    _until_the_event(requests, letter_date)
    return requests


def _read(
    span: Span, media: list[tuple[str, re.Match[str]]], audience: str | None, letter_date: dt.date | None
) -> list[Request]:
    """One request per medium the span's first unit names, each with the words that follow its name (up to
    the next medium's): "chạy chữ … với nội dung: “…”, đồng thời nhắn tin … với nội dung: “…”". A medium with
    no words of its own shares the next one's ("nhắn tin và chạy chữ với cùng nội dung: …"); a medium named
    inside another's words is not a request. Each medium's own addressees are those named just before it."""
    text, taken = span.text, list[tuple[int, int]]()
    out: list[Request] = []
    masked = text
    occurrences = [(md, m) for k, (md, m) in enumerate(media) if k == 0 or media[k - 1][0] != md]
    before = 0
    for k, (medium, match) in enumerate(occurrences):
        if any(a <= match.start() < b for a, b in taken):
            continue  # named in the words of the one before
        limit = next((m.start() for _, m in occurrences[k + 1 :] if m.start() >= match.end()), span.unit_end)
        marker = _MARKER.search(text, match.end(), limit)
        who = [w.group(0).strip() for w in _WHO.finditer(masked, before, match.start())]
        before = match.end()
        own = who[-1] if who and who[-1].lower() not in GENERIC and len(occurrences) > 1 else None
        r = Request(medium, own or audience, (span.numbers[0], span.numbers[-1]), plain(match.group(0)))
        ranges = read_words(r, span, marker, match.end(), limit, following=limit == span.unit_end)
        if medium not in WORDING_MEDIA:
            r.texts, r.topics = [], []
        taken += ranges
        for a, b in ranges:
            masked = masked[:a] + "".join("\n" if c == "\n" else " " for c in masked[a:b]) + masked[b:]
        out.append(r)
    for k, r in enumerate(out):  # "nhắn tin và chạy chữ với cùng nội dung"
        later = next((o for o in out[k + 1 :] if o.texts), None)
        if r.needs_wording and not r.topics and later is not None:
            r.texts, r.cites["text"] = list(later.texts), later.cites["text"]
    for r in out:
        if (w := find_window(masked, letter_date)) is not None:
            r.window = w
            r.cites["window"] = span.lines_of(w.start_at, w.end_at)
        if (f := find_frequency(masked)) is not None:
            r.frequency = f[0]
            r.cites["frequency"] = span.lines_of(f[1], f[2])
        r.times, r.hours = airing_times(masked), airing_range(masked)
    return out


def _inherit_window(
    lines: list[str], body: tuple[int, int], covered: set[int], requests: list[Request], letter_date: dt.date | None
) -> None:
    """A window the letter states on its own ("Thời gian thực hiện: từ … đến …") goes to the requests that
    state none."""
    free = [n for n in range(body[0], body[1] + 1) if n not in covered and lines[n - 1].strip()]
    if not free or all(r.window for r in requests):
        return
    span = Span([lines[n - 1].strip() for n in free], free)
    if (w := find_window(span.text, letter_date)) is None:
        return
    for r in requests:
        if r.window is None:
            r.window = w
            r.cites["window"] = span.lines_of(w.start_at, w.end_at)


def _until_the_event(requests: list[Request], letter_date: dt.date | None) -> None:
    """A crawl whose words announce an event's moment ("… sẽ bị khóa từ 24 giờ ngày 15/8/2017") and whose request
    states no window of its own runs often ("thường xuyên") until that moment (dates.find_deadline). A window the
    letter states elsewhere that only says the moment again ("Từ 16/8, …" in a news report's headline) gives way
    to it: the words are the letter's own, a headline is someone's paraphrase. A window the request itself states
    ("chạy chữ từ ngày 01/7/2024 …") is kept, and a moment before the letter's date is none."""
    for r in requests:
        if r.medium != "crawl" or not r.texts:
            continue
        deadline = next((d for t in r.texts if (d := find_deadline(t, letter_date)) is not None), None)
        if deadline is None or deadline.end is None or (letter_date is not None and deadline.end < letter_date):
            continue  # no moment, or one already past when the letter was written
        own = r.window is not None and r.lines[0] <= r.cites.get("window", (0, 0))[0] <= r.lines[1]
        if r.window is not None and (own or not _repeats(r.window, deadline.end)):
            continue
        r.window = deadline
        r.cites["window"] = r.cites.get("text", r.lines)
        if r.frequency is None and not r.times and not r.hours:
            r.frequency = "thường xuyên"
            r.cites["frequency"] = r.cites["window"]


def _repeats(window: Window, last: dt.date) -> bool:
    """Whether a window only names the event's moment again: it starts on the event's day or the last day
    before it, or ends on the last day, with no other end; or its dates cannot be read at all (a news report's
    "Từ 16/8" with no year anywhere)."""
    if window.start is None and window.end is None:  # "Từ 16/8" in a report with no date: no year to read it in
        return True
    event_day = last + dt.timedelta(days=1) if last < dt.date.max else last
    if window.end is None:
        return window.start in (last, event_day)
    return window.start is None and window.end in (last, event_day)
