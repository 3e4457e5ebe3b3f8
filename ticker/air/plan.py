"""What `ticker air` puts into a channel on a day, and what its `--check` says of the set-up.

The plan is read from what is there, never from what should be. An airing on the channel is inserted only when
its campaign may air now (not a draft; approved, with what airs as it is now: a revoked or voided approval takes
it off) and the night published a clip that serves it on this channel: made at the channel's picture format, in
a format whose file carries its own alpha (qtrle, ProRes 4444: never a fill+key pair), from the campaign as it
is now (the clip's recipe key, ticker.night.jobs: its words, look and timing), and still the file ticker
published (listed in the day's manifest, a regular file of ticker's own with the manifest's size and SHA-256:
ticker.files.manifest). Any other airing is skipped, with why: the crawl is never rendered on the live machine.

An airing lasts its slot's seconds. One timed in passes lasts as long as its clip, which the night made to hold
exactly those passes; served by a loop (one period of the text, one pass each time round), that many loops.
"""

from __future__ import annotations

import datetime as dt
import functools
import stat
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from ticker.approval.key import content_key
from ticker.approval.key import state as approval_state
from ticker.campaign import Campaign, airings, clips, outputs_for
from ticker.campaign.calendar import Airing
from ticker.campaign.provenance import draft_problem
from ticker.encode import ffmpeg_exe
from ticker.errors import InputError, TickerError
from ticker.files import read_manifest
from ticker.files.manifest import Entry, foreign, intact
from ticker.files.playout_tree import day_folders
from ticker.media import PROFILES
from ticker.night import load_folder, words
from ticker.night.jobs import recipe_key
from ticker.records import Clock
from ticker.station import Channel, Station, load_station

AIR_FORMATS = ("qtrle", "prores4444")  # what the overlay composites: the alpha is in the file itself
ENGINES = ("raqm", "basic")  # the layout engines a night may have rendered with (ticker.vietnamese.text)
Why = Literal["no clip", "clip not checked", "not approved", "draft", "format", "changed", "no campaign"]
WHY: dict[Why, str] = {
    "no clip": "the night published no clip that serves it on this channel",
    "clip not checked": "its clip is no longer the file the night published and checked, or is not ticker's",
    "not approved": "its campaign is not approved, or its approval was revoked or voided by a change",
    "draft": "its campaign is a draft",
    "format": "no clip serves it at the channel's picture format in a format with alpha (qtrle, prores4444)",
    "changed": "its campaign changed since the night made its clip: render the day again",
    "no campaign": "its campaign file is gone from the campaigns folder, or cannot be read",
}
SRT_NOTE = (
    "SRT: PyAV's libraries are built without libsrt, so an srt:// input is received by ffmpeg (built with "
    "libsrt) and handed over byte for byte, as ticker watch receives one."
)


@dataclass(frozen=True)
class Insertion:
    """An airing the channel gets: the published clip composited from `start` until `end`."""

    campaign: str
    title: str
    file: Path  # the published clip, OUT/DAY/NAME: a regular file ticker published
    start: dt.datetime  # aware
    end: dt.datetime  # aware: start + the slot's seconds (or the passes' length)
    key: str  # the approval's content key (ticker.approval.key.content_key)
    words: tuple[str, ...]  # the messages as they air that day (placeholders filled)
    loop: bool = False  # the clip is a loop, repeated for the airing's length; else it is as long as the airing


@dataclass(frozen=True)
class Skipped:
    """An airing of the channel's day that gets no crawl, and why (WHY says it in words)."""

    campaign: str
    start: dt.datetime
    why: Why

    @property
    def sentence(self) -> str:
        return f"{self.campaign} at {self.start:%H:%M:%S}: skipped: {WHY[self.why]}."


def must_carry(where: object, channel: str) -> str:
    """The one sentence that refuses a must-carry channel."""
    return (
        f"{where}: channel {channel!r} is must carry (kênh thiết yếu): pay-TV relays it intact, so ticker air "
        "inserts nothing into it."
    )


def day_plan(
    campaigns_dir: Path, out: Path, channel: str, day: dt.date, station: Station, *, verify: bool = True
) -> tuple[list[Insertion], list[Skipped]]:
    """The channel's insertions on `day` and its airings skipped, each in time order (module docstring), from
    the campaigns in `campaigns_dir` as they are now and the day folder OUT/DAY the night made. `verify`: each
    clip's SHA-256 checked against the manifest's (kept while the file is the same file: ticker.files.memo).
    A channel the station does not name, or one marked must carry, is refused (InputError)."""
    ch = _channel(station, channel)
    if not campaigns_dir.is_dir():
        raise InputError(f"{campaigns_dir}: no such campaigns folder.")
    try:
        campaigns, _ = load_folder(campaigns_dir)  # a file that cannot be read: its airings are "no campaign"
    except InputError:  # a folder of no campaigns: nothing airs
        campaigns = []
    night = _Night.of(out, day)
    insertions: list[Insertion] = []
    skipped: list[Skipped] = []
    for campaign in campaigns:
        mine = [a for a in airings(campaign, day) if _takes(a.slot.channels, channel)]
        if not mine:
            continue
        try:  # the approval's key is of the look's files too: a font gone since makes the campaign unreadable
            off: Why | None = "draft" if draft_problem(campaign) else None
            if off is None and not approval_state(campaign).approved:
                off = "not approved"
            key, said = content_key(campaign), words(campaign, day)
        except (TickerError, OSError):
            off = "no campaign"
        if off is not None:
            skipped += [Skipped(campaign.name, a.start, off) for a in mine]
            continue
        for a in mine:
            found = _clip(campaign, a, ch, night, verify)
            if isinstance(found, str):
                skipped.append(Skipped(campaign.name, a.start, found))
                continue
            entry, end = found
            insertions.append(Insertion(campaign.name, campaign.title, night.folder / entry["path"], a.start, end,
                                        key, said, bool(entry.get("loop"))))  # fmt: skip
    read = {c.name for c in campaigns}
    skipped += [Skipped(name, start, "no campaign") for name, start in night.planned(channel) if name not in read]
    insertions.sort(key=lambda i: (i.start, i.campaign))
    skipped.sort(key=lambda s: (s.start, s.campaign))
    return insertions, skipped


def _channel(station: Station, name: str) -> Channel:
    ch = station.channel(name)
    if ch is None:
        raise InputError(_unknown("the station file", name, station))
    if ch.must_carry:
        raise InputError(must_carry("the station file", name))
    return ch


def _unknown(where: object, name: str, station: Station) -> str:
    names = ", ".join(repr(c.name) for c in station.channels)
    return f"{where}: names no channel {name!r} " + (f"(its channels: {names})." if names else "(it names none).")


def _takes(channels: Iterable[str], channel: str) -> bool:
    """Whether a slot's or a file's channels take `channel` (none named: every channel)."""
    channels = tuple(channels)
    return not channels or channel in channels


@dataclass(frozen=True)
class _Night:
    """The day folder as the night left it: its manifest's files and airings (only what ticker wrote, well
    formed), and the other day folders (a clip linked from another day has its other names there)."""

    folder: Path
    others: tuple[Path, ...] = ()
    files: Mapping[str, Entry] | None = None
    airings: Mapping[tuple[str, str], Mapping[str, Any]] | None = None
    ticker: str | None = None  # the version that wrote the manifest

    @classmethod
    def of(cls, out: Path, day: dt.date) -> _Night:
        none = cls(out / day.isoformat())
        try:
            folders = day_folders(out) if out.is_dir() else []
        except InputError:
            return none
        folder = next((f for d, f in folders if d == day), None)
        if folder is None:
            return none
        manifest = read_manifest(folder)
        if manifest.get("date", day.isoformat()) != day.isoformat():
            return none
        rows = [a for a in manifest.get("airings", []) or [] if _well_formed(a)]
        version = manifest.get("ticker")
        return cls(
            folder,
            tuple(f for d, f in folders if d != day),
            {e["path"]: e for e in manifest["files"]},
            {(a["campaign"], a["start"]): a for a in rows},
            version if isinstance(version, str) else None,
        )

    def planned(self, channel: str) -> list[tuple[str, dt.datetime]]:
        """The airings the night planned on the channel, by campaign and start."""
        return [(name, dt.datetime.fromisoformat(start)) for (name, start), a in (self.airings or {}).items()
                if _takes(a.get("channels") or (), channel)]  # fmt: skip


def _well_formed(row: object) -> bool:
    if not isinstance(row, dict) or not isinstance(row.get("campaign"), str) or not isinstance(row.get("files"), list):
        return False
    try:
        return dt.datetime.fromisoformat(row["start"]).tzinfo is not None
    except (TypeError, ValueError):
        return False


def _clip(campaign: Campaign, a: Airing, ch: Channel, night: _Night, verify: bool) -> tuple[Entry, dt.datetime] | Why:
    """The clip that serves the airing on the channel and when the airing ends; or why there is none."""
    row = (night.airings or {}).get((campaign.name, a.start.isoformat()))
    files = night.files or {}
    served = [files[p] for p in row["files"] if isinstance(p, str) and p in files] if row else []
    served = [e for e in served if _takes(e.get("channels") or (), ch.name)]
    if not served:
        return "no clip"
    fit = [e for e in served if e.get("profile") == ch.picture and e.get("format") in AIR_FORMATS]
    if not fit:
        return "format"
    made = _keys(campaign, a, night.ticker)
    fit = [e for e in fit if e["inputs"] in made]
    if not fit:
        return "changed"
    checked = [(e, end) for e in fit if _published(night, e, verify) and (end := _end(a, e)) is not None]
    if not checked:
        return "clip not checked"
    return min(checked, key=lambda c: bool(c[0].get("loop")))  # the slot's own clip before a loop


def _keys(campaign: Campaign, a: Airing, version: str | None) -> set[str]:
    """The recipe keys of the clips that serve the airing as the campaign is now, as the night's ticker (the
    version that wrote the manifest) would have keyed them with either layout engine."""
    outputs = [c.output for c in clips(campaign, a.day, outputs_for(campaign)) if a.served_by(c)]
    try:
        return {recipe_key(campaign, o, a.day, ticker=version, engine=e) for o in outputs for e in ENGINES}
    except (TickerError, OSError):  # a font or picture gone since the campaign was read: nothing it names airs
        return set()


def _published(night: _Night, entry: Entry, verify: bool) -> bool:
    """The file is the one ticker published: a regular file of its own, with the manifest's size (and SHA-256)."""
    path = night.folder / entry["path"]
    try:
        regular = stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False
    return (
        regular
        and foreign(night.folder, entry["path"], list(night.others)) is None
        and intact(night.folder, [entry], verify)
    )


def _end(a: Airing, entry: Entry) -> dt.datetime | None:
    """When the airing ends: its slot's seconds, or its passes' length as the clip gives it (None if unknown)."""
    if a.slot.seconds is not None:
        return a.start + dt.timedelta(seconds=a.slot.seconds)
    seconds = _length(entry)
    if seconds is None or not a.slot.passes:
        return None
    return a.start + dt.timedelta(seconds=seconds * (a.slot.passes if entry.get("loop") else 1))


def _length(entry: Entry) -> float | None:
    """The clip's length in seconds, as the manifest gives it (its frames at its profile's rate otherwise)."""
    duration, frames, profile = entry.get("duration"), entry.get("frames"), entry.get("profile")
    if isinstance(duration, int | float) and not isinstance(duration, bool) and duration > 0:
        return float(duration)
    if isinstance(frames, int) and frames > 0 and profile in PROFILES:
        return float(frames / PROFILES[str(profile)].rate)
    return None


def check_setup(
    station_path: Path,
    channel: str,
    *,
    clock: Clock,
    source: str | None = None,
    srt: Callable[[], bool] | None = None,
) -> list[str]:
    """What keeps `ticker air` from inserting into `channel`, one sentence each; [] when nothing does. `clock` is
    the host's (ticker.records.clock.host_clock); `source` the input, whose SRT (SRT_NOTE) needs an ffmpeg
    with libsrt (`srt`: whether this machine's has it; asked of ffmpeg when not given)."""
    problems = []
    try:
        station = load_station(station_path)
    except TickerError as e:
        station = None
        problems.append(str(e))
    else:
        if station is None:
            problems.append(f"{station_path}: no station file; ticker air reads the channel's picture format and "
                            "transport stream from it.")  # fmt: skip
    if station is not None:
        problems += _channel_problems(station_path, station, channel)
    if clock.sync == "unsynchronised":
        problems.append("The host clock is not synchronised (no NTP daemon keeps it, or it lost its servers): "
                        "airings start by it, so the crawl would miss its minute.")  # fmt: skip
    elif clock.sync != "synchronised":
        problems.append("Whether the host clock is synchronised cannot be asked of the kernel: airings start by it, "
                        "so keep it with NTP and check it by hand.")  # fmt: skip
    if source is not None and urlsplit(source).scheme == "srt" and not (srt or srt_received)():
        problems.append(f"{source.split('?')[0]}: this machine's ffmpeg is built without libsrt, as PyAV's "
                        "libraries are: an SRT input cannot be received here.")  # fmt: skip
    return problems


def _channel_problems(path: Path, station: Station, channel: str) -> list[str]:
    ch = station.channel(channel)
    if ch is None:
        return [_unknown(path, channel, station)]
    if ch.must_carry:
        return [must_carry(path, channel)]
    problems = []
    if ch.picture is None:
        problems.append(f"{path}: channel {channel!r} gives no picture format (picture); ticker air needs it to "
                        "choose the day's clip made at it.")  # fmt: skip
    if ch.network is None:
        problems.append(f"{path}: channel {channel!r} has no [channel.network]; ticker air needs its transport "
                        "stream's ids, PIDs, encoder and bit rate.")  # fmt: skip
    return problems


@functools.cache
def srt_received() -> bool:
    """Whether the ffmpeg ticker relays SRT through (ticker.watch.sources) can read srt:// (built with libsrt)."""
    try:
        said = subprocess.run([ffmpeg_exe(), "-hide_banner", "-protocols"], capture_output=True, text=True,
                              timeout=30, check=False).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    inputs = said.split("Input:", 1)[-1].split("Output:", 1)[0]
    return "srt" in inputs.split()
