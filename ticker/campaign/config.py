"""Campaign files (TOML) read into immutable, validated objects: the campaign's window, messages, motion,
outputs, QR code and airing slots (its style: ticker.campaign.style).

Every problem is reported as one sentence naming the file, the key and what is wrong, with the closest
valid key suggested for a misspelt one (ticker.campaign.tables)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import segno

from ticker.campaign.operator import Operator, read_operator
from ticker.campaign.provenance import STATUSES, Source, Status, keep_draft_words_out, read_source
from ticker.campaign.signoff import Approval, read_approval
from ticker.campaign.style import PRESETS, Side, Style, Styles, font_fields
from ticker.campaign.tables import NUM, REQUIRED, RGB, SLUG, Table, between, invisible, one_of, shown
from ticker.errors import ConfigError, FileProblem, Reason, Refusal, toml_refusal
from ticker.files import CAMPAIGN_LIMIT, read_input
from ticker.media import FORMATS, PROFILES, TARGETS, Fill, Format, Profile
from ticker.media.formats import DELIVERY_FORMATS
from ticker.media.targets import FILLS, fill_for
from ticker.vietnamese import resolve_font
from ticker.vietnamese.legacy import ENCODINGS
from ticker.vietnamese.text import font_charset

FORMAT_IDS = DELIVERY_FORMATS
QRLevel = Literal["L", "M", "Q", "H"]  # error correction, raised where the symbol has room
OUTPUT_KEYS = ["profile", "format", "loop", "seconds", "slots", "style", "fill", "channels", "target"]
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
# Filled per day in message texts; {{ and }} stand for braces.
PLACEHOLDERS = {
    "date": "the day, as 12/3/2020",
    "weekday": "the day of the week: thứ Hai … thứ Bảy, Chủ nhật",
    "day": "the day's number in the window (1 on the first day)",
    "days": "the days in the window",
    "days_left": "the days of the window from this day to its end, this day included (1 on the last day)",
    "start": "the window's first day, as 12/3/2020",
    "end": "the window's last day, as 15/3/2020",
}
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


@dataclass(frozen=True)
class Motion:
    crossing_seconds: float = 12.0  # time a point of the text takes to cross the picture
    gap: float = 0.5  # blank between repeats of the crawl, fraction of picture width


@dataclass(frozen=True)
class Output:
    """One file (or fill+key pair) a campaign asks for. Its profile and format are the objects themselves,
    resolved when the campaign is read (an id given here is looked up once, on creation)."""

    profile: Profile
    format: Format
    loop: bool
    seconds: float | None
    style: str | None = None  # a named style (preset) instead of the campaign's [style]
    fill: Fill = "premultiplied"  # the fill of a fill+key pair
    passes: int | None = None  # timed by passes of the text: as long as they take (then seconds is None)
    slots: bool = False  # one clip per length of the campaign's airing slots (resolved before rendering)
    channels: tuple[str, ...] = ()  # the channels that take this output; () for every channel
    target: str | None = None  # the inserter it is made for (ticker.media.targets): its naming, numbering, formats

    def __post_init__(self) -> None:
        if isinstance(self.profile, str):
            object.__setattr__(self, "profile", PROFILES[self.profile])
        if isinstance(self.format, str):
            object.__setattr__(self, "format", FORMATS[self.format])


@dataclass(frozen=True)
class Airtime:
    """A [[slot]]: daily airings at these local times, each for a length in seconds or in passes."""

    times: tuple[dt.time, ...]
    seconds: float | None
    passes: int | None
    channels: tuple[str, ...] = ()  # only these channels air it; () for every channel

    @property
    def length(self) -> str:
        return f"{self.seconds:g} s" if self.seconds is not None else f"{self.passes} pass" + "es" * (self.passes != 1)


@dataclass(frozen=True)
class Message:
    text: str
    encoding: str = "auto"  # what the text was typed in; "auto" detects it
    color: RGB | None = None  # default: the style's colour
    weight: str | None = None  # a name in style.fonts ("regular", "bold"); default: style.font


@dataclass(frozen=True)
class QR:  # a QR code beside the band
    url: str  # what it encodes; "auto": the first web address in the messages
    hide_url: bool = False  # take the address out of the crawl (the QR carries it)
    replace_with: str = ""  # what the crawl says instead
    side: Side = "right"
    module: float | None = None  # module size, fraction of the picture height; default: the scanning rule
    error: QRLevel = "L"


@dataclass(frozen=True)
class Campaign:
    path: Path
    name: str
    title: str
    start: dt.date
    end: dt.date
    messages: tuple[Message, ...]
    style: Style = field(default_factory=Style)
    motion: Motion = field(default_factory=Motion)
    outputs: tuple[Output, ...] = ()
    presets: tuple[tuple[str, Style], ...] = ()  # the campaign's named styles and the built-in ones
    qr: QR | None = None
    timezone: str = DEFAULT_TIMEZONE  # where the window's dates and the slots' times are
    slots: tuple[Airtime, ...] = ()
    status: Status = "ready"
    source: Source | None = None  # the letter it answers
    approval: Approval | None = None  # who said yes to what airs (ticker.approval.key says if it still holds)
    operator: Operator | None = None  # an [operator] table, read but no longer used (remarks says so)

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def style_for(self, output: Output | None) -> Style:
        """The output's named style, or the campaign's [style]."""
        if output is None or output.style is None:
            return self.style
        return dict(self.presets)[output.style]


def load_campaign(path: str | Path) -> Campaign:
    path = Path(path)
    return campaign_from(read_toml(path), path)


def campaign_from(data: dict, path: Path) -> Campaign:
    """A campaign from its file's TOML, read already (an editor's text checks as the file would); `path` is
    the file it is (or will be) in: errors name it, and fonts, logos and pictures are found beside it."""
    tables = ["campaign", "message", "style", "preset", "motion", "output", "qr", "slot", "source", "approval"]
    tables.append("operator")  # the station's names once; still read, so that such files load (operator.remarks)
    top = Table(path, "(top level)", data, tables)
    top.get("campaign", REQUIRED, dict)
    c = Table(path, "campaign", data["campaign"], ["name", "title", "start", "end", "timezone", "status"])
    name = c.get(
        "name",
        REQUIRED,
        str,
        lambda v: None if SLUG.match(v) else "must be letters, digits, '.', '_' or '-' (it names the files)",
    )
    start = c.get("start", REQUIRED, dt.date)
    end = c.get("end", REQUIRED, dt.date)
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        c.fail("start" if isinstance(start, dt.datetime) else "end", "must be a date without a time")
    if end < start:
        c.fail("end", f"is before campaign.start ({start})", end, "order", start=start)
    timezone = c.get("timezone", DEFAULT_TIMEZONE, str, zone_problem)

    raw_messages = top.get("message", REQUIRED, list)
    messages = []
    for i, m in enumerate(raw_messages, 1):
        s = Table(path, f"message[{i}]", m, ["text", "encoding", "color", "weight"])
        messages.append(
            Message(
                text=s.get("text", REQUIRED, str, _message_text),
                encoding=s.get("encoding", "auto", str, one_of(("auto", *ENCODINGS))),
                color=s.colour("color", None),
                weight=s.get("weight", None, str),
            )
        )
    if not messages:
        top.fail("message", "needs at least one [[message]] with a text")
    status = c.get("status", "ready", str, one_of(STATUSES))
    keep_draft_words_out(path, raw_messages, [m.text for m in messages], status)

    raw_presets = top.get("preset", {}, dict)
    styles = Styles(path, raw_presets)
    style = styles.read(data.get("style", {}), "style")
    presets = {**{name: styles.named(name) for name in PRESETS}, **{name: styles.named(name) for name in raw_presets}}
    for table, st in [("style", style), *((f"preset.{n}", presets[n]) for n in raw_presets)]:
        for m, message in enumerate(messages, 1):
            if message.weight is not None and message.weight not in dict(st.fonts):
                raise ConfigError(
                    f"{path}: message[{m}].weight '{message.weight}' is not in {table}.fonts "
                    f"({', '.join(dict(st.fonts))})."
                )
    m = Table(path, "motion", data.get("motion", {}), list(Motion.__dataclass_fields__))
    motion = Motion(
        crossing_seconds=float(m.get("crossing_seconds", Motion.crossing_seconds, NUM, between(2, 120))),
        gap=float(m.get("gap", Motion.gap, NUM, between(0.05, 4))),
    )
    slots = tuple(
        _read_slot(Table(path, f"slot[{i}]", t, ["at", "seconds", "passes", "channels"]))
        for i, t in enumerate(top.get("slot", [], list), 1)
    )
    _check_overlaps(path, slots)
    outputs = tuple(
        _read_output(Table(path, f"output[{i}]", o, OUTPUT_KEYS), presets, bool(slots))
        for i, o in enumerate(top.get("output", [], list), 1)
    )
    qr = _read_qr(Table(path, "qr", data["qr"], list(QR.__dataclass_fields__))) if "qr" in data else None
    campaign = Campaign(
        path=path,
        name=name,
        title=c.get("title", name, str),
        start=start,
        end=end,
        messages=tuple(messages),
        style=style,
        motion=motion,
        outputs=outputs,
        presets=tuple(presets.items()),
        qr=qr,
        timezone=timezone,
        slots=slots,
        status=status,
        source=read_source(path, data["source"]) if "source" in data else None,
        approval=read_approval(path, data["approval"]) if "approval" in data else None,
        operator=read_operator(path, data["operator"]) if "operator" in data else None,
    )
    _check_fonts(campaign)
    return campaign


def _check_fonts(campaign: Campaign) -> None:
    """Every font the outputs' styles draw with is found and usable (fontTools and FreeType both read it), so
    that `ticker check` refuses what a render would, and nightly leaves the campaign out as it reads it."""
    styles = {o.style: campaign.style_for(o) for o in campaign.outputs} or {None: campaign.style}
    for preset, style in styles.items():
        for where, font in style_fonts(campaign, style, preset):
            try:
                font_charset(font)
            except FileProblem as e:
                raise font_refusal(campaign, where, font, e.reason) from None


def style_fonts(campaign: Campaign, style: Style, preset: str | None = None) -> Iterator[tuple[str, Path]]:
    """The fonts `style` draws with (the campaign's [style], or its preset of that name), each as the key that
    names it (style.font, preset.news.fonts.bold) and its file, found as a render finds it."""
    table = "style" if preset is None else f"preset.{preset}"
    for key, name in font_fields(style).items():
        if name:
            yield f"{table}.{key}", resolve_font(name, campaign.base_dir, f"{table}.{key}", campaign.path)


def font_refusal(campaign: Campaign, where: str, font: Path | str, why: str) -> ConfigError:
    said = Refusal(where, str(font), f"names a font that {why}", "font-unusable", {"font": Path(font).name})
    return ConfigError(f"{campaign.path}: {where} names {font}, which {why}.", [said], campaign.path)


def read_toml(path: Path) -> dict:
    """A campaign file's TOML: a regular file of at most CAMPAIGN_LIMIT bytes, in UTF-8 (with or without the
    byte order mark Notepad writes)."""
    return parse_toml(read_input(path, "campaign file", CAMPAIGN_LIMIT), path)


def parse_toml(raw: bytes, path: Path) -> dict:
    text = utf8_text(raw, path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}.", [toml_refusal(e)], path) from None
    except RecursionError:
        deep = [Refusal("", None, "nests too deeply", "toml-deep")]
        raise ConfigError(f"{path}: not valid TOML for ticker: its arrays or tables nest too deeply.", deep) from None


def utf8_text(raw: bytes, path: Path) -> str:
    """A campaign file's bytes as text: UTF-8, with or without the byte order mark."""
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ConfigError(f"{path}: is not UTF-8 text (byte {e.start}, line {line}); save it as UTF-8.") from None


ZONE_NAME = re.compile(r"^[A-Za-z0-9_+-]{1,40}(/[A-Za-z0-9_+-]{1,40}){0,3}$")


def zone_problem(name: str) -> str | None:
    """Why `name` is not a time zone, or None. A name is looked up only when it looks like one (tzdata's
    names are short words joined by '/'); a folder of tzdata ("Asia") is not a zone."""
    problem = 'is not a time zone (an IANA name such as "Asia/Ho_Chi_Minh")'
    if not ZONE_NAME.match(name):
        return problem
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of tzdata, say
        return problem
    return None


def _message_text(text: str) -> str | None:
    if not text.strip():
        return Reason("is empty", "empty")
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if match.group(0) not in ("{{", "}}") and name not in PLACEHOLDERS:
            close = difflib.get_close_matches(name, list(PLACEHOLDERS), n=1)
            hint = (
                f"did you mean {{{close[0]}}}?"
                if close
                else "known: " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS) + "; write {{ and }} for braces"
            )
            return Reason(f"holds an unknown placeholder {{{name}}} ({hint})", "placeholder", name=name)
    return None


def _read_slot(s: Table) -> Airtime:
    at = s.get("at", REQUIRED, (str, dt.time, list))
    times = []
    for value in at if isinstance(at, list) else [at]:
        if isinstance(value, str) and re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?", value):
            value = dt.time.fromisoformat(value.zfill(5) if value.count(":") == 1 else value.zfill(8))
        if not isinstance(value, dt.time) or isinstance(value, dt.datetime):
            s.fail("at", f'must be a time of day such as "06:30", or a list of them (got {value!r})', value, "time")
        times.append(value.replace(microsecond=0))
    if not times:
        s.fail("at", "is an empty list")
    if len(set(times)) < len(times):
        s.fail("at", "names the same time twice")
    seconds = s.get(
        "seconds",
        None,
        NUM,
        lambda v: (
            between(1, 24 * 3600)(v)
            or (
                None
                if abs(v * 25 - round(v * 25)) < 1e-6
                else "must be a whole number of frames (a multiple of 0.04 s)"
            )
        ),
    )
    passes = s.get("passes", None, int, between(1, 1000))
    if (seconds is None) == (passes is None):
        s.fail(None, "needs either seconds = N or passes = N (how long each airing lasts), not both and not neither")
    return Airtime(
        times=tuple(sorted(times)),
        seconds=None if seconds is None else float(seconds),
        passes=passes,
        channels=_channels(s),
    )


def _channels(s: Table) -> tuple[str, ...]:
    channels = s.get("channels", [], list)
    if (not channels or not all(isinstance(c, str) and c.strip() for c in channels)) and "channels" in s.table:
        s.fail("channels", "must be a list of channel names (leave it out for every channel)")
    for name in channels:  # printed by schedule, written in the manifest
        if bad := invisible(name):
            s.fail("channels", f"holds {bad}, a control or invisible character, which a channel's name may not")
    return tuple(dict.fromkeys(channels))


def _check_overlaps(path: Path, slots: tuple[Airtime, ...]) -> None:
    """Airings on the same channel that would overlap (a day is a circle: 23:59 for 2 minutes reaches 00:01).
    Slots timed by passes are left out: their length is known only once the text is drawn."""
    timed = [(i, t, s) for i, s in enumerate(slots, 1) if s.seconds is not None for t in s.times]
    day = 24 * 3600
    for n, (i, a, sa) in enumerate(timed):
        for j, b, sb in timed[n + 1 :]:
            if sa.channels and sb.channels and not set(sa.channels) & set(sb.channels):
                continue
            assert sa.seconds is not None and sb.seconds is not None  # timed holds only slots timed by seconds
            if (_secs(b) - _secs(a)) % day < sa.seconds:
                raise _overlap(path, (j, b), (i, a, sa.seconds))
            if (_secs(a) - _secs(b)) % day < sb.seconds:
                raise _overlap(path, (i, a), (j, b, sb.seconds))


def _overlap(path: Path, late: tuple[int, dt.time], early: tuple[int, dt.time, float]) -> ConfigError:
    (j, b), (i, a, seconds) = late, early
    said = f"at {b:%H:%M:%S} overlaps slot[{i}] at {a:%H:%M:%S} ({seconds:g} s) on the same channel"
    return ConfigError(f"{path}: slot[{j}] {said}.", [Refusal(f"slot[{j}]", b, said, "overlap")], path)


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+\S*$", re.IGNORECASE)


def qr_size_problem(url: str, error: str) -> str | None:
    """Why no QR code holds `url` (too long for version 40 at that error level), or None."""
    try:
        segno.make(url, error=error.lower(), micro=False)
    except segno.DataOverflowError:
        return f"is {len(url)} characters, more than a QR code holds at error correction level {error}"
    return None


def _read_qr(s: Table) -> QR:
    error = s.get("error", "L", str, one_of(get_args(QRLevel)))
    url = s.get("url", REQUIRED, str)
    if url != "auto" and not WEB_ADDRESS.match(url):
        said = 'must be a web address (http:// or https://) without spaces, or "auto" for the first one in the '
        s.fail("url", f"{said}messages (got {shown(url)})", url, "web-address")
    if url != "auto" and (problem := qr_size_problem(url, error)):
        s.fail("url", f"{problem} (got {shown(url)})", url, "qr-too-long")
    return QR(
        url=url,
        hide_url=s.get("hide_url", False, bool),
        replace_with=s.get("replace_with", "", str),
        side=s.get("side", "right", str, one_of(get_args(Side))),
        module=None if "module" not in s.table else float(s.get("module", None, NUM, between(0.002, 0.05))),
        error=error,
    )


def _read_output(s: Table, presets: dict[str, Style], has_slots: bool) -> Output:
    profile = s.get("profile", REQUIRED, str, one_of(tuple(PROFILES)))
    fmt = s.get("format", REQUIRED, str, one_of(FORMAT_IDS))
    loop = s.get("loop", False, bool)
    seconds = s.get("seconds", None, NUM, between(1, 24 * 3600))
    slots = s.get("slots", False, bool)
    if loop + (seconds is not None) + slots != 1:
        s.fail(None, "needs one of loop = true, seconds = N or slots = true (a clip per slot length)")
    if slots and not has_slots:
        s.fail("slots", "asks for a clip per airing slot, but the campaign has no [[slot]]")
    style = s.get("style", None, str, one_of(tuple(presets)))
    target = s.get("target", None, str, one_of(tuple(TARGETS)))
    fill = s.get("fill", None, str, one_of(FILLS))
    if target is not None and (problem := TARGETS[target].problem(fmt, fill)):
        s.fail("target", f"is {target}: {problem}")
    fill = fill_for(target, fill) or "premultiplied"
    return Output(
        profile=PROFILES[profile],
        format=FORMATS[fmt],
        loop=loop,
        seconds=None if seconds is None else float(seconds),
        style=style,
        fill=fill,
        slots=slots,
        channels=_channels(s),
        target=target,
    )
