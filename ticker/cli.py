"""The command line: parse, call the library, print, map errors to exit codes. No logic of its own."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ticker import __version__
from ticker.config import FORMAT_IDS, load_campaign
from ticker.errors import InputError, TickerError
from ticker.profiles import PROFILES
from ticker.render import file_name, look_for, outputs_for, place_band, plan_for, prepare, render
from ticker.strip import rasterise
from ticker.text import layout_engine


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ticker", description="Broadcast crawls (chạy chữ) for Vietnamese TV.")
    p.add_argument("--version", action="version", version=f"ticker {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("render", help="render the campaign's clips")
    r.add_argument("config", type=Path, metavar="CONFIG", help="campaign file (TOML)")
    r.add_argument("-o", "--output-dir", type=Path, default=Path("out"), metavar="DIR",
                   help="where the files go (default: ./out)")
    r.add_argument("--profile", choices=list(PROFILES), metavar="ID", help="one of: " + ", ".join(PROFILES))
    r.add_argument("--format", choices=FORMAT_IDS, metavar="FMT", help="one of: " + ", ".join(FORMAT_IDS))
    timing = r.add_mutually_exclusive_group()
    timing.add_argument("--loop", action="store_true", help="exactly one period of the crawl, seamless")
    timing.add_argument("--seconds", type=float, metavar="S", help="exactly S seconds, from and to an empty band")
    r.add_argument("--speed", type=float, metavar="PX_PER_S", help="stored pixels per second (overrides motion)")
    text = r.add_mutually_exclusive_group()
    text.add_argument("--text", help="crawl this text instead of the campaign's messages")
    text.add_argument("--text-file", type=Path, metavar="PATH", help="crawl the text of this UTF-8 file")
    r.add_argument("--json", action="store_true", help="print one JSON object describing the outputs")

    c = sub.add_parser("check", help="validate a campaign (file, text, glyphs) without rendering")
    c.add_argument("config", type=Path, metavar="CONFIG")

    sub.add_parser("profiles", help="list the picture formats")
    return p


def _messages(args) -> tuple[list[str] | None, str | None]:
    if args.text is not None:
        return [args.text], "--text"
    if args.text_file is not None:
        try:
            return [args.text_file.read_text(encoding="utf-8")], str(args.text_file)
        except UnicodeDecodeError as e:
            raise InputError(f"{args.text_file}: not UTF-8 text (byte {e.start}).") from None
        except OSError as e:
            raise InputError(f"{args.text_file}: cannot be read ({e.strerror}).") from None
    return None, None


def cmd_render(args) -> int:
    if args.speed is not None and not 1 <= args.speed <= 5000:
        raise InputError(f"--speed {args.speed:g}: must be between 1 and 5000 stored pixels a second.")
    if args.seconds is not None and not 1 <= args.seconds <= 24 * 3600:
        raise InputError(f"--seconds {args.seconds:g}: must be between 1 and 86400.")
    campaign = load_campaign(args.config)
    crawl = prepare(campaign, *_messages(args))
    outputs = outputs_for(campaign, profile=args.profile, fmt=args.format, loop=args.loop, seconds=args.seconds)
    progress = sys.stderr.isatty() and not args.json
    results = []
    for output in outputs:
        result = render(crawl, output, args.output_dir, speed=args.speed, progress=progress)
        results.append(result)
        if not args.json:
            timing = "loop" if result.loop else f"{result.passes} passes"
            print(f"{result.path}: {result.frames} frames at {result.fps:g} fps ({result.seconds:g} s, {timing}), "
                  f"{result.speed_px_per_s:g} px/s, gap {result.gap_px:g} px")
    if args.json:
        keys = ("path", "profile", "format", "frames", "fps", "width", "height", "interlaced", "loop",
                "speed_px_per_s", "seconds")
        print(json.dumps({"outputs": [{k: r.as_json()[k] for k in keys} for r in results]}, ensure_ascii=False))
    return 0


def cmd_check(args) -> int:
    campaign = load_campaign(args.config)
    crawl = prepare(campaign)
    print(f"{campaign.path}: campaign {campaign.name!r}, {campaign.start} to {campaign.end}, "
          f"{len(campaign.messages)} message(s), {len(crawl.text)} characters")
    print(f"layout engine: {layout_engine()}; font: {crawl.font_path.name}")
    for output in outputs_for(campaign):
        profile = PROFILES[output.profile]
        cov = rasterise(crawl.text, look_for(crawl, profile))
        plan = plan_for(crawl, output, cov)
        band = place_band(crawl, profile, cov.height)
        print(f"{file_name(campaign, output)}: band {band.height} lines at line {band.y}, "
              f"{plan.frames} frames ({plan.seconds:g} s), {plan.speed:g} px/s")
    print("ok")
    return 0


def cmd_profiles(args) -> int:
    print(f"{'id':<12}{'size':<11}{'rate':<7}{'scan':<29}{'aspect':<8}sar")
    for p in PROFILES.values():
        print(f"{p.id:<12}{f'{p.width}x{p.height}':<11}{str(p.rate):<7}{p.scan:<29}{p.dar:<8}"
              f"{p.sar.numerator}:{p.sar.denominator}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"render": cmd_render, "check": cmd_check, "profiles": cmd_profiles}[args.command](args)
    except TickerError as e:
        print(f"ticker: {e}", file=sys.stderr)
        return e.exit_status
    except KeyboardInterrupt:
        print("ticker: interrupted; nothing was published.", file=sys.stderr)
        return 130
