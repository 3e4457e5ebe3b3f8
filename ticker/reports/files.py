"""`ticker report`: the facts of each campaign (ticker.reports.facts) written as REPORT.docx, REPORT.html and
REPORT.json (REPORT-NAME.* for each of several campaigns). Everything is read and laid out before the first
file is written, so bad input writes nothing; each file is written whole or not at all."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

from ticker.campaign import load_campaign
from ticker.campaign.operator import Operator
from ticker.errors import InputError
from ticker.files import write_atomic
from ticker.files.inputs import open_picture
from ticker.night import load_folder
from ticker.records import read_as_run
from ticker.reports.docx import make_docx
from ticker.reports.facts import AsRun, as_run_rows, campaign_facts, pick, report_paths
from ticker.reports.html import make_html


@dataclass(frozen=True)
class Request:
    config: Path
    output: Path
    campaign: str | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    out: Path | None = None
    as_run: Path | None = None
    house: Path | None = None
    operator: str | None = None
    operator_short: str | None = None
    date: dt.date | None = None
    still: Path | None = None  # a picture of the crawl on air, put in the letter and the page


def operator_for(request: Request) -> Operator | None:
    """The --operator options, else the house file's [operator]; None when neither says (the campaign's own
    [operator] is used then)."""
    house = None
    if request.house is not None:
        house = load_campaign(request.house).operator
        if house is None:
            raise InputError(f"--house {request.house}: has no [operator] table (name, short, place, signer_title).")
    if request.operator is not None:
        if not request.operator.strip():
            raise InputError("--operator: give the name of the station or company that reports.")
        base = house or Operator(request.operator.strip())
        return Operator(
            request.operator.strip(), request.operator_short or base.short, base.place, base.signer_title, base.signer
        )
    if house is not None and request.operator_short is not None:
        return Operator(house.name, request.operator_short, house.place, house.signer_title, house.signer)
    return house


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


def write_reports(request: Request) -> list[Path]:
    """Write the reports; the files written, in order."""
    if request.first and request.last and request.last < request.first:
        raise InputError(f"--to {request.last} is before --from {request.first}.")
    if request.out is not None and not request.out.is_dir():
        raise InputError(f"--out {request.out}: no such folder (the nightly run's output folder).")
    operator = operator_for(request)
    campaigns, errors = load_folder(request.config)
    chosen = pick(campaigns, errors, request.campaign)
    stems = report_paths(request.output, [c.name for c in chosen])
    as_run: dict[str, list[AsRun]] = {}  # by timezone: a time without an offset is the campaign's
    for campaign in chosen:
        if request.as_run is not None and campaign.timezone not in as_run:
            as_run[campaign.timezone] = as_run_rows(read_as_run(request.as_run, campaign.timezone))
    still = still_png(request.still) if request.still is not None else None
    files: list[tuple[Path, str | bytes]] = []
    for campaign in chosen:
        who = operator or campaign.operator
        if who is None:
            raise InputError(
                "who reports? give --house FILE (a campaign file with an [operator] table) or --operator NAME."
            )
        rows = as_run.get(campaign.timezone) if request.as_run is not None else None
        facts = campaign_facts(campaign, who, request.first, request.last, request.out, rows, request.date)
        stem = stems[campaign.name]
        files += [
            (stem.with_name(stem.name + ".docx"), make_docx(facts, still)),
            (stem.with_name(stem.name + ".html"), make_html(facts, still)),
            (stem.with_name(stem.name + ".json"), json.dumps(facts, ensure_ascii=False, indent=1) + "\n"),
        ]
    for path, data in files:
        write_atomic(path, data)
    return [path for path, _ in files]
