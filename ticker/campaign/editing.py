"""A campaign file opened in an editor and saved back (the desk's form and text editor): the file stays the one
truth, people may still edit it by hand, and the nightly reads it at any time.

- `open_text` reads the file as `ticker check` does (a regular file, CAMPAIGN_LIMIT bytes, UTF-8) and keys
  what it read (`file_key`: the ETag an editor sends back as If-Match).
- `check_text` reads edited text exactly as `ticker check` would read it from the file, writing nothing.
- `save_text` checks first, then refuses to overwrite a file that changed since it was opened (`Conflict`,
  carrying both texts so that the editor can show them side by side), then writes atomically. The comparison
  and the rename are one step for every writer of ticker's (ticker.campaign.lock). For an editor who may not
  approve, it refuses a text whose [approval] is not the file's (`ApprovalChanged`), and for anyone a
  campaign.name another file of the folder has (nightly would keep only one of the two).
- `text_toml` is the one reading of an editor's text: its bytes, then the reader's own path from bytes to TOML
  (`config.parse_toml`, which `ticker check` and nightly use); every check of a text decides on it, so that no
  check can see another campaign than the one the file will be (a byte order mark, say).
- `apply_fields` sets form fields into the TOML text with tomlkit, keeping every comment and the order.

Campaign files are never edited through a link: `open_text` and `save_text` refuse a path that is one (the
link's target may be a file in a folder ticker does not own), and write_atomic replaces a link planted between
the check and the rename instead of writing through it.

The key is checked, then the file renamed over, under the folder's lock: no save or approval of ticker's can
land between the two. A hand edit saved in that instant is still lost: no lock closes the gap for editors that
take none (vi, Notepad over Samba).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from ticker.campaign import lock as campaign_lock
from ticker.campaign.config import Campaign, campaign_from, parse_toml, read_toml, utf8_text
from ticker.errors import ConfigError, FileProblem, InputError, Refusal, TickerError, toml_refusal
from ticker.files import CAMPAIGN_LIMIT, read_input, write_atomic
from ticker.files.inputs import too_big

WHAT = "campaign file"


def file_key(data: bytes) -> str:
    """The key of a file's bytes, "sha256:<hex>": what an editor opened, sent back to save over it."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Opened:
    """A campaign file as an editor has it: its text (without a byte order mark) and the key of its bytes."""

    path: Path
    text: str
    key: str


class Changed(TickerError):
    """The file changed on disk since it was read, so nothing was written: an approval refused because what it
    airs is not what the approver looked at, or because a save landed while it was approved."""

    def __init__(self, path: Path, sentence: str):
        self.path = path
        super().__init__(sentence)


class Conflict(Changed):
    """An editor's save of a file that changed on disk (or went) since the editor opened it: nothing was saved.
    `theirs` is the text now on disk (None if the file is gone), `yours` the text the editor sent, so that the
    editor can show them side by side."""

    def __init__(self, path: Path, theirs: str | None, theirs_key: str | None, yours: str):
        self.theirs, self.theirs_key, self.yours = theirs, theirs_key, yours
        done = "changed" if theirs is not None else "removed"
        super().__init__(path, f"{path}: someone else {done} this file since it was opened; nothing was saved.")


class ApprovalChanged(InputError):
    """A text that would write, change or remove the file's [approval], saved by someone who may not approve."""

    def __init__(self, path: Path):
        super().__init__(f"{path}: the text changes its [approval] table; only an approver may. Nothing was saved.")


def refuse_link(path: Path, what: str = WHAT) -> bool:
    """Whether `path` exists; a link there is refused (FileProblem): a file of ticker's is written only where it
    is, never through a link."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as e:
        raise FileProblem(path, f"cannot be read ({e.strerror})") from None
    if stat.S_ISLNK(mode):
        raise FileProblem(path, f"is a link; a {what} is edited only where it is, not through a link")
    return True


def _read(path: Path) -> tuple[bytes, str]:
    raw = read_input(path, WHAT, CAMPAIGN_LIMIT, follow=False)
    return raw, utf8_text(raw, path)


def open_text(path: str | Path) -> Opened:
    """A campaign file's text and key, read as `ticker check` reads it (a link refused)."""
    path = Path(path)
    refuse_link(path)
    raw, text = _read(path)
    return Opened(path, text, file_key(raw))


def _bytes(text: str) -> bytes:
    # A lone surrogate (JSON can carry one) is kept as the bytes it would be, which parse_toml then refuses
    # with the sentence it gives a file that is not UTF-8.
    return text.encode("utf-8", "surrogatepass")


def text_toml(path: str | Path, text: str) -> dict:
    """The TOML of `text` as `ticker check` and nightly would read it from the file at `path`: the bytes it
    is written as, their size, UTF-8 (a leading byte order mark dropped, as Notepad's is), TOML. A text that
    cannot be read so is a ConfigError (a FileProblem beyond CAMPAIGN_LIMIT), never taken for an empty one."""
    path = Path(path)
    raw = _bytes(text)
    if len(raw) > CAMPAIGN_LIMIT:
        raise FileProblem(path, too_big(len(raw), WHAT, CAMPAIGN_LIMIT))
    return parse_toml(raw, path)


def check_text(path: str | Path, text: str) -> Campaign:
    """The campaign `text` would be if it were the file at `path`: read exactly as `ticker check` reads the
    file (text_toml, then every key; fonts and pictures found beside `path`), writing nothing. Errors are the
    CLI's sentences, naming `path`: a ConfigError, or a FileProblem for text beyond CAMPAIGN_LIMIT. The
    glyphs of the messages are checked when a crawl is prepared (ticker.engine.still), as in `ticker check`."""
    return campaign_from(text_toml(path, text), Path(path))


def approval_table(data: dict | None) -> str | None:
    """The [approval] table of a campaign's TOML, as it is written (types and UTC offsets included, so that
    "10:00+07:00" is not "03:00Z"); None for none, or for a file the reader cannot read (it approves nothing)."""
    if data is None or "approval" not in data:
        return None
    return json.dumps(data["approval"], sort_keys=True, default=repr, ensure_ascii=False)


def _disk_toml(raw: bytes, path: Path) -> dict | None:
    try:
        return parse_toml(raw, path)
    except ConfigError:
        return None


def named_files(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every campaign file (*.toml) of a folder, in order, with the campaign.name it gives, read as nightly
    reads them (read_toml: the one reading of a campaign file); a file that cannot be read names nothing. Names
    of files that do not load today count: a fault may be fixed tomorrow."""
    for path in sorted(folder.glob("*.toml")):
        if (name := _name_of(path)) is not None:
            yield path, name


def name_taken(path: Path, name: str) -> Path | None:
    """Another campaign file of `path`'s folder whose campaign.name is `name` (named_files); None if none."""
    return next((p for p, n in named_files(path.parent) if n == name and p.name != path.name), None)


def name_collision(path: Path, name: str, other: Path) -> str:
    """The sentence for a file whose campaign.name another file of the folder gives already (nightly keeps
    only one of two files of one name; the desk saves neither)."""
    return f"{path}: campaign.name '{name}' is already the name of {other}; file names would collide."


def _name_of(path: Path) -> str | None:
    try:
        campaign = read_toml(path).get("campaign")
    except TickerError:
        return None
    name = campaign.get("name") if isinstance(campaign, dict) else None
    return name if isinstance(name, str) else None


def save_text(path: str | Path, text: str, if_match: str | None, *, keep_approval: bool = False) -> Opened:
    """Write `text` as the campaign file at `path` if it is a valid campaign and the file is still what the
    editor opened: `if_match` is the key open_text gave, or None to make a file that does not exist yet.

    Invalid text is a ConfigError (nothing written), and so is a campaign.name another file of the folder has.
    A file whose key is not `if_match` is a Conflict, and so is an existing file saved with `if_match` None
    (the editor never saw what is there: the same remedy, look at theirs and save again with its key) or a
    file gone since it was opened. With `keep_approval` (an editor who may not approve), a text whose
    [approval] table is not the file's is ApprovalChanged. A link at `path` is refused.

    The bytes judged are the bytes written; the file is compared and replaced under the folder's lock."""
    path = Path(path)
    data = _bytes(text)
    toml = text_toml(path, text)
    campaign = campaign_from(toml, path)
    with campaign_lock.hold(path.parent):
        before = None
        if refuse_link(path):
            raw, theirs = _read(path)
            if if_match is None or file_key(raw) != if_match:
                raise Conflict(path, theirs, file_key(raw), text)
            before = _disk_toml(raw, path)
        elif if_match is not None:
            raise Conflict(path, None, None, text)
        if keep_approval and approval_table(before) != approval_table(toml):
            raise ApprovalChanged(path)
        if other := name_taken(path, campaign.name):
            taken = Refusal("campaign.name", campaign.name, "is another file's", "name-taken", {"other": other.name})
            raise ConfigError(name_collision(path, campaign.name, other), [taken], path)
        write_atomic(path, data)
    return Opened(path, text, file_key(data))


# How a form's string is read for a key it sets (the last part of the key); anything else is written as given.
DATES = ("start", "end", "date")
NUMBERS = ("crossing_seconds", "gap", "seconds", "passes", "size", "band_opacity", "margin", "padding", "module")
BOOLEANS = ("loop", "slots", "hide_url", "uppercase")
REQUIRED_KEYS = (
    *("campaign.name", "campaign.start", "campaign.end", "message.text", "output.profile", "output.format"),
    "slot.at",
)
PART = re.compile(r"^([A-Za-z_][\w-]*)(?:\[(\d+)\])?$")


def apply_fields(text: str, fields: dict[str, object], path: str | Path | None = None) -> str:
    """`text` with form fields set: "campaign.title", "message[2].text" (counted from 1; beyond the list, new
    [[message]] tables are added up to it), "slot[1].at" (a list of "HH:MM"), "output[1].loop", any
    "table.key" or "table[N].key" of a campaign file, and "messages": a list of texts that replaces every
    message's text (messages beyond it are removed). Comments and the order of the file are kept.

    A form's string is read as the key takes it where it plainly is one ("2020-03-12" for a date, "12" for a
    number, "true" for a flag); any other value is written as given, for check_text to say what is wrong with
    it in the CLI's words. An empty string (or None) removes an optional key, and "qr.url" empty removes the
    [qr] table (no QR code); for a required key it is written, to be refused by check_text. `path` names the
    file in sentences."""
    where = str(path) if path is not None else "the campaign text"
    try:
        doc = tomlkit.parse(text)
    except (TOMLKitError, RecursionError) as e:
        raise ConfigError(f"{where}: not valid TOML: {e}.", [toml_refusal(e)]) from None
    form = _Form(doc, where)
    for name, value in fields.items():
        if name == "messages":
            form.set_messages(value)
        else:
            form.set(name, value)
    for table in form.made:  # a table added ends in a blank line, as the file's own do
        if any(not isinstance(v, Table) for v in table.values()):
            table.add(tomlkit.nl())
    return tomlkit.dumps(doc)


class _Form:
    def __init__(self, doc: tomlkit.TOMLDocument, where: str):
        self.doc, self.where = doc, where
        self.made: list[Table] = []

    def set_messages(self, texts: object) -> None:
        if not isinstance(texts, list | tuple):
            raise InputError(f"{self.where}: messages must be a list of texts, not {type(texts).__name__}.")
        for i, t in enumerate(texts, 1):
            self.set(f"message[{i}].text", t)
        aot = self.doc.get("message")
        if isinstance(aot, AoT):
            while len(aot) > len(texts):
                del aot[len(aot) - 1]

    def set(self, name: str, value: object) -> None:
        parts = name.split(".")
        if len(parts) < 2 or not all(PART.match(p) for p in parts):
            raise InputError(f"{self.where}: {name!r} is not a key of a campaign file (such as message[1].text).")
        container: Any = self.doc
        for depth, part in enumerate(parts[:-1]):
            container = self._table(container, part, ".".join(parts[:depth]))
        key = parts[-1]
        generic = ".".join(re.sub(r"\[\d+\]$", "", p) for p in parts)  # message[2].text → message.text
        if value is None or (value == "" and generic not in REQUIRED_KEYS):
            if generic == "qr.url":
                self.doc.pop("qr", None)
            else:
                container.pop(key, None)
            return
        old = container.get(key)
        container[key] = _item(key, value)
        new = container[key]
        comment = getattr(getattr(old, "trivia", None), "comment", "")  # kept beside the new value
        if comment and hasattr(new, "trivia") and not new.trivia.comment:
            new.trivia.comment_ws, new.trivia.comment = old.trivia.comment_ws, comment

    def _table(self, container: Any, part: str, above: str) -> Any:
        """The table `part` names inside `container` ("message[3]": the third [[message]]), made if missing."""
        m = PART.match(part)
        assert m is not None  # checked by set
        name, index = m.group(1), m.group(2)
        here = f"{above}.{name}" if above else name
        if index is None:
            if name not in container:
                container.add(name, self._new())
            found = container[name]
            if not isinstance(found, dict):
                raise ConfigError(f"{self.where}: {here} must be a table, not {type(found).__name__}.")
            return found
        n = int(index)
        if n < 1:
            raise InputError(f"{self.where}: {here}[{n}] does not exist: tables are counted from 1.")
        if name not in container:
            container.add(name, tomlkit.aot())
        aot = container[name]
        if not isinstance(aot, list):
            raise ConfigError(f"{self.where}: {here} must be a list, not {type(aot).__name__}.")
        while len(aot) < n:
            aot.append(self._new())
        found = aot[n - 1]
        if not isinstance(found, dict):
            raise ConfigError(f"{self.where}: {here}[{n}] must be a table, not {type(found).__name__}.")
        return found

    def _new(self) -> Table:
        table = tomlkit.table()
        self.made.append(table)
        return table


def _item(key: str, value: object) -> Any:
    """The TOML value a form's value becomes (see apply_fields)."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
        plain = value.strip()
        if key in DATES and re.fullmatch(r"\d{4}-\d{2}-\d{2}", plain):
            try:
                return dt.date.fromisoformat(plain)
            except ValueError:
                return value
        if key in NUMBERS and re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", plain):
            return float(plain) if "." in plain else int(plain)
        if key in BOOLEANS and plain in ("true", "false"):
            return plain == "true"
        if "\n" in value:
            return tomlkit.string(value, multiline=True)
        return value
    if isinstance(value, tuple):
        return list(value)
    return value
