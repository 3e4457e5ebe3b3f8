"""Campaign files (TOML) read into immutable, validated objects.

Every problem is reported as one sentence naming the file, the key and what is wrong, with the closest
valid key suggested for a misspelt one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from PIL import Image, ImageColor

from ticker.errors import ConfigError
from ticker.legacy import ENCODINGS
from ticker.profiles import PROFILES
from ticker.targets import TARGETS, fill_for

FORMAT_IDS = ("prores4444", "qtrle", "png", "h264", "fillkey", "mxf-fillkey", "ts-h264", "ts-mpeg2", "vp9")
FILLS = ("premultiplied", "straight")
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
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Style:
    font: str = "NotoSans-Bold"
    size: float = 0.05  # em size as a fraction of picture height (of the width, on a portrait screen)
    color: RGB = (255, 255, 255)
    band_color: RGB = (16, 40, 96)
    band_opacity: float = 0.85
    position: str = "bottom"  # top | bottom
    margin: float = 0.0  # extra distance from the graphics-safe edge, fraction of picture height (width)
    padding: float = 0.25  # space above and below the ink inside the band, in ems
    separator: str = "•"  # between messages: text, or "logo" for the logo
    separator_space: float = 0.8  # ems between the ink of a message and of the separator, each side
    background: RGB | Path = (0, 0, 0)  # under the band in h264 files: a colour or a still picture
    fallback_font: str | None = "NotoSans-Bold"  # draws what `font` lacks; None: no fallback
    uppercase: bool = False  # Vietnamese capitals (web addresses kept as written)
    fonts: tuple[tuple[str, str], ...] = (("regular", "NotoSans-Regular"), ("bold", "NotoSans-Bold"))  # weights
    rule: str = "none"  # a thin line: none | above | below | both
    rule_color: RGB = (255, 255, 255)
    rule_size: float = 0.06  # ems, made an even number of lines (at least 2)
    outline: float = 0.0  # ems of outline around the glyphs; 0: none
    outline_color: RGB = (0, 0, 0)
    shadow: float = 0.0  # ems the shadow falls down and right; 0: none
    shadow_color: RGB = (0, 0, 0)
    shadow_opacity: float = 0.6
    label: str = ""  # a box at the start of the band ("THÔNG BÁO"); the crawl passes beneath it
    label_color: RGB = (255, 255, 255)
    label_background: RGB = (200, 16, 46)
    label_font: str | None = None  # default: `font`
    label_padding: float = 0.5  # ems left and right of the label's ink
    logo: Path | None = None  # a PNG with alpha, scaled to the band
    logo_side: str = "left"  # left | right
    logo_size: float = 0.8  # its height, fraction of the band's
    safe_area: str = "16:9"  # "4:3": label, logo and QR inside the 4:3 centre cut (EBU R 95)

    def font_for(self, weight: str | None) -> str:
        return self.font if weight is None else dict(self.fonts)[weight]


# Named styles every campaign may use (`preset = "news"` in a style table, or `style = "news"` in an output);
# a campaign's own [preset.NAME] tables add to them or replace them.
PRESETS: dict[str, dict[str, Any]] = {
    "news": dict(band_color=(11, 46, 107), band_opacity=0.9, position="bottom", label="THÔNG BÁO",
                 label_background=(200, 16, 46), rule="above", rule_color=(242, 194, 0)),
    "plain": dict(band_opacity=0.0, outline=0.08, shadow=0.06, position="bottom"),
    "emergency": dict(band_color=(176, 0, 0), band_opacity=1.0, position="top", label="TIN KHẨN",
                      label_color=(0, 0, 0), label_background=(255, 210, 0), rule="both",
                      rule_color=(255, 210, 0)),
}


@dataclass(frozen=True)
class Motion:
    crossing_seconds: float = 12.0  # time a point of the text takes to cross the picture
    gap: float = 0.5  # blank between repeats of the crawl, fraction of picture width


@dataclass(frozen=True)
class Output:
    profile: str
    format: str
    loop: bool
    seconds: float | None
    style: str | None = None  # a named style (preset) instead of the campaign's [style]
    fill: str = "premultiplied"  # the fill of a fill+key pair: premultiplied (shaped) or straight
    passes: int | None = None  # timed by passes of the text: as long as they take (then seconds is None)
    slots: bool = False  # one clip per length of the campaign's airing slots (resolved before rendering)
    channels: tuple[str, ...] = ()  # the channels that take this output; () for every channel
    target: str | None = None  # the inserter it is made for (ticker.targets): its naming, numbering, formats


@dataclass(frozen=True)
class Airtime:
    """A [[slot]]: daily airings at these local times, each for a length in seconds or in passes."""

    times: tuple[dt.time, ...]
    seconds: float | None
    passes: int | None
    channels: tuple[str, ...] = ()  # only these channels air it; () for every channel

    @property
    def length(self) -> str:
        return f"{self.seconds:g} s" if self.seconds is not None else \
            f"{self.passes} pass" + "es" * (self.passes != 1)


@dataclass(frozen=True)
class Message:
    text: str
    encoding: str = "auto"  # what the text was typed in; "auto" detects it
    color: RGB | None = None  # default: the style's colour
    weight: str | None = None  # a name in style.fonts ("regular", "bold"); default: style.font


@dataclass(frozen=True)
class QR:
    """A QR code beside the band."""

    url: str  # what it encodes; "auto": the first web address in the messages
    hide_url: bool = False  # take the address out of the crawl (the QR carries it)
    replace_with: str = ""  # what the crawl says instead
    side: str = "right"  # left | right
    module: float | None = None  # module size, fraction of the picture height; default: the scanning rule
    error: str = "L"  # error correction level (raised where the symbol has room)


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

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def style_for(self, output: Output | None) -> Style:
        """The output's named style, or the campaign's [style]."""
        if output is None or output.style is None:
            return self.style
        return dict(self.presets)[output.style]


class _Section:
    """One TOML table being read: every key taken is checked, the rest are errors."""

    def __init__(self, path: Path, where: str, table: Any, known: list[str]):
        self.path, self.where, self.known = path, where, known
        if not isinstance(table, dict):
            self.fail(None, f"must be a table, not {type(table).__name__}")
        self.table = table
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (valid keys: {', '.join(known)})"
                self.fail(key, f"is not a known key{hint}")

    def fail(self, key: str | None, reason: str):
        name = f"{self.where}.{key}" if key else self.where
        raise ConfigError(f"{self.path}: {name} {reason}.")

    def get(self, key: str, default: Any, kind: type | tuple[type, ...],
            check: Callable[[Any], str | None] | None = None):
        if key not in self.table:
            if default is _REQUIRED:
                self.fail(key, "is required")
            return default
        value = self.table[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            self.fail(key, f"must be {_kind_name(kind)}, not a boolean")
        if not isinstance(value, kind):
            self.fail(key, f"must be {_kind_name(kind)}, not {type(value).__name__} {value!r}")
        if check and (problem := check(value)):
            self.fail(key, f"{problem} (got {value!r})")
        return value

    def colour(self, key: str, default: RGB) -> RGB:
        value = self.get(key, None, str)
        if value is None:
            return default
        rgb = _parse_colour(value)
        if rgb is None:
            self.fail(key, f"is not a colour ('#RRGGBB' or a name such as 'white'; got {value!r})")
        return rgb


_REQUIRED = object()


def _parse_colour(value: str) -> RGB | None:
    try:
        rgb = ImageColor.getrgb(value)[:3]
    except ValueError:
        return None
    return rgb if all(0 <= c <= 255 for c in rgb) else None


def _kind_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "a number", float: "a number", bool: "true or false", list: "a list",
             dict: "a table", dt.date: "a date (YYYY-MM-DD)"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _between(lo: float, hi: float):
    return lambda v: None if lo <= v <= hi else f"must be between {lo} and {hi}"


def _one_of(choices):
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}"


NUM = (int, float)
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def load_campaign(path: str | Path) -> Campaign:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such campaign file.") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}.") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot be read: {e}.") from None

    top = _Section(path, "(top level)", data, ["campaign", "message", "style", "preset", "motion", "output", "qr",
                                               "slot"])
    top.get("campaign", _REQUIRED, dict)
    c = _Section(path, "campaign", data["campaign"], ["name", "title", "start", "end", "timezone"])
    name = c.get("name", _REQUIRED, str, lambda v: None if _SLUG.match(v) else
                 "must be letters, digits, '.', '_' or '-' (it names the files)")
    start = c.get("start", _REQUIRED, dt.date)
    end = c.get("end", _REQUIRED, dt.date)
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        c.fail("start" if isinstance(start, dt.datetime) else "end", "must be a date without a time")
    if end < start:
        c.fail("end", f"is before campaign.start ({start})")
    timezone = c.get("timezone", DEFAULT_TIMEZONE, str, zone_problem)

    raw_messages = top.get("message", _REQUIRED, list)
    messages = []
    for i, m in enumerate(raw_messages, 1):
        s = _Section(path, f"message[{i}]", m, ["text", "encoding", "color", "weight"])
        messages.append(Message(
            text=s.get("text", _REQUIRED, str, _message_text),
            encoding=s.get("encoding", "auto", str, _one_of(("auto", *ENCODINGS))),
            color=s.colour("color", None), weight=s.get("weight", None, str)))
    if not messages:
        top.fail("message", "needs at least one [[message]] with a text")

    raw_presets = top.get("preset", {}, dict)
    styles = _Styles(path, raw_presets)
    style = styles.read(data.get("style", {}), "style")
    presets = {**{name: styles.named(name) for name in PRESETS}, **{name: styles.named(name) for name in raw_presets}}
    for table, st in [("style", style), *((f"preset.{n}", presets[n]) for n in raw_presets)]:
        for m, message in enumerate(messages, 1):
            if message.weight is not None and message.weight not in dict(st.fonts):
                raise ConfigError(f"{path}: message[{m}].weight '{message.weight}' is not in {table}.fonts "
                                  f"({', '.join(dict(st.fonts))}).")
    m = _Section(path, "motion", data.get("motion", {}), list(Motion.__dataclass_fields__))
    motion = Motion(
        crossing_seconds=float(m.get("crossing_seconds", Motion.crossing_seconds, NUM, _between(2, 120))),
        gap=float(m.get("gap", Motion.gap, NUM, _between(0.05, 4))),
    )
    slots = tuple(_read_slot(_Section(path, f"slot[{i}]", t, ["at", "seconds", "passes", "channels"]))
                  for i, t in enumerate(top.get("slot", [], list), 1))
    _check_overlaps(path, slots)
    outputs = tuple(_read_output(_Section(path, f"output[{i}]", o, ["profile", "format", "loop", "seconds", "slots",
                                                                     "style", "fill", "channels", "target"]),
                                 presets, bool(slots))
                    for i, o in enumerate(top.get("output", [], list), 1))
    qr = _read_qr(_Section(path, "qr", data["qr"], list(QR.__dataclass_fields__))) if "qr" in data else None
    return Campaign(path=path, name=name, title=c.get("title", name, str), start=start, end=end,
                    messages=tuple(messages), style=style, motion=motion, outputs=outputs,
                    presets=tuple(presets.items()), qr=qr, timezone=timezone, slots=slots)


def zone_problem(name: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "is not a time zone (an IANA name such as \"Asia/Ho_Chi_Minh\")"
    return None


def _message_text(text: str) -> str | None:
    if not text.strip():
        return "is empty"
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if match.group(0) not in ("{{", "}}") and name not in PLACEHOLDERS:
            close = difflib.get_close_matches(name, list(PLACEHOLDERS), n=1)
            hint = f"did you mean {{{close[0]}}}?" if close else \
                "known: " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS) + "; write {{ and }} for braces"
            return f"holds an unknown placeholder {{{name}}} ({hint})"
    return None


def _read_slot(s: _Section) -> Airtime:
    at = s.get("at", _REQUIRED, (str, dt.time, list))
    times = []
    for value in at if isinstance(at, list) else [at]:
        if isinstance(value, str) and re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?", value):
            value = dt.time.fromisoformat(value.zfill(5) if value.count(":") == 1 else value.zfill(8))
        if not isinstance(value, dt.time) or isinstance(value, dt.datetime):
            s.fail("at", f"must be a time of day such as \"06:30\", or a list of them (got {value!r})")
        times.append(value.replace(microsecond=0))
    if not times:
        s.fail("at", "is an empty list")
    if len(set(times)) < len(times):
        s.fail("at", "names the same time twice")
    seconds = s.get("seconds", None, NUM, lambda v: _between(1, 24 * 3600)(v) or (
        None if abs(v * 25 - round(v * 25)) < 1e-6 else "must be a whole number of frames (a multiple of 0.04 s)"))
    passes = s.get("passes", None, int, _between(1, 1000))
    if (seconds is None) == (passes is None):
        s.fail(None, "needs either seconds = N or passes = N (how long each airing lasts), not both and not neither")
    return Airtime(times=tuple(sorted(times)), seconds=None if seconds is None else float(seconds), passes=passes,
                   channels=_channels(s))


def _channels(s: _Section) -> tuple[str, ...]:
    channels = s.get("channels", [], list)
    if not channels or not all(isinstance(c, str) and c.strip() for c in channels):
        if "channels" in s.table:
            s.fail("channels", "must be a list of channel names (leave it out for every channel)")
    return tuple(dict.fromkeys(channels))


def _check_overlaps(path: Path, slots: tuple[Airtime, ...]) -> None:
    """Airings on the same channel that would overlap (a day is a circle: 23:59 for 2 minutes reaches 00:01).
    Slots timed by passes are left out: their length is known only once the text is drawn."""
    timed = [(i, t, s) for i, s in enumerate(slots, 1) if s.seconds is not None for t in s.times]
    day = 24 * 3600
    for n, (i, a, sa) in enumerate(timed):
        for j, b, sb in timed[n + 1:]:
            if sa.channels and sb.channels and not set(sa.channels) & set(sb.channels):
                continue
            if (_secs(b) - _secs(a)) % day < sa.seconds:
                raise ConfigError(f"{path}: slot[{j}] at {b:%H:%M:%S} overlaps slot[{i}] at {a:%H:%M:%S} "
                                  f"({sa.seconds:g} s) on the same channel.")
            if (_secs(a) - _secs(b)) % day < sb.seconds:
                raise ConfigError(f"{path}: slot[{i}] at {a:%H:%M:%S} overlaps slot[{j}] at {b:%H:%M:%S} "
                                  f"({sb.seconds:g} s) on the same channel.")


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class _Styles:
    """Style tables read on top of the presets they name: [style] and [preset.NAME] may say `preset = "news"`
    and change only what differs."""

    def __init__(self, path: Path, raw: dict):
        self.path, self.raw, self._done = path, raw, {}
        for name in raw:
            if not _SLUG.match(name):
                raise ConfigError(f"{path}: preset.{name} is not a usable name (letters, digits, '.', '_', '-').")

    def named(self, name: str, seen: tuple[str, ...] = ()) -> Style:
        if name in self.raw and name not in seen:
            if name not in self._done:
                self._done[name] = self.read(self.raw[name], f"preset.{name}", (*seen, name))
            return self._done[name]
        return replace(Style(), **PRESETS[name])

    def read(self, table: Any, where: str, seen: tuple[str, ...] = ()) -> Style:
        s = _Section(self.path, where, table, [*Style.__dataclass_fields__, "preset"])
        base = Style()
        if "preset" in table:
            name = s.get("preset", None, str, _one_of(sorted({*PRESETS, *self.raw})))
            if name in seen and name not in PRESETS:
                s.fail("preset", f"refers back to preset.{name}")
            base = self.named(name, seen)
        return _read_style(s, self.path, base)


def _read_style(s: _Section, path: Path, d: Style) -> Style:
    return Style(
        font=s.get("font", d.font, str),
        size=float(s.get("size", d.size, NUM, _between(0.02, 0.2))),
        color=s.colour("color", d.color),
        band_color=s.colour("band_color", d.band_color),
        band_opacity=float(s.get("band_opacity", d.band_opacity, NUM, _between(0, 1))),
        position=s.get("position", d.position, str, _one_of(("top", "bottom"))),
        margin=float(s.get("margin", d.margin, NUM, _between(0, 0.4))),
        padding=float(s.get("padding", d.padding, NUM, _between(0, 2))),
        separator=s.get("separator", d.separator, str),
        separator_space=float(s.get("separator_space", d.separator_space, NUM, _between(0, 10))),
        background=_background(s, path, d.background),
        fallback_font=s.get("fallback_font", d.fallback_font, str) or None,
        uppercase=s.get("uppercase", d.uppercase, bool),
        fonts=_fonts(s, d.fonts),
        rule=s.get("rule", d.rule, str, _one_of(("none", "above", "below", "both"))),
        rule_color=s.colour("rule_color", d.rule_color),
        rule_size=float(s.get("rule_size", d.rule_size, NUM, _between(0, 0.5))),
        outline=float(s.get("outline", d.outline, NUM, _between(0, 0.3))),
        outline_color=s.colour("outline_color", d.outline_color),
        shadow=float(s.get("shadow", d.shadow, NUM, _between(0, 0.3))),
        shadow_color=s.colour("shadow_color", d.shadow_color),
        shadow_opacity=float(s.get("shadow_opacity", d.shadow_opacity, NUM, _between(0, 1))),
        label=s.get("label", d.label, str),
        label_color=s.colour("label_color", d.label_color),
        label_background=s.colour("label_background", d.label_background),
        label_font=s.get("label_font", d.label_font, str) or None,
        label_padding=float(s.get("label_padding", d.label_padding, NUM, _between(0, 5))),
        logo=_picture(s, "logo", path) if "logo" in s.table else d.logo,
        logo_side=s.get("logo_side", d.logo_side, str, _one_of(("left", "right"))),
        logo_size=float(s.get("logo_size", d.logo_size, NUM, _between(0.1, 1))),
        safe_area=s.get("safe_area", d.safe_area, str, _one_of(("16:9", "4:3"))),
    )


def _fonts(s: _Section, default: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    table = s.get("fonts", None, dict)
    if table is None:
        return default
    for weight, font in table.items():
        if not isinstance(font, str):
            s.fail(f"fonts.{weight}", f"must be a font name or file, not {type(font).__name__}")
    return tuple({**dict(default), **table}.items())


def _background(s: _Section, path: Path, default: RGB | Path) -> RGB | Path:
    value = s.get("background", None, str)
    if value is None:
        return default
    if (rgb := _parse_colour(value)) is not None:
        return rgb
    return _picture(s, "background", path)


def _picture(s: _Section, key: str, path: Path) -> Path:
    value = s.get(key, None, str)
    picture = (path.parent / Path(value).expanduser()).resolve()
    try:
        with Image.open(picture) as im:
            im.verify()
    except FileNotFoundError:
        s.fail(key, f"is neither a colour nor an existing picture ({picture})" if key == "background"
               else f"names no existing picture ({picture})")
    except (OSError, SyntaxError, ValueError) as e:
        s.fail(key, f"names a file that is not a readable picture ({picture}: {e})")
    return picture


def _read_qr(s: _Section) -> QR:
    def url_check(v: str) -> str | None:
        if v == "auto" or re.match(r"^[a-z][a-z0-9+.-]*:\S+$", v, re.IGNORECASE):
            return None
        return "must be a web address (https://…) without spaces, or \"auto\" for the first one in the messages"

    return QR(url=s.get("url", _REQUIRED, str, url_check), hide_url=s.get("hide_url", False, bool),
              replace_with=s.get("replace_with", "", str), side=s.get("side", "right", str, _one_of(("left", "right"))),
              module=None if "module" not in s.table else float(s.get("module", None, NUM, _between(0.002, 0.05))),
              error=s.get("error", "L", str, _one_of(("L", "M", "Q", "H"))))


def _read_output(s: _Section, presets: dict[str, Style], has_slots: bool) -> Output:
    profile = s.get("profile", _REQUIRED, str, _one_of(tuple(PROFILES)))
    fmt = s.get("format", _REQUIRED, str, _one_of(FORMAT_IDS))
    loop = s.get("loop", False, bool)
    seconds = s.get("seconds", None, NUM, _between(1, 24 * 3600))
    slots = s.get("slots", False, bool)
    if loop + (seconds is not None) + slots != 1:
        s.fail(None, "needs one of loop = true, seconds = N or slots = true (a clip per slot length)")
    if slots and not has_slots:
        s.fail("slots", "asks for a clip per airing slot, but the campaign has no [[slot]]")
    style = s.get("style", None, str, _one_of(tuple(presets)))
    target = s.get("target", None, str, _one_of(tuple(TARGETS)))
    fill = s.get("fill", None, str, _one_of(FILLS))
    if target is not None and (problem := TARGETS[target].problem(fmt, fill)):
        s.fail("target", f"is {target}: {problem}")
    fill = fill_for(target, fill) or "premultiplied"
    return Output(profile=profile, format=fmt, loop=loop, seconds=None if seconds is None else float(seconds),
                  style=style, fill=fill, slots=slots, channels=_channels(s), target=target)
