"""`ticker report`: the facts of each campaign (ticker.reports.facts, from the records folder) written as
REPORT.docx, REPORT.html and REPORT.json (REPORT-NAME.* for each of several campaigns). The station's names
come from the station file (ticker.station). What playout says it aired (a CasparCG log, an as-run CSV) is
imported into the records first, once every input has been read and found good. Everything is read and laid
out before the first report file is written, so bad input writes nothing; each file is written whole or not
at all."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from ticker.campaign import Campaign
from ticker.errors import InputError
from ticker.files import write_atomic
from ticker.files.inputs import open_picture
from ticker.night import load_folder
from ticker.records import AsRunSource, DayCheck, Reading, Records, import_as_run, read_source, seal_over, verify
from ticker.reports.docx import make_docx
from ticker.reports.facts import campaign_facts, pick, report_paths
from ticker.reports.html import make_html
from ticker.reports.shape import Facts
from ticker.station import Station, load_station, records_folder, station_path


@dataclass(frozen=True)
class Request:
    config: Path
    output: Path
    campaign: str | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    records: Path | None = None  # default: the station file's, else CAMPAIGN_DIR/records
    station: Path | None = None  # default: CAMPAIGN_DIR/station.toml
    as_run: tuple[AsRunSource, ...] = ()
    date: dt.date | None = None
    still: Path | None = None  # a picture of the crawl on air, put in the letter's annex
    now: dt.datetime | None = None  # the moment the report counts up to (default: now)


class NoStation(InputError):
    """The report needs the station's names and there is no station file."""


def station_of(request: Request) -> Station:
    path = station_path(request.config, request.station)
    station = load_station(path)
    if station is None:
        raise NoStation(
            f"{path}: no station file: the report needs the station's name (write it as the README's "
            "'The station file' shows, or on the desk's settings page)."
        )
    return station


def still_png(path: Path) -> bytes:
    """The picture of the crawl as a PNG of ticker's own (read with the picture limits, decoded, re-encoded:
    nothing of the file but its pixels goes into the report), at most 1920 pixels wide."""
    with open_picture(path, "--still") as picture:
        try:
            rgb = picture.convert("RGB")
        except (OSError, ValueError) as e:
            raise InputError(f"{path}: is not a picture ticker can read ({e}).") from None
    if rgb.width > 1920:
        rgb = rgb.resize((1920, max(1, rgb.height * 1920 // rgb.width)))
    out = io.BytesIO()
    rgb.save(out, "PNG")
    return out.getvalue()


def _days(campaign: Campaign, request: Request) -> tuple[dt.date, dt.date]:
    return request.first or campaign.start, request.last or campaign.end


def _facts(campaign: Campaign, station: Station, records: Records | None, request: Request) -> Facts:
    first, last = _days(campaign, request)
    reading: Reading | None = None
    checks: list[DayCheck] = []
    if records is not None:
        reading = records.read(first, last)
        zone = zoneinfo.ZoneInfo(campaign.timezone)
        until = min(last, request.date or (request.now or dt.datetime.now(zone)).astimezone(zone).date())
        checks = [verify(records, first + dt.timedelta(days=n)) for n in range((until - first).days + 1)]
    return campaign_facts(
        campaign, station.as_json(), reading, first=first, last=last, date=request.date, now=request.now, checks=checks
    )


def report_facts(request: Request) -> list[tuple[Campaign, Facts]]:
    """The facts of each campaign reported on (as-run imported into the records first)."""
    if request.first and request.last and request.last < request.first:
        raise InputError(f"--to {request.last} is before --from {request.first}.")
    campaigns, errors = load_folder(request.config)
    chosen = pick(campaigns, errors, request.campaign)
    station = station_of(request)
    folder = records_folder(request.config, request.records, station)
    rows = [r for source in request.as_run for r in read_source(source, station.timezone)]
    if not rows and not os.path.lexists(folder):
        return [(c, _facts(c, station, None, request)) for c in chosen]
    with Records.open(folder, make=bool(rows)) as records:
        if rows:
            import_as_run(records, rows)
            seal_over(records, dt.datetime.now(zoneinfo.ZoneInfo(station.timezone)).date())
        return [(c, _facts(c, station, records, request)) for c in chosen]


def write_reports(request: Request) -> list[Path]:
    """Write the reports; the files written, in order."""
    campaigns, errors = load_folder(request.config)
    stems = report_paths(request.output, [c.name for c in pick(campaigns, errors, request.campaign)])
    still = still_png(request.still) if request.still is not None else None
    station_of(request)  # before the as-run is imported: a report that cannot be written records nothing
    files: list[tuple[Path, str | bytes]] = []
    for campaign, facts in report_facts(request):
        stem = stems[campaign.name]
        files += [
            (stem.with_name(stem.name + ".docx"), make_docx(facts, still)),
            (stem.with_name(stem.name + ".html"), make_html(facts, still)),
            (stem.with_name(stem.name + ".json"), json.dumps(facts, ensure_ascii=False, indent=1) + "\n"),
        ]
    for path, data in files:
        write_atomic(path, data)
    return [path for path, _ in files]
