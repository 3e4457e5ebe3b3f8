"""Programmes as a channel airs them, with ticker's crawl inserted at known times: the truth a recogniser of the
crawl in a channel's output is measured against.

`crawl_loop` renders a short loop of a small campaign with alpha; `overlaid` lays it over a moving picture of
ffmpeg's own during each `Insert` and encodes the whole as a channel's transport stream (interlaced H.264 or
MPEG-2, with silent sound), black without the band during each `Loss` of the signal; `burned_in` is ticker's
own transport stream, the crawl burned into a programme from its first picture to its last; `variant` makes of
a programme what another chain would air: down-converted to SD, the 4:3 centre cut, shifted down 4 lines,
re-encoded at a low bit rate; `track` says where the crawl's text is at each moment of its loop as the engine
drew it, so that the passes an airing showed are counted without the recogniser. Times are seconds of the
programme: the picture of frame n is shown at n / rate, and an insert covers the frames from round(start · rate)
to before round(end · rate), the clip's frame 0 on the first of them (so its times are on the frame grid:
multiples of 1/25 s at 25 frames a second). Frames are counted from the stream's first picture, whatever its
timestamp."""

from __future__ import annotations

import itertools
import json
import math
import shlex
import subprocess
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Literal

from ticker.campaign import load_campaign
from ticker.encode.ffmpeg_args import ffmpeg_exe
from ticker.engine import plan
from ticker.media import PROFILES, Profile

from support.running import run_ticker

Codec = Literal["h264", "mpeg2"]
Under = Literal["testsrc2", "mandelbrot", "smptehdbars"]
Kind = Literal["sd", "centre-cut", "shift4", "low-bitrate"]
Burned = Literal["ts-h264", "ts-mpeg2"]

CAMPAIGN = """
[campaign]
name = "programme"
start = 2020-03-01
end = 2020-03-31
[[message]]
text = "Đề nghị người dân tải ứng dụng Khai báo y tế"
[motion]
crossing_seconds = {crossing}
[[output]]
profile = "{profile}"
format = "prores4444"
loop = true
"""  # a small campaign of one Vietnamese message: its loop is a few seconds


@dataclass(frozen=True)
class Span:
    start: float
    end: float

    def frames(self, rate: Fraction) -> range:
        """The programme's frames from `start` to before `end`."""
        return range(round(self.start * rate), round(self.end * rate))


@dataclass(frozen=True)
class Insert(Span):
    """The crawl's clip overlaid from `start` to `end` (seconds of the programme), its frame 0 at `start`; `loop`:
    another clip than the programme's (another version of the campaign)."""

    loop: Path | None = None


@dataclass(frozen=True)
class Loss(Span):
    """The channel's signal lost before the tap from `start` to `end`: black pictures, neither programme nor band,
    while the inserter runs on (after the loss the crawl is where it would have been without it)."""


@dataclass(frozen=True)
class Programme:
    """A transport stream and its truth: what profile, rate and number of frames it has, when the crawl is on."""

    path: Path
    profile: str
    rate: Fraction
    frames: int
    inserts: tuple[Insert, ...]
    codec: str
    losses: tuple[Loss, ...] = ()

    def shown(self, frame: int) -> bool:
        """Whether the crawl is on the programme's frame `frame`."""
        if any(frame in loss.frames(self.rate) for loss in self.losses):
            return False
        return any(frame in insert.frames(self.rate) for insert in self.inserts)

    def airings(self) -> list[tuple[float, float, float]]:
        """The crawl on screen, run by run: from and to (seconds of the programme, the end that of the last
        picture), and the seconds of its loop shown at the first picture."""
        found = []
        for insert in self.inserts:
            first = insert.frames(self.rate)[0]
            on = [n for n in insert.frames(self.rate) if self.shown(n)]
            for run in (on[a:b] for a, b in itertools.pairwise(_breaks(on))):
                found.append((float(run[0] / self.rate), float((run[-1] + 1) / self.rate),
                              float((run[0] - first) / self.rate)))  # fmt: skip
        return found


@dataclass(frozen=True)
class Track:
    """Where the text of the campaign's loop is, in seconds from the loop's frame 0, as the engine drew it: the
    head of pass k (k = 0, 1, …) comes into the crawl's window at its right edge at `enter + k · period`, its
    tail `text` later, and the head leaves the window at its left edge `across` after it came in."""

    enter: float
    text: float
    period: float
    across: float

    def _heads(self, a: float, b: float) -> list[float]:
        """When the head of each pass still in the window at `a`, or come in after it, came in, up to `b` (the
        loop repeats: a pass whose head is in the window at frame 0 came in before it)."""
        ks = range(math.floor((a - self.enter - self.across) / self.period), math.ceil((b - self.enter) / self.period))
        return [h for k in ks if (h := self.enter + k * self.period) + self.across >= a and h < b]

    def passes(self, a: float, b: float) -> int:
        """The passes every word of which was on screen while the loop showed from `a` to `b`: the head still in
        the window at `a`, the tail come in by `b`."""
        return sum(h + self.text <= b for h in self._heads(a, b))

    def cut(self, a: float, b: float) -> bool:
        """Whether the loop shown from `a` to `b` was taken off with a pass partly come in: its head, not all
        of its words."""
        return any(h + self.text > b for h in self._heads(a, b))


def campaign(folder: Path, profile: str = "576i50", crossing: float = 3.0) -> Path:
    """The small campaign, with one loop output at `profile`, written as `folder/programme.toml`. `crossing` is
    the seconds the text takes to cross the picture."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "programme.toml"
    path.write_text(CAMPAIGN.format(crossing=crossing, profile=profile), encoding="utf-8")
    return path


def track(campaign: Path, shown: tuple[float, float] = (0, 1)) -> Track:
    """Where the campaign's text is along its first output's loop (Track), from the engine's plan of it, in the
    part of the picture's width the channel shows (`shown`, fractions of it: the 4:3 centre cut shows the middle
    three quarters, (1/8, 7/8)). The loop's frame 0 has the text's head at the picture's right edge."""
    survey = plan(load_campaign(campaign)).outputs[0].survey
    motion, (left, right) = survey.plan, survey.scene.crawl
    left, right = max(left, shown[0] * motion.window), min(right, shown[1] * motion.window)
    speed = motion.speed  # stored pixels a second
    return Track(
        enter=(motion.window - right) / speed,
        text=motion.text / motion.phases / speed,
        period=motion.period / motion.phases / speed,
        across=(right - left) / speed,
    )


def crawl_loop(folder: Path, profile: str = "576i50", crossing: float = 3.0) -> Path:
    """One seamless loop of the small campaign at `profile` (`campaign`), rendered by ticker into `folder`:
    ProRes 4444 with alpha (every profile has it)."""
    made = campaign(folder, profile, crossing)
    command = ["render", made, "-o", folder, "--profile", profile, "--format", "prores4444", "--loop"]
    done = run_ticker(*command, cwd=folder)
    loops = sorted(folder.glob(f"programme_{profile}_prores4444_loop.mov"))
    assert len(loops) == 1, f"ticker made no loop in {folder}: {done.stderr}"
    return loops[0]


def overlaid(
    folder: Path,
    loop: Path,
    *,
    profile: str = "576i50",
    seconds: float = 30,
    inserts: list[Insert],
    codec: Codec = "h264",
    bitrate: str = "4M",
    under: Under = "testsrc2",
    losses: list[Loss] | None = None,
) -> Programme:
    """`seconds` of ffmpeg's moving `under` picture at `profile`, with `loop` over it during each insert (the
    loop restarted at the insert's start) and black pictures during each loss, encoded as `codec` at `bitrate`
    in an MPEG-TS with silent MP2 sound: `folder/programme.ts` (a name of its own when there is one already), and
    its ffmpeg command beside it."""
    p = PROFILES[profile]
    frames = round(seconds * p.rate)
    path = _new(folder, "programme")
    inputs = ["-f", "lavfi", "-i", _source(under, p, frames)]
    graph = [f"[0:v]{_matrix(p)},format=yuv444p[v0]"]
    for k, insert in enumerate(inserts, start=1):
        _on_frames(insert, p.rate)
        shown = len(insert.frames(p.rate))
        assert shown > 0 and insert.end <= seconds, f"{insert} is not within the {seconds} s programme"
        inputs += ["-stream_loop", "-1", "-t", f"{float(shown / p.rate) + 1:.3f}", "-i", str(insert.loop or loop)]
        graph += [
            f"[{k}:v]trim=end_frame={shown},setpts=PTS-STARTPTS+{insert.start}/TB[c{k}]",
            f"[v{k - 1}][c{k}]overlay=format=yuv444:eof_action=pass"
            f":enable='between(t,{insert.start},{insert.end})'[v{k}]",
        ]
    black = ""
    for loss in losses or []:
        _on_frames(loss, p.rate)
        black += f"drawbox=color=black:t=fill:enable='gte(t,{loss.start})*lt(t,{loss.end})',"
    graph.append(f"[v{len(inserts)}]{black}{_interlaced_420(p)}[out]")
    audio = len(inserts) + 1
    command = [
        *inputs,
        "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo",
        "-filter_complex", ";".join(graph),
        "-map", "[out]", "-map", f"{audio}:a", "-frames:v", str(frames), "-t", f"{float(frames / p.rate):.3f}",
        *_video(codec, p, bitrate), *_sound(), "-f", "mpegts", str(path),
    ]  # fmt: skip
    _ffmpeg(command, path)
    return Programme(path, profile, p.rate, frames, tuple(inserts), codec, tuple(losses or ()))


def burned_in(folder: Path, under: Programme, config: Path, format: Burned = "ts-h264") -> Programme:
    """ticker's own transport stream: the crawl of the campaign `config` burned into the programme `under` by
    `ticker render --format ts-h264|ts-mpeg2 --over`, in `folder`. The crawl is on from the stream's first
    picture to its last, its loop from frame 0; the programme's sound starts before its picture (10 ms, as
    overlaid makes it, as a channel's recordings often do), and every picture is kept."""
    done = run_ticker("render", config, "-o", folder, "--json", "--profile", under.profile, "--format", format,
                      "--over", under.path, cwd=folder)  # fmt: skip
    (made,) = json.loads(done.stdout)["outputs"]
    assert made["frames"] == under.frames, made
    path = Path(made["path"])
    seconds = Fraction(under.frames) / under.rate
    return replace(under, path=path, inserts=(Insert(0, float(seconds)),), codec=format.removeprefix("ts-"))


def variant(programme: Programme, folder: Path, kind: Kind) -> Programme:
    """The programme as another chain airs it, the same truth: `sd` down-converted to 576i50 (1080i50 only),
    `centre-cut` the middle 3/4 of its width at 576i50 4:3 (SAR 16:15), `shift4` moved down 4 lines (black above,
    its bottom 4 lines lost), each re-encoded in the programme's codec at 4 Mb/s; `low-bitrate` re-encoded as
    H.264 at 1 Mb/s."""
    p = PROFILES[programme.profile]
    profile, codec, bitrate = programme.profile, programme.codec, "4M"
    if kind == "sd":
        assert p.height > 576, f"{programme.path} is SD already"
        profile = "576i50"
        change = f"scale=720:576:interl=1:flags=lanczos,{_matrix_change(p, PROFILES[profile])}"
    elif kind == "centre-cut":
        profile = "576i50-4x3"
        change = f"crop=iw*3/4:ih,scale=720:576:interl=1:flags=lanczos,{_matrix_change(p, PROFILES[profile])}"
    elif kind == "shift4":
        change = "pad=iw:ih+4:0:4:black,crop=iw:ih-4:0:0"
    else:
        codec, bitrate, change = "h264", "1M", "null"
    q = PROFILES[profile]
    path = _new(folder, f"{programme.path.stem}-{kind}")
    command = [
        "-i", str(programme.path),
        "-map", "0:v", "-map", "0:a", "-fps_mode", "passthrough",
        "-vf", f"{change},{_interlaced_420(q)}",
        *_video(codec, q, bitrate), "-c:a", "copy", "-f", "mpegts", str(path),
    ]  # fmt: skip
    _ffmpeg(command, path)
    return replace(programme, path=path, profile=profile, codec=codec)


def _breaks(frames: list[int]) -> list[int]:
    """Where runs of consecutive frames start in `frames`, and its end."""
    return [0, *(k for k in range(1, len(frames)) if frames[k] != frames[k - 1] + 1), len(frames)] if frames else []


def _on_frames(span: Span, rate: Fraction) -> None:
    for t in (span.start, span.end):
        assert abs(t * rate - round(t * rate)) < 1e-6, f"{span}: {t} s is not on a frame at {rate}/s"


def _source(under: Under, p: Profile, frames: int) -> str:
    """The moving picture under the crawl, interlaced when the profile is: two pictures of motion woven into each
    frame, top field first."""
    size = f"{p.width}x{p.height}"
    rate = p.motion_rate
    if under == "mandelbrot":
        # drawn at a quarter of the size, then scaled: a full-size fractal takes ffmpeg seconds a frame at 1080
        picture = f"mandelbrot=size={p.width // 4}x{p.height // 4}:rate={rate},scale={p.width}:{p.height}"
    elif under == "smptehdbars":  # still bars, a moving counter over them
        picture = f"smptehdbars=size={size}:rate={rate},drawbox=x='mod(t*400,iw-64)':y=ih/3:w=64:h=64:c=white:t=fill"
    else:
        picture = f"testsrc2=size={size}:rate={rate}"
    picture += f",trim=end_frame={frames * (2 if p.interlaced else 1)}"
    if p.interlaced:
        picture += ",interlace=scan=tff:lowpass=0"
    return f"{picture},setsar={p.sar.numerator}/{p.sar.denominator}"


def _matrix(p: Profile) -> str:
    """RGB sources to video-range YUV in the profile's matrix."""
    return f"scale=out_color_matrix={'bt709' if p.hd else 'bt601'}:out_range=tv"


def _matrix_change(a: Profile, b: Profile) -> str:
    if a.colour.matrix == b.colour.matrix:
        return "null"
    return f"colorspace=all={'bt709' if b.hd else 'bt601-6-625'}:iall={'bt709' if a.hd else 'bt601-6-625'}"


def _interlaced_420(p: Profile) -> str:
    """4:2:0 within each field when interlaced, and the profile's pixel aspect."""
    return f"scale=interl={1 if p.interlaced else 0},format=yuv420p,setsar={p.sar.numerator}/{p.sar.denominator}"


def _video(codec: Codec | str, p: Profile, bitrate: str) -> list[str]:
    colour = [
        "-color_primaries", p.colour.primaries, "-color_trc", p.colour.transfer, "-colorspace", p.colour.matrix,
        "-color_range", "tv",
    ]  # fmt: skip
    rate = ["-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate]
    interlaced = ["-flags", "+ildct+ilme", "-field_order", "tt"] if p.interlaced else []
    if codec == "mpeg2":
        return ["-c:v", "mpeg2video", *rate, "-g", "12", "-bf", "2", *interlaced, *colour]
    x264 = ["-x264opts", "tff=1"] if p.interlaced else []
    return ["-c:v", "libx264", "-preset", "superfast", "-g", "25", *rate, *interlaced, *x264, *colour]


def _sound() -> list[str]:
    return ["-c:a", "mp2", "-b:a", "192k", "-ar", "48000"]


def _new(folder: Path, stem: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path, n = folder / f"{stem}.ts", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.ts"
    return path


def _ffmpeg(args: list[str], path: Path) -> None:
    """ffmpeg run on `args`, its exact command kept in PATH.command.txt."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", *args]
    path.with_name(path.name + ".command.txt").write_text(shlex.join(command) + "\n", encoding="utf-8")
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, f"ffmpeg could not make {path}: {done.stderr}"
