"""The words a request asks to air, as letters give them: in quotes or brackets, after "với nội dung:" (on the
same line or the next), as quoted bullets, after a "- Nội dung:" line; or else the points the letter lists
for the station to word. The characters the words take are returned too, so that a date or a "thường
xuyên" inside the words is never read as the request's window or frequency."""

from __future__ import annotations

import re

from ticker.letters.units import ATTRIBUTE, ITEM, Request, Span, is_open, medium_matches, plain

_QUOTES = {"“": "”", '"': '"', "«": "»", "(": ")"}
_LABEL = re.compile(r"^(?:[-–+•]\s*)?(?:\d{1,2}[.)]\s*)?Nội\s*dung[^:“\"(]{0,40}:\s*", re.IGNORECASE)
_TOPIC = re.compile(r"tuyên\s*truyền\s+(?:về\s+)?(?P<t>.+?)(?=\s+(?:trên|tại|từ|trong|vào|với)\b|[.;:]|$)")
# where words given after "với nội dung:" stop and the sentence goes on about when ("…; thời gian từ …")
_RUN_ON = re.compile(
    r"\s*;\s*(?=(?:thời\s*gian|tần\s*suất|thời\s*lượng|từ\s*ngày|từ\s*nay|kể\s*từ|mỗi\s*ngày|hằng\s*ngày)\b)"
    r"|(?<=\.)\s+(?=(?:thời\s*gian|tần\s*suất|thời\s*lượng)\b)",
    re.IGNORECASE,
)
Ranges = list[tuple[int, int]]


def read_words(r: Request, span: Span, marker: re.Match[str] | None, after: int, limit: int, following: bool) -> Ranges:
    """Fills r.texts (or r.topics) from the span; returns the ranges of span.text the words take. `marker`:
    "với nội dung:" after the medium's name (which ends at `after`), both before `limit` (the next medium the
    first unit names, or its end); `following`: the lines after the first unit may hold the words."""
    text = span.text
    start = marker.end() if marker else after
    at = start + len(text[start:limit]) - len(text[start:limit].lstrip())
    opener = text[at : at + 1]
    if opener in _QUOTES and at < limit and (marker or r.medium in ("crawl", "slate")):
        end = _closing(text, at, opener)
        words = clean(text[at + 1 : end])
        if words and (marker or (len(words.split()) >= 6 and not medium_matches(words))):
            _add(r, "texts", words, span.lines_of(at, end))
            return [(at, end + 1)]
    unit_end = max(start, limit)
    colon = marker is not None and marker.group(0).rstrip().endswith(":")
    if colon and text[start:unit_end].strip():
        cut = _RUN_ON.search(text, start, unit_end)
        stop = cut.start() if cut else unit_end
        if words := clean(text[start:stop]):
            _add(r, "texts", words, span.lines_of(start, stop))
            return [(start, stop)]
    ranges: Ranges = []
    if not marker:
        for q in re.finditer(r"“([^”]{12,})”|\"([^\"]{12,})\"", text[after:unit_end]):
            if words := clean(q.group(1) or q.group(2)):
                _add(r, "texts", words, span.lines_of(after + q.start(), after + q.end()))
                ranges.append((after + q.start(), after + q.end()))
        if ranges:
            return ranges
    if following:
        ranges = _following(r, span, colon or text[:unit_end].rstrip().endswith(":"))
    if not r.texts and not r.topics and (t := _TOPIC.search(text, after, unit_end)) and len(t.group("t").split()) > 1:
        _add(r, "topics", clean(t.group("t")), span.lines_of(after, unit_end))
    return ranges


def _following(r: Request, span: Span, announced: bool) -> Ranges:
    """The lines after the first unit: a "Nội dung:" line, quoted items or the next paragraph (words), or the
    listed points (topics)."""
    text, ranges = span.text, []
    first = next((k for k, s in enumerate(span.starts) if s >= span.unit_end), len(span.starts))
    for k in range(first, len(span.starts)):
        begin = span.starts[k]
        line = text[begin:].split("\n", 1)[0]
        here = (span.numbers[k], span.numbers[k])
        label = _LABEL.match(line)
        if label:
            line, begin = line[label.end() :], begin + label.end()
        elif ATTRIBUTE.match(line) or ATTRIBUTE.match(plain(ITEM.sub("", line))):
            continue
        item = plain(ITEM.sub("", line))
        quoted = re.fullmatch(r"[“\"«(](.+)[”\"»)][.;,]?", item)
        if quoted and (words := clean(quoted.group(1))):
            _add(r, "texts", words, here)
            ranges.append((begin, begin + len(line)))
        elif item and (label or (announced and k == first and not ITEM.match(line) and not r.topics)):
            _add(r, "texts", clean(item), here)  # "- Nội dung: …", or the paragraph "với nội dung:" announced
            ranges.append((begin, begin + len(line)))
        elif item and (ITEM.match(line) or announced):
            _add(r, "topics", item.rstrip(";.,"), here)
    return ranges


def _add(r: Request, what: str, value: str, lines: tuple[int, int]) -> None:
    getattr(r, what).append(value)
    key = "text" if what == "texts" else what
    r.cites[key] = (r.cites[key][0], lines[1]) if key in r.cites else lines


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


def clean(words: str) -> str:
    """The letter's own marks taken off the words: <…> around addresses, emphasis, line breaks, and the
    bracket or quote left at either end."""
    words = re.sub(r"<((?:https?://|www\.)[^>\s]+)>", r"\1", words)
    words = plain(words).strip(" ;,")
    while len(words) >= 2 and words[0] in '(“"«' and words[-1] in ')”"»' and not is_open(words[1:-1]):
        words = words[1:-1].strip()
    if words[:1] and words[0] in '(“"«' and is_open(words):
        words = words[1:].strip()
    return words.rstrip(" ;,") if any(c.isalnum() for c in words) else ""
