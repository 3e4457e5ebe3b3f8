"""What recognising the crawl costs beside decoding the channel, on two programmes of SECONDS made here, the
crawl overlaid for the first half of each: 1080i50 H.264 (libx264, interlaced, 6 Mb/s) and 576i50 MPEG-2
(mpeg2video, interlaced, 4 Mb/s). Each is decoded (1) by ffmpeg to nothing (`ffmpeg -threads N -thread_type T
-i SOURCE -f null -`, its user+sys CPU), with the threading `ticker watch`'s decoder uses (PyAV's default, read
from the decoder), (2) by PyAV in this process with each picture's Y plane taken, as `ticker watch` decodes (the
floor), and (3) by `ticker watch`'s own loop, decode and recognition (`watch_recording`, the references made
included), best of ROUNDS each, in one run. Then how many such channels one core watches: seconds of programme
a CPU second.

What the watcher makes once is measured apart too, the same way: the references (once a channel a day) and the
four evidence pictures of each airing (PNG: its first, middle and last, and the message's first words); the watch
without them is what recognition costs picture by picture, what a channel watched all day costs.

    python benchmarks/bench_watch.py [--seconds 60] [--rounds 3] [--only hd|sd]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import av

from ticker.campaign import Campaign, load_campaign
from ticker.encode.ffmpeg_args import ffmpeg_exe
from ticker.records import Records
from ticker.watch import references, watch_recording
from ticker.watch.pictures import luma_of, png

CAMPAIGN = """[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI để khai báo y tế."
[motion]
crossing_seconds = 8
[[output]]
profile = "1080i50"
format = "prores4444"
loop = true
[[output]]
profile = "576i50"
format = "prores4444"
loop = true
"""
START = dt.datetime(2020, 3, 12, 6, 29, tzinfo=dt.timezone(dt.timedelta(hours=7)))
LIMIT = 1.15  # what recognition may cost at most: decoding's CPU and 15 %


@dataclass(frozen=True)
class Kind:
    """A channel's kind: its picture and how it is encoded."""

    title: str
    profile: str
    size: tuple[int, int]
    matrix: str  # the matrix the programme's pictures are in
    video: tuple[str, ...]  # ffmpeg's options for the programme's video


INTERLACED = ("-flags", "+ildct+ilme", "-field_order", "tt")
KINDS = {
    "hd": Kind("1080i50 H.264 at 6 Mb/s", "1080i50", (1920, 1080), "bt709",
               ("-c:v", "libx264", "-b:v", "6M", "-maxrate", "6M", "-bufsize", "6M", *INTERLACED,
                "-x264opts", "tff=1")),
    "sd": Kind("576i50 MPEG-2 at 4 Mb/s", "576i50", (720, 576), "bt601",
               ("-c:v", "mpeg2video", "-b:v", "4M", "-maxrate", "4M", "-bufsize", "1835k", "-g", "12", "-bf", "2",
                *INTERLACED)),
}  # fmt: skip


@dataclass
class Measured:
    """One kind's CPU seconds, a list per way of decoding (one figure a round)."""

    kind: Kind
    seconds: int
    threads: tuple[int, str]
    ffmpeg: list[float]
    floor: list[float]
    watched: list[float]
    refs: list[float]
    evidence: list[float]
    airings: int = 0


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def programme(folder: Path, kind: Kind, seconds: int) -> Path:
    """SECONDS of ffmpeg's moving testsrc2 (two pictures of motion woven into each frame, top field first), ticker's
    loop over it for the first half, encoded as the kind says into an MPEG-TS."""
    (w, h), frames = kind.size, seconds * 25
    loop = folder / f"ncovi_{kind.profile}_prores4444_loop.mov"
    path = folder / f"{kind.profile}.ts"
    under = f"testsrc2=size={w}x{h}:rate=50,trim=end_frame={2 * frames},interlace=scan=tff:lowpass=0"
    graph = (
        f"[0:v]scale=out_color_matrix={kind.matrix}:out_range=tv,format=yuv444p[u];"
        f"[u][1:v]overlay=format=yuv444:eof_action=pass:enable='lt(t,{seconds / 2})',"
        "scale=interl=1,format=yuv420p[v]"
    )
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", under, "-stream_loop", "-1",
                    "-i", str(loop), "-filter_complex", graph, "-map", "[v]", "-frames:v", str(frames), *kind.video,
                    "-f", "mpegts", str(path)], check=True)  # fmt: skip
    return path


def decoder_threads(path: Path) -> tuple[int, str]:
    """How many threads PyAV's decoder uses by default for the file, and of which type (ffmpeg's -thread_type),
    as the decoder says once it has decoded a picture."""
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        next(c.decode(stream))
        ctx = stream.codec_context
        kinds = [n for n, t in (("slice", av.codec.context.ThreadType.SLICE),
                                ("frame", av.codec.context.ThreadType.FRAME)) if ctx.thread_type & t]  # fmt: skip
        return ctx.thread_count, "+".join(kinds) or "slice"


def ffmpeg_cpu(path: Path, threads: tuple[int, str]) -> float:
    before = cpu_children()
    subprocess.run([ffmpeg_exe(), "-v", "error", "-threads", str(threads[0]), "-thread_type", threads[1],
                    "-i", str(path), "-f", "null", "-"], check=True)  # fmt: skip
    return cpu_children() - before


def floor_cpu(path: Path) -> float:
    before = cpu_self()
    with av.open(str(path)) as c:
        for frame in c.decode(video=0):
            luma_of(frame)
    return cpu_self() - before


def watch_cpu(path: Path, campaign: Campaign, records: Path) -> tuple[float, int]:
    before = cpu_self()
    with Records.open(records) as r:
        found = watch_recording(path, START, "HGTV", [campaign], r)
    return cpu_self() - before, sum(x.kind == "airing" for x in found.records)


def references_cpu(campaign: Campaign) -> float:
    before = cpu_self()
    references(campaign, START.date())
    return cpu_self() - before


def evidence_cpu(path: Path, airings: int) -> float:
    """The evidence of the airings found: four pictures each (the first, middle and last, and the one message's
    first words), the programme's first picture encoded as each."""
    with av.open(str(path)) as c:
        frame = next(c.decode(video=0))
        before = cpu_self()
        for _ in range(4 * airings):
            png(frame)
        return cpu_self() - before


def spread(xs: list[float]) -> str:
    return f"{min(xs):6.2f} s CPU (best of {len(xs)}: {min(xs):.2f}–{max(xs):.2f})"


def report(m: Measured) -> None:
    f, p, w = min(m.ffmpeg), min(m.floor), min(m.watched)
    refs, evidence = min(m.refs), min(m.evidence)
    each = w - refs - evidence  # what recognition costs picture by picture, with the decoding
    n, kinds = m.threads

    def against(x: float) -> str:
        verdict = "within" if x / p <= LIMIT and x / f <= LIMIT else "MORE than"
        return f"= {x / p:.2f} × the floor, {x / f:.2f} × ffmpeg's ({verdict} the 15 % allowed)"

    airings = f"{m.airings} airing{'s' * (m.airings != 1)}"
    print(f"\n{m.seconds} s of {m.kind.title}, interlaced, the crawl on for half of it ({airings} found)")
    print(f"  the decoder's threads (PyAV's default, ffmpeg given the same): {n}, {kinds}")
    rows = [
        (f"ffmpeg -threads {n} -thread_type {kinds} -i … -f null -", f"{spread(m.ffmpeg)}"),
        ("PyAV decode, Y plane (the floor)", f"{spread(m.floor)}  = {p / f:.2f} × ffmpeg's"),
        ("ticker watch (decode + recognition)", f"{spread(m.watched)}  {against(w)}"),
        ("  made once: the references", spread(m.refs)),
        (f"  made once: the evidence of {airings}", spread(m.evidence)),
        ("  without them, picture by picture", f"{each:6.2f} s CPU  {against(each)}"),
    ]
    for label, figures in rows:
        print(f"  {label:<54}{figures}")
    print(f"  one core watches about {m.seconds / w:.1f} such channels in real time ({m.seconds / each:.1f} a whole "
          f"day, what is made once left out; ffmpeg alone would decode {m.seconds / f:.1f})")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60, help="of each programme (60)")
    ap.add_argument("--rounds", type=int, default=3, help="the best of how many runs each (3)")
    ap.add_argument("--only", choices=sorted(KINDS), help="one kind of channel only (both)")
    args = ap.parse_args()
    kinds = [KINDS[args.only]] if args.only else list(KINDS.values())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "c.toml").write_text(CAMPAIGN, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "ticker", "render", str(folder / "c.toml"), "-o", str(folder)],
                       check=True, capture_output=True)  # fmt: skip
        campaign = load_campaign(folder / "c.toml")
        made = [(kind, programme(folder, kind, args.seconds)) for kind in kinds]
        measured = [Measured(kind, args.seconds, decoder_threads(path), [], [], [], [], []) for kind, path in made]
        for n in range(args.rounds):  # the kinds and the ways of decoding interleaved: the machine's load shared
            for m, (kind, path) in zip(measured, made, strict=True):
                m.ffmpeg.append(ffmpeg_cpu(path, m.threads))
                m.floor.append(floor_cpu(path))
                cpu, m.airings = watch_cpu(path, campaign, folder / f"records-{kind.profile}-{n}")
                m.watched.append(cpu)
                m.refs.append(references_cpu(campaign))
                m.evidence.append(evidence_cpu(path, m.airings))
    for m in measured:
        report(m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
