"""The station settings page (Cài đặt đài) and its API twin: the station file (ticker.station) as a form of its
names and its channels, each channel a row with its transport stream's numbers in a group of their own.

An approver saves it; an editor sees it read only. The form is written into the file as the file's own text
(comments kept, ticker.station.form), read back as every reader of the file reads it, and refused at the field
a refusal names, in the page's language, naming the field by its label; a file changed since the page read it
is refused whole. No sentence names the file's folder on the server."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ticker.campaign.editing import Conflict
from ticker.desk.fields import Field
from ticker.desk.guard import DeskError, Forbidden, status_of
from ticker.desk.refusal_words import STATION_WORDS
from ticker.desk.refusals import Said, field_for, worded
from ticker.desk.users import User
from ticker.errors import TickerError
from ticker.media import PROFILES
from ticker.station import (
    ChannelFields,
    Station,
    StationFields,
    fields_of,
    load_station,
    open_station,
    write_station,
)
from ticker.station.file import ENCODERS, NAME_KEYS, NETWORK_KEYS, PID_DEFAULTS, SERVICE_TYPES, hex_pid

if TYPE_CHECKING:
    from ticker.desk.app import Desk

# what an empty field means, shown in it; and the words beside a select's codes
HINTS = {**{k: hex_pid(v) for k, v in PID_DEFAULTS.items()}, "ttl": "1"}
OPTIONS = {f"{k:#04x}": f"{k:#04x} — {v}" for k, v in SERVICE_TYPES.items()}
NAME_LABELS = dict(zip(NAME_KEYS, ("st_name", "st_short", "st_place", "st_signer_title", "st_signer")))
MOST_CHANNELS = 200  # rows a form may hold (guard.FORM bounds its fields)
ROW_KEY = re.compile(r"^channel\[(\d{1,4})\]\.(.+)$")


@dataclass(frozen=True)
class Row:
    """A channel's row of the form: its fields, keyed as the file writes them ("channel[2].network.video_pid")."""

    index: int
    source: int | None
    name: Field
    picture: Field
    essential: Field
    must_carry: Field
    network: tuple[Field, ...]

    @property
    def fields(self) -> list[Field]:
        return [self.name, self.picture, self.essential, self.must_carry, *self.network]


@dataclass(frozen=True)
class Sheet:
    """The form: the station's names, and a row per channel."""

    names: tuple[Field, ...]
    rows: tuple[Row, ...]

    @property
    def fields(self) -> list[Field]:
        return [*self.names, *(f for r in self.rows for f in r.fields)]


def _choices(known: tuple[str, ...], current: str) -> tuple[str, ...]:
    """A select's options, and the file's own value when it is none of them (to be refused where it is)."""
    return known if not current or current in known else (*known, current)


def sheet(fields: StationFields) -> Sheet:
    names = tuple(Field(f"station.{k}", NAME_LABELS[k], fields.names.get(k, "")) for k in NAME_KEYS)
    kinds = ("", *(f"{k:#04x}" for k in SERVICE_TYPES))
    rows = []
    for i, c in enumerate(fields.channels, 1):
        at = f"channel[{i}]"
        network = []
        for key in NETWORK_KEYS:
            value = str(c.network.get(key, ""))
            if key == "service_type":
                field = Field(f"{at}.network.{key}", f"net_{key}", value, "select", _choices(kinds, value))
            elif key == "encoder":
                field = Field(f"{at}.network.{key}", f"net_{key}", value, "select", _choices(("", *ENCODERS), value))
            else:
                field = Field(f"{at}.network.{key}", f"net_{key}", value)
            network.append(field)
        rows.append(
            Row(
                i,
                c.source,
                Field(f"{at}.name", "ch_name", c.name),
                Field(f"{at}.picture", "ch_picture", c.picture, "select", _choices(("", *PROFILES), c.picture)),
                Field(f"{at}.essential", "ch_essential", c.essential, "checkbox"),
                Field(f"{at}.must_carry", "ch_must_carry", c.must_carry, "checkbox"),
                tuple(network),
            )
        )
    return Sheet(names, tuple(rows))


def from_form(form: Mapping[str, Any]) -> StationFields:
    """The station's fields as a posted form gives them: the names, and the rows in their order (a row is there
    when its `source` is, a hidden field every row sends)."""
    names = {k: str(form.get(f"station.{k}", ""))[:1000] for k in NAME_KEYS}
    rows: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        if (m := ROW_KEY.match(key)) and isinstance(value, str):
            rows.setdefault(int(m.group(1)), {})[m.group(2)] = value[:1000]
    channels = []
    for _, row in sorted(rows.items())[:MOST_CHANNELS]:
        if "source" not in row:
            continue
        source = row["source"].strip()
        channels.append(
            ChannelFields(
                name=row.get("name", ""),
                picture=row.get("picture", ""),
                essential=bool(row.get("essential")),
                network={k: row.get(f"network.{k}", "") for k in NETWORK_KEYS},
                source=int(source) if source.isdigit() else None,
                must_carry=bool(row.get("must_carry")),
            )
        )
    return StationFields(names, tuple(channels))


def added(fields: StationFields) -> StationFields:
    """The fields with a new, empty channel row at the end."""
    return dataclasses.replace(fields, channels=(*fields.channels, ChannelFields())[:MOST_CHANNELS])


def removed(fields: StationFields, index: int) -> StationFields:
    """The fields without the channel row `index` (from 1)."""
    return dataclasses.replace(fields, channels=tuple(c for i, c in enumerate(fields.channels, 1) if i != index))


@dataclass(frozen=True)
class Current:
    """The station file as the page opens it: its fields as written, its key (sent back to save over it; "" for
    no file), whether it is there, and its refusal when it cannot be read as it is (the fields still shown, to
    be put right)."""

    fields: StationFields
    key: str = ""
    exists: bool = False
    error: DeskError | None = None


def opened(desk: Desk) -> Current:
    try:
        found = open_station(desk.station)
    except TickerError as e:
        return Current(StationFields(), "", True, _hidden(desk, e))
    if found is None:
        return Current(fields_of(None))
    try:
        load_station(desk.station)
    except TickerError as e:
        return Current(fields_of(found.text), found.key, True, _hidden(desk, e))
    return Current(fields_of(found.text), found.key, True)


def _hidden(desk: Desk, error: TickerError) -> DeskError:
    """`error` with the station file's folder on the server left out of its sentence (the file named by its
    name), keeping its status and its refusals."""
    if isinstance(error, DeskError):
        return error
    text = str(error).replace(str(desk.station), desk.station.name).replace(str(desk.station.parent), "…")
    return DeskError(text, status_of(error), refusals=error.refusals)


def save(desk: Desk, user: User, fields: StationFields, key: str | None) -> tuple[str, Station]:
    """The fields written into the station file by an approver, if it is still the file the page read (`key`;
    None for none there yet): the new key and the station. Refused as a DeskError whose sentence names no folder
    of the server: 403 for an editor, 409 for a file changed since, 422 with its refusals for fields the reader
    refuses."""
    if not user.may_approve:
        raise Forbidden(
            f"{user.name} is an editor; only an approver may change the station settings.",
            shown=(
                f"{user.name} là người soạn; chỉ người duyệt mới được lưu cài đặt đài. Chưa lưu gì.",
                f"{user.name} is an editor; only an approver may save the station settings. Nothing was saved.",
            ),
        )
    try:
        written, station = write_station(desk.station, fields, key or None)
    except Conflict:
        raise DeskError(
            f"{desk.station.name}: someone else changed the station settings since they were opened; nothing was "
            "saved.",
            409,
            shown=STATION_WORDS["conflict"],
        ) from None
    except TickerError as e:
        raise _hidden(desk, e) from None
    return written.key, station


def said(error: TickerError, form: Sheet, lang: str) -> tuple[Said, set[int]]:
    """What the page shows of a refusal: each at its field, worded; what no field is about under the form; and
    the rows whose transport stream group holds one (shown open)."""
    at: dict[str, str] = {}
    general: list[str] = []
    for refusal in error.refusals:
        f = field_for(refusal, form.fields)
        sentence = worded(refusal, f, lang)
        if f is None:
            general.append(sentence)
        else:
            at.setdefault(f.key, sentence)
    if not error.refusals:
        i = 1 if lang == "en" else 0
        mine = error.said(lang) if isinstance(error, DeskError) and error.shown else None
        general.append(mine or STATION_WORDS["unread"][i].format(said=str(error)))
    rows = {r.index for r in form.rows for f in r.network if f.key in at}
    return Said(at, " ".join(general)), rows


def station_json(station: Station | None) -> dict[str, Any] | None:
    """The station as the API gives it: its names, time zone and channels (never its records folder's path)."""
    if station is None:
        return None
    channels = [
        {
            "name": c.name,
            "picture": c.picture,
            "essential": c.essential,
            "must_carry": c.must_carry,
            "network": None if c.network is None else dataclasses.asdict(c.network),
        }
        for c in station.channels
    ]
    return {**station.as_json(), "timezone": station.timezone, "channels": channels}
