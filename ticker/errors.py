"""One exception tree for the whole program, caught once at the CLI edge.

TickerError
├── InputError            exit 2: the user can fix it (nothing was written)
│   ├── Refused           an input refused in parts (Refusal): the desk words them at their fields
│   │   ├── ConfigError   a campaign file: names the file and the key (its refusal: the key, value, reason)
│   │   └── TextError     a message: names the character and where it is (its refusal: the message's key)
│   │       └── LegacyEncodingError   a character a legacy encoding cannot write, or bytes it cannot read
│   └── FileProblem       a file named by the user that ticker will not read (a FIFO, too big, a bad path)
├── RenderError           exit 1: the render itself failed (no file under its final name)
│   ├── EncodeError       ffmpeg refused or died; carries the tail of its stderr
│   ├── QCError           a written file failed its checks: nothing was published
│   └── PublishError      the file system refused a write or a rename (full, read-only, gone)
├── Changed               exit 1: campaign.editing: a campaign file changed since it was read, so nothing was written:
│   │                     what it airs is not what the approver looked at, or a save landed while it was approved
│   └── Conflict          an editor's save of a file changed (or removed) since it was opened: carries both texts
├── LockedError           exit 75 (EX_TEMPFAIL): another nightly run holds the output folder
└── DeskError             ticker.desk: a request refused, with its HTTP status (given when it is made)

A refusal the user can fix is also carried in parts (`Refusal`: the key it is about, the value given, the reason
and its id), so that each edge words it: the CLI names its option or the campaign file's key, the desk the form's
field, in its language. Nothing finds the field by reading a sentence back. Every error has `refusals` (none
for most); a warning or note about one key (a message's conversion, say) is a `Remark`: the CLI's sentence, with
the key it is about and what it says of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


def shown(value: Any, most: int = 60) -> str:
    """A value as a sentence quotes it: its repr, cut short (a key's value may be thousands of characters)."""
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"


@dataclass(frozen=True)
class Refusal:
    """One thing refused, in parts.

    `key`: what it is about, as the campaign file names it (an output's `format`, `profile`, `target`,
    `video_bitrate`, `over`; `campaign.end`, `message[2].text`); `value`: what was given; `reason`: the rest of
    the sentence in English, with no option, path or command in it; `why`: a short id of the reason, which the
    desk's words look up (the English `reason` when they have none); `facts`: the numbers the reason quotes."""

    key: str
    value: object
    reason: str
    why: str = ""
    facts: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


def toml_refusal(error: Exception) -> Refusal:
    """A text that is not TOML, refused in parts: where the parser stopped, its line and column as its message
    gives them (tomllib's and tomlkit's errors carry them in no attribute they share)."""
    found = re.search(r"at line (\d+),? col(?:umn)? (\d+)", str(error))
    facts: dict[str, object] = {"line": int(found.group(1)), "column": int(found.group(2))} if found else {}
    return Refusal("", None, "not valid TOML", "toml" if found else "toml-unplaced", facts)


class Reason(str):
    """A reason as a check gives it ("must be between 2 and 120"), with its id and the numbers it quotes, so that
    the refusal it becomes carries them (ticker.campaign.tables.Table.get)."""

    why: str
    facts: dict[str, object]

    def __new__(cls, text: str, why: str, **facts: object) -> Reason:
        made = super().__new__(cls, text)
        made.why, made.facts = why, facts
        return made


class Remark(str):
    """A warning or a note as the CLI prints it ("FILE: message[2]: converted from tcvn3: …"), which also says
    the key it is about (`key`: "message[2].text"; "" for none) and what it says of it without naming where
    (`said`), so that an edge shows it at that key in its own way."""

    key: str
    said: str

    def __new__(cls, text: str, key: str = "", said: str = "") -> Remark:
        made = super().__new__(cls, text)
        made.key, made.said = key, said or text
        return made


class TickerError(Exception):
    exit_status = 1
    refusals: tuple[Refusal, ...] = ()  # an input refused in parts (Refused), for an edge to word at its keys


class Unread(str):
    """A sentence about an input that could not be read, as the CLI prints it, carrying the error it says
    (`error`), so that an edge that lists such sentences (the desk) words the error its own way."""

    error: TickerError

    def __new__(cls, error: TickerError) -> Unread:
        made = super().__new__(cls, str(error))
        made.error = error
        return made


class InputError(TickerError):
    exit_status = 2


class Refused(InputError):
    """An input refused, in parts: `refusals` (the first is the one the sentence says). `sentence` is the
    English the CLI prints; the desk words the refusals itself, at their fields."""

    def __init__(self, sentence: str, refusals: list[Refusal] | tuple[Refusal, ...] = ()):
        super().__init__(sentence)
        self.refusals = tuple(refusals)


class ConfigError(Refused):
    """A campaign file (`file`, when the sentence names one) refused; its refusal names the key as the file
    writes it (`message[2].text`, `campaign.end`, `slot[1]`), when there is one key to name."""

    def __init__(self, sentence: str, refusals: list[Refusal] | tuple[Refusal, ...] = (), file: object = None):
        super().__init__(sentence, refusals)
        self.file = None if file is None else str(file)


class FileProblem(InputError):
    """A file the user named that ticker will not read; `reason` completes a sentence about the file (a
    campaign's key names it: "style.logo names x.png, which is a FIFO …")."""

    def __init__(self, name: object, reason: str):
        self.name, self.reason = str(name), reason
        super().__init__(f"{name}: {reason}.")


class TextError(Refused):
    """A message (or another text drawn: the label, the separator) refused for a character in it; its refusal
    names the key (`message[2].text`), the character (`value`) and where it is (`facts`: line, column)."""


class LegacyEncodingError(TextError, ValueError):
    """A character a legacy encoding cannot write (`value` of its refusal), or bytes it cannot read."""


class RenderError(TickerError):
    exit_status = 1


class EncodeError(RenderError):
    pass


class QCError(RenderError):
    pass


class PublishError(RenderError):
    pass


class LockedError(TickerError):
    exit_status = 75
