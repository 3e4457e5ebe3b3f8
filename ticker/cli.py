"""The command line: parse, call the library, print, map errors to exit codes. No logic of its own."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from ticker import __version__
from ticker.config import DEFAULT_TIMEZONE, FILLS, FORMAT_IDS, load_campaign, zone_problem
from ticker.errors import InputError, TickerError
from ticker.profiles import PROFILES
from ticker.legacy import ENCODINGS, detect, to_unicode
from ticker.nightly import day_rows, load_folder, nightly, print_schedule, schedule_days, tomorrow
from ticker.proof import make_proof
from ticker.qc import check_files
from ticker.schedule import expand
from ticker.render import check_output, outputs_for, prepare, probe_programme, render, survey
from ticker.sink import AUDIO_CODECS, Delivery
from ticker.targets import TARGETS
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
    r.add_argument("--strict", action="store_true", help="refuse to render when there are readability warnings")
    r.add_argument("--straight", action="store_true",
                   help="encode every frame of a timed clip instead of copying one encoded period")
    d = r.add_argument_group("delivery")
    d.add_argument("--over", type=Path, metavar="FILE",
                   help="programme video or still picture to burn the crawl into (ts-h264, ts-mpeg2)")
    d.add_argument("--fill", choices=FILLS, help="fill of a fill+key pair (default: premultiplied)")
    d.add_argument("--target", choices=list(TARGETS), help="the inserter the files are for: its naming, numbering "
                   "and formats (" + ", ".join(TARGETS) + ")")
    d.add_argument("--service-name", metavar="NAME", help="DVB service name of a transport stream")
    d.add_argument("--service-provider", metavar="NAME", help="DVB service provider")
    d.add_argument("--service-id", type=_number, metavar="N", help="DVB service (programme) number")
    d.add_argument("--pmt-pid", type=_pid, metavar="PID", help="PMT PID (default 0x1000)")
    d.add_argument("--video-pid", type=_pid, metavar="PID", help="video PID (default 0x100)")
    d.add_argument("--audio-pid", type=_pid, metavar="PID", help="audio PID (default 0x101)")
    d.add_argument("--audio-codec", choices=AUDIO_CODECS, help="programme sound in a transport stream (default mp2)")
    d.add_argument("--video-bitrate", type=_bitrate, metavar="RATE", help="constant video bit rate, e.g. 12M")
    d.add_argument("--timecode", metavar="HH:MM:SS:FF", type=_timecode, help="start timecode of MXF files")

    q = sub.add_parser("qc", help="check files as a headend would: frames, flags, levels, seam")
    q.add_argument("files", type=Path, nargs="+", metavar="FILE")
    q.add_argument("--profile", choices=list(PROFILES), metavar="ID", help="what the file should be")
    q.add_argument("--format", choices=FORMAT_IDS, metavar="FMT", help="what the file should be")
    qt = q.add_mutually_exclusive_group()
    qt.add_argument("--frames", type=_number, metavar="N", help="frames the file should hold")
    qt.add_argument("--seconds", type=float, metavar="S", help="length the file should have")
    q.add_argument("--loop", action="store_true", help="check the seam of a loop")
    q.add_argument("--json", action="store_true", help="print the reports as JSON")

    s = sub.add_parser("schedule", help="what airs when across the campaign windows, and which file serves it")
    s.add_argument("config", type=Path, metavar="CONFIG_DIR", help="folder of campaign files (or one file)")
    s.add_argument("--from", dest="first", type=_date, metavar="D", help="first day (default: the first window's)")
    s.add_argument("--to", dest="last", type=_date, metavar="D", help="last day (default: the last window's)")
    s.add_argument("--json", action="store_true", help="print the days as JSON")

    n = sub.add_parser("nightly", help="render what a day needs, unattended: once per content, locked, manifest")
    n.add_argument("config", type=Path, metavar="CONFIG_DIR", help="folder of campaign files (or one file)")
    n.add_argument("-o", "--output-dir", type=Path, required=True, metavar="OUT",
                   help="files go to OUT/YYYY-MM-DD/ with manifest.json and nightly.log")
    n.add_argument("--date", type=_date, metavar="D", help="the day to make (default: tomorrow in --timezone)")
    n.add_argument("--timezone", default=DEFAULT_TIMEZONE, type=_zone, metavar="TZ",
                   help=f"where 'tomorrow' is (default {DEFAULT_TIMEZONE})")
    n.add_argument("--jobs", type=_positive, default=1, metavar="N", help="render N clips at a time (processes)")
    n.add_argument("--scheduler", metavar="ADDRESS", help="render on a Dask cluster (tcp://host:8786)")
    n.add_argument("--keep-days", type=_number, default=14, metavar="N",
                   help="remove day folders more than N days before the day made (default 14)")
    n.add_argument("--verify", action="store_true", help="checksum kept files instead of comparing their sizes")

    v = sub.add_parser("preview", help="a preview clip, contact sheet and proof page for those who approve the crawl")
    v.add_argument("config", type=Path, metavar="CONFIG", help="campaign file (TOML)")
    v.add_argument("-o", "--output-dir", type=Path, default=Path("preview"), metavar="DIR",
                   help="where the files go (default: ./preview)")
    v.add_argument("--over", type=Path, metavar="IMAGE|VIDEO",
                   help="a frame grab of the channel (or a video: a frame of it) to crawl over")
    v.add_argument("--profile", choices=list(PROFILES), metavar="ID",
                   help="whose look to preview (default: the campaign's first output's)")
    v.add_argument("--date", type=_date, metavar="D", help="fill the messages' placeholders for this day")

    c = sub.add_parser("check", help="validate a campaign (file, text, glyphs, readability) without rendering")
    c.add_argument("config", type=Path, metavar="CONFIG")
    c.add_argument("--strict", action="store_true", help="exit 2 when there are warnings")
    for command in (r, c):
        command.add_argument("--date", type=_date, metavar="D",
                             help="fill the messages' placeholders for this day (default: today)")

    t = sub.add_parser("text", help="clean up pasted Vietnamese text (legacy encodings, NFD)")
    tsub = t.add_subparsers(dest="text_command", required=True, metavar="ACTION")
    for name, what in (("fix", "print the text as clean NFC Unicode"),
                       ("detect", "say which encoding the text is in and how sure that is")):
        a = tsub.add_parser(name, help=what)
        a.add_argument("file", type=Path, metavar="FILE", help="the text ('-' for standard input)")
        a.add_argument("--from", dest="encoding", choices=ENCODINGS, metavar="ENC",
                       help="the encoding, when known: " + ", ".join(ENCODINGS))

    sub.add_parser("profiles", help="list the picture formats")
    return p


def _number(text: str) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def _positive(text: str) -> int:
    value = _number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not at least 1")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _zone(text: str) -> str:
    if problem := zone_problem(text):
        raise argparse.ArgumentTypeError(f"{text!r} {problem}")
    return text


def _pid(text: str) -> int:
    value = _number(text)
    if not 0x10 <= value <= 0x1FFE:
        raise argparse.ArgumentTypeError(f"{text!r} is not a PID a service may use (0x10 to 0x1FFE)")
    return value


def _bitrate(text: str) -> int:
    scale = {"k": 1_000, "M": 1_000_000}.get(text[-1:], 1)
    try:
        value = float(text[:-1] if scale != 1 else text) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a bit rate (like 12M or 4500k)") from None
    if not 500_000 <= value <= 80_000_000:
        raise argparse.ArgumentTypeError(f"{text!r} is outside 500k to 80M")
    return int(value)


def _timecode(text: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d[:;]([01]\d|2[0-4])", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a timecode HH:MM:SS:FF at 25 frames a second")
    return text


def _delivery(args) -> Delivery:
    given = dict(service_name=args.service_name, service_provider=args.service_provider,
                 service_id=args.service_id, pmt_pid=args.pmt_pid, video_pid=args.video_pid,
                 audio_pid=args.audio_pid, audio_codec=args.audio_codec, video_bitrate=args.video_bitrate,
                 timecode=args.timecode)
    delivery = Delivery(**{k: v for k, v in given.items() if v is not None})
    pids = [delivery.pmt_pid, delivery.video_pid, delivery.audio_pid]
    if len(set(pids)) < 3:
        raise InputError(f"--pmt-pid, --video-pid and --audio-pid must differ (they are {', '.join(map(hex, pids))}).")
    return delivery


def _messages(args) -> tuple[list[str] | None, str | None]:
    if args.text is not None:
        return [args.text], "--text"
    if args.text_file is not None:
        data = _read_text(args.text_file)
        try:
            return [data.decode("utf-8")], str(args.text_file)
        except UnicodeDecodeError as e:
            found = detect(data)  # the raw bytes of a file typed in a legacy encoding
            if not found.converted:
                raise InputError(f"{args.text_file}: neither UTF-8 (byte {e.start}) nor a legacy Vietnamese "
                                 f"encoding ticker recognises ({found.reason}).") from None
            print(f"ticker: note: {args.text_file}: converted from {found.encoding}: {found.reason}",
                  file=sys.stderr)
            return [found.text], str(args.text_file)
    return None, None


def _report(crawls, surveys, strict: bool, stream) -> None:
    """Conversions made and readability warnings; with --strict, warnings stop everything (exit 2)."""
    for note in dict.fromkeys(n for c in crawls for n in c.notes):
        print(f"ticker: note: {note}", file=stream)
    warnings = list(dict.fromkeys([*(w for c in crawls for w in c.warnings),
                                   *(w for sv in surveys for w in sv.warnings)]))
    for warning in warnings:
        print(f"ticker: warning: {warning}", file=stream)
    if strict and warnings:
        raise InputError(f"{len(warnings)} warning(s), and --strict makes them errors: nothing was rendered.")


def cmd_render(args) -> int:
    if args.speed is not None and not 1 <= args.speed <= 5000:
        raise InputError(f"--speed {args.speed:g}: must be between 1 and 5000 stored pixels a second.")
    if args.seconds is not None and not 1 <= args.seconds <= 24 * 3600:
        raise InputError(f"--seconds {args.seconds:g}: must be between 1 and 86400.")
    campaign = load_campaign(args.config)
    outputs = expand(campaign, outputs_for(campaign, profile=args.profile, fmt=args.format, loop=args.loop,
                                           seconds=args.seconds, fill=args.fill, target=args.target))
    delivery = _delivery(args)
    for output in outputs:  # every output's options are checked before the first file is written
        check_output(output, delivery, args.over)
    if args.over is not None:
        probe_programme(args.over)
    crawls = _crawls(campaign, outputs, *_messages(args), day=args.date)
    _report(crawls.values(), [survey(crawls[o.style], o, args.speed) for o in outputs], args.strict, sys.stderr)
    progress = sys.stderr.isatty() and not args.json
    results = []
    for output in outputs:
        result = render(crawls[output.style], output, args.output_dir, speed=args.speed, progress=progress,
                        over=args.over, delivery=delivery, straight=args.straight)
        results.append(result)
        if result.note:
            print(f"ticker: note: {Path(result.path).name}: {result.note}", file=sys.stderr)
        if not args.json:
            timing = ("loop" if result.loop else f"{result.passes} pass" + "es" * (result.passes != 1) if result.passes
                      else "over the programme")
            copied = f", {result.encoded} encoded and the rest copied" if result.encoded < result.frames else ""
            key = f" (key {result.key}, {result.fill} fill)" if result.key else ""
            print(f"{result.path}{key}: {result.frames} frames at {result.fps:g} fps ({result.seconds:g} s, "
                  f"{timing}{copied}), {result.speed_px_per_s:g} px/s, gap {result.gap_px:g} px")
    if args.json:
        keys = ("path", "key", "fill", "target", "profile", "format", "frames", "encoded", "fps", "width", "height",
                "interlaced", "loop", "speed_px_per_s", "seconds", "band_y", "band_height", "crawl", "layers",
                "qr_url")
        print(json.dumps({"outputs": [{k: r.as_json()[k] for k in keys} for r in results]}, ensure_ascii=False))
    return 0


def _crawls(campaign, outputs, messages=None, source=None, day=None) -> dict:
    """The crawl prepared for each style the outputs use (None: the campaign's [style])."""
    return {o.style: prepare(campaign, messages, source, campaign.style_for(o), day) for o in outputs}


def cmd_check(args) -> int:
    campaign = load_campaign(args.config)
    outputs = expand(campaign, outputs_for(campaign))
    for output in outputs:
        check_output(output, need_over=False)
    crawls = _crawls(campaign, outputs, day=args.date)
    crawl = next(iter(crawls.values()))
    print(f"{campaign.path}: campaign {campaign.name!r}, {campaign.start} to {campaign.end}, "
          f"{len(campaign.messages)} message(s), {len(crawl.text)} characters")
    fallback = f", fallback {crawl.fallback_path.name}" if crawl.fallback_path else ""
    print(f"layout engine: {layout_engine()}; font: {crawl.font_path.name}{fallback}")
    print(f"text: {crawl.text}")
    if crawl.qr_url:
        print(f"QR code: {crawl.qr_url}")
    surveys = []
    for output in outputs:
        sv = survey(crawls[output.style], output)
        surveys.append(sv)
        layers = "".join(f", {name} at x={box[0]}" for name, box in sv.scene.boxes)
        print(f"{sv.figures.name}: band {sv.scene.band_height} lines at line {sv.scene.band_y}{layers}, "
              f"{sv.plan.frames} frames ({sv.plan.seconds:g} s), {sv.plan.speed:g} px/s")
        print(f"  {sv.figures.line()}")
    _report(crawls.values(), surveys, args.strict, sys.stdout)
    print("ok")
    return 0


def _read_text(path: Path) -> bytes:
    try:
        return sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror}).") from None


def cmd_text(args) -> int:
    data = _read_text(args.file)
    if args.encoding:
        try:  # pasted characters saved as UTF-8, or else the raw bytes of a legacy file
            text, found = to_unicode(data.decode("utf-8"), args.encoding), None
        except UnicodeDecodeError:
            text, found = to_unicode(data, args.encoding), None
    else:
        found = detect(data)
        text = found.text
    if args.text_command == "detect":
        if found is None:
            print(f"{args.file}: {args.encoding} (as given)")
        else:
            state = "converted" if found.converted else "left as it is"
            print(f"{args.file}: {found.encoding}, confidence {found.confidence:.2f}, {state}: {found.reason}")
        return 0
    if found is not None and not found.converted and found.encoding not in ("unicode", "nfd"):
        raise InputError(f"{args.file}: cannot tell what the text is in ({found.reason}); "
                         f"say it with --from.")
    if found is not None and found.converted:
        print(f"ticker: note: {args.file}: converted from {found.encoding}: {found.reason}", file=sys.stderr)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_qc(args) -> int:
    if args.seconds is not None and args.seconds <= 0:
        raise InputError(f"--seconds {args.seconds:g}: must be more than 0.")
    reports = check_files(args.files, profile=args.profile, fmt=args.format, frames=args.frames,
                          seconds=args.seconds, loop=args.loop)
    if args.json:
        print(json.dumps({"files": [r.as_json() for r in reports]}, ensure_ascii=False))
    else:
        for r in reports:
            print("\n".join(r.lines()))
    return 0 if all(r.ok for r in reports) else 1


def cmd_preview(args) -> int:
    campaign = load_campaign(args.config)
    data, paths = make_proof(campaign, args.output_dir, over=args.over, profile=args.profile, day=args.date)
    for note in data["notes"]:
        print(f"ticker: note: {note}", file=sys.stderr)
    for o in data["outputs"]:
        for w in o["warnings"]:
            print(f"ticker: warning: {w}", file=sys.stderr)
    for path in paths:
        print(path)
    return 0


def cmd_schedule(args) -> int:
    campaigns, errors = load_folder(args.config)
    days = schedule_days(campaigns, args.first, args.last)
    if args.json:
        print(json.dumps({"days": [{"date": d.isoformat(), "airings": day_rows(campaigns, d)} for d in days],
                          "errors": errors}, ensure_ascii=False))
    else:
        print_schedule(campaigns, days, sys.stdout)
    for e in errors:
        print(f"ticker: {e}", file=sys.stderr)
    return 2 if errors else 0


def cmd_nightly(args) -> int:
    return nightly(args.config, args.output_dir, args.date or tomorrow(args.timezone), workers=args.jobs,
                   scheduler=args.scheduler, keep_days=args.keep_days, verify=args.verify,
                   timezone=args.timezone)


def cmd_profiles(args) -> int:
    print(f"{'id':<14}{'size':<11}{'rate':<7}{'scan':<29}{'aspect':<8}sar")
    for p in PROFILES.values():
        print(f"{p.id:<14}{f'{p.width}x{p.height}':<11}{str(p.rate):<7}{p.scan:<29}{p.dar:<8}"
              f"{p.sar.numerator}:{p.sar.denominator}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        commands = {"render": cmd_render, "check": cmd_check, "text": cmd_text, "profiles": cmd_profiles,
                    "qc": cmd_qc, "schedule": cmd_schedule, "preview": cmd_preview, "nightly": cmd_nightly}
        return commands[args.command](args)
    except TickerError as e:
        print(f"ticker: {e}", file=sys.stderr)
        return e.exit_status
    except KeyboardInterrupt:
        print("ticker: interrupted; nothing was published.", file=sys.stderr)
        return 130
