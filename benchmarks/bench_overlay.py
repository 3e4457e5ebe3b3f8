"""What compositing the crawl costs a picture at 576i50 and 1080i50, with a band of ticker's (a QR code above it):
ticker.air.blend.blend into a yuv420p picture (interlaced), beside, in the same process and on the same
picture and clip frames, (1) a numpy copy of the picture's planes, (2) ffmpeg's overlay filter (yuv420) in
PyAV's filter graph, the clip given as RGBA (converted each picture, as blend does) and given already converted
to yuva420p (its blend alone). Also what else the crawl costs a picture: reading the clip's frame (Clip.frame:
decoding, and on the first pass finding the area) for QuickTime Animation and ProRes 4444, and making a decoded
picture writable (picture_planes: a copy of a picture the decoder keeps to predict from); and, for scale, what
encoding a picture costs (mpeg2video at 4 Mb/s, libx264 at 6 Mb/s with --x264-preset, coded interlaced, as
bench_watch's channels), the pictures decoded again for picture_planes. Each figure is the mean over the clip's
frames (a pass), the best of ROUNDS passes, wall and CPU (user+sys, every thread) time.

    python benchmarks/bench_overlay.py [--rounds 3] [--x264-preset veryfast]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from ticker.air.blend import blend, matrix_of, picture_planes
from ticker.air.overlay import Clip
from ticker.media import PROFILES

CAMPAIGN = """[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI để khai báo y tế."
[style]
preset = "news"
[qr]
url = "https://ncovi.vn"
[motion]
crossing_seconds = 4
"""
PROFILE_IDS = ("576i50", "1080i50")
FORMAT_IDS = ("qtrle", "prores4444")
ENCODERS = {
    "576i50": ("mpeg2video", {"b": "4M", "maxrate": "4M", "bufsize": "1835k", "g": "12", "bf": "2"}),
    "1080i50": ("libx264", {"b": "6M", "maxrate": "6M", "bufsize": "6M", "x264opts": "tff=1"}),
}
PICTURES = 50  # clip frames (and pictures encoded) a pass


@dataclass
class Figure:
    """Per-call times (ms) of one way, the best pass's mean."""

    wall: float = float("inf")
    cpu: float = float("inf")

    def take(self, walls: list[float], cpus: list[float]) -> None:
        self.wall = min(self.wall, statistics.fmean(walls) * 1000)
        self.cpu = min(self.cpu, statistics.fmean(cpus) * 1000)


def timed(calls: list[Callable[[], object]]) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for call in calls:
        w, c = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return walls, cpus


def render(folder: Path) -> dict[tuple[str, str], Path]:
    outputs = "".join(
        f'[[output]]\nprofile = "{p}"\nformat = "{f}"\nloop = true\n' for p in PROFILE_IDS for f in FORMAT_IDS
    )
    (folder / "c.toml").write_text(CAMPAIGN + outputs, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ticker", "render", str(folder / "c.toml"), "-o", str(folder / "out"),
                           "--json"], check=True, capture_output=True, text=True)  # fmt: skip
    return {(o["format"], o["profile"]): Path(o["path"]) for o in json.loads(done.stdout)["outputs"]}


def overlay_graph(width: int, height: int, matrix: str, clip_format: str):
    """ffmpeg's overlay filter over a yuv420p picture tagged with the matrix, limited range: the graph (kept while
    its filters are used) and its picture's, clip's and output's ends."""
    space = {"bt601": "bt470bg", "bt709": "bt709"}[matrix]
    g = av.filter.Graph()
    main = g.add("buffer", f"video_size={width}x{height}:pix_fmt=yuv420p:time_base=1/25:pixel_aspect=1/1:"
                           f"colorspace={space}:range=tv")  # fmt: skip
    clip = g.add("buffer", f"video_size={width}x{height}:pix_fmt={clip_format}:time_base=1/25:pixel_aspect=1/1:"
                           f"colorspace={space}:range=tv")  # fmt: skip
    overlay, sink = g.add("overlay", "format=yuv420:eof_action=pass"), g.add("buffersink")
    main.link_to(overlay, 0, 0)
    clip.link_to(overlay, 0, 1)
    overlay.link_to(sink)
    g.configure()
    return g, main, clip, sink


def converted(rgba: np.ndarray, matrix: str):
    """The clip's frame as yuva420p by ffmpeg (scale with the matrix, limited range)."""
    space = {"bt601": "bt470bg", "bt709": "bt709"}[matrix]
    h, w = rgba.shape[:2]
    g = av.filter.Graph()
    src = g.add("buffer", f"video_size={w}x{h}:pix_fmt=rgba:time_base=1/25:pixel_aspect=1/1")
    scale, fmt, sink = (
        g.add("scale", f"out_color_matrix={space}:out_range=tv"),
        g.add("format", "yuva420p"),
        g.add("buffersink"),
    )
    src.link_to(scale)
    scale.link_to(fmt)
    fmt.link_to(sink)
    g.configure()
    frame = av.VideoFrame.from_ndarray(rgba, format="rgba")
    frame.pts = 0
    src.push(frame)
    return sink.pull()


def programme(profile: str) -> list[av.VideoFrame]:
    """PICTURES of ffmpeg's moving testsrc2 at the profile's size and frame rate (PyAV's libraries have no
    filter that weaves fields: the pictures are progressive, coded as interlaced)."""
    p = PROFILES[profile]
    source = f"testsrc2=size={p.width}x{p.height}:rate={p.rate},format=yuv420p"
    with av.open(source, format="lavfi") as c:
        frames = []
        for frame in c.decode(video=0):
            frames.append(frame)
            if len(frames) == PICTURES:
                return frames
    return frames


def encode_calls(
    profile: str, preset: str, pictures: list[av.VideoFrame], packets: list[av.Packet]
) -> list[Callable[[], object]]:
    """Encoding each picture (the encoder opened and warmed before), the packets kept in `packets`."""
    name, options = ENCODERS[profile]
    p = PROFILES[profile]
    ctx = av.CodecContext.create(name, "w")
    ctx.width, ctx.height, ctx.pix_fmt, ctx.time_base = p.width, p.height, "yuv420p", 1 / p.rate
    ctx.framerate = p.rate
    ctx.flags |= av.codec.context.Flags.interlaced_dct | av.codec.context.Flags.interlaced_me
    ctx.options = {**options, **({"preset": preset} if name == "libx264" else {})}
    ctx.open()
    for i, f in enumerate(pictures[:10]):
        f.pts = i
        ctx.encode(f)
    calls = []
    for i, f in enumerate(pictures):
        f.pts = 10 + i
        calls.append(lambda f=f: packets.extend(ctx.encode(f)))
    return calls


def writable(profile: str, packets: list[av.Packet]) -> tuple[list[float], list[float]]:
    """picture_planes on each picture as it is decoded from `packets`: a copy of those the decoder keeps."""
    ctx = av.CodecContext.create(ENCODERS[profile][0].replace("libx264", "h264"), "r")
    walls, cpus = [], []
    for packet in packets:
        for frame in ctx.decode(packet):
            w, c = timed([lambda frame=frame: picture_planes(frame)])
            walls += w
            cpus += c
    return walls, cpus


def measure(profile: str, clips: dict[tuple[str, str], Path], rounds: int, preset: str) -> None:
    p = PROFILES[profile]
    matrix = matrix_of(p)
    with Clip(clips["qtrle", profile], p) as clip:
        frames = [(np.array(clip.frame(i)), clip.area(i)) for i in range(min(PICTURES, clip.frames))]
    area = sum((b.bottom - b.top) * (b.right - b.left) for b in frames[0][1])
    picture = av.VideoFrame(p.width, p.height, "yuv420p")
    planes = picture_planes(picture)
    rng = np.random.default_rng(0)
    for plane in planes:
        plane[...] = rng.integers(16, 236, plane.shape, np.uint8)
    copies = [np.empty_like(x) for x in planes]
    with_rgba = overlay_graph(p.width, p.height, matrix, "rgba")
    rgba_frames = [av.VideoFrame.from_ndarray(rgba, format="rgba") for rgba, _ in frames]
    with_yuva = overlay_graph(p.width, p.height, matrix, "yuva420p")
    yuva_frames = [converted(rgba, matrix) for rgba, _ in frames]

    def ffmpeg(graph, clip_frame, n):
        _, main, over, sink = graph
        picture.pts = clip_frame.pts = n
        main.push(picture)
        over.push(clip_frame)
        return sink.pull()

    ways: dict[str, Figure] = {}
    pictures = programme(profile)
    counter = iter(range(10**9))
    for _ in range(rounds):
        passes = {
            "blend (ticker.air.overlay)": [
                lambda f=f: blend(planes, f[0], matrix, area=f[1], interlaced=p.interlaced) for f in frames
            ],
            "numpy copy of the picture": [lambda: [np.copyto(c, x) for c, x in zip(copies, planes)] for _ in frames],
            "ffmpeg overlay, the clip RGBA": [lambda f=f: ffmpeg(with_rgba, f, next(counter)) for f in rgba_frames],
            "ffmpeg overlay, the clip yuva420p": [lambda f=f: ffmpeg(with_yuva, f, next(counter)) for f in yuva_frames],
        }
        for fmt in FORMAT_IDS:
            with Clip(clips[fmt, profile], p) as clip:
                n = min(PICTURES, clip.frames)
                first = timed([lambda i=i: clip.frame(i) for i in range(n)])
                again = timed([lambda i=i: clip.frame(i) for i in range(n)])
            ways.setdefault(f"Clip.frame, {fmt}, first pass", Figure()).take(*first)
            ways.setdefault(f"Clip.frame, {fmt}, next passes", Figure()).take(*again)
        name = ENCODERS[profile][0]
        packets: list[av.Packet] = []
        passes[f"encode: {name}" + (f" -preset {preset}" if name == "libx264" else "")] = encode_calls(
            profile, preset, pictures, packets
        )
        for label, calls in passes.items():
            ways.setdefault(label, Figure()).take(*timed(calls))
        ways.setdefault("picture_planes of a decoded picture", Figure()).take(*writable(profile, packets))
    ours = ways["blend (ticker.air.overlay)"]
    print(f"\n{profile} ({p.width}x{p.height}, {matrix}), the clip's area {area} pixels of {p.width * p.height} "
          f"({area / (p.width * p.height):.0%}) in {len(frames[0][1])} boxes; ms a picture, mean of "
          f"{len(frames)}, best of {rounds}")  # fmt: skip
    print(f"  {'':<44}{'wall':>8}{'CPU':>8}{'CPU ÷ blend':>13}")
    for label, f in ways.items():
        print(f"  {label:<44}{f.wall:8.2f}{f.cpu:8.2f}{f.cpu / ours.cpu:13.2f}")
    encode = next(f for label, f in ways.items() if label.startswith("encode"))
    planes_cost = ways["picture_planes of a decoded picture"].cpu
    for fmt in FORMAT_IDS:
        crawl = ours.cpu + planes_cost + ways[f"Clip.frame, {fmt}, next passes"].cpu
        print(f"  the crawl from {fmt} (picture_planes, Clip.frame, blend): {crawl:.2f} ms CPU a picture, "
              f"{crawl / encode.cpu:.0%} of encoding the picture")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="the best of how many passes each (3)")
    ap.add_argument("--x264-preset", default="veryfast", help="libx264's preset for the 1080i50 encoding (veryfast)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clips = render(Path(tmp))
        for profile in PROFILE_IDS:
            measure(profile, clips, args.rounds, args.x264_preset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
