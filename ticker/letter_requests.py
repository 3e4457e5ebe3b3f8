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

import bisect
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from ticker.letter_dates import Window, airing_range, airing_times, find_frequency, find_window


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
_MARKER = re.compile(
    r"(?:(?:với|có)\s*)?(?:các\s*)?nội\s*dung(?:\s*(?:cụ\s*thể\s*)?(?:như\s*sau|sau\s*đây|sau))?\s*:?", re.IGNORECASE
)
_HEADING = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[a-zđ])[.)]\s+(?=\S)")
_BULLET = re.compile(r"^[-–•+*](?!\*?\S*\*\s*$)\s*")
_ATTRIBUTE = re.compile(
    r"^(?:[-–+•]\s*)?(?:\*\s*)?(?:Thời\s*gian|Tần\s*suất|Thời\s*lượng|Số\s*lần|Khung\s*giờ|Thời\s*điểm|Vị\s*trí)",
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
_TOPIC = re.compile(r"tuyên\s*truyền\s+(?:về\s+)?(?P<t>.+?)(?=\s+(?:trên|tại|từ|trong|vào|với)\b|[.;:]|$)")
_QUOTES = {"“": "”", '"': '"', "«": "»", "(": ")"}


@dataclass(frozen=True)
class Unit:
    first: int  # lines of the letter (1-based)
    last: int
    text: str
    kind: str  # heading | bullet | para


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
        return " ".join(self.texts) if self.texts else None

    @property
    def needs_wording(self) -> bool:
        return self.medium in ("crawl", "slate", "sms") and not self.texts


class Span:
    """Some lines of the letter joined into one text, knowing which line each character came from."""

    def __init__(self, lines: list[str], numbers: list[int], unit_end: int | None = None):
        self.text, self.starts, self.numbers = "", [], numbers
        for line in lines:
            self.starts.append(len(self.text))
            self.text += line + "\n"
        # where the span's first unit ends (its lines joined by line breaks: the unit's text is as long)
        self.unit_end = len(lines[0]) if unit_end is None else unit_end

    def line_of(self, at: int) -> int:
        return self.numbers[max(0, bisect.bisect_right(self.starts, at) - 1)]

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        return (self.line_of(start), self.line_of(max(start, end - 1)))


def units(lines: list[str], body: tuple[int, int]) -> list[Unit]:
    """The body's units; a line that goes on from the one before it (no blank between, no full stop, starting
    lower case: a PDF's wrapped line) is part of the same unit."""
    out: list[Unit] = []
    blank = True
    for n in range(body[0], body[1] + 1):
        line = lines[n - 1].strip()
        if not line:
            blank = True
            continue
        kind = "heading" if _HEADING.match(line) else "bullet" if _BULLET.match(line) else "para"
        prev = out[-1] if out else None
        if prev and not blank and kind == "para" and line[:1].islower() and not re.search(r"[.:;!?]$", prev.text):
            out[-1] = dataclasses.replace(prev, last=n, text=prev.text + " " + line)
        else:
            out.append(Unit(n, n, line, kind))
        blank = False
    return out


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "").replace("_", " ")).strip()


def _audience_of(unit: Unit) -> tuple[str | None, int]:
    """(the addressees a unit names at its start, where the rest of it starts in unit.text)."""
    text = _HEADING.sub("", unit.text) if unit.kind == "heading" else _BULLET.sub("", unit.text)
    plain = _plain(text)
    if unit.kind == "heading" and _AUDIENCE.match(plain) and not _medium_matches(plain):
        return plain.rstrip(".:;"), len(unit.text)
    head, colon, _ = plain.partition(":")
    if colon and _AUDIENCE.match(head) and len(head.split()) <= 14:
        return re.sub(r"^Đối\s+với\s+", "", head).strip(), unit.text.index(":") + 1
    if asked := _ASKED.search(plain):
        return asked.group("who").strip(), len(unit.text) - len(text)
    return None, len(unit.text) - len(text)


def _medium_matches(text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[str, re.Match[str]]]:
    """The media a text names (from pos to endpos), in its order; "other" only when nothing more specific is."""
    end = len(text) if endpos is None else endpos
    found = [(medium, m) for medium, pattern in MEDIA.items() for m in pattern.finditer(text, pos, end)]
    specific = [(md, m) for md, m in found if md != "other"]
    chosen = specific or found
    return sorted(chosen, key=lambda f: f[1].start())


def _open(text: str) -> bool:
    """Whether the text leaves a bracket or a quotation open (its words go on in the next unit)."""
    return (
        text.count("(") > text.count(")")
        or text.count("“") > text.count("”")
        or text.count('"') % 2 == 1
        or text.count("«") > text.count("»")
    )


def _belongs(unit: Unit, so_far: str) -> bool:
    if _open(so_far):
        return True
    if unit.kind == "heading":
        return False
    plain = _plain(_BULLET.sub("", unit.text))
    if _ATTRIBUTE.match(unit.text) or _ATTRIBUTE.match(plain):
        return True
    if unit.kind == "para" and unit.text[:1] in '(<“"':  # the link or the words the request goes on to give
        return True
    if so_far.rstrip().endswith(":"):  # the list or the words its colon announced
        return not _medium_matches(plain) or plain[:1] in '“"«('
    return unit.kind == "bullet" and bool(re.search(r":\s*$", so_far.split("\n")[0])) and not _medium_matches(plain)


def find_requests(lines: list[str], body: tuple[int, int], letter_date: dt.date | None, addressees: str | None):
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
            if own and at == len(unit.text):
                i += 1
                continue
        attribute = _ATTRIBUTE.match(unit.text) or _ATTRIBUTE.match(_plain(unit.text[at:]))
        if attribute or not _medium_matches(unit.text, at):
            i += 1
            continue
            i += 1
            continue
        j, so_far = i + 1, unit.text
        while j < len(body_units) and _belongs(body_units[j], so_far):
            so_far += "\n" + body_units[j].text
            j += 1
        span_units = body_units[i:j]
        covered.update(range(span_units[0].first, span_units[-1].last + 1))
        span = Span(
            [lines[n - 1].strip() for u in span_units for n in range(u.first, u.last + 1) if lines[n - 1].strip()],
            [n for u in span_units for n in range(u.first, u.last + 1) if lines[n - 1].strip()],
            len(unit.text),
        )
        audience = own or section or addressees
        # the span's text begins with the unit's, its lines joined by line breaks instead of spaces
        requests.extend(_read(span, _medium_matches(span.text, at, len(unit.text)), audience, letter_date))
        i = j
    _inherit_window(lines, body, covered, requests, letter_date)
    return requests


def _read(span: Span, media, audience: str | None, letter_date: dt.date | None) -> list[Request]:
    """One request per medium the span's first unit names (the words go to the crawl, or to the last named)."""
    kinds = list(dict.fromkeys(md for md, _ in media))
    marker = _MARKER.search(span.text, media[0][1].end(), span.unit_end)
    takes_words = "crawl" if "crawl" in kinds else kinds[-1]
    out = []
    for medium in kinds:
        match = next(m for md, m in media if md == medium)
        r = Request(medium, audience, (span.numbers[0], span.numbers[-1]), _plain(match.group(0)))
        if medium == takes_words:
            _words(r, span, marker, match.end())
        if (w := find_window(span.text, letter_date)) is not None:
            r.window = w
            r.cites["window"] = span.lines_of(w.start_at, w.end_at)
        if (f := find_frequency(span.text)) is not None:
            r.frequency = f[0]
            r.cites["frequency"] = span.lines_of(f[1], f[2])
        r.times, r.hours = airing_times(span.text), airing_range(span.text)
        out.append(r)
    return out


def _words(r: Request, span: Span, marker: re.Match[str] | None, after: int) -> None:
    """The words to air (in a bracket or quotes, after "với nội dung:", or as quoted bullets), or else the
    points the letter lists for the station to word."""
    text = span.text
    start = marker.end() if marker else after
    rest = text[start:]
    lead = len(rest) - len(rest.lstrip())
    at = start + lead
    opener = text[at : at + 1]
    if opener in _QUOTES and (marker or r.medium in ("crawl", "slate")):
        end = _closing(text, at, opener)
        words = _clean(text[at + 1 : end])
        if marker or (len(words.split()) >= 6 and not _medium_matches(words)):
            r.texts.append(words)
            r.cites["text"] = span.lines_of(at, end)
            return
    line_end = max(start, span.unit_end)
    if marker and marker.group(0).rstrip().endswith(":") and text[start:line_end].strip():
        words = _clean(text[start:line_end])
        r.texts.append(words)
        r.cites["text"] = span.lines_of(start, line_end)
        return
    if not marker:
        for q in re.finditer(r"“([^”]{12,})”|\"([^\"]{12,})\"", text[after:line_end]):
            r.texts.append(_clean(q.group(1) or q.group(2)))
            r.cites["text"] = span.lines_of(after + q.start(), after + q.end())
        if r.texts:
            return
    # the lines after a colon: quoted words, or the points to word
    for k in range(1, len(span.starts)):
        line = text[span.starts[k] :].split("\n", 1)[0]
        if _ATTRIBUTE.match(line) or _ATTRIBUTE.match(_plain(_BULLET.sub("", line))):
            continue
        item = _plain(_BULLET.sub("", line))
        quoted = re.fullmatch(r"[“\"«(](.+)[”\"»)][.;,]?", item)
        if quoted:
            r.texts.append(_clean(quoted.group(1)))
            r.cites["text"] = (r.cites.get("text", (span.numbers[k],) * 2)[0], span.numbers[k])
        elif _BULLET.match(line) or text[: span.starts[k]].rstrip().endswith(":"):
            r.topics.append(item.rstrip(";.,"))
            r.cites["topics"] = (r.cites.get("topics", (span.numbers[k],) * 2)[0], span.numbers[k])
    if not r.texts and not r.topics and (t := _TOPIC.search(text[after:line_end])) and len(t.group("t").split()) > 1:
        r.topics.append(_clean(t.group("t")))
        r.cites["topics"] = span.lines_of(after, line_end)


def _closing(text: str, at: int, opener: str) -> int:
    """Where the bracket or quotation opened at `at` closes (nested brackets counted), or the text's end."""
    closer, depth = _QUOTES[opener], 0
    for k in range(at + 1, len(text)):
        c = text[k]
        if opener == "(" and c == "(":
            depth += 1
        elif c == closer:
            if depth == 0:
                return k
            depth -= 1
    return len(text.rstrip())


def _clean(words: str) -> str:
    """The letter's own marks taken off the words: <…> around addresses, emphasis, line breaks, and the
    bracket or quote left at either end."""
    words = re.sub(r"<((?:https?://|www\.)[^>\s]+)>", r"\1", words)
    words = _plain(words)
    words = words.strip(" ;,")
    while words[:1] in '(“"«' and words[-1:] in ')”"»' and not _open(words[1:-1]):
        words = words[1:-1].strip()
    if words[:1] in '(“"«' and _open(words):
        words = words[1:].strip()
    return words.rstrip(" ;,")


def _inherit_window(lines, body, covered: set[int], requests: list[Request], letter_date) -> None:
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
