"""`ticker watch CONFIG_DIR SOURCE --channel NAME`: the crawl found in a channel's output (ticker.watch), live
until stopped or in a recording (`--start`, the wall-clock time of its first picture), what aired written to the
records folder and said one line per airing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ticker.errors import InputError
from ticker.files import inputs
from ticker.night import load_folder
from ticker.records import Aired, Records, Unrecognised
from ticker.station import load_station, records_folder, station_path
from ticker.stopping import Stopped
from ticker.watch import Srt, accounts, check_source, is_live, status_path, watch_live, watch_recording


def watch_command(args: argparse.Namespace) -> int:
    check_source(args.source)
    live = is_live(args.source)
    srt = _srt(args)
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
                           timezone=station.timezone if station else "Asia/Ho_Chi_Minh", service=args.service,
                           srt=srt, quota=args.evidence_quota)  # fmt: skip
            except Stopped:
                print(f"ticker: {args.channel}: stopped; what was seen is recorded.", file=sys.stderr)
            return 0
        watched = watch_recording(Path(args.source), args.start, args.channel, campaigns, records, args.service,
                                  args.evidence_quota, lambda text: print(f"ticker: {args.channel}: {text}",
                                                                          file=sys.stderr))  # fmt: skip
    for r in watched.records:
        if isinstance(r.fact, Aired):
            f = r.fact
            print(f"{args.channel}: {f.campaign} aired {f.start} – {f.end}, {f.passes} whole pass(es)"
                  + (", the last cut off" if f.cut else "") + f" (confidence {f.confidence})")  # fmt: skip
        elif isinstance(r.fact, Unrecognised):
            print(f"{args.channel}: a band of {r.fact.campaign}'s look with other words {r.fact.start} – {r.fact.end}")
    for a in accounts(campaigns, args.channel, watched.records):
        if a.state == "missed":
            print(f"{args.channel}: {a.campaign}'s airing of {a.start:%H:%M} was not seen on air: missed")
        else:
            print(f"{args.channel}: {a.campaign} aired at {a.start:%H:%M:%S} with no airing scheduled near it: extra")
    print(f"{args.channel}: watched {watched.first.isoformat()} – {watched.last.isoformat()}; records in {folder}")
    return 2 if errors else 0


def _srt(args: argparse.Namespace) -> Srt | None:
    """SRT's options, refused for another source; the passphrase read from its file (10 to 79 characters, as
    SRT takes it)."""
    given = [f for f in ("srt_mode", "srt_latency", "srt_passphrase_file") if getattr(args, f) is not None]
    if not given:
        return None
    if not args.source.startswith("srt://"):
        flag = "--" + given[0].replace("_", "-")
        raise InputError(f"{flag}: is for an srt:// source, not {args.source}.")
    passphrase = None
    if args.srt_passphrase_file is not None:
        data = inputs.read_input(args.srt_passphrase_file, "passphrase file", 1024)
        try:
            passphrase = data.decode("utf-8").strip()
        except UnicodeDecodeError:
            passphrase = ""
        if not 10 <= len(passphrase) <= 79 or not passphrase.isprintable():
            raise InputError(f"{args.srt_passphrase_file}: an SRT passphrase is 10 to 79 printable characters.")
    return Srt(args.srt_mode, args.srt_latency, passphrase)
