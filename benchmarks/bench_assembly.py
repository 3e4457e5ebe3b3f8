"""Benchmark: ProRes files assembled from the band's encoded rows, against today's path and ffmpeg drawtext.

Measures, in one run, on the seed message of configs/hau-giang-ncovi.toml with the plain band bench_render.py
uses (no label, logo or QR code: what drawtext draws too):

1. slot: a --slot-seconds (default 300) 1080i50 ProRes 4444 clip made by `ticker.render.render` as it makes it
   by default (assembled: per picture only the macroblock rows the band touches are encoded, the still rows
   come from one frame encoded whole; a timed clip from one encoded period and copies), by today's path
   (`render(..., whole=True)`: whole pictures encoded, one period and stream copies), and by ffmpeg drawtext
   with the same encoder and options (prores_aw, profile 4, vendor apl0, yuva444p10le, +ildct), drawing 50
   fields a second woven top field first (bench_render.py's graph, section 5).
2. loops: the campaign's two outputs, the 1080i50 and the 576i50 ProRes 4444 loops (`loop=True`), made
   assembled and by today's path, and drawtext making a clip of the same number of frames with the same
   encoder (fields woven as above).
3. fillkey: a 1080i50 fill+key loop (format fillkey: prores_aw profile 3, yuv422p10le, +ildct, premultiplied
   fill), assembled and by today's path, and drawtext making the fill and the key in one ffmpeg run with the
   same encoder: drawtext over transparency, premultiplied, split into the fill and its alphaextract key (two
   outputs), as ticker's fillkey graph does (ticker.encode.ffmpeg_args.build_command).

Each: wall time with time.perf_counter (one run; --repeat N: the best of N), the ratios assembled/today,
assembled/drawtext and today/drawtext, and whether the assembled file's packets are byte-identical to today's
(`ffmpeg -i X -c copy -f framemd5 -` of both; a pair: the fill and the key). For the ticker renders, how the
time splits: the survey (crawl drawn, motion planned), the encode (strips, blitter, encoders, muxing,
publishing: the rest) and the checks before publication (ticker.render.plan_output and ticker.render._check timed
through wrappers this script installs; nothing in ticker/ is changed). Every ticker file is checked before
publication as always.

Run from the repository root:  .venv/bin/python benchmarks/bench_assembly.py [--slot-seconds 300] [--repeat N]
[--only slot|loops|fillkey]. Everything is written to a temporary directory, deleted at the end.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench_render import crawls, drawtext_filter, packets  # benchmarks/bench_render.py, beside this script

import ticker.render
from ticker.campaign.config import Output
from ticker.encode.ffmpeg_args import ffmpeg_exe
from ticker.engine.strip import rasterise
from ticker.engine.text_stage import look_for
from ticker.media.formats import FORMATS
from ticker.media.profiles import PROFILES
from ticker.render import render

QUIET = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y"]


class Phases:
    """Seconds spent in ticker.render.plan_output and ticker.render._check since the last reset, through wrappers
    put in their place in ticker.render (render calls them by those names)."""

    def __init__(self) -> None:
        self.survey = self.check = 0.0
        self._survey, self._check = ticker.render.plan_output, ticker.render._check

    def install(self) -> None:
        ticker.render.plan_output = self._timed(self._survey, "survey")
        ticker.render._check = self._timed(self._check, "check")

    def remove(self) -> None:
        ticker.render.plan_output, ticker.render._check = self._survey, self._check

    def reset(self) -> None:
        self.survey = self.check = 0.0

    def _timed(self, fn, name: str):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                setattr(self, name, getattr(self, name) + time.perf_counter() - t0)

        return timed


PHASES = Phases()


@dataclass
class Run:
    seconds: float
    survey: float
    check: float
    result: ticker.render.Result

    @property
    def encode(self) -> float:
        return self.seconds - self.survey - self.check

    def split(self) -> str:
        return (
            f"survey {self.survey:5.2f} s, encode {self.encode:6.2f} s ({self.encode / self.seconds:4.0%}), "
            f"checks {self.check:6.2f} s ({self.check / self.seconds:4.0%})"
        )


def ticker_run(crawl, output: Output, out: Path, repeat: int, **kw) -> Run:
    """The best of `repeat` renders (each into a folder of its own, the others' files removed)."""
    best = None
    for k in range(repeat):
        PHASES.reset()
        t0 = time.perf_counter()
        result = render(crawl, output, out / str(k), **kw)
        run = Run(time.perf_counter() - t0, PHASES.survey, PHASES.check, result)
        if best is not None and run.seconds >= best.seconds:
            shutil.rmtree(out / str(k), ignore_errors=True)
            continue
        if best is not None:
            shutil.rmtree(Path(best.result.path).parent, ignore_errors=True)
        best = run
    assert best is not None
    return best


def timed_command(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def packet_md5(path: Path) -> str:
    """ffmpeg's framemd5 of the file's packets as they are (stream copy): the same text for byte-identical
    packets in the same order with the same timestamps."""
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-c", "copy", "-f", "framemd5", "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def files_of(result) -> list[Path]:
    return [Path(result.path)] + ([Path(result.key)] if result.key else [])


def identical(a, b) -> str:
    """Whether the two renders' files (a pair: fill and key) have the same packets."""
    same = [packet_md5(x) == packet_md5(y) for x, y in zip(files_of(a), files_of(b))]
    names = ["fill", "key"] if len(same) == 2 else ["file"]
    if all(same):
        return "byte-identical"
    return "DIFFER (" + ", ".join(n for n, s in zip(names, same) if not s) + ")"


def text_file(crawl, tmp: Path) -> Path:
    textfile = tmp / "text.txt"
    textfile.write_text(crawl.text, encoding="utf-8")  # no trailing newline: it would be drawn
    return textfile


def drawtext_graph(crawl, profile, result, tmp: Path) -> str:
    """bench_render's drawtext graph for the band and speed of `result`, 50 fields a second woven."""
    baseline = rasterise(crawl.pieces, look_for(crawl, profile)).baseline
    seconds = result.frames / float(profile.rate)
    return drawtext_filter(
        crawl,
        text_file(crawl, tmp),
        profile,
        result.band_y,
        result.band_height,
        baseline,
        result.speed_px_per_s,
        seconds,
        fields=True,
    )


def drawtext_prores4444(crawl, profile, result, tmp: Path, repeat: int) -> float:
    """drawtext making a clip of the frames of `result` with ticker's ProRes 4444 encoder and options."""
    theirs = tmp / f"drawtext_{profile.id}.mov"
    cmd = [
        ffmpeg_exe(),
        *QUIET,
        "-f",
        "lavfi",
        "-i",
        drawtext_graph(crawl, profile, result, tmp),
        "-frames:v",
        str(result.frames),
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
    seconds = timed_command(cmd, repeat)
    assert packets(theirs) == result.frames, theirs
    theirs.unlink()
    return seconds


def drawtext_fillkey(crawl, profile, result, tmp: Path, repeat: int) -> float:
    """drawtext making the fill and the key of `result`'s pair in one run, with ticker's fillkey encoder and
    options: over transparency, premultiplied, split, the fill converted to video-range YUV and the key its
    alpha as video-range luma (ticker.encode.ffmpeg_args.build_command's graph for a pair)."""
    matrix = result_matrix(result)
    graph = (
        f"{drawtext_graph(crawl, profile, result, tmp)},premultiply=inplace=1,format=rgba,split[f][k];"
        f"[f]scale=out_color_matrix={matrix}:out_range=tv:interl=1,format=yuv422p10le[fill];"
        f"[k]alphaextract,scale=in_range=pc:out_range=tv:out_color_matrix={matrix},format=yuv422p10le[key]"
    )
    encoder = ["-c:v", "prores_aw", "-profile:v", "3", "-vendor", "apl0", "-pix_fmt", "yuv422p10le"]
    encoder += ["-flags", "+ildct", "-frames:v", str(result.frames), "-f", "mov"]
    fill, key = tmp / "drawtext_fill.mov", tmp / "drawtext_fill_A.mov"
    cmd = [ffmpeg_exe(), *QUIET, "-filter_complex", graph]
    cmd += ["-map", "[fill]", *encoder, str(fill), "-map", "[key]", *encoder, str(key)]
    seconds = timed_command(cmd, repeat)
    for f in (fill, key):
        assert packets(f) == result.frames, f
        f.unlink()
    return seconds


def result_matrix(result) -> str:
    fmt = FORMATS[result.format]
    return fmt.colour(PROFILES[result.profile]).matrix


def compare(name: str, crawl, output: Output, tmp: Path, repeat: int, drawtext) -> None:
    """Assembled, today's path and drawtext for one output; prints the figures."""
    work = tmp / name
    ours = ticker_run(crawl, output, work / "assembled", repeat)
    today = ticker_run(crawl, output, work / "today", repeat, whole=True)
    r = ours.result
    t_draw = drawtext(crawl, output.profile, r, work, repeat)
    same = identical(r, today.result)
    copies = " (one period encoded, the rest copied)" if r.encoded != r.frames else " (every frame encoded)"
    print(f"{name}: {r.frames} frames, {r.encoded} encoded{copies}")
    print(
        f"  assembled {ours.seconds:7.2f} s   today's path {today.seconds:7.2f} s   drawtext {t_draw:7.2f} s   "
        f"assembled/today {ours.seconds / today.seconds:.2f}   assembled/drawtext {ours.seconds / t_draw:.2f}   "
        f"today/drawtext {today.seconds / t_draw:.2f}"
    )
    print(f"  packets of the assembled file{'s' if r.key else ''} and today's: {same}")
    print(f"  assembled:    {ours.split()}")
    print(f"  today's path: {today.split()}", flush=True)
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--slot-seconds", type=float, default=300.0)
    ap.add_argument("--repeat", type=int, default=1, help="the best of N runs of each")
    ap.add_argument("--only", choices=("slot", "loops", "fillkey"), help="run this part alone")
    args = ap.parse_args()
    parts = [args.only] if args.only else ["slot", "loops", "fillkey"]
    tmp = Path(tempfile.mkdtemp(prefix="bench_assembly_"))
    PHASES.install()
    began = time.perf_counter()
    try:
        crawl = crawls(tmp)[0]  # the plain band, as bench_render compares with drawtext
        if "slot" in parts:
            output = Output("1080i50", "prores4444", False, args.slot_seconds)
            name = f"slot {args.slot_seconds:g} s 1080i50 prores4444"
            compare(name, crawl, output, tmp, args.repeat, drawtext_prores4444)
        if "loops" in parts:
            for profile in ("1080i50", "576i50"):
                output = Output(profile, "prores4444", True, None)
                compare(f"loop {profile} prores4444", crawl, output, tmp, args.repeat, drawtext_prores4444)
        if "fillkey" in parts:
            output = Output("1080i50", "fillkey", True, None)
            name = "loop 1080i50 fillkey (premultiplied fill + key)"
            compare(name, crawl, output, tmp, args.repeat, drawtext_fillkey)
        print(f"whole run {time.perf_counter() - began:.0f} s")
    finally:
        PHASES.remove()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
