"""`ticker nightly`: the files a day of a folder of campaigns needs, made unattended (what the folder airs,
listed by `ticker schedule`, is ticker.campaign.calendar).

A nightly run, under a lock the kernel holds for it (flock, gone with the process):
1. reads every campaign file in the folder (a bad one is reported and left out; the rest go on);
2. leaves out a draft (campaign.status = "draft", ticker.campaign.provenance) and a campaign nobody approved or whose
   approval a change voided (ticker.approval.key; unless allow_unapproved), each named in the log and in the
   manifest's `unapproved`; lists the clips each other campaign active on the day needs, each with its key (night.jobs:
   what its pictures depend on), and renders each key once, however many channels take it;
3. keeps a file already made for its key on that day, and hard-links one made for the same key on another day;
4. publishes every file atomically (temporary name, checks, rename) and rewrites OUT/DAY/manifest.json
   (atomically too, ticker.files.manifest) after each, so the manifest lists only whole files with their checksums;
5. removes the files of that day that no clip needs any more, and day folders older than the retention.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from ticker import __version__
from ticker.approval import record_voided
from ticker.approval.key import state as approval_state
from ticker.campaign import Campaign, airings, clips, file_name, load_campaign, outputs_for
from ticker.campaign.calendar import Clip, active, today, vn_day
from ticker.campaign.config import DEFAULT_TIMEZONE
from ticker.campaign.editing import name_collision
from ticker.campaign.provenance import draft_problem, left_out
from ticker.errors import ConfigError, InputError, PublishError, Refusal, TickerError, Unread
from ticker.files import MANIFEST, Held, hold_lock, read_manifest, write_manifest
from ticker.files.held import shown
from ticker.files.manifest import Airing, Entry, LeftOut, Manifest, intact, same_as
from ticker.files.playout_tree import Log, day_folder, day_names, retire
from ticker.files.publish import publish_copy, sweep
from ticker.media import check_output
from ticker.night.jobs import Job, Outcome, Snapshot, execute, recipe_key
from ticker.night.recording import apart, record_night
from ticker.night.scheduler import check_scheduler
from ticker.records import Records, Retention
from ticker.station import STATION_FILE
from ticker.vietnamese.text import layout_engine

KEEP = Retention()  # the records folder's retention unless the command says


def load_folder(folder: Path) -> tuple[list[Campaign], list[str]]:
    """Every campaign file (*.toml) in a folder, or the one file given; and a sentence for each bad one. The
    folder's station file (station.toml, ticker.station) is not a campaign and is passed over. Whatever one file
    does (a FIFO, a link to a device, a fault of ticker's own reading it), the others are read: a file that is
    not a regular file is refused by load_campaign, any other failure is its sentence."""
    if folder.is_dir():
        files = sorted(p for p in folder.glob("*.toml") if p.name != STATION_FILE)
        if not files:
            raise InputError(f"{folder}: holds no campaign files (*.toml).")
    elif os.path.lexists(folder):
        files = [folder]  # load_campaign says what it is when it is not a campaign file
    else:
        raise InputError(f"{folder}: no such folder or campaign file.")
    campaigns: list[Campaign] = []
    errors: list[str] = []
    names: dict[str, Path] = {}
    for path in files:
        try:
            campaign = load_campaign(path)
        except TickerError as e:
            errors.append(Unread(e))
            continue
        except Exception as e:  # a fault of ticker's: this file is left out, the others go on
            errors.append(f"{path}: ticker could not read it: {type(e).__name__}: {e}")
            continue
        if campaign.name in names:
            taken = Refusal(
                "campaign.name", campaign.name, "is another file's", "name-taken", {"other": names[campaign.name].name}
            )
            errors.append(Unread(ConfigError(name_collision(path, campaign.name, names[campaign.name]), [taken], path)))
            continue
        names[campaign.name] = path
        campaigns.append(campaign)
    return campaigns, errors


def tomorrow(timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    return today(timezone) + dt.timedelta(days=1)


Progress = Callable[[int, int, str], None]  # (clips finished, clips of the day, the one just finished)
How = Literal["", "kept", "linked", "made", "failed"]  # what became of a unit's files tonight ("": not yet)


@dataclass
class Unit:
    """One key of the day: the clip it makes, and its files once made."""

    key: str
    clip: Clip
    name: str
    entries: list[Entry] | None = None  # the manifest's entries for its files
    how: How = ""
    error: str | None = None

    def placed(self, entries: list[Entry]) -> list[Entry]:
        """Manifest entries of its files with the airings and channels the clip serves today."""
        return [{**e, "slot": self.clip.airs, "channels": list(self.clip.channels)} for e in entries]


def nightly(
    config_dir: Path,
    out: Path,
    day: dt.date,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    keep_days: int = 14,
    verify: bool = False,
    timezone: str = DEFAULT_TIMEZONE,
    stream: TextIO | None = None,
    allow_unapproved: bool = False,
    progress: Progress | None = None,
    records: Path | None = None,
    retention: Retention = KEEP,
) -> int:
    """Make what `day` needs; 0 all made, 1 some renders failed (the rest are made), 2 bad campaign files.
    `progress` (for a desk's progress bar) is called here, in the calling thread, with (0, total, "") once the
    day's clips are counted, then with (done, total, the clip's file name) as each is made, kept, linked or
    failed; a clip is a unit of the manifest (a fill+key pair is one). `stream`: where the log is also said
    (by default stderr as it is when called). `records`: the records folder the night's deliveries are written
    to (ticker.night.recording), whose days that are over are sealed and whose old records and evidence go as
    `retention` says (never with the clips: `keep_days` is the playout tree's)."""
    if scheduler:
        check_scheduler(scheduler)  # TLS, or this machine's loopback: before the lock, the day folder or the log
    stream = stream or sys.stderr
    campaigns, errors = load_folder(config_dir)
    if records is not None:
        apart(records, out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"-o {out}: cannot make the folder ({e.strerror}).") from None
    folder_kept = Records.open(records) if records is not None else None  # a bad folder: before anything is done
    with Held.open(out) as top, hold_lock(top), day_folder(top, day) as held:
        day_dir = held.path  # the day folder opened once: everything below works through its descriptor
        sweep(day_dir)  # what killed runs left, never final
        log = Log(day_dir / "nightly.log", stream, held.shown / "nightly.log")
        try:
            began = time.monotonic()
            log(
                f"nightly {day} ({vn_day(day)}) from {config_dir}: ticker {__version__}, layout engine "
                f"{layout_engine()}" + (f", Dask scheduler {scheduler}" if scheduler else f", {workers} process(es)")
            )
            for error in errors:
                log(f"error: {error}")
            campaigns, off = _on_air(campaigns, day, allow_unapproved, log)
            units = _units(campaigns, day, errors, log)
            status = _make(units, top, held, day, workers, scheduler, verify, log, progress)
            if not _write_manifest(day_dir, day, units, campaigns, errors, log, off):
                status = max(status, 1)
            _tidy(held, units, log)
            if folder_kept is not None:
                files = [e for u in units.values() if u.entries for e in u.entries]
                whole = not errors and not any(u.how in ("", "failed") for u in units.values())
                planned = _airings(campaigns, day, units)
                kept_all = record_night(folder_kept, day, campaigns, planned, files, off, whole, log, timezone,
                                        retention)  # fmt: skip
                status = max(status, 0 if kept_all else 1)
            retire(top, min(day, today(timezone)), keep_days, log)
            made = [u for u in units.values() if u.how == "made"]
            kept = sum(u.how == "kept" for u in units.values())
            linked = sum(u.how == "linked" for u in units.values())
            failed = [u for u in units.values() if u.how == "failed"]
            summary = (
                f"nothing to render: {kept} clip(s) up to date"
                if not made and not linked and not failed
                else f"{len(made)} made, {linked} linked from another day, {kept} up to date, {len(failed)} failed"
            )
            log(f"{summary} ({time.monotonic() - began:.1f} s); manifest {held.shown / MANIFEST}")
        except BaseException:  # stopped: a worker killed before it could clean up leaves its workspace
            sweep(day_dir)  # the workers are gone (execute waited for them): none of it is held
            raise
        finally:
            log.close()
            if folder_kept is not None:
                folder_kept.close()
    return 2 if errors or status == 2 else status


def _on_air(
    campaigns: list[Campaign], day: dt.date, allow_unapproved: bool, log: Log
) -> tuple[list[Campaign], list[LeftOut]]:
    """The campaigns that may air, and those active on the day that may not: a draft, or one nobody approved
    (or whose approval a change voided, which the audit trail is told), each named in one sentence in the log.
    Not an error: the station has not finished them."""
    on: list[Campaign] = []
    off: list[LeftOut] = []
    for campaign in campaigns:
        reason = draft_problem(campaign)
        said = left_out(campaign, campaign.name)
        why: Literal["draft", "not approved", "voided"] = "draft"
        if reason is None and not allow_unapproved and not (st := approval_state(campaign)).approved:
            why = "voided" if st.voided else "not approved"
            try:
                record_voided(campaign, st)
            except TickerError as e:  # a read-only campaign folder: the night goes on
                log(f"error: {e}")
            reason, said = st.sentence, f"{campaign.name}: left out: {st.sentence}"
        if reason is None:
            on.append(campaign)
        elif active(campaign, day):
            log(said or reason)
            off.append({"campaign": campaign.name, "file": str(campaign.path), "reason": reason, "why": why})
    return on, off


def _units(campaigns: list[Campaign], day: dt.date, errors: list[str], log: Log) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for campaign in campaigns:
        if campaign.end < day:
            log(f"{campaign.name}: the window ended on {campaign.end}; left alone", quiet=True)
            continue
        if campaign.start > day:
            log(f"{campaign.name}: the window starts on {campaign.start}", quiet=True)
            continue
        outputs = []
        for i, output in enumerate(outputs_for(campaign), 1):
            try:
                check_output(output)
                outputs.append(output)
            except TickerError as e:
                errors.append(f"{campaign.path}: output[{i}] ({output.profile} {output.format}): {e}")
                log(f"error: {errors[-1]}")
        try:
            for clip in clips(campaign, day, outputs):
                key = recipe_key(campaign, clip.output, day)
                units[key] = Unit(key, clip, file_name(campaign, clip.output))
        except TickerError as e:
            errors.append(str(e))
            log(f"error: {e}")
    return units


def _make(
    units: dict[str, Unit],
    top: Held,
    held: Held,
    day: dt.date,
    workers: int,
    scheduler: str | None,
    verify: bool,
    log: Log,
    progress: Progress | None = None,
) -> int:
    day_dir = held.path
    old = read_manifest(day_dir)["files"]
    jobs, snapshots, status = [], {}, 0
    finished = 0
    # where the jobs publish: through OUT's descriptor here and in a pool (the very folder this run holds, by
    # its identity); by its resolved name on a farm, whose workers reach it from their own root
    dest = str(Path(os.path.realpath(top.path)) / held.shown.name) if scheduler else str(top.path / held.shown.name)
    folder = None if scheduler else held.identity

    def tell(unit: Unit | None) -> None:
        nonlocal finished
        finished += unit is not None
        if progress is not None:
            progress(finished, len(units), unit.name if unit else "")

    tell(None)
    for unit in units.values():
        entries = unit.placed([e for e in old if e["inputs"] == unit.key])
        if intact(day_dir, entries, verify):
            unit.entries, unit.how = entries, "kept"
            tell(unit)
        elif found := _elsewhere(top, held, day, unit.key, log):
            unit.entries, unit.how = unit.placed(found[1]), "linked"
            log(f"{unit.name}: the same as on {found[0]}; linked")
            tell(unit)
        else:
            campaign, style = unit.clip.campaign, unit.clip.output.style
            if (campaign.name, style) not in snapshots:
                try:
                    snapshots[campaign.name, style] = Snapshot.of(campaign, unit.clip.output)
                except (TickerError, OSError) as e:  # a picture or font that went away since it was read
                    unit.how = "failed"
                    unit.error = str(e) if isinstance(e, TickerError) else f"{campaign.path}: a file it names: {e}"
                    status = 2
                    log(f"failed: {unit.name}: {unit.error}")
                    tell(unit)
                    continue
            snapshot, source = snapshots[campaign.name, style], str(campaign.path)
            jobs.append(Job(unit.key, snapshot, unit.clip.output, day, dest, source, folder=folder))
    if jobs:
        log(f"rendering {len(jobs)} clip(s): " + ", ".join(units[j.key].name for j in jobs))

    def done(job: Job, outcome: Outcome) -> None:
        nonlocal status
        unit = units[job.key]
        if outcome.result is None:
            unit.how, unit.error = "failed", shown(outcome.error or "")
            status = max(status, outcome.status)
            log(f"failed: {unit.name}: {outcome.error}")
            if outcome.trace:
                log(outcome.trace, quiet=True, block=True)
            tell(unit)
            return
        unit.how, unit.entries = "made", _entries(unit, outcome)
        r = outcome.result
        log(f"made {unit.name}: {r.frames} frames ({r.seconds:g} s), {outcome.seconds:.1f} s to render")
        if not _write_manifest(day_dir, day, units, None, None, log):
            status = max(status, 1)
        tell(unit)

    execute(jobs, done, workers, scheduler, out=top)
    return status


def _entries(unit: Unit, outcome: Outcome) -> list[Entry]:
    r, clip = outcome.result, unit.clip
    assert r is not None
    made = [
        Entry(
            **f,
            campaign=clip.campaign.name,
            profile=r.profile,
            format=r.format,
            frames=r.frames,
            duration=r.seconds,
            loop=r.loop,
            inputs=unit.key,
        )
        for f in outcome.files
    ]
    entries = unit.placed(made)
    if r.key:
        entries[0] |= {"key": entries[1]["path"], "fill": r.fill}
        entries[1] |= {"key_of": entries[0]["path"]}
    return entries


def _elsewhere(top: Held, held: Held, day: dt.date, key: str, log: Log) -> tuple[str, list[Entry]] | None:
    """The same clip made on another day (the nearest first), linked into the day's folder: only files that are
    regular files of ticker's own with the size and SHA-256 their manifest gives (any day folder's manifest can
    be forged by whoever can write to the share; hashing costs far less than rendering again), from a day folder
    of this user's, reached through OUT's descriptor."""
    for _, name in sorted((abs((d - day).days), n) for d, n in day_names(top) if d != day):
        try:
            other = top.sub(name, what="day folder")
        except InputError:  # another user's, or swapped for a link since it was listed: not ticker's
            continue
        with other:
            entries = [e for e in read_manifest(other.path)["files"] if e["inputs"] == key]
            if not intact(other.path, entries, verify=False):
                continue
            try:
                # another day's files, each published whole under its name, the key of a pair first
                if all(
                    publish_copy(other.path / e["path"], held.path / e["path"], same_as(e)) for e in reversed(entries)
                ):
                    return name, entries
            except PublishError as e:
                log(f"{e} It is rendered instead.")
                continue
            log(f"{name}: a file its manifest lists is not the one it describes; not linked")
    return None


def _write_manifest(
    day_dir: Path,
    day: dt.date,
    units: dict[str, Unit],
    campaigns: list[Campaign] | None,
    errors: list[str] | None,
    log: Log,
    off: list[LeftOut] | None = None,
) -> bool:
    """OUT/DAY/manifest.json (ticker.files.manifest), written after each file with what is whole so far, and at the
    end of the run (`campaigns` given) with the airings; False (and logged) if it could not be written."""
    old = read_manifest(day_dir)
    files = [e for u in units.values() if u.entries for e in u.entries]
    pending = [u for u in units.values() if u.how in ("", "failed")]
    manifest: Manifest = {
        "ticker": __version__,
        "date": day.isoformat(),
        "complete": campaigns is not None and not pending and not errors,
        "files": files,
        "airings": _airings(campaigns, day, units) if campaigns is not None else old.get("airings", []),
        "failed": [
            {"campaign": u.clip.campaign.name, "file": u.name, "error": u.error or "not made yet"} for u in pending
        ],
        "errors": errors if errors is not None else old.get("errors", []),
        "unapproved": off if off is not None else old.get("unapproved", []),
    }
    try:
        write_manifest(day_dir, manifest)
    except PublishError as e:  # a full disk: the clips already made stay, the next write says them all
        log(f"error: {e}")
        return False
    return True


def _tidy(held: Held, units: dict[str, Unit], log: Log) -> None:
    """The day's folder is ticker's: what no clip of the day needs any more (a campaign's output removed, a
    clip renamed, anything planted there) goes, so that a watch folder sees only the manifest's files. It is
    tidied through the descriptor the run opened it with (never through a name swapped for a link since); a
    link is removed as a link, what it points to left alone."""
    wanted = {e["path"] for u in units.values() if u.entries for e in u.entries} | {MANIFEST, "nightly.log"}
    for name in held.names():
        if name not in wanted and not name.startswith("."):
            st = held.lstat(name)
            link = st is not None and stat.S_ISLNK(st.st_mode)
            try:
                held.remove(name)
            except OSError as e:
                log(f"error: {held.shown / name}: could not be removed ({e.strerror or e})")
                continue
            log(f"removed {name}{' (a link)' if link else ''}: no clip of the day needs it")


def _airings(campaigns: list[Campaign], day: dt.date, units: dict[str, Unit]) -> list[Airing]:
    rows: list[Airing] = []
    for campaign in campaigns:  # those on air (_on_air)
        for a in airings(campaign, day):
            files = [
                e["path"]
                for u in units.values()
                if u.entries and a.served_by(u.clip)
                for e in u.entries
                if "key_of" not in e
            ]
            rows.append(
                {
                    "campaign": campaign.name,
                    "start": a.start.isoformat(),
                    "seconds": a.slot.seconds,
                    "passes": a.slot.passes,
                    "channels": list(a.slot.channels),
                    "files": files,
                }
            )
    return sorted(rows, key=lambda r: (r["start"], r["campaign"]))
