"""The draft campaign `ticker draft` writes from a letter's findings (ticker.letters.findings): the crawl's words, its
window, a QR code for the letter's first web address, the [source] table, and the operator's own look, slots
and outputs from a house campaign (or ticker's). Every value taken from the letter has a comment citing its
line; where the letter leaves a gap the draft says so and keeps `[campaign] status = "draft"`, which check,
render and nightly refuse to put on air (ticker.campaign.provenance says the gaps).

The file is made with tomlkit, so that the house file's own comments come across with its tables.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Table

from ticker import __version__
from ticker.campaign import load_campaign
from ticker.campaign.calendar import vn_date
from ticker.campaign.config import DEFAULT_TIMEZONE
from ticker.campaign.provenance import DRAFT_WORDS, GAPS
from ticker.errors import ConfigError, InputError
from ticker.files import CAMPAIGN_LIMIT, read_input, write_atomic
from ticker.letters.dates import times_per_day
from ticker.letters.doubts import LOOK_AGAIN
from ticker.letters.findings import Findings, qr_address
from ticker.letters.kept import LETTERS, keep_letter, kept_any
from ticker.letters.read import Letter
from ticker.letters.requests import Request
from ticker.letters.suggest import airable
from ticker.vietnamese.text import BUNDLED_FONTS

HOUSE = """\
# ticker's own house look: the Hậu Giang example's band, three airings a day, loops for the inserter.

[style]
preset = "news"  # the band, its label and rule: another preset chosen here changes all of them

[motion]
crossing_seconds = 12
gap = 0.5

[[slot]]
at = ["06:30", "11:30", "19:45"]
seconds = 120

[[output]]
profile = "1080i50"
format = "prores4444"
loop = true

[[output]]
profile = "576i50"
format = "prores4444"
loop = true

[qr]
url = "auto"
hide_url = true
replace_with = "(quét mã QR bên cạnh)"
"""
PLACEHOLDER = DRAFT_WORDS  # the message of a draft whose letter gives no words: it cannot leave draft
# Said above a suggested wording (ticker.letters.suggest): the draft stays a draft until someone accepts it.
SUGGESTED = "a suggestion made of the letter's own points, not its words: read it, change it, then accept it"
_PATH_KEYS = ("logo", "font", "fallback_font", "label_font")


def lines_cited(lines: tuple[int, int]) -> str:
    return f"line {lines[0]}" if lines[0] == lines[1] else f"lines {lines[0]}–{lines[1]}"


def house_document(house: Path | None) -> tuple[tomlkit.TOMLDocument, Path | None]:
    """The house campaign as tomlkit reads it (its comments kept), checked first as a campaign."""
    if house is None:
        return tomlkit.parse(HOUSE), None
    if not load_campaign(house).outputs:  # a bad house file is its own one sentence
        raise ConfigError(f"{house}: has no [[output]]: a house campaign gives the draft its outputs.")
    raw = read_input(house, "house campaign", CAMPAIGN_LIMIT)
    return tomlkit.parse(raw.decode("utf-8-sig")), house.parent


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")


# A TOML comment is one line without control characters (a tab aside): what a letter wraps, a break of any
# kind (CR, LF, VT, FF, NEL, U+2028, U+2029), and every other control become one space.
_NOT_IN_COMMENT = re.compile(r"[ \t]*[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]+[ \t]*")


def _comment_text(text: str) -> str:
    """`text` quoting the letter as a TOML comment can hold it (the letter's words wrapped as it wrapped them)."""
    return _NOT_IN_COMMENT.sub(" ", text)


def draft_name(findings: Findings, output: Path | None = None) -> str:
    """The campaign's name: the draft file's (`output`), else the letter's number ("cv-337-sttt-cntt")."""
    name = slug(output.stem) if output else ""
    p = findings.parts
    if not name:
        name = "cv-" + slug(p.number.value) if p.number and re.match(r"\d", p.number.value) else "cv-draft"
    return name


def draft_document(
    findings: Findings,
    house: Path | None = None,
    output: Path | None = None,
    received: dt.date | None = None,
    today: dt.date | None = None,
    name: str | None = None,
    channels: tuple[str, ...] = (),
) -> tuple[str, str]:
    """(the draft campaign as TOML text, its status: "draft" or "ready"); `name`: its campaign.name, if not
    draft_name's; `channels`: the station's channels (ticker.station), which each slot names unless the house's
    slot names its own."""
    doc, house_dir = house_document(house)
    f, p = findings, findings.parts
    crawls = f.crawls
    missing = f.missing
    out = tomlkit.document()
    for line in _header(f, house):
        out.add(tomlkit.comment(_comment_text(line)))
    out.add(tomlkit.nl())

    campaign = tomlkit.table()
    campaign.add("name", name or draft_name(f, output))
    title = p.subject.value if p.subject else f"Công văn {p.number.value}" if p.number else Path(f.letter.name).stem
    campaign.add("title", title[:1].upper() + title[1:])
    if p.subject:
        campaign["title"].comment(f"the letter's subject (V/v), {lines_cited(p.subject.lines)}")
    # the crawl's window; another medium's only when the letter asks for no crawl at all
    request = next((r for r in crawls if r.window), None) if crawls else next((r for r in f.requests if r.window), None)
    window = request.window if request else None
    if window is not None and window.start is not None:
        start, start_note = window.start, _cite(request, "window")
    else:
        start, start_note = _start(f.date, received, today or dt.date.today())
    end = window.end if window and window.end else start
    if end < start:  # the letter's window ended before the day the rule gives
        start, start_note = end, f"{start_note}; but the window ends before that: here it starts on its end"
        missing.append("window over")
    status = "draft" if any(g in missing for g in GAPS) else "ready"
    campaign.add("start", start)
    campaign["start"].comment(start_note)
    campaign.add("end", end)
    if window and window.end:
        until = f'; "{window.until}" is the moment it stops' if window.until else ""
        campaign["end"].comment(_comment_text(f"{_cite(request, 'window')}: “{window.as_written}”{until}"))
    else:
        campaign["end"].comment("a stand-in: the letter does not say when the crawl ends")
    campaign.add("timezone", doc.get("campaign", {}).get("timezone", DEFAULT_TIMEZONE))
    if status == "draft":
        campaign.add("status", "draft")
        campaign["status"].comment("delete this line when the words and window are right: then it can air")
    out.add("campaign", campaign)

    out.add("source", _source(f, missing))
    slots = _slots(doc, crawls[0] if crawls else None)
    if slots is not None:
        for slot in slots if channels else ():
            if "channels" not in slot:
                slot["channels"] = list(channels)
                slot["channels"].comment("the station's channels")
        out.add("slot", slots)
    out.add("message", _messages(f))
    if (qr := _qr(doc, f)) is not None:
        out.add("qr", qr)
    for key in ("style", "preset", "motion", "output"):
        if key in doc:
            item = doc[key]
            _rebase(item, house_dir, output.parent if output else None)
            out.add(key, item)
    return tomlkit.dumps(out), status


def _header(f: Findings, house: Path | None) -> list[str]:
    p = f.parts
    number = f"công văn {p.number.value}" if p.number else "a letter with no number"
    date = f" ngày {vn_date(f.date)}" if f.date else ""
    lines = [
        f"Draft campaign made by ticker {__version__} from {Path(f.letter.name).name} ({f.letter.kind}"
        + (f", converted from {f.letter.encoding}" if f.letter.encoding not in ("utf-8", "ascii") else "")
        + ").",
        f"{p.issuer.value if p.issuer else 'The issuer is not named'}, {number}{date}.",
        "What the letter asks, in its order (only a crawl becomes a message here):",
    ]
    for r in f.requests or []:
        words = "its words below" if r.texts and r.medium == "crawl" else "no words" if r.needs_wording else ""
        asked = f"  {lines_cited(r.lines)}: {r.medium} for {r.audience or 'no one named'}"
        lines.append(asked + (f" ({words})" if words else ""))
    if not f.requests:
        lines.append("  nothing of broadcasters or operators")
    if f.missing:
        lines.append("The letter does not say: " + ", ".join(f.missing) + ".")
    look = f"the house campaign {house}" if house else "ticker’s house defaults"
    lines.append(f"Look, slots and outputs: {look}.")
    lines.append("Then: ticker check THIS_FILE, and ticker preview THIS_FILE for the proof page.")
    return lines


def _cite(r: Request | None, what: str) -> str:
    if r is None or what not in r.cites:
        return "the letter"
    return f"the letter, {lines_cited(r.cites[what])}"


def _start(letter_date, received, today) -> tuple[dt.date, str]:
    """Where a window the letter gives no start for begins, and the comment that says which rule made it."""
    if received is not None:
        after = received + dt.timedelta(days=1)
        return after, f"no start in the letter: the day after it was received ({vn_date(received)})"
    if letter_date is not None:
        return letter_date, (
            "no start in the letter: the letter's date (if it arrived later, make this the day after it arrived)"
        )
    day = today + dt.timedelta(days=1)
    return day, "no start in the letter and no date on it: the day after it was received (today)"


def _source(f: Findings, missing: list[str]) -> Table:
    p, t = f.parts, tomlkit.table()
    for key, found in (("issuer", p.issuer), ("number", p.number)):
        if found is not None:
            t.add(key, found.value)
            t[key].comment(lines_cited(found.lines))
    if f.date is not None:
        t.add("date", f.date)
        t["date"].comment(f"line {p.date_at}")
    if p.date_line is not None and p.date_line.place:
        t.add("place", p.date_line.place)
        t["place"].comment(f"line {p.date_at}")
    if p.subject is not None:
        t.add("subject", p.subject.value)
        t["subject"].comment(lines_cited(p.subject.lines))
    t.add("letter", Path(f.letter.name).name)
    t.add("missing", missing)
    return t


def _messages(f: Findings) -> AoT:
    messages = tomlkit.aot()
    seen: set[str] = set()
    for r in f.crawls:
        for words in r.texts:
            text = airable(words)
            if text in seen:
                continue
            seen.add(text)
            m = tomlkit.table()
            m.add(tomlkit.comment(f"the words of the letter, {lines_cited(r.cites.get('text', r.lines))}"))
            for w in f.suspect_words:
                if w.word in words:
                    maybe = f", perhaps “{w.correction}”" if w.correction else ""
                    m.add(tomlkit.comment(f"{LOOK_AGAIN} “{w.word}” (line {w.line}){maybe}: a typo in the letter?"))
            m.add("text", text)
            messages.append(m)
    if not seen:
        m = tomlkit.table()
        crawl = next(iter(f.crawls), None)
        suggestion = f.suggestion
        if crawl is not None and crawl.topics:
            m.add(tomlkit.comment(f"the letter gives no words, only what they must say ({_cite(crawl, 'topics')}):"))
            for topic in crawl.topics:
                m.add(tomlkit.comment(_comment_text(f"  - {topic}")))
            if suggestion is not None:
                m.add(tomlkit.comment(SUGGESTED))
        elif crawl is not None:
            m.add(tomlkit.comment(f"the letter asks for a crawl ({lines_cited(crawl.lines)}) but gives no words"))
        else:
            m.add(tomlkit.comment("the letter asks for no crawl: write one from what it asks, or leave it unaired"))
        m.add("text", suggestion.text if suggestion is not None and crawl is not None and crawl.topics else PLACEHOLDER)
        messages.append(m)
    return messages


def _slots(doc, crawl: Request | None) -> AoT | None:
    """The house's slots, fitted to what the letter says of how often and when."""
    house = doc.get("slot")
    seconds = house[0].get("seconds", 120) if house else 120
    slot = tomlkit.table()
    if crawl is not None and crawl.times:
        slot.add("at", [t.strftime("%H:%M") for t in crawl.times])
        slot["at"].comment(_comment_text(f"{_cite(crawl, 'frequency')}: “{crawl.frequency}”"))
        slot.add("seconds", seconds)
    elif crawl is not None and crawl.hours:
        first, last = crawl.hours
        length = (dt.datetime.combine(dt.date.min, last) - dt.datetime.combine(dt.date.min, first)).total_seconds()
        if length <= 0:
            return house
        slot.add("at", [first.strftime("%H:%M")])
        slot["at"].comment(_comment_text(f"{_cite(crawl, 'frequency')}: “{crawl.frequency}”, the whole time"))
        slot.add("seconds", int(length))
    elif crawl is not None and crawl.frequency and (n := times_per_day(crawl.frequency)):
        times = sorted(t for s in (house or []) for t in (s["at"] if isinstance(s["at"], list) else [s["at"]]))
        times = [str(t) for t in times]
        if n <= len(times):
            picked, whose = times[len(times) - n :], "the house's"
        else:
            picked, whose = [f"{6 + (16 * k) // max(1, n - 1):02d}:00" for k in range(n)], "spread from 06:00 to 22:00"
        slot.add("at", picked)
        slot["at"].comment(_comment_text(f"{_cite(crawl, 'frequency')}: “{crawl.frequency}”; the times are {whose}"))
        slot.add("seconds", seconds)
    else:
        if house is not None:
            first_slot = house[0]
            first_slot["at"].comment("the letter sets no hours: these are the house's")
        return house
    slots = tomlkit.aot()
    slots.append(slot)
    return slots


def _qr(doc, f: Findings) -> Table | None:
    house = doc.get("qr")
    if not f.urls:
        return None
    t = tomlkit.table()
    url = f.urls[0]
    t.add("url", qr_address(url.value))
    long = next((u for u in f.long_urls if u.url == url.value), None)
    if long is not None:
        what = " and ".join(["a language"] * bool(long.language) + ["tracking"] * bool(long.tracking))
        t.add(tomlkit.comment(f"the address carries {what} ({', '.join(long.parameters)}); the shorter address"))
        t.add(
            tomlkit.comment(
                f"“{qr_address(long.shorter)}” opens the same page" + ", in the viewer's language" * bool(long.language)
            )
        )
    t["url"].comment(f"the letter's first web address, {lines_cited(url.lines)}")
    for key in ("hide_url", "replace_with", "side", "module", "error"):
        if house is not None and key in house:
            t.add(key, house[key])
    return t


def _rebase(item, house_dir: Path | None, draft_dir: Path | None) -> None:
    """File names in the house's style (a logo, a font file) made to name the same files from the draft."""
    if house_dir is None:
        return
    tables = [item] if isinstance(item, Table) and "profile" not in item else []
    if isinstance(item, Table) and all(isinstance(v, Table) for v in item.values()):  # [preset.*]
        tables = list(item.values())
    for table in tables:
        for key in _PATH_KEYS:
            value = table.get(key)
            if isinstance(value, str) and value and (key == "logo" or value.removesuffix(".ttf") not in BUNDLED_FONTS):
                table[key] = _moved(value, house_dir, draft_dir)
        fonts = table.get("fonts")
        if isinstance(fonts, Table):
            for weight, value in fonts.items():
                if isinstance(value, str) and value.removesuffix(".ttf") not in BUNDLED_FONTS:
                    fonts[weight] = _moved(value, house_dir, draft_dir)


def _moved(value: str, house_dir: Path, draft_dir: Path | None) -> str:
    path = Path(os.path.expanduser(value))
    if not path.is_absolute():
        path = (house_dir / path).resolve()
    if draft_dir is None:
        return str(path)
    return os.path.relpath(path, draft_dir.resolve())


def check_target(path: Path, force: bool = False) -> None:
    """Refuses, before anything is read, a place the draft cannot go: a folder, a missing folder, or an
    existing campaign or a letter kept under its name (ticker.letters.kept; unless `force`)."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the campaign file to write, such as {path / 'campaign.toml'}.")
    if os.path.lexists(path) and not force:
        raise InputError(f"{path}: exists; ticker draft does not replace a campaign (add --force to).")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist; make it first.")
    if kept_any(folder, path.stem) and not force:
        raise InputError(
            f"{path}: a letter is kept for a draft of this name already (in {folder / LETTERS}); ticker draft does "
            "not replace it (add --force to)."
        )


def write_draft(path: Path, toml: str, force: bool = False, letter: tuple[bytes, Letter] | None = None) -> None:
    """The draft written whole at `path` (a link there is replaced, never written through); with `letter` (its
    bytes and the letter read from them), the letter kept beside it first (ticker.letters.kept), over a letter
    kept under its name before only when `force`."""
    check_target(path, force)
    if letter is not None:
        keep_letter(path, *letter, replace=force)
    write_atomic(path, toml)
