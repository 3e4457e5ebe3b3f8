"""Campaign files (TOML) read into immutable, validated objects.

Every problem is reported as one sentence naming the file, the key and what is wrong, with the closest
valid key suggested for a misspelt one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from PIL import Image, ImageColor

from ticker.errors import ConfigError
from ticker.legacy import ENCODINGS
from ticker.profiles import PROFILES

FORMAT_IDS = ("prores4444", "qtrle", "png", "h264")
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
    separator: str = "   •   "  # between messages
    background: RGB | Path = (0, 0, 0)  # under the band in h264 files: a colour or a still picture
    fallback_font: str | None = "NotoSans-Bold"  # draws what `font` lacks; None: no fallback
    uppercase: bool = False  # Vietnamese capitals (web addresses kept as written)


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


@dataclass(frozen=True)
class Message:
    text: str
    encoding: str = "auto"  # what the text was typed in; "auto" detects it


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

    @property
    def base_dir(self) -> Path:
        return self.path.parent


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

    def get(self, key: str, default: Any, kind: type | tuple[type, ...], check: Callable[[Any], str | None] | None = None):
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

    top = _Section(path, "(top level)", data, ["campaign", "message", "style", "motion", "output"])
    top.get("campaign", _REQUIRED, dict)
    c = _Section(path, "campaign", data["campaign"], ["name", "title", "start", "end"])
    name = c.get("name", _REQUIRED, str, lambda v: None if _SLUG.match(v) else
                 "must be letters, digits, '.', '_' or '-' (it names the files)")
    start = c.get("start", _REQUIRED, dt.date)
    end = c.get("end", _REQUIRED, dt.date)
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        c.fail("start" if isinstance(start, dt.datetime) else "end", "must be a date without a time")
    if end < start:
        c.fail("end", f"is before campaign.start ({start})")

    raw_messages = top.get("message", _REQUIRED, list)
    messages = []
    for i, m in enumerate(raw_messages, 1):
        s = _Section(path, f"message[{i}]", m, ["text", "encoding"])
        messages.append(Message(
            text=s.get("text", _REQUIRED, str, lambda v: None if v.strip() else "is empty"),
            encoding=s.get("encoding", "auto", str, _one_of(("auto", *ENCODINGS)))))
    if not messages:
        top.fail("message", "needs at least one [[message]] with a text")

    style = _read_style(_Section(path, "style", data.get("style", {}), list(Style.__dataclass_fields__)), path)
    m = _Section(path, "motion", data.get("motion", {}), list(Motion.__dataclass_fields__))
    motion = Motion(
        crossing_seconds=float(m.get("crossing_seconds", Motion.crossing_seconds, NUM, _between(2, 120))),
        gap=float(m.get("gap", Motion.gap, NUM, _between(0.05, 4))),
    )
    outputs = tuple(_read_output(_Section(path, f"output[{i}]", o, ["profile", "format", "loop", "seconds"]))
                    for i, o in enumerate(top.get("output", [], list), 1))
    return Campaign(path=path, name=name, title=c.get("title", name, str), start=start, end=end,
                    messages=tuple(messages), style=style, motion=motion, outputs=outputs)


def _read_style(s: _Section, path: Path) -> Style:
    d = Style()
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
        background=_background(s, path),
        fallback_font=s.get("fallback_font", d.fallback_font, str) or None,
        uppercase=s.get("uppercase", d.uppercase, bool),
    )


def _background(s: _Section, path: Path) -> RGB | Path:
    value = s.get("background", None, str)
    if value is None:
        return Style.background
    if (rgb := _parse_colour(value)) is not None:
        return rgb
    picture = (path.parent / Path(value).expanduser()).resolve()
    try:
        with Image.open(picture) as im:
            im.verify()
    except FileNotFoundError:
        s.fail("background", f"is neither a colour nor an existing picture ({picture})")
    except (OSError, SyntaxError, ValueError) as e:
        s.fail("background", f"names a file that is not a readable picture ({picture}: {e})")
    return picture


def _read_output(s: _Section) -> Output:
    profile = s.get("profile", _REQUIRED, str, _one_of(tuple(PROFILES)))
    fmt = s.get("format", _REQUIRED, str, _one_of(FORMAT_IDS))
    loop = s.get("loop", False, bool)
    seconds = s.get("seconds", None, NUM, _between(1, 24 * 3600))
    if loop == (seconds is not None):
        s.fail(None, "needs either loop = true or seconds = N, not both and not neither")
    return Output(profile=profile, format=fmt, loop=loop, seconds=None if seconds is None else float(seconds))
