"""The "Hôm nay / Tối nay" board: for each of the station's channels, what airs on it today, from which file,
whether that file is published and checked, and what the records say of it on air (seen by the watch, with
its frame; inserted; played; missed).

The board is read from what is there, never from what should be: the airings from today's campaign files (a
draft never airs and is not listed; a campaign not approved is listed as one that will not air), the files from
the day's manifest as the night published them (ticker.desk.days.night gives each its verdict), and what aired
from the records folder by the one counting rule (ticker.records.count). A channel is a station file's
channel; a channel a campaign names that the station file does not is listed too, so that nothing planned is
out of sight."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ticker.air.switch import Off, switched_off
from ticker.approval.key import state as approval_state
from ticker.campaign import Campaign, airings, clips, file_name, outputs_for
from ticker.desk.actions import folder_of, now, station_of
from ticker.desk.days import night
from ticker.desk.guard import NotFound
from ticker.errors import InputError
from ticker.records import MATCH, Aired, Mine, Record, Records, Slot, Source, count, moment, stem

if TYPE_CHECKING:
    from ticker.desk.app import Desk

Readiness = Literal["ready", "changed", "failed", "not built"]
OnAir = Literal["seen", "inserted", "played", "partial", "missed", "later", "unknown"]
HEARD = (Source.WATCH, Source.AIR, Source.PLAYOUT_LOG, Source.CSV)
STRONGEST: dict[Source, OnAir] = {Source.WATCH: "seen", Source.AIR: "inserted", Source.PLAYOUT_LOG: "played",
                                  Source.CSV: "played"}  # fmt: skip
RANK = (Source.WATCH, Source.AIR, Source.PLAYOUT_LOG, Source.CSV)


@dataclass(frozen=True)
class FileState:
    name: str
    ready: Readiness
    profile: str = ""  # the picture format it is made at ("576i50")


@dataclass(frozen=True)
class OnBoard:
    """One airing on one channel."""

    time: str  # "06:30"
    start: dt.datetime
    campaign: str  # its name
    title: str
    file: str  # the campaign file's name (the desk's link to it)
    approved: bool  # not approved: listed, but nightly makes no file of it and nothing airs
    files: tuple[FileState, ...]
    aired: OnAir
    frame: str | None = None  # the watch's first picture of it, as the records cite it (evidence/frames/…)

    @property
    def ready(self) -> bool:
        return self.approved and bool(self.files) and all(f.ready == "ready" for f in self.files)


@dataclass(frozen=True)
class ChannelBoard:
    channel: str  # "" when the station names no channel: every channel
    airings: tuple[OnBoard, ...]
    aired_by_ticker: bool = False  # the station file gives its network: `ticker air` can insert into it
    off: Off | None = None  # its crawl switched off now (ticker.air.switch), by whom, when

    @property
    def ready(self) -> int:
        return sum(a.ready for a in self.airings)


def channels_of(station: Iterable[str], campaigns: Iterable[Campaign]) -> list[str]:
    """The station's channels in its order, then any other a campaign's slot or output names."""
    found = dict.fromkeys(station)
    for c in campaigns:
        for slot in c.slots:
            found.update(dict.fromkeys(slot.channels))
        for output in c.outputs:
            found.update(dict.fromkeys(output.channels))
    return list(found) or [""]


Published = dict[tuple[str, str], list[tuple[str, list[str], str]]]  # (campaign, start): (file, channels, profile)


def _published(manifest: Mapping[str, Any] | None) -> tuple[dict[str, Readiness], Published]:
    """The day's files by name with their readiness, and each published airing's files by (campaign, start)."""
    if not manifest:
        return {}, {}
    state: dict[str, Readiness] = {}
    channels: dict[str, list[str]] = {}
    profiles: dict[str, str] = {}
    for e in manifest.get("files", []):
        state[e["path"]] = "ready" if e.get("qc") == "passed" else "changed"
        channels[e["path"]] = list(e.get("channels") or [])
        profiles[e["path"]] = str(e.get("profile") or "")
    for f in manifest.get("failed", []) or []:
        if isinstance(f, dict) and isinstance(f.get("file"), str):
            state.setdefault(f["file"], "failed")
    served = {
        (a["campaign"], a["start"]): [(p, channels.get(p, []), profiles.get(p, "")) for p in a.get("files", [])]
        for a in manifest.get("airings", [])
        if isinstance(a, dict) and isinstance(a.get("campaign"), str) and isinstance(a.get("start"), str)
    }
    return state, served


def _takes(channels: Iterable[str], channel: str) -> bool:
    channels = tuple(channels)
    return not channels or not channel or channel in channels


def board(
    campaigns: list[Campaign],
    day: dt.date,
    station: Iterable[str],
    manifest: Mapping[str, Any] | None,
    records: Iterable[Record],
    now: dt.datetime,
    pictures: Mapping[str, str] | None = None,
) -> list[ChannelBoard]:
    """The board of `day` (module docstring): `manifest` as ticker.desk.days.night gives it (None before the
    night), `records` the records of the day, `pictures` each channel's picture format as the station file
    gives it (an airing then lists only its files made at that format, when it has any)."""
    state, served = _published(manifest)
    heard = [r for r in records if r.source in HEARD]
    boards = []
    for channel in channels_of(station, campaigns):
        rows = []
        for campaign in campaigns:
            if campaign.status == "draft":
                continue
            rows += _rows(campaign, day, channel, state, served, heard, now, (pictures or {}).get(channel, ""))
        boards.append(ChannelBoard(channel, tuple(sorted(rows, key=lambda r: (r.start, r.campaign)))))
    return boards


def _rows(
    campaign: Campaign,
    day: dt.date,
    channel: str,
    state: dict[str, Readiness],
    served: Published,
    heard: list[Record],
    now: dt.datetime,
    picture: str,
) -> list[OnBoard]:
    approved = approval_state(campaign).approved
    needed = clips(campaign, day, outputs_for(campaign))
    mine_airings = [a for a in airings(campaign, day) if _takes(a.slot.channels, channel)]
    if not mine_airings:
        return []
    names: set[str] = set()
    rows: list[tuple[Any, tuple[FileState, ...]]] = []
    for a in mine_airings:
        published = served.get((campaign.name, a.start.isoformat()))
        if published is not None:
            files = tuple(
                FileState(p, state.get(p, "not built"), profile) for p, chans, profile in published
                if _takes(chans, channel)
            )  # fmt: skip
        else:
            files = tuple(
                FileState(name, state.get(name, "not built"), c.output.profile.id)
                for c in needed if a.served_by(c) and _takes(c.channels, channel)
                for name in (file_name(campaign, c.output),)
            )  # fmt: skip
        if picture and any(f.profile == picture for f in files):  # the channel's own format, when made
            files = tuple(f for f in files if f.profile == picture)
        names.update(stem(f.name) for f in files)
        rows.append((a, files))
    mine = Mine(campaign.name, frozenset(names))
    slots = [Slot(a.start, channel, all(f.ready == "ready" for f in files)) for a, files in rows]
    counted, _ = count(mine, slots, heard)
    out = []
    for (a, files), c in zip(rows, counted, strict=True):
        if a.start > now and c.state not in ("aired", "partial"):
            aired: OnAir = "later"
        elif c.state == "aired":
            aired = next(STRONGEST[s] for s in RANK if s in c.sources)
        elif c.state in ("partial", "missed"):
            aired = c.state
        else:
            aired = "unknown"
        out.append(OnBoard(a.label, a.start, campaign.name, campaign.title, campaign.path.name, approved, files,
                           aired, _frame(mine, a.start, channel, heard)))  # fmt: skip
    return out


def _frame(mine: Mine, start: dt.datetime, channel: str, heard: list[Record]) -> str | None:
    """The first picture the watch kept of the airing: of its nearest sighting on the channel within MATCH."""
    near = [
        (abs(moment(r.fact.start) - start), r.fact.evidence)
        for r in heard
        if r.source == Source.WATCH and isinstance(r.fact, Aired) and mine.ours(r.fact)
        and _takes((r.channel,) if r.channel else (), channel) and abs(moment(r.fact.start) - start) <= MATCH
    ]  # fmt: skip
    for _, evidence in sorted(near):
        frames = [e for e in evidence if e.startswith("evidence/frames/") and e.endswith(".png")]
        if frames:
            return frames[0]
    return None


def tonight(desk: Desk, day: dt.date) -> Tonight:
    """The board of `day` as the desk reads it: today's campaign files, the station's channels, the day's
    manifest (when the night made one) and the records of the day (when there is a folder of them)."""
    campaigns, errors = folder_of(desk)
    station = station_of(desk)
    try:
        manifest: dict[str, Any] | None = night(desk, day)
    except NotFound:
        manifest = None
    records: tuple[Record, ...] = ()
    if desk.records.is_dir():
        try:
            with Records.open(desk.records, make=False) as folder:
                records = folder.read(day, day).records
        except InputError:
            errors = [*errors, "records"]
    channels = tuple(c.name for c in station.channels) if station else ()
    pictures = {c.name: c.picture for c in station.channels if c.picture} if station else {}
    boards = board(campaigns, day, channels, manifest, records, now(), pictures)
    airable = {c.name for c in station.channels if c.network is not None} if station else set()
    boards = [dataclasses.replace(b, aired_by_ticker=True, off=switched_off(desk.records, b.channel))
              if b.channel in airable else b for b in boards]  # fmt: skip
    return Tonight(day, tuple(boards), manifest is not None, tuple(errors))


@dataclass(frozen=True)
class Tonight:
    day: dt.date
    boards: tuple[ChannelBoard, ...]
    built: bool  # the night made the day's manifest
    errors: tuple[str, ...]  # the campaign files that could not be read; "records" when the folder could not be


def frame(desk: Desk, day: dt.date, cited: str) -> bytes:
    """A picture the watch kept, as a record cites it; NotFound for anything else."""
    if desk.records.is_dir():
        with contextlib.suppress(InputError), Records.open(desk.records, make=False) as folder:
            data = folder.evidence(day, cited)
            if data is not None and data.startswith(b"\x89PNG\r\n\x1a\n"):
                return data
    raise NotFound(f"{cited[:80]!r} of {day}: no such picture in the records.",
                   shown=("Không có ảnh này trong hồ sơ.", "No such picture in the records."))  # fmt: skip
