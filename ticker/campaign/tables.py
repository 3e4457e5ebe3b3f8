"""TOML tables read key by key: every key taken is checked (its type, its range), the rest are errors, each
one sentence naming the file, the key and what is wrong, with the closest valid key suggested for a misspelt
one. The error carries its parts too (a Refusal: the key as the file writes it, the value, the reason and its
id: "required", "unknown-key", "type", "date", "colour", or the id a check's Reason gives), for the desk to word."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, overload

from PIL import ImageColor

from ticker.errors import ConfigError, Reason, Refusal, shown

RGB = tuple[int, int, int]


class Table:
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
                self.fail(key, f"is not a known key{hint}", key, "unknown-key")

    def key(self, key: str | None) -> str:
        """`key` of this table as the file writes it: "campaign.end", "slot[1]" (the table itself), "message" (a
        key of the top level)."""
        name = f"{self.where}.{key}" if key else self.where
        return name.removeprefix("(top level).")

    def fail(self, key: str | None, reason: str, value: object = None, why: str = "", **facts: object) -> NoReturn:
        """Refuse `key` (None: the table itself): one sentence for the CLI, and its parts (a Refusal whose reason
        is `reason`, with the facts of a check's Reason) for the desk."""
        name = f"{self.where}.{key}" if key else self.where
        facts = {**getattr(reason, "facts", {}), **facts}
        refusal = Refusal(self.key(key), value, str(reason), why or getattr(reason, "why", ""), facts)
        raise ConfigError(f"{self.path}: {name} {reason}.", [refusal], self.path)

    def get(
        self, key: str, default: Any, kind: type | tuple[type, ...], check: Callable[[Any], str | None] | None = None
    ):
        if key not in self.table:
            if default is REQUIRED:
                self.fail(key, "is required", None, "required")
            return default
        value = self.table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        why = "date" if kinds == (dt.date,) else "type"
        if isinstance(value, bool) and bool not in kinds:
            self.fail(key, f"must be {kind_name(kind)}, not a boolean", value, why, kind=kind_name(kind))
        if not isinstance(value, kind):
            self.fail(key, f"must be {kind_name(kind)}, not {type(value).__name__} {shown(value)}", value, why,
                      kind=kind_name(kind))  # fmt: skip
        if check and (problem := check(value)):
            self.fail(key, Reason(f"{problem} (got {shown(value)})", getattr(problem, "why", ""),
                                  **getattr(problem, "facts", {})), value)  # fmt: skip
        return value

    @overload
    def colour(self, key: str, default: RGB) -> RGB: ...
    @overload
    def colour(self, key: str, default: None) -> RGB | None: ...
    def colour(self, key: str, default: RGB | None) -> RGB | None:
        value = self.get(key, None, str)
        if value is None:
            return default
        rgb = parse_colour(value)
        if rgb is None:
            self.fail(key, f"is not a colour ('#RRGGBB' or a name such as 'white'; got {value!r})", value, "colour")
        return rgb


REQUIRED = object()


def invisible(text: str, allowed: str = "") -> str | None:
    """The first control or invisible character of `text` (Unicode category C: an escape that drives a terminal,
    a direction override, a NUL) not in `allowed`, as a sentence names it ("U+001B"); None if there is none."""
    bad = next((c for c in text if unicodedata.category(c).startswith("C") and c not in allowed), None)
    return None if bad is None else f"U+{ord(bad):04X}"


def parse_colour(value: str) -> RGB | None:
    try:
        rgb = ImageColor.getrgb(value)[:3]
    except ValueError:
        return None
    return rgb if all(0 <= c <= 255 for c in rgb) else None


def kind_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
        dt.date: "a date (YYYY-MM-DD)",
    }
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def between(lo: float, hi: float) -> Callable[[Any], Reason | None]:
    return lambda v: None if lo <= v <= hi else Reason(f"must be between {lo} and {hi}", "range", lo=lo, hi=hi)


def one_of(choices) -> Callable[[Any], Reason | None]:
    return lambda v: (
        None if v in choices else Reason(f"must be one of {', '.join(choices)}", "choice", choices=", ".join(choices))
    )


NUM = (int, float)
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
