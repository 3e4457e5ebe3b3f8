"""Benchmark: ticker against ffmpeg drawtext, and the blitter against a plain numpy copy.

Measures, in one run, on the seed message of configs/hau-giang-ncovi.toml:

1. Whole clip: a --seconds (default 60) 1080p50 qtrle .mov made by `ticker.render.render`, assembled from the
   band's lines (the default) and encoded whole (--straight), against ffmpeg's drawtext filter making the same
   clip (same text, font file, 54 px em size, colours, band drawn with drawbox at ticker's band_y/band_height,
   speed = ticker's result.speed_px_per_s, x = w - speed*t, qtrle argb over a transparent 1920x1080 rgba
   picture, same number of frames). The three in turn, --repeat times (default 3); wall time with
   time.perf_counter, each repetition printed and the best of each compared; the files are read back with PyAV
   and their video packets counted, and the assembled and straight files' decoded pictures compared.
2. Blitter throughput: `Blitter.frame(i)` pictures per second at 1080p50 (frames) and 1080i50 (fields, two per
   frame), against np.copyto of an array of the same bytes per picture (band, or half band for a field): for a
   plain band (no label, logo or QR code) and for the band with a label, a logo and a QR code (the blitter then
   hands over the taller region with the QR code, but writes only the crawl's window).
3. Size of the phase strips were they made whole (the blitter above is given them whole, so that it measures
   the copies alone), the buffers a render's blitter holds instead (a window and a half, slid along), and the
   sliding blitter's frames a second through one pass of the clip, its tiles made on the way.
4. Peak resident memory of a render process (ticker's Python side, not ffmpeg) for a clip of --seconds and
   for one three times as long, every frame encoded: memory must not grow with clip length.
5. Slot: a --slot-seconds (default 300) 1080i50 ProRes 4444 clip made from one encoded period and copies
   (`render`), the same clip encoded frame by frame (`render(..., straight=True)`), and ffmpeg drawtext making
   a clip of the same length with the same encoder and options (prores_aw, profile 4, yuva444p10le, +ildct):
   once drawing 50 fields a second woven top field first (the same file: the text moves every field), and once
   drawing 25 frames a second (less work for drawtext, and not the same motion). Both ticker
   files are checked before publication as always (the slot decodes its encoded runs, the straight clip every
   frame). The two ticker files' decoded pictures are compared by ffmpeg's framemd5.

Section 1 compares ticker's assembled and straight renders with drawtext; sections 2-4 measure the blitter and
memory; section 5 the slot.

Run from the repository root:  /tmp/venv/bin/python benchmarks/bench_render.py [--seconds 60] [--repeat N]
Everything is written to a temporary directory, deleted at the end.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import av  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from ticker.campaign.config import Output, load_campaign  # noqa: E402
from ticker.encode.ffmpeg_args import ffmpeg_exe  # noqa: E402
from ticker.encode.sink import QUEUE_DEPTH  # noqa: E402
from ticker.engine import Caches  # noqa: E402
from ticker.engine.blit import Blitter  # noqa: E402
from ticker.engine.strip import phase_strips, rasterise  # noqa: E402
from ticker.engine.survey import plan_for, scene_for  # noqa: E402
from ticker.engine.text_stage import look_for, prepare  # noqa: E402
from ticker.media.profiles import PROFILES  # noqa: E402
from ticker.render import render  # noqa: E402

CONFIG = ROOT / "configs" / "hau-giang-ncovi.toml"
MIN_WORK_S = 1.0
ROUNDS = 3  # blitter and plain copy measured alternately, best round of each: noise hits both alike


def best_of(repeat: int, fn):
    """Smallest wall time of `repeat` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def packets(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for p in container.demux(video=0) if p.size)


def esc(value: str) -> str:
    """A filter option value escaped for the option parser, then for the filtergraph parser."""
    for ch in "\\':":
        value = value.replace(ch, "\\" + ch)
    for ch in "\\'[],;":
        value = value.replace(ch, "\\" + ch)
    return value


def hexrgb(rgb) -> str:
    return "0x" + "".join(f"{c:02X}" for c in rgb)


def drawtext_filter(
    crawl,
    textfile: Path,
    profile,
    band_y: int,
    band_h: int,
    baseline: int,
    speed: float,
    seconds: float,
    fields: bool = False,
) -> str:
    """drawtext's graph; with `fields`, the text is drawn at the field rate and woven top field first, so
    that it moves 50 times a second like ticker's interlaced files."""
    s = crawl.campaign.style
    rate = profile.motion_rate if fields else profile.rate
    weave = ",tinterlace=mode=interleave_top,setfield=tff" if fields else ""
    return (
        f"color=c=black@0:s={profile.width}x{profile.height}:r={rate}:d={seconds:g},format=rgba,"
        f"drawbox=x=0:y={band_y}:w=iw:h={band_h}:color={hexrgb(s.band_color)}@{s.band_opacity:g}"
        f":t=fill:replace=1,"
        f"drawtext=fontfile={esc(str(crawl.font_path))}:textfile={esc(str(textfile))}:expansion=none"
        f":fontsize={s.size * profile.height:g}:fontcolor={hexrgb(s.color)}"
        f":x=w-{speed:g}*t:y={band_y + baseline}:y_align=baseline{weave}"
    )


def blitter_for(crawl, profile_id: str, seconds: float, whole: bool = True):
    """Built as ticker.render.render builds it; with `whole`, given the phase strips made whole."""
    profile = PROFILES[profile_id]
    look = look_for(crawl, profile)
    track = rasterise(crawl.pieces, look)
    plan = plan_for(crawl, Output(profile=profile_id, format="qtrle", loop=False, seconds=seconds), track)
    strips = phase_strips(track.at(plan.phases), look, plan.period, profile.width)
    scene = scene_for(crawl, profile, look, track, (0, 1, 2, 3), Caches())
    blank = scene.static[scene.band_top : scene.band_top + scene.band_height]
    given = strips.whole() if whole else strips
    return Blitter(given, scene, plan, profile.interlaced, buffers=QUEUE_DEPTH + 2), strips, blank


def crawls(folder: Path):
    """The seed campaign with a plain band (no label, logo or QR code), and with all three."""
    campaign = load_campaign(CONFIG)
    logo = folder / "logo.png"
    im = Image.new("RGBA", (240, 200), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((20, 0, 220, 200), fill=(255, 255, 255, 230))
    im.save(logo)
    plain = replace(campaign.style, label="", logo=None)
    layered = replace(campaign.style, label=campaign.style.label or "THÔNG BÁO", logo=logo)
    assert campaign.qr is not None
    return (
        prepare(replace(campaign, qr=None, style=plain), style=plain),
        prepare(replace(campaign, style=layered), style=layered),
    )


def blitter_ratios(crawl, seconds: float) -> tuple[float, float, float, float, tuple, tuple]:
    """Pictures a second of the blitter and of a plain copy of the band's bytes, at 1080p50 and 1080i50."""
    bp, _, blank_p = blitter_for(crawl, "1080p50", seconds)
    bi, _, blank_i = blitter_for(crawl, "1080i50", seconds)
    field_shape = (blank_i.shape[0] // 2, *blank_i.shape[1:])
    frames_p = copy_p = fields_i = copy_i = 0.0
    for _ in range(ROUNDS):
        frames_p = max(frames_p, calls_per_s(bp.frame, bp.plan.frames))
        copy_p = max(copy_p, copy_per_s(blank_p.shape, bp.plan.frames))
        fields_i = max(fields_i, 2 * calls_per_s(bi.frame, bi.plan.frames))
        copy_i = max(copy_i, copy_per_s(field_shape, bi.plan.pictures))
    return frames_p, copy_p, fields_i, copy_i, blank_p.shape, field_shape


def calls_per_s(fn, n: int) -> float:
    """Call fn(0..n-1) over and over, whole rounds, for at least MIN_WORK_S seconds."""
    done, t0 = 0, time.perf_counter()
    while True:
        for i in range(n):
            fn(i)
        done += n
        elapsed = time.perf_counter() - t0
        if elapsed >= MIN_WORK_S:
            return done / elapsed


def copy_per_s(shape, n: int) -> float:
    src, dst = np.full(shape, 7, dtype=np.uint8), np.empty(shape, dtype=np.uint8)
    return calls_per_s(lambda i: np.copyto(dst, src), n)


PEAK_RSS = """
import resource, sys
from pathlib import Path
from ticker.campaign.config import Output, load_campaign
from ticker.engine.text_stage import prepare
from ticker.render import render
render(prepare(load_campaign(sys.argv[1])), Output("1080p50", "qtrle", False, float(sys.argv[2])), Path(sys.argv[3]),
       straight=True)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mb(seconds: float, out: Path) -> float:
    """Peak resident set of a separate Python process rendering the clip (ffmpeg's own memory not counted)."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(CONFIG), str(seconds), str(out)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return int(done.stdout.split()[-1]) / 1024


def framemd5(path: Path) -> list[str]:
    """The checksums of the decoded pictures, as ffmpeg prints them."""
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v", "-f", "framemd5", "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return [line.split(",")[-1].strip() for line in done.stdout.splitlines() if not line.startswith("#")]


def slot_figures(crawl, seconds: float, tmp: Path) -> None:
    profile = PROFILES["1080i50"]
    frames = round(seconds * profile.rate)
    output = Output(profile="1080i50", format="prores4444", loop=False, seconds=seconds)
    t_slot, slot = best_of(1, lambda: render(crawl, output, tmp / "slot"))
    t_straight, straight = best_of(1, lambda: render(crawl, output, tmp / "straight", straight=True))
    baseline = rasterise(crawl.pieces, look_for(crawl, profile)).baseline
    textfile = tmp / "text.txt"
    textfile.write_text(crawl.text, encoding="utf-8")
    times = {}
    for fields in (True, False):
        graph = drawtext_filter(
            crawl,
            textfile,
            profile,
            slot.band_y,
            slot.band_height,
            baseline,
            slot.speed_px_per_s,
            seconds,
            fields=fields,
        )
        theirs = tmp / f"drawtext_1080i50_{fields}.mov"
        cmd = [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-nostats",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            graph,
            "-frames:v",
            str(frames),
            "-c:v",
            "prores_aw",
            "-profile:v",
            "4",
            "-vendor",
            "apl0",
            "-pix_fmt",
            "yuva444p10le",
            "-flags",
            "+ildct",
            "-f",
            "mov",
            str(theirs),
        ]
        times[fields], _ = best_of(1, lambda cmd=cmd: subprocess.run(cmd, check=True))
        assert packets(theirs) == frames
    same = framemd5(Path(slot.path)) == framemd5(Path(straight.path))
    print(
        f"slot {seconds:g} s 1080i50 prores4444: {slot.encoded} of {slot.frames} frames encoded; "
        f"decoded pictures of slot and straight render {'identical' if same else 'DIFFER'}; "
        f"frames {packets(Path(slot.path))}/{packets(Path(straight.path))}"
    )
    print(
        f"slot {t_slot:6.2f} s   straight {t_straight:6.2f} s   drawtext (50 fields/s) {times[True]:6.2f} s   "
        f"drawtext (25 frames/s) {times[False]:6.2f} s"
    )
    print(
        f"slot/drawtext {t_slot / times[True]:.2f} (fields), {t_slot / times[False]:.2f} (frames)   "
        f"straight/drawtext {t_straight / times[True]:.2f} (fields), {t_straight / times[False]:.2f} (frames)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--slot-seconds", type=float, default=300.0, help="0: leave the slot out")
    ap.add_argument("--slot-only", action="store_true", help="measure the slot (section 5) only")
    args = ap.parse_args()
    if args.slot_only:
        tmp = Path(tempfile.mkdtemp(prefix="bench_render_"))
        try:
            slot_figures(crawls(tmp)[0], args.slot_seconds, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return

    profile = PROFILES["1080p50"]
    frames = round(args.seconds * profile.rate)
    tmp = Path(tempfile.mkdtemp(prefix="bench_render_"))
    try:
        plain, layered = crawls(tmp)
        crawl = plain  # against drawtext: the same plain band
        # 1. whole clip
        output = Output(profile="1080p50", format="qtrle", loop=False, seconds=args.seconds)
        res = render(crawl, output, tmp / "ticker")  # its figures, for drawtext's graph
        baseline = rasterise(crawl.pieces, look_for(crawl, profile)).baseline  # no accessor on Result
        textfile = tmp / "text.txt"
        textfile.write_text(crawl.text, encoding="utf-8")  # no trailing newline: it would be drawn
        graph = drawtext_filter(
            crawl, textfile, profile, res.band_y, res.band_height, baseline, res.speed_px_per_s, args.seconds
        )
        theirs = tmp / "drawtext.mov"
        cmd = [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-nostats",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            graph,
            "-frames:v",
            str(frames),
            "-c:v",
            "qtrle",
            "-pix_fmt",
            "argb",
            "-f",
            "mov",
            str(theirs),
        ]
        times: dict[str, list[float]] = {"assembled": [], "straight": [], "drawtext": []}
        made: dict[str, Path] = {}
        for _ in range(args.repeat):  # the three in turn, so that a slow spell of the machine hits each alike
            for way in times:
                shutil.rmtree(tmp / way, ignore_errors=True)
                t0 = time.perf_counter()
                if way == "drawtext":
                    subprocess.run(cmd, check=True)
                    made[way] = theirs
                else:
                    made[way] = Path(render(crawl, output, tmp / way, straight=way == "straight").path)
                times[way].append(time.perf_counter() - t0)
        t_ours, t_straight, t_theirs = (min(times[w]) for w in ("assembled", "straight", "drawtext"))
        n_ours, n_theirs = packets(made["assembled"]), packets(theirs)
        same = framemd5(made["assembled"]) == framemd5(made["straight"])
        mb_ours, mb_theirs = made["assembled"].stat().st_size / 1e6, theirs.stat().st_size / 1e6
        print(f"drawtext graph: {graph}")
        print(
            f"ticker:   {t_ours:7.2f} s  {n_ours} packets (expected {frames})  {mb_ours:.0f} MB  "
            f"speed {res.speed_px_per_s} px/s  band y={res.band_y} h={res.band_height} baseline +{baseline}"
        )
        print(f"drawtext: {t_theirs:7.2f} s  {n_theirs} packets (expected {frames})  {mb_theirs:.0f} MB")
        for way, ts in times.items():
            print(f"  {way:<9} " + "  ".join(f"{t:6.2f} s" for t in ts))
        print(
            "  per repetition, assembled/drawtext "
            + " ".join(f"{a / d:.2f}" for a, d in zip(times["assembled"], times["drawtext"]))
            + ", assembled/straight "
            + " ".join(f"{a / b:.2f}" for a, b in zip(times["assembled"], times["straight"]))
            + f"; decoded pictures of assembled and straight {'identical' if same else 'DIFFER'}"
        )

        # 2. blitter throughput, plain band and band with label, logo and QR code
        figures = {name: blitter_ratios(c, args.seconds) for name, c in (("plain", plain), ("layered", layered))}
        _, strips_p, _ = blitter_for(plain, "1080p50", args.seconds, whole=False)
        _, strips_i, _ = blitter_for(plain, "1080i50", args.seconds, whole=False)

        # 3. memory
        whole_p, whole_i = np.prod(strips_p.shape) / 1e6, np.prod(strips_i.shape) / 1e6
        sliding, _, _ = blitter_for(plain, "1080p50", args.seconds, whole=False)
        t0 = time.perf_counter()
        for i in range(sliding.plan.frames):
            sliding.frame(i)
        one_pass = sliding.plan.frames / (time.perf_counter() - t0)
        print(
            f"phase strips 1080p50 {strips_p.shape} {whole_p:.1f} MB, 1080i50 {strips_i.shape} {whole_i:.1f} MB "
            f"were they whole; held by a render's blitter {sliding.strips.nbytes / 1e6:.1f} MB (1080p50)"
        )
        print()
        print(
            f"clip {args.seconds:g} s 1080p50 qtrle   ticker {t_ours:6.2f} s   drawtext {t_theirs:6.2f} s   "
            f"ratio {t_ours / t_theirs:.2f}   straight {t_straight:6.2f} s (ratio {t_ours / t_straight:.2f})   "
            f"frames {n_ours}/{n_theirs}   (best of {args.repeat} each)"
        )
        for name, (frames_p, copy_p, fields_i, copy_i, shape_p, shape_i) in figures.items():
            print(
                f"blitter 1080p50 {name:<8} {frames_p:8.0f} frames/s   plain copy {copy_p:8.0f}/s "
                f"({np.prod(shape_p) / 1e3:.0f} kB)   ratio {frames_p / copy_p:.2f}"
            )
            print(
                f"blitter 1080i50 {name:<8} {fields_i:8.0f} fields/s   plain copy {copy_i:8.0f}/s "
                f"({np.prod(shape_i) / 1e3:.0f} kB)   ratio {fields_i / copy_i:.2f}"
            )
        (p0, c0, i0, ci0, *_), (p1, c1, i1, ci1, *_) = figures["plain"], figures["layered"]
        print(
            f"layered / plain blitter ratio: 1080p50 {(p1 / c1) / (p0 / c0):.2f}, 1080i50 {(i1 / ci1) / (i0 / ci0):.2f}"
        )
        print(
            f"phase strips      {whole_p:.1f} MB whole, {sliding.strips.nbytes / 1e6:.1f} MB held (1080p50); "
            f"sliding blitter {one_pass:.0f} frames/s through one pass, tiles made on the way"
        )
        rss = [peak_rss_mb(k * args.seconds, tmp / f"rss{k}") for k in (1, 3)]
        print(
            f"peak memory       {rss[0]:.0f} MB for {args.seconds:g} s, {rss[1]:.0f} MB for {3 * args.seconds:g} s"
            f"   ratio {rss[1] / rss[0]:.2f}"
        )
        if args.slot_seconds:
            slot_figures(plain, args.slot_seconds, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
