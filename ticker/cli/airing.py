"""`ticker air CONFIG_DIR --channel NAME --in SOURCE --out DEST -o OUT`: the approved crawl put into a live
channel at its minute (ticker.air), the night's published clips composited, what was inserted recorded; `--check`
says what keeps the set-up from airing, sending nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ticker.air import check_setup
from ticker.air.intake import input_problems
from ticker.air.plan import SRT_NOTE
from ticker.air.service import air
from ticker.air.switch import switch
from ticker.errors import InputError
from ticker.media import PROFILES
from ticker.records import Records
from ticker.records.clock import host_clock
from ticker.station import load_station, records_folder, station_path
from ticker.stopping import Stopped


def air_command(args: argparse.Namespace) -> int:
    station_file = station_path(args.config, args.station)
    if args.off or args.on:
        return _switch(args, station_file)
    for flag, given in (("--in", args.source), ("--out", args.dest), ("-o", args.output)):
        if given is None:
            raise InputError(f"{flag}: ticker air needs it (or --check, --off, --on).")
    clock = host_clock()
    problems = check_setup(station_file, args.channel, clock=clock, source=args.source)
    refusing = [p for p in problems if "clock" not in p]  # the clock is said, and recorded with each airing
    if args.check and not refusing:  # the set-up can air: the input itself looked at
        station = load_station(station_file)
        ch = station.channel(args.channel) if station else None
        if ch is not None and ch.picture is not None:
            problems += input_problems(args.source, args.service, PROFILES[ch.picture].interlaced)
    if args.check:
        for p in problems:
            print(f"ticker: {p}", file=sys.stderr)
        if args.source.startswith("srt://"):
            print(f"ticker: {SRT_NOTE}", file=sys.stderr)
        if not problems:
            print(f"{args.channel}: the set-up can air (station file, channel, clock {clock.sync})")
        return 2 if problems else 0
    if refusing:
        raise InputError(refusing[0])
    for p in problems:
        print(f"ticker: warning: {p}", file=sys.stderr)
    station = load_station(station_file)
    assert station is not None  # check_setup refused a missing station file
    say = lambda text: print(f"ticker: {text}", file=sys.stderr, flush=True)  # noqa: E731
    with Records.open(records_folder(args.config, args.records, station)) as records:
        try:
            sent = air(args.config, args.output, args.channel, station, args.source, args.dest, records, say,
                       advance=args.advance, service=args.service, instance=args.instance)  # fmt: skip
        except Stopped:
            say(f"{args.channel}: stopped; what was inserted is recorded.")
            return 0
    say(f"{args.channel}: stopped after {sent} pictures; what was inserted is recorded.")
    return 0


def _switch(args: argparse.Namespace, station_file: Path) -> int:
    """`--off` / `--on`: the crawl taken off the channel now, or put back; the running ticker air reads it within
    a second (ticker.air.switch)."""
    if args.off and args.on:
        raise InputError("--off and --on: give one.")
    if not args.by or not args.by.strip():
        raise InputError(f"--{'off' if args.off else 'on'}: --by NAME says who, for the audit trail.")
    station = load_station(station_file)
    if station is None or station.channel(args.channel) is None:
        raise InputError(f"{station_file}: names no channel {args.channel!r}.")
    with Records.open(records_folder(args.config, args.records, station)) as records:
        switch(records.held.path, args.config, args.channel, args.by.strip(), args.off)
    print(f"{args.channel}: the crawl is {'off now' if args.off else 'on again'} (by {args.by.strip()})")
    return 0
