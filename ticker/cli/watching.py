"""`ticker watch CONFIG_DIR RECORDING --channel NAME --start TIME`: the crawl found in a recording of a channel's
output (ticker.watch), what aired written to the records folder, and said one line per airing."""

from __future__ import annotations

import argparse
import sys

from ticker.night import load_folder
from ticker.records import Aired, Records, Unrecognised
from ticker.station import load_station, records_folder, station_path
from ticker.watch import watch_recording


def watch_command(args: argparse.Namespace) -> int:
    campaigns, errors = load_folder(args.config)
    for error in errors:
        print(f"ticker: {error}", file=sys.stderr)
    station = load_station(station_path(args.config, args.station))
    folder = records_folder(args.config, args.records, station)
    with Records.open(folder) as records:
        watched = watch_recording(args.source, args.start, args.channel, campaigns, records)
    for r in watched.records:
        if isinstance(r.fact, Aired):
            f = r.fact
            print(f"{args.channel}: {f.campaign} aired {f.start} – {f.end}, {f.passes} whole pass(es)"
                + (", the last cut off" if f.cut else "") + f" (confidence {f.confidence})")  # fmt: skip
        elif isinstance(r.fact, Unrecognised):
            print(f"{args.channel}: a band of {r.fact.campaign}'s look with other words {r.fact.start} – {r.fact.end}")
    print(f"{args.channel}: watched {watched.first.isoformat()} – {watched.last.isoformat()}; records in {folder}")
    return 2 if errors else 0
