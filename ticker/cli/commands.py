"""The command line: parse, call the library, print, map errors to exit codes. No logic of its own."""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ticker.campaign import load_campaign
from ticker.campaign.operator import remarks
from ticker.campaign.provenance import on_air
from ticker.campaign.signoff import approval_note, approver_name
from ticker.cli.args import parser
from ticker.errors import InputError, TickerError
from ticker.files import read_input
from ticker.files.inputs import TEXT_LIMIT
from ticker.media import PROFILES, Delivery
from ticker.stopping import EXIT_STATUS as STOPPED_STATUS
from ticker.stopping import Stopped, stop_on_sigterm
from ticker.terminal import Escaping
from ticker.vietnamese import to_unicode
from ticker.vietnamese.text import layout_engine

if TYPE_CHECKING:
    from ticker.engine import Plan

# Above: what the arguments' parser (cli_args) loads anyway. Every other module is imported by the command that
# uses it, so `ticker profiles` starts without the letters' readers, the desk's web stack or the encoders' libraries.


def _delivery(args) -> Delivery:
    given = dict(
        service_name=args.service_name,
        service_provider=args.service_provider,
        service_id=args.service_id,
        pmt_pid=args.pmt_pid,
        video_pid=args.video_pid,
        audio_pid=args.audio_pid,
        audio_codec=args.audio_codec,
        video_bitrate=args.video_bitrate,
        timecode=args.timecode,
    )
    delivery = Delivery(**{k: v for k, v in given.items() if v is not None})
    pids = [delivery.pmt_pid, delivery.video_pid, delivery.audio_pid]
    if len(set(pids)) < 3:
        raise InputError(f"--pmt-pid, --video-pid and --audio-pid must differ (they are {', '.join(map(hex, pids))}).")
    return delivery


def _messages(args) -> tuple[list[str] | None, str | None]:
    from ticker.vietnamese import detect

    if args.text is not None:
        return [args.text], "--text"
    if args.text_file is not None:
        data = read_input(args.text_file, "text file", TEXT_LIMIT)
        try:
            return [data.decode("utf-8-sig")], str(args.text_file)
        except UnicodeDecodeError:
            found = detect(data)  # the raw bytes of a file typed in a legacy encoding
            if not found.converted:
                raise InputError(f"{args.text_file}: {found.reason}.") from None
            print(f"ticker: note: {args.text_file}: converted from {found.encoding}: {found.reason}", file=sys.stderr)
            return [found.text], str(args.text_file)
    return None, None


def _report(planned: Plan, strict: bool, stream) -> None:
    """Conversions made and readability warnings; with --strict, warnings stop everything (exit 2)."""
    for note in planned.notes:
        print(f"ticker: note: {note}", file=stream)
    for warning in planned.warnings:
        print(f"ticker: warning: {warning}", file=stream)
    if strict and planned.warnings:
        raise InputError(f"{len(planned.warnings)} warning(s), and --strict makes them errors: nothing was rendered.")


def cmd_render(args, terminal: TextIO) -> int:
    from ticker.engine import Caches, Overrides, plan
    from ticker.render import render

    if args.speed is not None and not 1 <= args.speed <= 5000:
        raise InputError(f"--speed {args.speed:g}: must be between 1 and 5000 stored pixels a second.")
    if args.seconds is not None and not 1 <= args.seconds <= 24 * 3600:
        raise InputError(f"--seconds {args.seconds:g}: must be between 1 and 86400.")
    campaign = load_campaign(args.config)
    on_air(campaign)  # nothing draft goes on air
    overrides = Overrides(args.profile, args.format, args.loop, args.seconds, args.fill, args.target)
    messages, source = _messages(args)
    planned = plan(
        campaign,
        day=args.date,
        messages=messages,
        source=source,
        overrides=overrides,
        delivery=_delivery(args),
        over=args.over,
        need_over=True,
        speed=args.speed,
        caches=Caches(),
    )
    _report(planned, args.strict, sys.stderr)
    progress = terminal if terminal.isatty() and not args.json else None
    results = []
    for p in planned.outputs:
        result = render(
            p.crawl, p.output, args.output_dir, progress=progress, straight=args.straight, surveyed=p.survey
        )
        results.append(result)
        if result.note:
            print(f"ticker: note: {Path(result.path).name}: {result.note}", file=sys.stderr)
        if not args.json:
            timing = (
                "loop"
                if result.loop
                else f"{result.passes} pass" + "es" * (result.passes != 1)
                if result.passes
                else "over the programme"
            )
            assert result.encoded is not None  # render always counts the frames it encoded
            copied = f", {result.encoded} encoded and the rest copied" if result.encoded < result.frames else ""
            key = f" (key {result.key}, {result.fill} fill)" if result.key else ""
            print(
                f"{result.path}{key}: {result.frames} frames at {result.fps:g} fps ({result.seconds:g} s, "
                f"{timing}{copied}), {result.speed_px_per_s:g} px/s, gap {result.gap_px:g} px"
            )
    if args.json:
        keys = (
            "path",
            "key",
            "fill",
            "target",
            "profile",
            "format",
            "frames",
            "encoded",
            "fps",
            "width",
            "height",
            "interlaced",
            "loop",
            "speed_px_per_s",
            "seconds",
            "band_y",
            "band_height",
            "crawl",
            "layers",
            "qr_url",
        )
        print(json.dumps({"outputs": [{k: r.as_json()[k] for k in keys} for r in results]}, ensure_ascii=False))
    return 0


def cmd_check(args) -> int:
    from ticker.approval import record_voided
    from ticker.approval.key import state as approval_state
    from ticker.engine import Caches, plan

    campaign = load_campaign(args.config)
    for note in [*on_air(campaign), *remarks(campaign)]:  # a draft is refused; notes for a ready campaign
        print(f"ticker: note: {note}")
    approval = approval_state(campaign)
    record_voided(campaign, approval)
    print(approval.sentence)
    planned = plan(campaign, day=args.date, caches=Caches())
    crawl = planned.crawls[0]
    print(
        f"{campaign.path}: campaign {campaign.name!r}, {campaign.start} to {campaign.end}, "
        f"{len(campaign.messages)} message(s), {len(crawl.text)} characters"
    )
    fallback = f", fallback {crawl.fallback_path.name}" if crawl.fallback_path else ""
    print(f"layout engine: {layout_engine()}; font: {crawl.font_path.name}{fallback}")
    print(f"text: {crawl.text}")
    if crawl.qr_url:
        print(f"QR code: {crawl.qr_url}")
    for sv in planned.surveys:
        layers = "".join(f", {name} at x={box[0]}" for name, box in sv.scene.boxes)
        print(
            f"{sv.figures.name}: band {sv.scene.band_height} lines at line {sv.scene.band_y}{layers}, "
            f"{sv.plan.frames} frames ({sv.plan.seconds:g} s), {sv.plan.speed:g} px/s"
        )
        print(f"  {sv.figures.line()}")
    _report(planned, args.strict, sys.stdout)
    print("ok")
    return 0


def cmd_text(args) -> int:
    from ticker.vietnamese import detect
    from ticker.vietnamese.detection import UNKNOWN

    data = read_input(args.file, "text file", TEXT_LIMIT)
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
    if found is not None and found.encoding == UNKNOWN:
        raise InputError(f"{args.file}: {found.reason}; if you know what it is in, say it with --from.")
    if found is not None and not found.converted and found.encoding not in ("unicode", "nfd"):
        raise InputError(f"{args.file}: cannot tell what the text is in ({found.reason}); say it with --from.")
    if found is not None and found.converted:
        print(f"ticker: note: {args.file}: converted from {found.encoding}: {found.reason}", file=sys.stderr)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_qc(args) -> int:
    from ticker.qc import check_files

    if args.seconds is not None and args.seconds <= 0:
        raise InputError(f"--seconds {args.seconds:g}: must be more than 0.")
    reports = check_files(
        args.files, profile=args.profile, fmt=args.format, frames=args.frames, seconds=args.seconds, loop=args.loop
    )
    if args.json:
        print(json.dumps({"files": [r.as_json() for r in reports]}, ensure_ascii=False))
    else:
        for r in reports:
            print("\n".join(r.lines()))
    return 0 if all(r.ok for r in reports) else 1


def cmd_preview(args) -> int:
    from ticker.review import make_proof

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
    from ticker.approval.key import state as approval_state
    from ticker.campaign.calendar import schedule_days
    from ticker.night import day_rows, load_folder, print_schedule

    campaigns, errors = load_folder(args.config)
    days = schedule_days(campaigns, args.first, args.last)
    unapproved = frozenset(c.name for c in campaigns if c.status != "draft" and not approval_state(c).approved)
    if args.json:
        print(
            json.dumps(
                {
                    "days": [{"date": d.isoformat(), "airings": day_rows(campaigns, d, unapproved)} for d in days],
                    "errors": errors,
                },
                ensure_ascii=False,
            )
        )
    else:
        print_schedule(campaigns, days, sys.stdout, unapproved)
    for e in errors:
        print(f"ticker: {e}", file=sys.stderr)
    return 2 if errors else 0


def cmd_nightly(args) -> int:
    from ticker.night import nightly
    from ticker.night.nightly import tomorrow
    from ticker.records import Retention
    from ticker.station import load_station, records_folder, station_path

    station = load_station(station_path(args.config, args.station))
    return nightly(
        args.config,
        args.output_dir,
        args.date or tomorrow(args.timezone),
        workers=args.jobs,
        scheduler=args.scheduler,
        keep_days=args.keep_days,
        verify=args.verify,
        timezone=args.timezone,
        allow_unapproved=args.allow_unapproved,
        records=records_folder(args.config, args.records, station),
        retention=Retention(
            args.keep_records_days,
            args.keep_evidence_days,
            args.records_quota * 1_000_000 if args.records_quota else None,
        ),
    )


def cmd_approve(args) -> int:
    from ticker.approval import approve, revoke

    if args.revoke:
        approval = revoke(args.config, approver_name(args.by, "--by") if args.by.strip() else "")
        print(f"{args.config}: approval {approval.said()} revoked.")
        return 0
    if not args.by.strip():
        raise InputError("--by: give the approver's name (ticker approve CONFIG --by NAME).")
    approval = approve(args.config, approver_name(args.by, "--by"), approval_note(args.note, "--note"))
    print(f"{args.config}: approved {approval.said()}, key {approval.key}.")
    return 0


def cmd_draft(args) -> int:
    from ticker.letters import draft_document, read_findings, write_draft
    from ticker.letters.child import letter_file
    from ticker.letters.draft import check_target
    from ticker.station import given_station

    if args.output is not None:
        check_target(args.output, args.force)
    station = given_station(args.station, args.output)  # a bad station file refused before the letter is read
    data, letter = letter_file(args.letter)
    findings = read_findings(letter)
    channels = tuple(c.name for c in station.channels) if station else ()
    toml, status = draft_document(findings, args.house, args.output, args.received, channels=channels)
    for note in letter.notes:
        print(f"ticker: note: {letter.name}: {note}", file=sys.stderr)
    if args.output is not None:
        write_draft(args.output, toml, args.force, (data, letter))  # the letter kept beside it
        print(f"{args.output}: {status} campaign from {letter.name}", file=sys.stderr)
    if args.json:
        found = findings.as_json()
        found["draft"] = {"file": str(args.output) if args.output else None, "status": status}
        print(json.dumps(found, ensure_ascii=False, indent=1))
    elif args.output is None:
        sys.stdout.write(toml)
    return 0


def cmd_report(args) -> int:
    from ticker.records import as_run_source
    from ticker.reports import Request, write_reports

    request = Request(
        args.config,
        args.output,
        campaign=args.campaign,
        first=args.first,
        last=args.last,
        records=args.records,
        station=args.station,
        as_run=tuple(as_run_source(spec, args.channel) for spec in args.as_run),
        date=args.date,
        still=args.still,
    )
    for path in write_reports(request):
        print(path)
    return 0


def _elsewhere(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """A command whose module is imported only when it runs (as every command's libraries are)."""
    return lambda args: getattr(importlib.import_module(module), name)(args)


def cmd_serve(args) -> int:
    from ticker.desk import serve  # the web stack is loaded only for the desk

    if args.add_user is not None:
        serve.add(args.users, args.add_user, args.role, sys.stdin, sys.stderr)
        return 0
    if args.campaigns is None or args.output is None:
        raise InputError("ticker serve CAMPAIGN_DIR -o OUT: give the campaigns' folder and the output folder.")
    where = dict(house=args.house, station=args.station, records=args.records)
    return serve.serve(args.campaigns, args.output, args.host, args.port, args.users, args.secure_cookies, **where)


def cmd_profiles(args) -> int:
    print(f"{'id':<14}{'size':<11}{'rate':<7}{'scan':<29}{'aspect':<8}sar")
    for p in PROFILES.values():
        print(
            f"{p.id:<14}{f'{p.width}x{p.height}':<11}{p.rate!s:<7}{p.scan:<29}{p.dar:<8}"
            f"{p.sar.numerator}:{p.sar.denominator}"
        )
    return 0


def _warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A Python warning (ticker's or a library's) said as ticker says its own, in one line."""
    print(f"ticker: warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """The command, with everything it prints to stdout and stderr escaped (ticker.terminal)."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Escaping(sys.stdout), Escaping(sys.stderr)
    try:
        return _main(argv, terminal=streams[1])
    except Exception:  # a fault of ticker's own: its traceback escaped too (its message may quote a file)
        traceback.print_exc()
        return 1
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: list[str] | None, terminal: TextIO) -> int:
    """`terminal`: stderr as it is, unescaped, for a progress bar's own control characters."""
    warnings.showwarning = _warning
    args = parser().parse_args(argv)
    stop_on_sigterm()  # systemd's stop, a supervisor's or kill's: cleaned up as Ctrl-C is
    try:
        commands: dict[str, Callable[[argparse.Namespace], int]] = {
            "render": functools.partial(cmd_render, terminal=terminal),
            "check": cmd_check,
            "text": cmd_text,
            "profiles": cmd_profiles,
            "qc": cmd_qc,
            "schedule": cmd_schedule,
            "preview": cmd_preview,
            "nightly": cmd_nightly,
            "draft": cmd_draft,
            "approve": cmd_approve,
            "report": cmd_report,
            "records": _elsewhere("ticker.cli.records", "records_command"),
            "watch": _elsewhere("ticker.cli.watching", "watch_command"),
            "air": _elsewhere("ticker.cli.airing", "air_command"),
            "serve": cmd_serve,
        }
        return commands[args.command](args)
    except TickerError as e:
        print(f"ticker: {e}", file=sys.stderr)
        return e.exit_status
    except Stopped:
        print("ticker: stopped (SIGTERM); nothing half-made was published.", file=sys.stderr)
        return STOPPED_STATUS
    except KeyboardInterrupt:
        print("ticker: interrupted; nothing was published.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `ticker check … | head`: the reader has gone, and so does the rest of the output
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
