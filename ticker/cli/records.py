"""`ticker records RECORDS_DIR ACTION`: the records folder (ticker.records) from the command line: verify its
seals day by day, import what playout says it aired, export the airings as a CSV, seal the days that are over,
and remove what it keeps no longer."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import zoneinfo

from ticker.errors import InputError
from ticker.files import write_atomic
from ticker.records import (
    Records,
    as_run_source,
    export_csv,
    import_as_run,
    read_source,
    retire,
    seal_over,
    verify,
)


def records_command(args: argparse.Namespace) -> int:
    """Run the action; 1 when `verify` finds a day altered (or one it cannot check), else 0."""
    action = args.records_command
    if getattr(args, "first", None) and getattr(args, "last", None) and args.last < args.first:
        raise InputError(f"--to {args.last} is before --from {args.first}.")
    if action == "export" and not args.output.parent.is_dir():
        raise InputError(f"-o {args.output}: the folder {args.output.parent} does not exist; make it first.")
    source = as_run_source(args.source, args.channel) if action == "import" else None
    rows = read_source(source, args.timezone) if source is not None else []  # read before the folder is made
    with Records.open(args.records, make=action == "import") as records:
        if action == "verify":
            return _verify(records, args.first, args.last)
        if action == "import":
            added = import_as_run(records, rows)
            print(f"{args.source}: {added} of {len(rows)} lines added to {args.records}.")
        elif action == "export":
            reading = records.read(args.first, args.last)
            for problem in reading.problems:
                print(f"ticker: {problem}", file=sys.stderr)
            write_atomic(args.output, export_csv(reading, args.channel))
            print(args.output)
        elif action == "seal":
            today = dt.datetime.now(zoneinfo.ZoneInfo(args.timezone)).date()
            seal_over(records, today)
            print(f"{args.records}: the days before {today} are sealed.")
        else:
            today = dt.datetime.now(zoneinfo.ZoneInfo(args.timezone)).date()
            said = retire(
                records,
                today,
                keep_days=args.keep_records_days,
                keep_evidence_days=args.keep_evidence_days,
                quota=args.quota,
            )
            for sentence in said or [f"{args.records}: nothing to remove."]:
                print(sentence)
    return 0


def _verify(records: Records, first: dt.date | None, last: dt.date | None) -> int:
    """A line per day: unchanged (with its last chain), altered and how, or not sealed."""
    altered = False
    for day in records.days():
        if (first and day < first) or (last and day > last):
            continue
        try:
            check = verify(records, day)
        except InputError as e:
            print(f"{day}: cannot be checked: {e}")
            altered = True
            continue
        altered |= check.state == "altered"
        if check.state == "unchanged":
            print(f"{day}: unchanged, chain {check.chain}" + "".join(f"; {s}" for s in check.said))
        elif check.state == "altered":
            print(f"{day}: altered: {'; '.join(check.said)}")
        else:
            print(f"{day}: not sealed")
    return 1 if altered else 0
