"""Dates, windows, frequencies and airing times as Vietnamese officials write them in a letter (công văn).

The text is already NFC. PDF extraction runs syllables together ("từngày12/3/2020", "đếnhếtngày") and letters
come in capitals ("TỪ NGÀY"), so every phrase is matched case-insensitively with any whitespace, or none, between
its syllables (`_rx`). Nothing here raises on any input: what cannot be read is None or left out, and a year that
is not written is taken from the letter's date or left unknown, never invented.

The rules of a window, for a reader of a letter's dates:
- "đến 24 giờ ngày 15/8" is 00:00 on 16/8: the last day on air is the 15th, and `until` keeps the moment;
  "từ 24 giờ ngày 15/8" starts on the 16th.
- A date is a window only after "từ", "đến", "trong", "kể từ", "hết" (or a time and date after "thời gian").
- An event's moment in the crawl's own words ("… sẽ bị khóa chiều gọi đi từ 24 giờ ngày 15/8/2017", "trước
  ngày 30/9", "đến hết ngày 31/12"; `find_deadline`) is the end of a crawl that runs until it, when the request
  states no window of its own, or the letter only says the moment again elsewhere (a headline's "Từ 16/8"):
  the words are the letter's, a headline someone's paraphrase (ticker.letters.requests). A moment before the
  letter's date is no deadline; "từ 1/9 đến 30/9" inside the words is the event's own period, and "từ ngày
  1/1/2025" with no hour the day a rule takes effect: neither is a moment.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass


def _rx(phrase: str, flags: int = 0) -> re.Pattern[str]:
    """A regex from a phrase, each space in it any whitespace or none (so no space inside [...]); one to match
    at a position begins with a space. The whitespace is never given back (possessive): two spaces side by side
    around an optional word would otherwise try every split of a long run of blanks."""
    return re.compile(phrase.replace(" ", r"\s*+"), re.IGNORECASE | flags)


# "giờ", "h", "g" or ":" after an hour; "h" and "g" not as the first letter of a word ("12 học sinh").
_MARK = r"(?:giờ|h(?=\s*ngày|[\W\d_]|$)|g(?=[\W\d_]|$)|:(?=\d\d))"
_CLOCK = rf"(?<![\d/.])\d{{1,2}} {_MARK} (?:\d\d(?!\d))?(?: phút)?"
_YR = r"(?P<y>\d{4}|\d\d)(?!\d)"
_POINT = _rx(
    rf" (?:(?P<h>\d{{1,2}}) {_MARK} (?P<mi>\d\d(?!\d))?(?: phút)? ,? )?(?:ngày )?"
    rf"(?:(?<![\d/.])(?P<d>\d{{1,2}}) (?P<sep>[/.-]) (?P<m>\d{{1,2}})(?: (?P=sep) {_YR})?(?![\d/])"
    r"|(?P<ld>\d{1,2}) tháng (?P<lm>\d{1,2})(?: năm (?P<ly>\d{4}))?)"
)
_BARE = _rx(r" (?:ngày )?(?P<d>\d{1,2})(?![\d/.\-–]|\s*tháng)")  # "từ ngày 12 đến 15/3/2020"
_RANGE = _rx(rf" (?:ngày )?(?P<d1>\d{{1,2}}) [-–] (?P<d2>\d{{1,2}}) (?P<sep>[/.]) (?P<m>\d{{1,2}})(?: (?P=sep) {_YR})?")
_MONTH = _rx(rf" (?:thời gian )?tháng (?P<m>\d{{1,2}})(?: (?:/|năm) {_YR})?(?![\d/])")
_YEAR = _rx(r" năm (?P<y>\d{4})(?!\d)")
_RECEIVED = r"(?:sau )?khi nhận được(?: (?:công văn|văn bản)(?: này)?)?"
_NOW = _rx(rf" (?:nay|bây giờ|ngày ký(?: ban hành)?|ngày ban hành|{_RECEIVED})(?![^\W\d_])")
_END = _rx(r" ,? (?:cho )?(?:đến|tới|[-–]) (?:hết )?")
_DAYS = _rx(r" (?:các |những |\d{1,2} |hai |ba |bốn |năm )?ngày (?P<list>(?:\d{1,2} (?:,|;|và|-|–) )*)")
_ANCHOR = _rx(
    r"(?P<fro>kể từ|từ)|(?P<to>(?:cho )?(?:đến|tới)(?: hết)?|hết)|(?P<within>trong)"
    r"|(?P<when>thời gian(?:[^\n\d:]{0,40}:)?)|(?P<now>(?:(?:thực hiện|triển khai|chạy chữ) ngay(?![^\W\d_])"
    rf"|ngay (?=(?:sau )?khi nhận được))(?: {_RECEIVED})?(?:,? (?:kể )?từ nay)?)"
)


def last_day_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class DateLine:
    """The place and date a letter is signed: "Hậu Giang, ngày 11 tháng 3 năm 2020"."""

    place: str | None
    date: dt.date | None  # None when the day or month is left blank, to be written in when signed
    year: int | None
    month: int | None
    as_written: str
    start: int
    end: int


@dataclass(frozen=True)
class Window:
    """The days a letter asks a crawl to air."""

    start: dt.date | None
    end: dt.date | None  # the last day the crawl airs
    until: str | None  # "YYYY-MM-DD HH:MM": the moment it stops, when the letter gives one
    from_now: bool  # "từ nay", "kể từ ngày ký": from when the letter is received
    as_written: str
    start_at: int
    end_at: int


@dataclass
class _Pt:
    """A date as written: any part may be missing until the window it is in (or the letter's date) fills it."""

    day: int | None
    month: int | None
    year: int | None
    hour: int | None = None
    minute: int = 0
    last: bool = False  # "hết tháng 4": the last day of the month


def _year(s: str | None) -> int | None:
    return None if not s else int(s) + (2000 if len(s) == 2 else 0)


def _point(text: str, pos: int) -> tuple[_Pt, int] | None:
    if not (m := _POINT.match(text, pos)):
        return None
    d, month, y = (m["d"], m["m"], m["y"]) if m["d"] else (m["ld"], m["lm"], m["ly"])
    return _Pt(int(d), int(month), _year(y), int(m["h"]) if m["h"] else None, int(m["mi"] or 0)), m.end()


def _target(text: str, pos: int) -> tuple[_Pt, int] | None:
    """What a window runs to: a date, a month ("hết tháng 4") or a year ("hết năm 2021")."""
    if got := _point(text, pos):
        return got
    if m := _MONTH.match(text, pos):
        return _Pt(None, int(m["m"]), _year(m["y"]), last=True), m.end()
    m = _YEAR.match(text, pos)
    return (_Pt(31, 12, int(m["y"])), m.end()) if m else None


def _parse(text: str, anchor: re.Match[str]) -> tuple[_Pt | None, _Pt | None, bool, int] | None:
    """The window an anchor word opens, as written: start, end, from now, where it stops in the text."""
    kind, pos = anchor.lastgroup, anchor.end()
    start: _Pt | None = None
    from_now = False
    if kind == "fro":
        if m := _NOW.match(text, pos):
            from_now, pos = True, m.end()
        elif m := _RANGE.match(text, pos):  # "từ 12-15/3/2020"
            y = _year(m["y"])
            return _Pt(int(m["d1"]), int(m["m"]), y), _Pt(int(m["d2"]), int(m["m"]), y), False, m.end()
        elif got := _point(text, pos):
            start, pos = got
        elif m := _BARE.match(text, pos):
            start, pos = _Pt(int(m["d"]), None, None), m.end()
        else:
            return None
    elif kind == "to":
        return (None, got[0], False, got[1]) if (got := _target(text, pos)) else None
    elif kind == "within":
        if m := _MONTH.match(text, pos):  # "trong tháng 12/2021"
            month, y = int(m["m"]), _year(m["y"])
            return _Pt(1, month, y), _Pt(None, month, y, last=True), False, m.end()
        if (m := _DAYS.match(text, pos)) and (got := _point(text, m.end())):  # "trong các ngày 12, 13 và 14/3"
            last, stop = got
            first = int(re.findall(r"\d+", m["list"])[0]) if m["list"].strip() else last.day
            return _Pt(first, last.month, last.year), _Pt(last.day, last.month, last.year), False, stop
        return None
    elif kind == "when":  # "Thời gian: 7 giờ ngày 12/3/2020": a moment the crawl starts
        if not (got := _point(text, pos)) or got[0].hour is None:
            return None
        start, pos = got
    else:  # "triển khai ngay", "ngay khi nhận được công văn"
        from_now = True
    if (m := _END.match(text, pos)) and (got := _target(text, m.end())):
        return start, got[0], from_now, got[1]
    if start is not None and start.month is None:
        return None
    return start, None, from_now, pos


def _day(pt: _Pt | None) -> dt.date | None:
    """The date, or None when its year is not known; ValueError when no year has it (31/2, ngày 32)."""
    if pt is None or pt.month is None:
        return None
    if pt.hour is not None and (pt.minute > 59 or pt.hour * 60 + pt.minute > 24 * 60):
        raise ValueError(f"{pt.hour} giờ {pt.minute} is no time of day")
    day = calendar.monthrange(2000, pt.month)[1] if pt.last else pt.day or 0
    dt.date(2000, pt.month, day)  # 2000 is a leap year: 29/2 is a date in some year
    if pt.year is None:
        return None
    return last_day_of_month(pt.year, pt.month) if pt.last else dt.date(pt.year, pt.month, day)


def _window(
    s: _Pt | None, e: _Pt | None, letter: dt.date | None, now: bool, text: str, a: int, b: int
) -> Window | None:
    """The window written as text[a:b], a missing month or year taken from its other end or from the letter's
    date; None when a date written is not a date."""
    if s and e:
        s.month = s.month or e.month
        before = (s.month or 0, s.day or 0) > (e.month or 0, e.day or 32)  # "từ 20/12 đến 5/1/2017"
        if s.year is None and e.year is not None:
            s.year = e.year - before
        elif e.year is None and s.year is not None:
            e.year = s.year + before
    guess_s, guess_e = bool(s and s.year is None), bool(e and e.year is None)
    try:
        if letter and s and guess_s:
            s.year = letter.year  # a crawl does not start months before it is asked: "từ 5/1" in December is January
            s.year += _day(s) < letter - dt.timedelta(days=60)  # type: ignore[operator]
        if letter and e and guess_e:
            e.year = s.year if s and s.year else letter.year
            start, end = _day(s), _day(e)
            e.year += bool(end and ((start and end < start) or (not start and end < letter)))
        start, end = _day(s), _day(e)
        until = None
        if end and e and e.hour is not None:  # "24 giờ ngày 15/8" is 00:00 on 16/8, and 15/8 the last day
            stop = dt.datetime.combine(end, dt.time()) + dt.timedelta(hours=e.hour, minutes=e.minute)
            until = f"{stop:%Y-%m-%d %H:%M}"
            end = stop.date() - dt.timedelta(days=1) if stop.time() == dt.time() else end
        if start and s and s.hour == 24:
            start += dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    return Window(start, end, until, now, text[a:b], a, b)


def find_windows(text: str, letter_date: dt.date | None = None) -> list[Window]:
    """Every window in the text, in order. A date is a window only after "từ", "đến", "trong", "kể từ" or "hết"
    (or as a time and date after "thời gian"): "Thông báo số 241/TB-VPCP ngày 12/9/2021" is a reference."""
    found: list[Window] = []
    done = 0
    for anchor in _ANCHOR.finditer(text):
        if anchor.start() >= done and (got := _parse(text, anchor)):
            done = got[3]  # a window written with an impossible date is no window, nor is its end alone
            if window := _window(got[0], got[1], letter_date, got[2], text, anchor.start(), got[3]):
                found.append(window)
    return found


# The moment an event the crawl announces happens, in the crawl's own words: "sẽ bị khóa từ 24 giờ ngày 15/8/2017",
# "trước ngày 30/9", "đến hết ngày 31/12".
_EVENT = _rx(
    r"(?<![^\W\d_])(?:(?P<begins>kể từ|từ|trước|bắt đầu từ)"
    r"|(?P<ends>(?:đến|tới)(?: hết)?|hết|hạn chót(?: là)?|chậm nhất(?: là| vào)?))(?= )"
)


def find_deadline(text: str, letter_date: dt.date | None = None) -> Window | None:
    """The moment an event the words announce happens, as the window of a crawl that runs until it: "từ 24 giờ
    ngày 15/8/2017" (the event begins at 00:00 on 16/8) ends the crawl on the 15th, `until` "2017-08-16 00:00";
    "trước ngày 16/8" ends it on the 15th too; "đến hết ngày 15/8" on the 15th. "Từ ngày 1/1/2025" with no hour
    is the day a rule takes effect, which a crawl may well go on announcing: no deadline. The window has no
    start: the crawl runs from when it can until then."""
    period_end = -1
    for m in _EVENT.finditer(text):
        got = _point(text, m.end())
        if got is None or m.start() < period_end:
            continue
        pt, stop_at = got
        if m["begins"] and (to := _END.match(text, stop_at)) and (period := _target(text, to.end())):
            period_end = period[1]
            continue  # "từ 1/9 đến 30/9": the event's own period, not a moment
        if pt.year is None and letter_date is not None:
            pt.year = letter_date.year
        try:
            day = _day(pt)
            if day is None:
                continue
            if pt.hour is not None and pt.minute <= 59 and pt.hour * 60 + pt.minute <= 24 * 60:
                moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=pt.hour, minutes=pt.minute)
            elif m["begins"] and m["begins"].lower().startswith("trước"):
                moment = dt.datetime.combine(day, dt.time())
            elif m["begins"]:
                continue  # "từ ngày 1/1/2025" with no hour: the day a rule takes effect, no deadline
            else:
                return Window(None, day, None, False, text[m.start() : stop_at], m.start(), stop_at)
            last = moment.date() - dt.timedelta(days=1) if moment.time() == dt.time() else moment.date()
        except (ValueError, OverflowError):
            continue
        return Window(None, last, f"{moment:%Y-%m-%d %H:%M}", False, text[m.start() : stop_at], m.start(), stop_at)
    return None


def find_window(text: str, letter_date: dt.date | None = None) -> Window | None:
    """The first window in the text; a date without a year takes the letter's year."""
    windows = find_windows(text, letter_date)
    return windows[0] if windows else None


_BLANK = r"[\s._…]*"
_DATE_LINE = _rx(  # no two quantifiers side by side over one character: a form's dotted blank can be long
    rf"(?P<lead>,\s*|^\s*)ngày(?:{_BLANK}(?:(?P<d>\d{{1,2}}){_BLANK})?tháng{_BLANK}(?:(?P<m>\d{{1,2}}){_BLANK})?"
    r"năm\s*(?P<y>\d{4})|\s*(?P<nd>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<nm>\d{1,2})\s*(?P=sep)\s*(?P<ny>\d{4}))(?!\d)",
    re.MULTILINE,
)
_MOTTO = _rx(r"hạnh phúc")
_PLACE_WORDS = {"phố", "xã", "trấn"}  # "Thành phố Hồ Chí Minh", "Thị xã Ngã Bảy"
_TP = {"TP.", "TX.", "TP", "TX", "Q."}  # "TP. Hồ Chí Minh", "TX. Ngã Bảy", "Q. 1"


def _place(text: str, comma: int) -> tuple[str, int] | None:
    """The capitalised words right before the comma on its line (after the motto a PDF may run in: "Độc lập - Tự
    do - Hạnh phúc Hà Nội, ngày …"), and where they begin."""
    line = max(text.rfind("\n", 0, comma) + 1, comma - 120)  # a place is a few words: look no further back
    begin = max([line] + [m.end() for m in _MOTTO.finditer(text, line, comma)])
    words: list[re.Match[str]] = []
    for w in reversed(list(re.finditer(r"\S+", text[begin:comma]))):
        if len(words) == 6 or not ((w[0][0].isupper() and not re.search(r"\d|:$", w[0])) or w[0] in _PLACE_WORDS):
            break
        words.insert(0, w)
    mixed = any(not w[0].isupper() for w in words)  # "CN TT Hậu Giang": an issuer's code run in before the place
    while words and (not words[0][0][0].isupper() or (mixed and words[0][0].isupper() and words[0][0] not in _TP)):
        words.pop(0)
    return (" ".join(w[0] for w in words), begin + words[0].start()) if words else None


def find_date_line(text: str) -> DateLine | None:
    """ "<Place>, ngày D tháng M năm YYYY" (or "ngày D/M/YYYY"), the day or month perhaps left blank; a date at
    the start of a line when no place comes before one."""
    lone: DateLine | None = None
    for m in _DATE_LINE.finditer(text):
        comma = m["lead"].startswith(",")
        at = _place(text, m.start("lead")) if comma else None
        if at is None and comma:
            continue  # ", ngày 12/3/2020" inside a sentence
        d, month, y = (m["d"], m["m"], m["y"]) if m["y"] else (m["nd"], m["nm"], m["ny"])
        month_n = int(month) if month and 1 <= int(month) <= 12 else None
        try:
            date = dt.date(int(y), month_n, int(d)) if d and month_n else None
        except ValueError:
            date = None
        begin = at[1] if at else m.start() + len(m[0]) - len(m[0].lstrip())
        line = DateLine(at[0] if at else None, date, int(y), month_n, text[begin : m.end()], begin, m.end())
        if at:
            return line
        lone = lone or line
    return lone


_NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_N = r"(?<![^\W\d_])(?:\d{1,2}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"
_COUNTED = [
    _rx(p)
    for p in (
        rf"(?:(?:tối thiểu|ít nhất|khoảng|tối đa|từ {_N} (?:đến|-)) )?(?P<n>{_N}) lần (?:phát )?"
        r"(?:/ (?:0?1 |một )?|mỗi |một |trên |trong (?:0?1 |một )?)(?P<per>ngày|tuần|tháng|năm)",
        rf"(?:mỗi|hằng|hàng|một) (?P<per>ngày|tuần|tháng) (?:phát |chạy )?(?:tối thiểu |ít nhất |khoảng )?"
        rf"(?P<n>{_N}) lần",
    )
]
_PERIODIC = _rx(r"(?:định kỳ )?(?:hằng|hàng|mỗi) (?:ngày|tuần|tháng)|định kỳ")
_VAGUE = _rx(r"(?:(?:trong|vào) (?:các )?)?(?:khung giờ vàng|giờ cao điểm)|thường xuyên|liên tục")
_TIME_LIST = _rx(
    r"(?:vào )?(?:lúc|(?:các )?khung giờ|(?:các )?giờ phát|các giờ|(?:các )?thời điểm) :? "
    rf"(?P<list>{_CLOCK}(?: (?:,|;|và|hoặc) {_CLOCK})*)"
)
_CLOCK_PARTS = _rx(rf"(?<![\d/.])(?P<h>\d{{1,2}}) {_MARK} (?P<m>\d\d(?!\d))?")
_TIME_RANGE = _rx(
    rf"(?:(?P<lead>từ|khung giờ|khoảng) )?(?<![\d/.])(?P<h1>\d{{1,2}})(?P<mk> {_MARK} (?P<m1>\d\d(?!\d))?"
    rf"(?: phút)?)? (?:đến|tới|[-–]) (?P<h2>\d{{1,2}}) {_MARK} (?P<m2>\d\d(?!\d))?(?: phút)?"
)
_DATE_AFTER = _rx(r" ,? (?:ngày )?\d{1,2} [/.-] \d")  # "0 giờ ngày 30/12": a window
_RANGE_AFTER = _rx(r" (?:[-–]|đến|tới) \d")


def _clock(hour: str, minute: str | None, end: bool = False) -> dt.time | None:
    """A time of day; 24:00 at the end of a range is 23:59:59, the last second of the day it closes."""
    h, m = int(hour), int(minute or 0)
    if end and h == 24 and m == 0:
        return dt.time(23, 59, 59)
    return dt.time(h, m) if h < 24 and m < 60 else None


def _ranges(text: str) -> Iterator[tuple[re.Match[str], tuple[dt.time, dt.time]]]:
    for m in _TIME_RANGE.finditer(text):  # "từ 12 đến 15/3" is no range of hours, nor "từ 7h ngày 12/3 …"
        first, last = _clock(m["h1"], m["m1"]), _clock(m["h2"], m["m2"], end=True)
        if first and last and (m["lead"] or m["mk"]) and not _DATE_AFTER.match(text, m.end()):
            yield m, (first, last)


def _time_lists(text: str) -> Iterator[tuple[re.Match[str], list[dt.time]]]:
    for m in _TIME_LIST.finditer(text):
        if _DATE_AFTER.match(text, m.end()) or _RANGE_AFTER.match(text, m.end()):
            continue  # "lúc 7 giờ ngày 12/3/2020" is a moment, "khung giờ 19h45 - 23h00" a range
        times = [_clock(c["h"], c["m"]) for c in _CLOCK_PARTS.finditer(m["list"])]
        if times and all(times):
            yield m, times  # type: ignore[misc]


def find_frequency(text: str) -> tuple[str, int, int] | None:
    """How often the crawl airs, as written, and its span. A count ("01 lần/ngày", "mỗi ngày 02 lần") is taken
    before hours ("từ 19h45 đến 23h00", "vào lúc 6h30, 11h30 và 19h45"), hours before a period ("định kỳ hằng
    tuần"), and a period before words a sentence may use for anything ("thường xuyên", "liên tục"); within a
    kind, the first written."""
    counted = [m for rx in _COUNTED for m in rx.finditer(text)]
    hours = [m for m, _ in _ranges(text)] + [m for m, _ in _time_lists(text)]
    for matches in (counted, hours, list(_PERIODIC.finditer(text)), list(_VAGUE.finditer(text))):
        if matches:
            m = min(matches, key=lambda m: (m.start(), -m.end()))
            return m[0], m.start(), m.end()
    return None


def times_per_day(frequency: str) -> int | None:
    """Airings a day: "01 lần/ngày" → 1, "mỗi ngày 02 lần" → 2, "vào lúc 6h30, 11h30 và 19h45" → 3; None for a
    weekly or monthly count and for words that give no number ("thường xuyên")."""
    for rx in _COUNTED:
        if m := rx.search(frequency):
            return (_NUMBER_WORDS.get(m["n"].lower()) or int(m["n"])) if m["per"].lower() == "ngày" else None
    return len(airing_times(frequency)) or None


def airing_times(text: str) -> list[dt.time]:
    """The times of day listed after "lúc", "khung giờ", "các giờ" …, in order, each once; not a window's
    "0 giờ ngày 30/12/2016", nor the ends of a range of hours."""
    return list(dict.fromkeys(t for _, times in _time_lists(text) for t in times))


def airing_range(text: str) -> tuple[dt.time, dt.time] | None:
    """The first range of hours, "từ 19h45 đến 23h00" → (19:45, 23:00). "đến 24h" ends at 23:59:59, so the range
    stays inside one day; an end before the start ("từ 22h đến 2h") runs past midnight."""
    return next((hours for _, hours in _ranges(text)), None)
