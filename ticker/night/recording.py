"""What a night writes in the records folder (ticker.records), once its manifest is written: per campaign on
air and per channel, the files delivered with their checksums, the airings they serve, the words as they air
that day (placeholders filled) and the approval they were made under; per campaign left out, why. The words and
the approval are frozen there: what is reported later comes from this record, not from the campaign file as it
is by then. A night run again adds a new version of its delivery record; the old lines stay."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from ticker.approval.key import content_key
from ticker.campaign import Campaign, airings
from ticker.campaign.calendar import today
from ticker.campaign.placeholders import fill, has_placeholders, placeholder_values
from ticker.errors import InputError, TickerError
from ticker.files.manifest import Airing, Entry, LeftOut
from ticker.records import (
    Approved,
    DeliveredFile,
    Delivery,
    Planned,
    Record,
    Records,
    Retention,
    Source,
    retire,
    seal_over,
)
from ticker.records import LeftOut as LeftOutFact
from ticker.records.clock import host_clock


def words(campaign: Campaign, day: dt.date) -> tuple[str, ...]:
    """The messages as they air on the day."""
    values = placeholder_values(campaign, day) if has_placeholders(campaign) else None
    return tuple(fill(m.text, values) for m in campaign.messages)


def _versions(records: Records, day: dt.date) -> dict[tuple[str, str], int]:
    """The last version of each (campaign, channel) delivery the folder holds for the day."""
    last: dict[tuple[str, str], int] = {}
    for r in records.read(day, day).records:
        if r.source == Source.NIGHTLY and isinstance(r.fact, Delivery):
            key = (r.fact.campaign, r.channel)
            last[key] = max(last.get(key, 0), r.fact.version)
    return last


def night_records(
    records: Records,
    day: dt.date,
    campaigns: Iterable[Campaign],
    planned: list[Airing],
    files: list[Entry],
    off: list[LeftOut],
    complete: bool,
) -> list[Record]:
    """The night's records (module docstring): `campaigns` those on air, `planned` and `files` the manifest's."""
    versions = _versions(records, day)
    by_path = {e["path"]: e for e in files}
    found: list[Record] = []
    clock = host_clock()
    for campaign in campaigns:
        if not airings(campaign, day) and not any(a["campaign"] == campaign.name for a in planned):
            continue
        mine = [a for a in planned if a["campaign"] == campaign.name]
        channels = sorted({ch for a in mine for ch in (a["channels"] or [""])})
        a = campaign.approval
        approval = Approved(a.key, a.by, a.at.isoformat()) if a is not None else None
        for channel in channels:
            here = [x for x in mine if channel in (x["channels"] or [""])]
            names = [n for x in here for n in x["files"]]
            served = [by_path[n] for n in dict.fromkeys(names) if n in by_path]
            keys = [by_path[e["key"]] for e in served if "key" in e and e["key"] in by_path]
            unserved = [x["start"][11:16] for x in here if not x["files"]]
            whole = complete and not unserved
            reason: Literal["", "files missing", "unfinished"] = (
                "" if whole else "files missing" if unserved else "unfinished"
            )
            delivery = Delivery(
                campaign=campaign.name,
                title=campaign.title,
                version=versions.get((campaign.name, channel), 0) + 1,
                words=words(campaign, day),
                key=content_key(campaign),
                approval=approval,
                airings=tuple(Planned(x["start"], x["seconds"], x["passes"], tuple(x["files"])) for x in here),
                files=tuple(DeliveredFile(e["path"], e["sha256"], e["bytes"]) for e in served + keys),
                complete=whole,
                reason=reason,
            )
            found.append(Record(Source.NIGHTLY, channel, day, delivery, clock))
    for left in off:
        fact = LeftOutFact(left["campaign"], left.get("why", "not approved"))
        found.append(Record(Source.NIGHTLY, "", day, fact, clock))
    return found


def record_night(
    kept: Records,
    day: dt.date,
    campaigns: list[Campaign],
    planned: list[Airing],
    files: list[Entry],
    off: list[LeftOut],
    complete: bool,
    log: Callable[..., None],
    timezone: str,
    retention: Retention,
) -> bool:
    """The night's records written, the days that are over sealed, what the retention lets go removed; False
    (and logged) if they could not be written: the files stay delivered."""
    try:
        lines = night_records(kept, day, campaigns, planned, files, off, complete)
        kept.append(lines)
        seal_over(kept, today(timezone))
        # counted back from the day made, as the playout tree's folders are: a night made for a past day keeps
        # the records of the days around it
        for said in retire(kept, min(day, today(timezone)), keep_days=retention.keep_days,
                           keep_evidence_days=retention.keep_evidence_days, quota=retention.quota):  # fmt: skip
            log(said, quiet=True)
    except TickerError as e:
        log(f"error: {e}")
        return False
    log(f"recorded {len(lines)} line(s) in {kept.shown}")
    return True


def apart(records: Path, out: Path) -> None:
    """The records are kept apart from the playout tree: neither inside the other (a clean-up of the clips, or
    an inserter's watch folder, never reaches them)."""
    r, o = Path(os.path.realpath(records)), Path(os.path.realpath(out))
    if r == o or o in r.parents or r in o.parents:
        raise InputError(
            f"--records {records}: is inside the output folder {out} (or holds it); keep the records in a folder "
            "of their own, apart from the clips."
        )
