"""Refusals as the desk's pages say them: each at the form field it is about, in the page's language, naming the
field by its label on the form; never a path on the server, an option of the command line or a command.

The field is the key the refusal carries (ticker.errors.Refusal, as the campaign file writes it): nothing is
found by reading a sentence. A key the form has no field for is said under the form, with the key named as the
file writes it ("style.font"); a refusal with no words of its own (REASONS) is said in the generic words,
naming the field and the value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ticker.campaign.calendar import vn_date
from ticker.desk.fields import Field
from ticker.desk.refusal_words import (
    BAND_WORDS,
    FILE_WORDS,
    KINDS,
    NIGHT_UNREAD_WORDS,
    REASONS,
    STATUS_WORDS,
    UNKNOWN_WORDS,
    UNREAD_WORDS,
)
from ticker.desk.words import words
from ticker.errors import ConfigError, FileProblem, LockedError, Refusal, TickerError, shown

# The keys an output's check names alone (formats.check_output): each is said at that output's field.
OUTPUT_KEYS = ("format", "profile", "target", "video_bitrate", "over")


@dataclass(frozen=True)
class Said:
    """What a page shows of a refusal: a sentence per form field (`at`, by the field's key), and one for what no
    field of the form is about (`general`, "" for none)."""

    at: dict[str, str] = field(default_factory=dict)
    general: str = ""


def field_for(refusal: Refusal, fields: list[Field]) -> Field | None:
    """The form field a refusal is about: the field of its key; an output's key named alone (a format's check) at
    that output's field (`facts["output"]`, from 1; the first by default); a key of a message, slot or output
    the form has no field for (slot[1] itself, message[2].encoding) at that table's first field; else None."""
    key = refusal.key
    if key in OUTPUT_KEYS:
        key = f"output[{refusal.facts.get('output', 1)}].{'profile' if key == 'profile' else 'format'}"
    if found := next((f for f in fields if f.key == key), None):
        return found
    table = key.split(".")[0]
    if not table.endswith("]"):
        return None
    return next((f for f in fields if f.key.startswith(table + ".")), None)


def label_of(f: Field | None, key: str, lang: str) -> str:
    """The field as a sentence names it: its label on the form (without the hint in brackets), numbered when the
    form has several ("Giờ phát 2"); a key with no field as the file writes it."""
    if f is None:
        return key
    label = words(lang).get(f.label, f.label).split(" (")[0]
    index = f.key.split("[", 1)[1].split("]")[0] if "[" in f.key else ""
    return f"{label} {index}".strip() if index and index != "1" else label


def _value(value: object) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return vn_date(value)  # day first, as the form shows dates
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if value is None:
        return "—"
    return shown(value)


def worded(refusal: Refusal, f: Field | None, lang: str) -> str:
    """One refusal in the page's language: its reason's words (REASONS) with the field's label, the value and
    the facts; the generic words when the reason has none, or names a fact they lack."""
    i = 1 if lang == "en" else 0
    facts: dict[str, object] = {k: _value(v) if k in ("start",) else v for k, v in refusal.facts.items()}
    if "kind" in facts:
        facts["kind"] = KINDS.get(str(facts["kind"]), (str(facts["kind"]),) * 2)[i]
    values = {**facts, "field": label_of(f, refusal.key, lang), "value": _value(refusal.value)}
    template = REASONS.get(refusal.why, REASONS[""])[i]
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return REASONS[""][i].format(**values)


def said(error: TickerError, fields: list[Field], lang: str, folder: Path) -> Said:
    """What a page shows of `error`: its refusals at their fields, worded; a refusal no field is about, and an
    error with none (a text that is not TOML), under the form, without the campaigns' folder named."""
    at: dict[str, str] = {}
    general: list[str] = []
    for refusal in error.refusals:
        f = field_for(refusal, fields)
        sentence = worded(refusal, f, lang)
        if f is None:
            general.append(sentence)
        else:
            at.setdefault(f.key, sentence)
    if not error.refusals:
        general.append(unplaced(error, lang, folder))
    return Said(at, " ".join(general))


def unplaced(error: TickerError, lang: str, folder: Path) -> str:
    """An error no field is about, as a page says it: a DeskError's own words for a page when it has them, else
    its sentence with the campaigns' folder left out (the file named by its own name), after the desk's words
    for a file it cannot read."""
    i = 1 if lang == "en" else 0
    shown_as = getattr(error, "shown", None)
    if shown_as:
        return shown_as[i]
    text = str(error).replace(f"{folder}/", "").replace(str(folder), "…")
    return (FILE_WORDS if isinstance(error, ConfigError) else BAND_WORDS)[i].format(said=text)


def unread(sentence: str, lang: str, folder: Path) -> str:
    """A campaign file of the folder that could not be read, as a list of the desk's says it: the file's own
    name, then its error worded (`sentence` is the CLI's, an errors.Unread carrying the error), each key named
    as the file writes it; a file ticker will not read, or a fault, in the desk's own words."""
    i = 1 if lang == "en" else 0
    name = file_named(sentence, folder)
    error = getattr(sentence, "error", None)
    if name is not None and error is None:  # as a night's manifest keeps it: its sentence only
        return NIGHT_UNREAD_WORDS[i].format(file=name)
    if name is None or not isinstance(error, TickerError):
        return UNKNOWN_WORDS[i]
    if isinstance(error, FileProblem):
        return UNREAD_WORDS[i].format(file=name)
    return f"{name}: {said(error, [], lang, folder).general}"


def file_named(sentence: str, folder: Path) -> str | None:
    """The file of the folder a sentence about one is about: each begins with the file's path and a colon."""
    path = Path(sentence.split(": ", 1)[0])
    return path.name if path.parent == folder and path.suffix == ".toml" else None


def page_sentence(error: Exception | None, status: int, lang: str, folder: Path) -> str:
    """A refusal as a page (not the API) says it: a DeskError's own words for a page; a refusal in parts worded
    (its keys as the file writes them); a nightly run holding OUT in its words; else the words of its status:
    never the CLI's sentence, which may name a path on the server, an option or a command."""
    i = 1 if lang == "en" else 0
    if isinstance(error, TickerError) and getattr(error, "shown", None):
        return error.shown[i]  # type: ignore[attr-defined]
    if isinstance(error, TickerError) and error.refusals:
        return said(error, [], lang, folder).general
    if isinstance(error, LockedError):
        return STATUS_WORDS["locked"][i]
    return STATUS_WORDS.get(str(status), STATUS_WORDS["400"])[i]
