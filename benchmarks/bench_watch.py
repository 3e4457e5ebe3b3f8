"""What recognising the crawl costs beside decoding the channel: a programme of SECONDS at 576i50 (H.264, the
crawl overlaid half the time), decoded (1) by ffmpeg to nothing (`ffmpeg -threads 1 -i SOURCE -f null -`, its
user+sys CPU), (2) by PyAV in this process with each picture's Y plane taken, as `ticker watch` decodes, and (3) by
`ticker watch`'s own loop (decode and recognition), best of three each, in one run.

    python benchmarks/bench_watch.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import av

from ticker.campaign import load_campaign
from ticker.encode.ffmpeg_args import ffmpeg_exe
from ticker.records import Records
from ticker.watch import watch_recording
from ticker.watch.pictures import luma_of

CAMPAIGN = """[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI để khai báo y tế."
[motion]
crossing_seconds = 8
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
START = dt.datetime(2020, 3, 12, 6, 29, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "c.toml").write_text(CAMPAIGN, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "ticker", "render", str(folder / "c.toml"), "-o", str(folder)],
                       check=True, capture_output=True)  # fmt: skip
        loop = folder / "ncovi_576i50_qtrle_loop.mov"
        programme = folder / "programme.ts"
        half = args.seconds / 2
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=size=720x576:rate=25:duration={args.seconds}", "-stream_loop", "-1", "-i", str(loop),
                        "-filter_complex", f"[0:v][1:v]overlay=0:0:enable='lt(t,{half})':eof_action=pass[v]",
                        "-map", "[v]", "-t", str(args.seconds), "-c:v", "libx264", "-b:v", "4M",
                        "-flags", "+ildct+ilme", "-x264opts", "tff=1", "-f", "mpegts", str(programme)],
                       check=True)  # fmt: skip
        campaign = load_campaign(folder / "c.toml")
        ffmpeg, pyav, watched = [], [], []
        for n in range(3):
            before = cpu_children()
            subprocess.run([ffmpeg_exe(), "-v", "error", "-threads", "1", "-i", str(programme), "-f", "null", "-"],
                           check=True)  # fmt: skip
            ffmpeg.append(cpu_children() - before)
            before = cpu_self()
            with av.open(str(programme)) as c:
                for frame in c.decode(video=0):
                    luma_of(frame)
            pyav.append(cpu_self() - before)
            before = cpu_self()
            with Records.open(folder / f"records{n}") as records:
                found = watch_recording(programme, START, "HGTV", [campaign], records)
            watched.append(cpu_self() - before)
        airings = sum(r.kind == "airing" for r in found.records)
    f, p, w = min(ffmpeg), min(pyav), min(watched)
    print(f"{args.seconds} s of 576i50 H.264 at 4 Mb/s, the crawl on for half of it ({airings} airing found)")
    print(f"ffmpeg -threads 1 … -f null -:        {f:6.2f} s CPU")
    print(f"PyAV decode, Y plane (the floor): {p:6.2f} s CPU  = {p / f:.2f} × ffmpeg's")
    print(f"ticker watch (decode + recognition): {w:6.2f} s CPU  = {w / p:.2f} × the floor, {w / f:.2f} × ffmpeg's")
    print(f"one core watches about {args.seconds / w:.1f} such channels in real time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
