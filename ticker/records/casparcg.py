"""CasparCG's own log read as what the server played: the AMCP commands it received, with their times.

CasparCG writes every command it is sent to its log (`log/caspar_2020-03-12.log` in 2.0.7, `log_...` in 2.3),
one line each, in the server's local time:

    [2020-03-12 06:30:00.412] [4364] [info]    Received message from 127.0.0.1: PLAY 1-10 "NCOVI" LOOP\\r\\n   (2.0.7)
    [2020-03-12 06:30:00.412] [info]    Received message from 127.0.0.1: PLAY 1-10 "NCOVI" LOOP\\r\\n          (2.3)

(the `\\r\\n` is written out as four characters). Commands are read as the server reads them: case does not
matter, a name is quoted when it holds spaces, `\\"` and `\\\\` escape, a `REQ id` or a `/switch` before the
command is skipped, and a channel without a layer is layer 0. What starts and ends a clip on a layer:

- `PLAY CH-LAYER CLIP ...` starts CLIP there (ending what played);
- `LOADBG CH-LAYER CLIP` readies CLIP, and `PLAY CH-LAYER` with no clip then starts it;
- `LOAD CH-LAYER CLIP` shows CLIP's first frame, still (ending what played), and `PLAY CH-LAYER` starts it;
- `STOP CH-LAYER`, `CLEAR CH-LAYER` and `CLEAR CH` (every layer of the channel) end it.

A clip still playing when the log ends has no end. Every other line (other commands, the server's own news,
a line of another program) is passed over; a `LOADBG ... AUTO` (played when the clip before it ends, at a time
the log does not say) is not counted. The log is read from its first timestamped line to its last: the span it
covers, in which a scheduled airing it shows no PLAY for was not played.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from ticker.errors import InputError
from ticker.records.lines import Aired, Clock, Covered, Record, Source

CLOCK = Clock(basis="log", how="CasparCG log")
STAMP = re.compile(r"^\[(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\]")
RECEIVED = re.compile(r"^(?:\s*\[[^\]]*\])*\s*Received message from (\S*?): (.*)$")
CHANNEL_LAYER = re.compile(r"(\d+)(?:-(\d+))?")


def iso(when: dt.datetime) -> str:
    """A record's time: to the second, or the millisecond when it has one."""
    return when.isoformat(timespec="milliseconds" if when.microsecond else "seconds")


def tokens(message: str) -> list[str]:
    """An AMCP command split as CasparCG splits it: on spaces outside quotes, with \\" \\\\ and \\n escaped."""
    found: list[str] = []
    token, quoted, escaped = "", False, False
    for c in message:
        if escaped:
            token += {"\\": "\\", '"': '"', "n": "\n"}.get(c, "")
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == " " and not quoted:
            if token:
                found.append(token)
                token = ""
        elif c == '"':
            quoted = not quoted
            if token or not quoted:
                found.append(token)
                token = ""
        else:
            token += c
    if token:
        found.append(token)
    return found


@dataclass(frozen=True)
class Command:
    """A command that starts or ends clips: its name, channel and layer (None: the whole channel, for CLEAR),
    and the clip it names ("" for none)."""

    name: str
    channel: int
    layer: int | None
    clip: str
    auto: bool = False


def command(message: str) -> Command | None:
    """The command a received message is, when it is one that starts or ends a clip; None otherwise."""
    words = tokens(message.strip())
    if words and words[0].startswith("/"):
        words = words[1:]
    if len(words) >= 2 and words[0].upper() == "REQ":
        words = words[2:]
    if len(words) < 2 or words[0].upper() not in ("PLAY", "LOADBG", "LOAD", "STOP", "CLEAR"):
        return None
    name = words[0].upper()
    where = CHANNEL_LAYER.fullmatch(words[1])
    if where is None:
        return None
    layer = int(where[2]) if where[2] is not None else (None if name == "CLEAR" else 0)
    clip = words[2] if len(words) > 2 else ""
    auto = name == "LOADBG" and any(w.upper() == "AUTO" for w in words[3:])
    return Command(name, int(where[1]), layer, clip, auto)


@dataclass
class _Playing:
    start: dt.datetime
    clip: str
    line: int


@dataclass
class _Layer:
    playing: _Playing | None = None
    ready: str = ""  # LOADBG's clip, played by a PLAY without one
    still: str = ""  # LOAD's clip, shown still, played by a PLAY without one


def casparcg_records(text: str, shown: str, channel: str, timezone: str) -> list[Record]:
    """The airings a CasparCG log shows on `channel` (the station's name for the channel the log is of), and
    the spans it covers, one per day, its times read in `timezone`. A log with no timestamped line is an
    InputError naming it (`shown`)."""
    zone = zoneinfo.ZoneInfo(timezone)
    layers: dict[tuple[int, int], _Layer] = {}
    aired: list[tuple[_Playing, dt.datetime | None]] = []
    first = last = None
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        stamp = STAMP.match(line)
        if stamp is None:
            continue
        try:
            when = dt.datetime.fromisoformat(f"{stamp[1]}T{stamp[2]}.{(stamp[3] or '0').ljust(6, '0')}")
        except ValueError:
            continue
        when = when.replace(tzinfo=zone)
        first, last = min(first or when, when), max(last or when, when)
        said = RECEIVED.match(line[stamp.end() :])
        if said is None:
            continue
        message = said[2].rstrip()
        message = message.removesuffix("\\r\\n").rstrip()
        got = command(message)
        if got is not None:
            _apply(got, when, number, layers, aired)
    if first is None or last is None:
        raise InputError(
            f"{shown}: has no line that begins with a time like [2020-03-12 06:30:00.412]; it is not a CasparCG log."
        )
    aired += [(layer.playing, None) for layer in layers.values() if layer.playing is not None]
    day_of = {id(p): p.start.date() for p, _ in aired}
    records = [
        Record(
            Source.PLAYOUT_LOG,
            channel,
            day_of[id(p)],
            Aired(iso(p.start), iso(end) if end else None, file=p.clip, full=None, line=p.line),
            CLOCK,
        )
        for p, end in sorted(aired, key=lambda a: (a[0].start, a[0].line))
    ]
    return records + covered(Source.PLAYOUT_LOG, channel, first, last, CLOCK)


def _apply(
    got: Command,
    when: dt.datetime,
    number: int,
    layers: dict[tuple[int, int], _Layer],
    aired: list[tuple[_Playing, dt.datetime | None]],
) -> None:
    def end(layer: _Layer) -> None:
        if layer.playing is not None:
            aired.append((layer.playing, when))
            layer.playing = None

    if got.layer is None:  # CLEAR CH: every layer of the channel
        for (ch, _), layer in layers.items():
            if ch == got.channel:
                end(layer)
                layer.ready = layer.still = ""
        return
    layer = layers.setdefault((got.channel, got.layer), _Layer())
    if got.name == "PLAY":
        clip = got.clip or layer.ready or layer.still
        if not clip:
            return  # a paused clip resumed, or nothing to play: no new airing
        end(layer)
        layer.playing = _Playing(when, clip, number)
        layer.ready = layer.still = ""
    elif got.name == "LOADBG":
        if got.clip:
            layer.ready = "" if got.auto else got.clip
    elif got.name == "LOAD":
        if got.clip:
            end(layer)
            layer.still, layer.ready = got.clip, ""
    else:  # STOP, CLEAR
        end(layer)
        layer.still = ""
        if got.name == "CLEAR":
            layer.ready = ""


def covered(source: Source, channel: str, first: dt.datetime, last: dt.datetime, clock: Clock) -> list[Record]:
    """The span from `first` to `last` (both in the records' timezone) as Covered records, one per day."""
    zone = first.tzinfo
    found = []
    day = first.date()
    while day <= last.date():
        start = max(first, dt.datetime.combine(day, dt.time(), zone))
        end = min(last, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone))
        if start < end or first == last:
            found.append(Record(source, channel, day, Covered(iso(start), iso(end)), clock))
        day += dt.timedelta(days=1)
    return found
