"""The command line's arguments: every command, option and the type of each value, read and checked by argparse
(a bad value is one sentence, exit 2, before any command runs)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from ticker import __version__
from ticker.campaign.config import DEFAULT_TIMEZONE, FILLS, FORMAT_IDS, zone_problem
from ticker.media import PROFILES, TARGETS
from ticker.media.formats import AUDIO_CODECS
from ticker.vietnamese.legacy import ENCODINGS


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ticker", description="Broadcast crawls (chạy chữ) for Vietnamese TV.")
    p.add_argument("--version", action="version", version=f"ticker {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("render", help="render the campaign's clips")
    r.add_argument("config", type=Path, metavar="CONFIG", help="campaign file (TOML)")
    r.add_argument(
        "-o", "--output-dir", type=Path, default=Path("out"), metavar="DIR", help="where the files go (default: ./out)"
    )
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
    r.add_argument(
        "--straight",
        action="store_true",
        help="encode every frame as a whole picture: no copied period in a timed clip, no ProRes or qtrle "
        "picture assembled from the band's slices or lines",
    )
    d = r.add_argument_group("delivery")
    d.add_argument(
        "--over",
        type=Path,
        metavar="FILE",
        help="programme video or still picture to burn the crawl into (ts-h264, ts-mpeg2)",
    )
    d.add_argument("--fill", choices=FILLS, help="fill of a fill+key pair (default: premultiplied)")
    d.add_argument(
        "--target",
        choices=list(TARGETS),
        help="the inserter the files are for: its naming, numbering and formats (" + ", ".join(TARGETS) + ")",
    )
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
    n.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        required=True,
        metavar="OUT",
        help="files go to OUT/YYYY-MM-DD/ with manifest.json and nightly.log",
    )
    n.add_argument("--date", type=_date, metavar="D", help="the day to make (default: tomorrow in --timezone)")
    n.add_argument(
        "--timezone",
        default=DEFAULT_TIMEZONE,
        type=_zone,
        metavar="TZ",
        help=f"where 'tomorrow' is (default {DEFAULT_TIMEZONE})",
    )
    n.add_argument("--jobs", type=_positive, default=1, metavar="N", help="render N clips at a time (processes)")
    n.add_argument("--scheduler", metavar="ADDRESS", help="render on a Dask cluster (tcp://host:8786)")
    n.add_argument(
        "--keep-days",
        type=_number,
        default=14,
        metavar="N",
        help="remove day folders more than N days before the day made (default 14)",
    )
    n.add_argument("--verify", action="store_true", help="checksum kept files instead of comparing their sizes")
    n.add_argument(
        "--records",
        type=Path,
        metavar="DIR",
        help="the records folder (default: the station file's, else CONFIG_DIR/records)",
    )
    n.add_argument("--station", type=Path, metavar="FILE", help="the station file (default: CONFIG_DIR/station.toml)")
    n.add_argument(
        "--keep-records-days",
        type=_positive,
        default=400,
        metavar="N",
        help="keep records and one frame per airing N days (default 400)",
    )
    n.add_argument(
        "--keep-evidence-days",
        type=_positive,
        default=30,
        metavar="N",
        help="keep larger evidence (clips) N days (default 30)",
    )
    n.add_argument(
        "--records-quota",
        type=_positive,
        metavar="MB",
        help="the most the records folder may hold; the oldest evidence goes first (default: no limit)",
    )
    n.add_argument(
        "--allow-unapproved", action="store_true", help="render campaigns nobody approved too (for test channels)"
    )

    v = sub.add_parser("preview", help="a preview clip, contact sheet and proof page for those who approve the crawl")
    v.add_argument("config", type=Path, metavar="CONFIG", help="campaign file (TOML)")
    v.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        default=Path("preview"),
        metavar="DIR",
        help="where the files go (default: ./preview)",
    )
    v.add_argument(
        "--over",
        type=Path,
        metavar="IMAGE|VIDEO",
        help="a frame grab of the channel (or a video: a frame of it) to crawl over",
    )
    v.add_argument(
        "--profile",
        choices=list(PROFILES),
        metavar="ID",
        help="whose look to preview (default: the campaign's first output's)",
    )
    v.add_argument("--date", type=_date, metavar="D", help="fill the messages' placeholders for this day")

    c = sub.add_parser("check", help="validate a campaign (file, text, glyphs, readability) without rendering")
    c.add_argument("config", type=Path, metavar="CONFIG")
    c.add_argument("--strict", action="store_true", help="exit 2 when there are warnings")
    for command in (r, c):
        command.add_argument(
            "--date", type=_date, metavar="D", help="fill the messages' placeholders for this day (default: today)"
        )

    t = sub.add_parser("text", help="clean up pasted Vietnamese text (legacy encodings, NFD)")
    tsub = t.add_subparsers(dest="text_command", required=True, metavar="ACTION")
    for name, what in (
        ("fix", "print the text as clean NFC Unicode"),
        ("detect", "say which encoding the text is in and how sure that is"),
    ):
        a = tsub.add_parser(name, help=what)
        a.add_argument("file", type=Path, metavar="FILE", help="the text ('-' for standard input)")
        a.add_argument(
            "--from",
            dest="encoding",
            choices=ENCODINGS,
            metavar="ENC",
            help="the encoding, when known: " + ", ".join(ENCODINGS),
        )

    ap = sub.add_parser("approve", help="say yes to what a campaign airs (bound to its words and look), or revoke it")
    ap.add_argument("config", type=Path, metavar="CONFIG", help="campaign file (TOML)")
    ap.add_argument("--by", default="", metavar="NAME", help="who approves (or revokes)")
    ap.add_argument("--note", default="", metavar="TEXT", help="a note kept with the approval")
    ap.add_argument("--revoke", action="store_true", help="take the approval back")

    dr = sub.add_parser("draft", help="read a department's letter (công văn) and write the draft campaign it asks for")
    dr.add_argument("letter", type=Path, metavar="LETTER", help="the letter: .txt in any encoding, .docx, .pdf, or -")
    dr.add_argument("-o", "--output", type=Path, metavar="CAMPAIGN.toml", help="write the draft here (default: print)")
    dr.add_argument("--json", action="store_true", help="print what was found in the letter, as JSON")
    dr.add_argument("--house", type=Path, metavar="FILE", help="a campaign whose style, slots and outputs to reuse")
    dr.add_argument(
        "--station",
        type=Path,
        metavar="FILE",
        help="the station file whose channels the slots name (default: station.toml beside -o's file, if there)",
    )
    dr.add_argument(
        "--received", type=_date, metavar="D", help="the day the letter arrived: a window with no start begins after it"
    )
    dr.add_argument("--force", action="store_true", help="replace CAMPAIGN.toml when it exists")

    rp = sub.add_parser("report", help="the report back to the department: what aired, when, from which files")
    rp.add_argument("config", type=Path, metavar="CONFIG_DIR", help="folder of campaign files (or one file)")
    rp.add_argument(
        "-o", "--output", type=Path, required=True, metavar="REPORT", help="writes REPORT.docx, .html and .json"
    )
    rp.add_argument("--campaign", metavar="NAME", help="only this campaign (default: every one, REPORT-NAME.*)")
    rp.add_argument("--from", dest="first", type=_date, metavar="D", help="first day (default: the window's)")
    rp.add_argument("--to", dest="last", type=_date, metavar="D", help="last day (default: the window's)")
    rp.add_argument(
        "--records",
        type=Path,
        metavar="DIR",
        help="the records folder (default: the station file's, else CONFIG_DIR/records)",
    )
    rp.add_argument("--station", type=Path, metavar="FILE", help="the station file (default: CONFIG_DIR/station.toml)")
    rp.add_argument(
        "--as-run",
        action="append",
        default=[],
        metavar="SOURCE",
        help="what playout aired, recorded first: a CSV (start,channel,file) or casparcg:LOG (with --channel)",
    )
    rp.add_argument("--channel", metavar="NAME", help="the channel a casparcg:LOG played")
    rp.add_argument("--date", type=_date, metavar="D", help="the report's date (default: today)")
    rp.add_argument(
        "--still", type=Path, metavar="PICTURE", help="a picture of the crawl on air (the proof page's contact sheet)"
    )

    _records(sub)
    _watch(sub)
    _air(sub)

    sv = sub.add_parser("serve", help="the desk in the browser: campaigns, drafts, approval, schedule, nights, reports")
    sv.add_argument("campaigns", type=Path, nargs="?", metavar="CAMPAIGN_DIR", help="folder of campaign files")
    sv.add_argument("-o", "--output", type=Path, metavar="OUT", help="the nightly output folder (the playout tree)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=_port, default=8470, help="port (default 8470)")
    sv.add_argument("--users", type=Path, metavar="FILE", help="the desk's users (needed on any other address)")
    sv.add_argument("--house", type=Path, metavar="FILE", help="a campaign whose style, slots and outputs drafts reuse")
    sv.add_argument(
        "--station", type=Path, metavar="FILE", help="the station file (default: CAMPAIGN_DIR/station.toml)"
    )
    sv.add_argument(
        "--records",
        type=Path,
        metavar="DIR",
        help="the records folder (default: the station file's records, else CAMPAIGN_DIR/records)",
    )
    sv.add_argument(
        "--secure-cookies",
        action="store_true",
        help="the session cookie is always Secure (behind a TLS proxy); without it, when the request came over HTTPS",
    )
    sv.add_argument("--add-user", metavar="NAME", help="add NAME to --users FILE (password from the terminal or stdin)")
    sv.add_argument("--role", default="editor", metavar="ROLE", help="editor or approver (with --add-user)")

    sub.add_parser("profiles", help="list the picture formats")
    return p


def _watch(sub) -> None:
    """`ticker watch CONFIG_DIR SOURCE`: the crawl found in a channel's output, and what aired recorded."""
    w = sub.add_parser("watch", help="find the crawl in a channel's output and record what aired, with frames")
    w.add_argument("config", type=Path, metavar="CONFIG_DIR", help="folder of campaign files (or one file)")
    w.add_argument(
        "source", metavar="SOURCE", help="the channel's output: udp://, rtp://, srt://, an HLS address, or a recording"
    )
    w.add_argument("--channel", required=True, metavar="NAME", help="the channel it is, as the slots name it")
    w.add_argument("--start", type=_moment, metavar="TIME", help="a recording's wall-clock time of its first picture")
    w.add_argument(
        "--status", type=Path, metavar="FILE", help="live: the status file (default RECORDS/status-CHANNEL.json)"
    )
    w.add_argument(
        "--records",
        type=Path,
        metavar="DIR",
        help="the records folder (default: the station file's, else CONFIG_DIR/records)",
    )
    w.add_argument("--station", type=Path, metavar="FILE", help="the station file (default: CONFIG_DIR/station.toml)")
    w.add_argument("--evidence-quota", type=_size, default=1_000_000_000, metavar="SIZE",
                   help="the evidence the channel keeps a day, at most (default 1G)")  # fmt: skip
    w.add_argument("--service", type=_service, metavar="ID", help="the programme of a transport stream, by service id")
    w.add_argument("--srt-mode", choices=("caller", "listener", "rendezvous"), help="srt://: who calls whom")
    w.add_argument("--srt-latency", type=_latency, metavar="MS", help="srt://: the latency it buffers, in ms")
    w.add_argument("--srt-passphrase-file", type=Path, metavar="FILE", help="srt://: the file holding its passphrase")


def _air(sub) -> None:
    """`ticker air CONFIG_DIR --channel NAME --in SOURCE --out DEST -o OUT`: the crawl inserted into a live channel."""
    a = sub.add_parser("air", help="insert the approved crawl into a live channel at its minute, and record it")
    a.add_argument("config", type=Path, metavar="CONFIG_DIR", help="folder of campaign files")
    a.add_argument("--channel", required=True, metavar="NAME", help="the station file's channel it airs")
    a.add_argument("--in", dest="source", metavar="SOURCE", help="the channel's stream: udp://, srt://")
    a.add_argument("--out", dest="dest", metavar="DEST", help="where the channel goes on: udp://")
    a.add_argument("-o", "--output", type=Path, metavar="OUT", help="the nightly output folder")
    a.add_argument("--records", type=Path, metavar="DIR", help="the records folder (default as for watch)")
    a.add_argument("--station", type=Path, metavar="FILE", help="the station file (default: CONFIG_DIR/station.toml)")
    a.add_argument("--advance", type=float, default=0.0, metavar="S", help="seconds of a known delay downstream")
    a.add_argument("--service", type=_service, metavar="ID", help="the input's programme, by service id")
    a.add_argument("--instance", type=_instance, default="", metavar="ID", help="main or backup: in each record")
    a.add_argument("--check", action="store_true", help="say what keeps the set-up from airing; send nothing")
    a.add_argument("--off", action="store_true", help="take the crawl off the channel now, until --on (with --by)")
    a.add_argument("--on", action="store_true", help="put the crawl back on the channel (with --by)")
    a.add_argument("--by", metavar="NAME", help="who switches it --off or --on (in the audit trail)")


def _instance(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]{0,32}", text):  # ("" the default: one ticker air alone)
        raise argparse.ArgumentTypeError(f"{text!r} is not an instance id (letters, digits, - and _, at most 32)")
    return text


def _service(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a service id (1 to 65535)")
    return int(text)


def _latency(text: str) -> int:
    if not text.isdigit() or not 20 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a latency in ms (20 to 10000)")
    return int(text)


def _moment(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time like 2020-03-12T06:29:00+07:00") from None
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no offset: give it as 2020-03-12T06:29:00+07:00")
    return when


def _records(sub) -> None:
    """`ticker records RECORDS_DIR ACTION`: the records folder's seals, imports, export and retention."""
    rc = sub.add_parser("records", help="the records folder: verify its seals, import what playout aired, export it")
    rc.add_argument("records", type=Path, metavar="RECORDS_DIR", help="the records folder")
    rsub = rc.add_subparsers(dest="records_command", required=True, metavar="ACTION")
    ve = rsub.add_parser("verify", help="say per day whether its records are as they were sealed (exit 1: altered)")
    ex = rsub.add_parser("export", help="write the airings as an as-run CSV (start,channel,file,end,source,campaign)")
    ex.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.csv", help="the CSV to write")
    ex.add_argument("--channel", metavar="NAME", help="only this channel's airings")
    for a in (ve, ex):
        a.add_argument("--from", dest="first", type=_date, metavar="D", help="first day (default: the first kept)")
        a.add_argument("--to", dest="last", type=_date, metavar="D", help="last day (default: the last kept)")
    im = rsub.add_parser("import", help="add what playout says it aired: an as-run CSV or a CasparCG log")
    im.add_argument("source", metavar="SOURCE", help="FILE.csv, csv:FILE or casparcg:LOG")
    im.add_argument("--channel", metavar="NAME", help="the station's channel the log is of (needed for casparcg:)")
    se = rsub.add_parser("seal", help="seal the days that are over (their files made read-only, chained SHA-256)")
    rt = rsub.add_parser("retire", help="remove what the folder keeps no longer: old days, old clips, over a quota")
    rt.add_argument(
        "--keep-records-days", type=_number, default=400, metavar="N", help="keep N days of records (default 400)"
    )
    rt.add_argument(
        "--keep-evidence-days", type=_number, default=30, metavar="N", help="keep N days of clips (default 30)"
    )
    rt.add_argument("--quota", type=_size, metavar="SIZE", help="at most SIZE bytes in all (500M, 20G, 1T)")
    for a in (im, se, rt):
        a.add_argument(
            "--timezone",
            default=DEFAULT_TIMEZONE,
            type=_zone,
            metavar="TZ",
            help=f"the records' days and a log's times (default {DEFAULT_TIMEZONE})",
        )


def _size(text: str) -> int:
    scale = {"K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}.get(text[-1:].upper(), 1)
    try:
        value = float(text[:-1] if scale != 1 else text) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (like 500M, 20G or 1T)") from None
    if not value >= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size of at least one byte")
    return int(value)


def _port(text: str) -> int:
    value = _number(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1 to 65535)")
    return value


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
