"""The edit form's fields: what a campaign file says, key by key as the form names them ("campaign.title",
"message[2].text", "slot[1].at", "output[1].format"), each with the comment that traces it to the letter
(`ticker draft` writes "the letter, line 61" beside every value it read); and the form's answers read back
into the values ticker.campaign.editing.apply_fields writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

import tomlkit
from tomlkit.items import Comment, Table

from ticker.campaign.calendar import vn_date
from ticker.campaign.style import PRESETS
from ticker.letters.doubts import LOOK_AGAIN
from ticker.media import PROFILES
from ticker.media.formats import DELIVERY_FORMATS

TIME = re.compile(r"^\d{1,2}:\d{2}$")
DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")  # day, month, year
CITED = re.compile(r"\b(?:lines?|dòng) (\d+)")  # "line 61", "lines 57–59" (and in Vietnamese, "dòng 61")
Widget = Literal["text", "textarea", "date", "number", "checkbox", "select", "channels"]  # how the form asks
# ("channels": a box per channel of the station's, none ticked for every channel)


@dataclass(frozen=True)
class Field:
    key: str  # as apply_fields and the CLI's sentences name it
    label: str  # a words.py key
    value: Any
    kind: Widget = "text"
    choices: tuple[str, ...] = ()
    cite: str = ""  # where the value came from (the comment beside it)

    @property
    def dom_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", self.key).strip("-")

    @property
    def cite_line(self) -> int | None:
        """The letter's line the cite names first ("the letter, lines 57–59": 57), to link to the letter kept."""
        found = CITED.search(self.cite)
        return int(found.group(1)) if found else None


def _comment(item: Any) -> str:
    trivia = getattr(item, "trivia", None)
    return trivia.comment.lstrip("# ").strip() if trivia is not None and trivia.comment else ""


def _lead(table: Any) -> str:
    """The comment lines at the head of a table ([[message]]'s "the words of the letter, lines 57–59"). The
    draft's "look again at …" lines are left out: the form says what may be a typo in the words as they are typed
    (templates/doubts.html), and the file's note stays true only until the words are changed."""
    if not isinstance(table, Table):
        return ""
    lines = [str(item).strip().lstrip("# ").strip() for k, item in table.value.body if isinstance(item, Comment)]
    return " ".join(line for line in lines if line and not line.startswith(LOOK_AGAIN))


def _get(table: Any, key: str) -> tuple[Any, str]:
    if not isinstance(table, dict) or key not in table:
        return None, ""
    item = table[key]
    value = item.unwrap() if hasattr(item, "unwrap") else item
    return value, _comment(item)


def _channels(table: Any, key: str, station: tuple[str, ...]) -> Field:
    """A slot's or an output's channels: a box for each of the station's, and for any the file names that the
    station does not (unticking it is how it goes); the value is the file's list."""
    value, cite = _get(table, "channels")
    given = tuple(str(c) for c in value) if isinstance(value, list) else ()
    return Field(key, "channels_of", given, "channels", tuple(dict.fromkeys((*station, *given))), cite=cite)


def form_fields(text: str, station: tuple[str, ...] = ()) -> list[Field]:
    """The fields of a campaign's TOML text (tomlkit reads it as written; an unreadable text has none);
    `station`: the station's channels, offered for each slot and output."""
    try:
        doc = tomlkit.parse(text)
    except Exception:
        return []
    out: list[Field] = []
    campaign = doc.get("campaign", {})
    heads: tuple[tuple[str, str, Widget], ...] = (
        ("title", "title", "text"),
        ("start", "start", "date"),
        ("end", "end", "date"),
    )
    for key, label, kind in heads:
        value, cite = _get(campaign, key)
        out.append(Field(f"campaign.{key}", label, "" if value is None else str(value), kind, cite=cite))
    status, cite = _get(campaign, "status")
    out.append(Field("campaign.status", "is_draft", status == "draft", "checkbox", cite=cite))
    messages = doc.get("message", [])
    for i, m in enumerate(messages if isinstance(messages, list) else [], 1):
        value, cite = _get(m, "text")
        out.append(Field(f"message[{i}].text", "message", value or "", "textarea", cite=cite or _lead(m)))
    n = len(messages) if isinstance(messages, list) else 0
    out.append(Field(f"message[{n + 1}].text", "new_message", "", "textarea"))
    value, cite = _get(doc.get("motion", {}), "crossing_seconds")
    out.append(Field("motion.crossing_seconds", "crossing", value if value is not None else 12, "number", cite=cite))
    slots = doc.get("slot", [])
    for i, s in enumerate(slots if isinstance(slots, list) else [], 1):
        at, cite = _get(s, "at")
        at = at if isinstance(at, list) else [at] if at else []
        out.append(Field(f"slot[{i}].at", "slot_at", ", ".join(map(str, at)), cite=cite))
        seconds, cite = _get(s, "seconds")
        out.append(
            Field(f"slot[{i}].seconds", "slot_seconds", seconds if seconds is not None else "", "number", cite=cite)
        )
        out.append(_channels(s, f"slot[{i}].channels", station))
    style = doc.get("style", {})
    preset, cite = _get(style, "preset")
    own = doc.get("preset", {})
    presets = _choices(("", *PRESETS, *(own if isinstance(own, dict) else ())), preset)
    out.append(Field("style.preset", "preset", preset or "", "select", presets, cite=cite))
    label, cite = _get(style, "label")
    out.append(Field("style.label", "label", label or "", cite=cite))
    url, cite = _get(doc.get("qr", {}), "url")
    out.append(Field("qr.url", "qr_url", url or "", cite=cite))
    outputs = doc.get("output", [])
    for i, o in enumerate(outputs if isinstance(outputs, list) else [], 1):
        profile, _ = _get(o, "profile")
        fmt, _ = _get(o, "format")
        loop, _ = _get(o, "loop")
        out.append(Field(f"output[{i}].profile", "profile", profile or "", "select", _choices(PROFILES, profile)))
        out.append(Field(f"output[{i}].format", "format", fmt or "", "select", _choices(DELIVERY_FORMATS, fmt)))
        out.append(Field(f"output[{i}].loop", "loop", bool(loop), "checkbox"))
        out.append(_channels(o, f"output[{i}].channels", station))
    return out


def answers(form: dict[str, Any], fields: list[Field]) -> dict[str, object]:
    """The form's answers as apply_fields takes them: dates and numbers as typed (the CLI's check says what is
    wrong with them), times as a list, a checkbox as its meaning."""
    given: dict[str, object] = {}
    for f in fields:
        raw = form.get(f.key)
        if f.kind == "checkbox":
            if f.key == "campaign.status":
                given[f.key] = "draft" if raw else ""
            else:
                given[f.key] = bool(raw)
            continue
        if raw is None:
            continue
        raw = str(raw).replace("\r\n", "\n")
        if f.key.startswith("message[") and f.label == "new_message":
            if raw.strip():
                given[f.key] = raw.strip()
            continue
        if f.key.endswith(("].at", "].channels")):
            items = [t.strip() for t in raw.split(",") if t.strip()]
            given[f.key] = items if items or f.key.endswith("].at") else ""  # no channels: every channel
        elif f.kind == "number":
            given[f.key] = _number(raw)
        elif f.kind == "date":
            given[f.key] = date_given(raw)
        else:
            given[f.key] = raw.strip() if f.kind != "textarea" else raw
    return given


def _choices(known: Any, current: Any) -> tuple[str, ...]:
    """A select's options: the known values, and the file's own value when it is none of them (a select that
    could not show it would write another value back on save)."""
    found = tuple(dict.fromkeys(str(k) for k in known))
    return found if not current or str(current) in found else (*found, str(current))


def day_first(value: str) -> str:
    """A date of the file (2020-03-12) as the form shows it, day first (12/3/2020); anything else as it is."""
    with contextlib.suppress(ValueError):
        return vn_date(dt.date.fromisoformat(value))
    return value


def date_given(raw: str) -> str:
    """A date as a Vietnamese writes it (12/3/2020, 12-3-2020, 12.3.2020) as the file takes it (2020-03-12); any
    other text as typed (the check names the field and says what a date is)."""
    text = raw.strip()
    if found := DMY.match(text):
        day, month, year = (int(g) for g in found.groups())
        with contextlib.suppress(ValueError):
            return dt.date(year, month, day).isoformat()
    return text


def _number(raw: str) -> object:
    text = raw.strip().replace(",", ".")
    if not text:
        return ""
    try:
        value = float(text)
    except ValueError:
        return raw  # written as typed: the check names the key and says it must be a number
    return int(value) if value.is_integer() else value
