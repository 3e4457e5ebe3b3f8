"""The station file as the desk's settings page edits it: its names and channels as a form has them (text as
the file writes it), set back into the file's TOML with tomlkit so that every comment and the order are kept,
and written whole, atomically, only if the file is still the one the page read.

A value that is the file's already is not touched (its comment, its hexadecimal stay as written); a channel
row keeps the table it was read from (`source`), so that the comments of a channel go with it when rows are
removed. What the form writes is read back exactly as `load_station` reads the file (the bytes judged are the
bytes written), so a refusal names the key as the file writes it, `channel[2].network.video_pid`, and nothing
is written. The file is compared and replaced under the lock of its folder (ticker.campaign.lock: the
campaigns folder's, where the station file lives by default), as a campaign's save is; a file changed since it
was read is a Conflict."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from ticker.campaign import lock as campaign_lock
from ticker.campaign.config import parse_toml, utf8_text
from ticker.campaign.editing import Conflict, Opened, file_key, refuse_link
from ticker.errors import ConfigError, FileProblem, toml_refusal
from ticker.files import CAMPAIGN_LIMIT, read_input, write_atomic
from ticker.files.inputs import too_big
from ticker.station.file import NAME_KEYS, NETWORK_KEYS, WHAT, Station, station_from

NUMBERS = ("original_network_id", "transport_stream_id", "service_id", "pmt_pid", "video_pid", "audio_pid",
           "service_type", "ttl", "bitrate")  # fmt: skip
# what a key left out says
DEFAULTS: dict[str, Any] = {"signer_title": "GIÁM ĐỐC", "essential": True, "must_carry": False}
HEAD = "The station's names and channels (ticker's station file), as the desk's settings page wrote them."
INTEGER = re.compile(r"^[+-]?\d+$|^0x[0-9A-Fa-f]+$")


@dataclass(frozen=True)
class ChannelFields:
    """A channel as a form row has it: text as typed or as the file writes it."""

    name: str = ""
    picture: str = ""  # a profile's id, "" for none
    essential: bool = True
    network: Mapping[str, str] = field(default_factory=dict)  # NETWORK_KEYS → text; all empty: no network
    source: int | None = None  # the file's [[channel]] it was read from (from 1); None for a new row
    must_carry: bool = False  # relayed intact: nothing is ever inserted into it


@dataclass(frozen=True)
class StationFields:
    """The station's names (NAME_KEYS → text) and its channels, in order, as the settings page edits them."""

    names: Mapping[str, str] = field(default_factory=dict)
    channels: tuple[ChannelFields, ...] = ()


def _shown(item: Any) -> str:
    """A value as a form shows it: an integer as the file writes it (0x0100 stays 0x0100), any other as text."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int) and hasattr(item, "as_string"):
        return item.as_string().strip()
    return "" if item is None else str(item)


def fields_of(text: str | None) -> StationFields:
    """The fields of a station file's text, as written (a text tomlkit cannot read has none: the page shows
    the file's refusal instead)."""
    try:
        doc = tomlkit.parse(text or "")
    except (TOMLKitError, RecursionError):
        return StationFields()
    station = doc.get("station")
    station = station if isinstance(station, dict) else {}
    names = {k: _shown(station.get(k, DEFAULTS.get(k))) for k in NAME_KEYS}
    raw = doc.get("channel")
    rows = []
    for i, c in enumerate(raw if isinstance(raw, list) else [], 1):
        if not isinstance(c, dict):
            continue
        net = c.get("network")
        network = {k: _shown(net.get(k)) for k in NETWORK_KEYS} if isinstance(net, dict) else {}
        # a value that is not a boolean (refused where the page shows the file's refusal) reads as the safe side
        essential, must_carry = c.get("essential", True) is not False, c.get("must_carry", False) is not False
        rows.append(ChannelFields(_shown(c.get("name")), _shown(c.get("picture")), essential, network, i, must_carry))
    return StationFields(names, tuple(rows))


def _value(key: str, value: object) -> Any:
    """A form's value as the file takes it: a number typed as one (decimal, or 0x… kept so), else the text as
    typed, for the reader to say what is wrong with it."""
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if key in NUMBERS and INTEGER.match(text):
        return tomlkit.value(text) if text.lower().startswith("0x") else tomlkit.integer(int(text))
    return text


def _same(old: Any, new: Any) -> bool:
    """Whether a value the file holds is the value the form gives (0x0100 is 256; true is not 1)."""
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool) and old == new
    if isinstance(old, int) and isinstance(new, int):
        return int(old) == int(new)
    return isinstance(old, str) and isinstance(new, str) and str(old) == str(new)


def _set(table: Any, key: str, value: object) -> None:
    """`key` of `table` set to `value` when it is not what the table says already (a key left out says its
    default); "" removes it, but for a name, whose emptiness the reader refuses."""
    if value == "" and key != "name":
        table.pop(key, None)
        return
    new = _value(key, value)
    if not _same(table.get(key, DEFAULTS.get(key)), new):
        table[key] = new


def apply_station(text: str | None, fields: StationFields, where: object = "the station file") -> str:
    """`text` (a station file's; None or "" for a new one) with the form's fields set, comments and order kept."""
    try:
        doc = tomlkit.parse(text) if text else tomlkit.document()
    except (TOMLKitError, RecursionError) as e:
        raise ConfigError(f"{where}: not valid TOML: {e}.", [toml_refusal(e)], file=where) from None
    if not text:
        doc.add(tomlkit.comment(HEAD))
        doc.add(tomlkit.nl())
    station = doc.get("station")
    if not isinstance(station, dict):
        doc.pop("station", None)
        station = tomlkit.table()
        doc.add("station", station)
    for key in NAME_KEYS:
        _set(station, key, fields.names.get(key, ""))
    old = doc.get("channel")
    old_rows = list(old) if isinstance(old, list) else []
    tables = []
    for row in fields.channels:
        found = old_rows[row.source - 1] if row.source and 0 < row.source <= len(old_rows) else None
        table = found if isinstance(found, Table) else tomlkit.table()
        _channel(table, row)
        tables.append(table)
    doc.pop("channel", None)
    if tables:
        rows = AoT([], name="channel", parsed=True)  # the tables as they are, their blank lines their own
        for table in tables[:-1]:
            _blank_after(table)
        for table in tables:
            rows.append(table)
        doc.add("channel", rows)
    return tomlkit.dumps(doc)


def _blank_after(table: Table) -> None:
    """A blank line at the end of a channel's tables, before the next [[channel]] (the last of a file has none)."""
    last = table
    while last.value.body and isinstance(last.value.body[-1][1], Table):
        last = last.value.body[-1][1]
    if not last.as_string().endswith("\n\n"):
        last.add(tomlkit.nl())


def _channel(table: Table, row: ChannelFields) -> None:
    _set(table, "name", row.name)
    _set(table, "picture", row.picture)
    _set(table, "essential", row.essential)
    _set(table, "must_carry", row.must_carry)
    given = {k: str(row.network.get(k, "")).strip() for k in NETWORK_KEYS}
    if not any(given.values()):
        table.pop("network", None)
        return
    network = table.get("network")
    if not isinstance(network, dict):
        table.pop("network", None)
        network = tomlkit.table()
        table.add("network", network)
    for key, value in given.items():
        _set(network, key, value)


def open_station(path: Path) -> Opened | None:
    """The station file's text and the key of its bytes (what a page sends back to save over it); None when
    there is no file yet."""
    if not refuse_link(path, WHAT):
        return None
    raw = read_input(path, WHAT, CAMPAIGN_LIMIT, follow=False)
    return Opened(path, utf8_text(raw, path), file_key(raw))


def write_station(path: Path, fields: StationFields, if_match: str | None) -> tuple[Opened, Station]:
    """The form's fields written into the station file at `path` (made when there is none) if it is still the
    file the page read: `if_match` is the key open_station gave, None for a file not made yet. A file changed,
    made or removed since is a Conflict; fields the reader refuses are a ConfigError naming the key. Nothing is
    written then. The written file and the station it is."""
    path = Path(path)
    with campaign_lock.hold(path.parent):
        theirs = None
        if refuse_link(path, WHAT):
            raw = read_input(path, WHAT, CAMPAIGN_LIMIT, follow=False)
            theirs = utf8_text(raw, path)
            if if_match is None or file_key(raw) != if_match:
                raise Conflict(path, theirs, file_key(raw), "")
        elif if_match is not None:
            raise Conflict(path, None, None, "")
        text = apply_station(theirs, fields, path)
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > CAMPAIGN_LIMIT:
            raise FileProblem(path, too_big(len(data), WHAT, CAMPAIGN_LIMIT))
        station = station_from(parse_toml(data, path), path)
        write_atomic(path, data)
    return Opened(path, text, file_key(data)), station
