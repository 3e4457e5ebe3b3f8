"""What `ticker air` costs a channel, beside a plain ffmpeg re-encode of the same stream with the same encoder
settings, in one run: user+sys CPU seconds and sustained pictures a second (read as fast as they come from a
file, not paced), for 576i50 MPEG-2 in → MPEG-2 out and 1080i50 H.264 in → H.264 out (the station's encoder and
bit rate, coded as ticker.air.stream.Coding codes it). Four ways, each the best of ROUNDS:

- ffmpeg: the bundled ffmpeg re-encoding the programme to a constant-rate transport stream, sound copied;
- ffmpeg, overlay: the same with the crawl's clip laid over every picture by ffmpeg's overlay filter;
- air, no crawl: ticker.air.stream.run with no airing (decoding, re-encoding, multiplexing in Python);
- air, crawl: the same with the crawl composited on every picture (a QuickTime Animation loop of ticker's).

    python benchmarks/bench_air.py [--seconds 20] [--rounds 3] [--case "576i50 MPEG-2"]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import cast

import av

from ticker.air.blend import Ready, blend_ready, chroma_of, matrix_of, picture_planes
from ticker.air.overlay import Clip
from ticker.air.plan import Insertion
from ticker.air.stream import Coding, Inserter, run
from ticker.encode import ffmpeg_exe
from ticker.media import PROFILES
from ticker.station.file import Channel, Network

CAMPAIGN = """[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI để khai báo y tế, gọi đường dây nóng 1900 9095."
[motion]
crossing_seconds = 8
[[output]]
profile = "{profile}"
format = "qtrle"
loop = true
"""
CASES = {
    "576i50 MPEG-2": ("576i50", "mpeg2", 4_000_000, 0x01),
    "1080i50 H.264": ("1080i50", "h264", 10_000_000, 0x19),
}


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _programme(folder: Path, profile: str, encoder: str, seconds: int) -> Path:
    p = PROFILES[profile]
    path = folder / f"programme-{profile}.ts"
    picture = f"testsrc2=size={p.width}x{p.height}:rate={p.rate * 2},interlace=scan=tff:lowpass=0"
    video = ["-c:v", "mpeg2video", "-b:v", "6M"] if encoder == "mpeg2" else ["-c:v", "libx264", "-b:v", "12M"]
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i",
                    "sine=frequency=1000:sample_rate=48000", "-t", str(seconds), *video, "-flags", "+ildct+ilme",
                    "-c:a", "mp2", "-b:a", "192k", "-f", "mpegts", "-y", str(path)], check=True)  # fmt: skip
    return path


def _clip(folder: Path, profile: str) -> Path:
    (folder / f"c-{profile}.toml").write_text(CAMPAIGN.format(profile=profile), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ticker", "render", str(folder / f"c-{profile}.toml"), "-o", str(folder)],
                   check=True, capture_output=True)  # fmt: skip
    return folder / f"ncovi_{profile}_qtrle_loop.mov"


def _ffmpeg(programme: Path, coding: Coding, out: Path) -> None:
    named = {"profile": "profile:v", "level": "level:v"}  # as ffmpeg's command line names them for the video
    options = [a for k, v in coding.options.items() for a in (f"-{named.get(k, k)}", v)]
    mux = [a for k, v in coding.mux.items() for a in (f"-{k}", v)]
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(programme), "-c:v", coding.codec, "-b:v",
                    str(coding.bitrate), *options, "-c:a", "copy", *mux, "-f", "mpegts", "-y", str(out)],
                   check=True)  # fmt: skip


def _ffmpeg_overlay(programme: Path, clip: Path, coding: Coding, out: Path) -> None:
    """The same re-encode with the clip laid over every picture by ffmpeg's own overlay filter: what inserting
    the crawl costs ffmpeg, its encoder coding the band's moving text included."""
    named = {"profile": "profile:v", "level": "level:v"}
    options = [a for k, v in coding.options.items() for a in (f"-{named.get(k, k)}", v)]
    mux = [a for k, v in coding.mux.items() for a in (f"-{k}", v)]
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(programme), "-stream_loop", "-1", "-i", str(clip),
                    "-filter_complex", "[0:v][1:v]overlay=shortest=1:format=yuv420,format=yuv420p[v]", "-map", "[v]",
                    "-map", "0:a", "-c:v", coding.codec, "-b:v", str(coding.bitrate), *options, "-c:a", "copy", *mux,
                    "-f", "mpegts", "-y", str(out)], check=True)  # fmt: skip


def _air(programme: Path, channel: Channel, clip: Path | None, out: Path) -> int:
    always = dt.datetime(1970, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    airings = [Insertion("ncovi", "NCOVI", clip, *always, "sha256:bench", (), True)] if clip else []
    profile = PROFILES[channel.picture or "576i50"]
    return run(str(programme), str(out), channel, Inserter(lambda: airings, profile), stop=threading.Event())


def _parts(programme: Path, clip: Path, coding: Coding) -> dict[str, float]:
    """Where the crawl's cost goes, CPU milliseconds a picture: the encoder given the programme's pictures and
    given them with the crawl (the same encoder settings), reading the clip's pictures, and blending them."""
    profile = coding.profile
    with av.open(str(programme)) as c:
        plain = list(c.decode(video=0))
    crawled = [f.reformat(format="yuv420p") for f in plain]  # (copies)

    def encoded(pictures: list[av.VideoFrame]) -> float:
        ctx = cast(av.VideoCodecContext, av.CodecContext.create(coding.codec, "w"))
        ctx.width, ctx.height, ctx.pix_fmt, ctx.bit_rate = profile.width, profile.height, "yuv420p", coding.bitrate
        ctx.time_base, ctx.framerate = Fraction(1) / Fraction(profile.rate), Fraction(profile.rate)
        ctx.options = dict(coding.options)
        cpu = _cpu()
        for i, f in enumerate(pictures):
            f.pts, f.time_base, f.pict_type = i, ctx.time_base, av.video.frame.PictureType.NONE
            ctx.encode(f)
        ctx.encode(None)
        return (_cpu() - cpu) * 1000 / len(pictures)

    found: dict[str, float] = {"encoder, programme": encoded(plain)}
    chroma = chroma_of(picture_planes(crawled[0]), profile.interlaced)
    taken: list[tuple[Ready, ...]] = []
    with Clip(clip, profile) as read:
        for name in ("clip read, its first pass", "clip read, next passes"):
            spent = 0.0
            for i in range(read.frames):
                cpu = _cpu()
                taken.append(read.ready(i, matrix_of(profile), chroma))  # (read, converted, made ready to blend)
                spent += _cpu() - cpu
            found[name] = spent * 1000 / read.frames
    taken = [taken[i % len(taken)] for i in range(len(crawled))]
    cpu = _cpu()
    for made, f in zip(taken, crawled, strict=True):
        blend_ready(picture_planes(f), made, chroma)
    found["blend"] = (_cpu() - cpu) * 1000 / len(crawled)
    found["encoder, with the crawl"] = encoded(crawled)
    return found


def main() -> None:
    given = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    given.add_argument("--seconds", type=int, default=20)
    given.add_argument("--rounds", type=int, default=3)
    given.add_argument("--case", choices=[*CASES], action="append", help="this case only (default: each)")
    args = given.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'case':16} {'way':14} {'CPU s':>7} {'wall s':>7} {'pictures/s':>10} {'CPU / ffmpeg':>12}")
        for name, (profile, encoder, bitrate, service_type) in CASES.items():
            if args.case and name not in args.case:
                continue
            programme, clip = _programme(folder, profile, encoder, args.seconds), _clip(folder, profile)
            network = Network(1, 1, 101, service_type, encoder, bitrate)  # type: ignore[arg-type]
            channel = Channel("bench", profile, False, network)
            coding = Coding.of(channel, 192_000)
            pictures = args.seconds * int(PROFILES[profile].rate)
            ways = ("ffmpeg", "ffmpeg, overlay", "air, no crawl", "air, crawl")
            best: dict[str, tuple[float, float]] = {}
            for _ in range(args.rounds):
                for way in ways:
                    cpu, wall = _cpu(), time.perf_counter()
                    if way == "ffmpeg":
                        _ffmpeg(programme, coding, folder / "ffmpeg.ts")
                    elif way == "ffmpeg, overlay":
                        _ffmpeg_overlay(programme, clip, coding, folder / "ffmpeg.ts")
                    else:
                        _air(programme, channel, clip if way == "air, crawl" else None, folder / "air.ts")
                    took = (_cpu() - cpu, time.perf_counter() - wall)
                    best[way] = min(best.get(way, took), took)
            for way, (cpu, wall) in best.items():
                print(f"{name:16} {way:14} {cpu:7.2f} {wall:7.2f} {pictures / wall:10.1f} "
                      f"{cpu / best['ffmpeg'][0]:12.2f}")  # fmt: skip
            crawl = (best["air, crawl"][0] - best["air, no crawl"][0]) / best["air, no crawl"][0]
            theirs = (best["ffmpeg, overlay"][0] - best["ffmpeg"][0]) / best["ffmpeg"][0]
            print(f"{name:16} the crawl adds {crawl:.0%} CPU to ticker air's own re-encode ({theirs:.0%} to ffmpeg's)")
            parts = _parts(programme, clip, coding)
            base = parts["encoder, programme"]
            print(f"{name:16} CPU ms a picture: " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))
            print(f"{name:16} of the crawl's cost, against the encoder's own: the encoder coding the band "
                  f"{(parts['encoder, with the crawl'] - base) / base:+.0%}, reading the clip "
                  f"{parts['clip read, its first pass'] / base:+.0%} ({parts['clip read, next passes'] / base:+.0%}"
                  f" on a loop's next passes), blending {parts['blend'] / base:+.0%}")  # fmt: skip


if __name__ == "__main__":
    main()
