"""`ticker watch CONFIG_DIR SOURCE --channel NAME`: the crawl found in a channel's output (ticker.watch), live
until stopped or in a recording (`--start`, the wall-clock time of its first picture), what aired written to the
records folder and said one line per airing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ticker.errors import InputError
from ticker.night import load_folder
from ticker.records import Aired, Records, Unrecognised
from ticker.station import load_station, records_folder, station_path
from ticker.stopping import Stopped
from ticker.watch import watch_recording
from ticker.watch.live import check_source, is_live, status_path, watch_live


def watch_command(args: argparse.Namespace) -> int:
    check_source(args.source)
    live = is_live(args.source)
    if not live and args.start is None:
        raise InputError(f"{args.source}: a recording needs --start, the wall-clock time of its first picture.")
    campaigns, errors = load_folder(args.config)
    for error in errors:
        print(f"ticker: {error}", file=sys.stderr)
    station = load_station(station_path(args.config, args.station))
    folder = records_folder(args.config, args.records, station)
    with Records.open(folder) as records:
        if live:
            status = args.status or status_path(folder, args.channel)
            try:
                watch_live(args.source, args.channel, lambda: load_folder(args.config)[0], records,
                           lambda text: print(f"ticker: {text}", file=sys.stderr, flush=True), status=status,
                           timezone=station.timezone if station else "Asia/Ho_Chi_Minh")  # fmt: skip
            except Stopped:
                print(f"ticker: {args.channel}: stopped; what was seen is recorded.", file=sys.stderr)
            return 0
        watched = watch_recording(Path(args.source), args.start, args.channel, campaigns, records)
    for r in watched.records:
        if isinstance(r.fact, Aired):
            f = r.fact
            print(f"{args.channel}: {f.campaign} aired {f.start} – {f.end}, {f.passes} whole pass(es)"
                  + (", the last cut off" if f.cut else "") + f" (confidence {f.confidence})")  # fmt: skip
        elif isinstance(r.fact, Unrecognised):
            print(f"{args.channel}: a band of {r.fact.campaign}'s look with other words {r.fact.start} – {r.fact.end}")
    print(f"{args.channel}: watched {watched.first.isoformat()} – {watched.last.isoformat()}; records in {folder}")
    return 2 if errors else 0
