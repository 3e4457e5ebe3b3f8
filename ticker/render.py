"""From a prepared crawl to finished files: strip → motion → blit → sink, checked, published atomically.

`survey` is everything known about an output before its first picture (the options checked, the programme
probed, the crawl drawn, the motion planned, the band placed, the readability assessed); `render` makes the
file from it. A command surveys every output first (so that any refusal comes before any file), then renders
each from its survey.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

import av
from PIL import Image, UnidentifiedImageError
from tqdm import tqdm

from ticker import __version__
from ticker.assemble import open_assembled
from ticker.blit import Blitter
from ticker.commands import Encoding
from ticker.config import Output
from ticker.crawl import Crawl, font_refused, look_for
from ticker.errors import FileProblem, InputError, QCError
from ticker.formats import Delivery, Programme, check_output, key_path
from ticker.held import Held
from ticker.inputs import MAX_PIXELS, kind_of
from ticker.layers import Scene, compose
from ticker.motion import Plan, frames_for_passes, plan_motion
from ticker.outputs import file_name
from ticker.profiles import Profile
from ticker.publish import Workspace, make_room, publish_all, sweep
from ticker.qc import FIELD_NAMES, Expect, Report, expect_for, inspect, packet_digests, seam
from ticker.qc_assembled import Assembly, pictures_of
from ticker.readability import Figures, assess
from ticker.sink import Joined, open_sink
from ticker.strip import MARGIN_PX, Look, Piece, Track, phase_strips, rasterise
from ticker.targets import TARGETS


@dataclass(frozen=True)
class Result:
    path: str
    profile: str
    format: str
    frames: int
    fps: float
    width: int
    height: int
    interlaced: bool
    loop: bool
    speed_px_per_s: float
    seconds: float
    gap_px: float
    band_y: int
    band_height: int
    passes: int | None
    crawl: tuple[int, int]  # columns where the crawl shows
    layers: dict  # label, logo, qr: [x, y, width, height] in the picture
    qr_url: str | None
    key: str | None = None  # the key file of a fill+key pair
    fill: str | None = None  # premultiplied | straight, for a pair
    encoded: int | None = None  # frames encoded: fewer than `frames` when a slot copies one period
    target: str | None = None  # the inserter the file is made for
    note: str | None = None  # why a slot that could have been copied was encoded frame by frame

    def as_json(self) -> dict:
        return asdict(self)


def plan_for(crawl: Crawl, output: Output, track: Track, speed: float | None = None) -> Plan:
    """The motion of an output; one timed by passes lasts as long as they take."""
    profile = output.profile
    m = crawl.campaign.motion
    common: dict[str, Any] = dict(
        text_units=track.units,
        phases=track.phases,
        gap_px=m.gap * profile.width,
        speed=speed if speed is not None else profile.width / m.crossing_seconds,
    )
    seconds = output.seconds
    if output.passes:
        loop = plan_motion(profile, loop=True, seconds=None, **common)
        seconds = float(frames_for_passes(loop, output.passes) / profile.rate)
    return plan_motion(profile, loop=output.loop, seconds=seconds, **common)


@dataclass(frozen=True)
class Survey:
    """Everything known about an output before its first picture: the output as it will be made (over a video,
    a loop as long as the programme), the drawn crawl, the motion, the band's place and still layers, whether
    viewers can read it, and how the file is handed over."""

    output: Output
    look: Look
    track: Track
    plan: Plan
    scene: Scene
    figures: Figures
    warnings: tuple[str, ...]
    programme: Programme | None = None
    delivery: Delivery = Delivery()  # noqa: RUF009 (frozen: one shared value is safe)
    speed: float | None = None
    first: int | None = None  # only the first frames of the motion (a preview of a long loop), then no loop

    @property
    def frames(self) -> int:
        """Frames of the file: the motion's, or over a video the programme's length; at most `first`."""
        p = self.programme
        frames = self.plan.frames if p is None or p.still else p.frames_at(self.output.profile)
        return frames if self.first is None else min(frames, self.first)

    @property
    def loop(self) -> bool:
        return self.plan.loop and self.programme is None and self.frames == self.plan.frames

    def blitter(self, buffers: int = 1, windows: int = 1) -> Blitter:
        """The blitter of the output's pictures, over its phase strips (see Blitter for `buffers`, `windows`)."""
        profile, plan = self.output.profile, self.plan
        strips = phase_strips(
            self.track.at(plan.phases), self.look, plan.period, profile.width, self.output.format.channels
        )
        return Blitter(strips, self.scene, plan, profile.interlaced, buffers=buffers, windows=windows)


def scene_for(crawl: Crawl, profile: Profile, look: Look, track: Track, channels: tuple[int, ...]) -> Scene:
    s = crawl.style
    label = None
    if s.label:
        label = _rasterise(
            (Piece(s.label, crawl.label_font_path, s.label_color),), replace(look, outline=0.0, shadow=0.0)
        )
    return compose(
        profile,
        s,
        look,
        track.height,
        channels,
        baseline=track.baseline,
        label=label,
        qr=crawl.campaign.qr,
        qr_url=crawl.qr_url,
        where=str(crawl.campaign.path),
    )


def survey(
    crawl: Crawl,
    output: Output,
    speed: float | None = None,
    *,
    delivery: Delivery | None = None,
    over: Path | None = None,
    programme: Programme | None = None,
    need_over: bool = False,
    checked: bool = False,
) -> Survey:
    """Check the output's options (unless `checked`: the caller did), probe the programme given with `over`
    (unless it is given probed), and draw and place the crawl: check, then render."""
    delivery = delivery or Delivery()
    if not checked:
        check_output(output, delivery, over or (programme.path if programme else None), need_over)
    if over is not None and programme is None:
        programme = probe_programme(over)
    if programme is not None and not programme.still:
        output = replace(output, loop=True, seconds=None)  # the crawl repeats for the programme's length
    profile, fmt = output.profile, output.format
    look = look_for(crawl, profile)
    try:
        track = _rasterise(crawl.pieces, look)
        plan = plan_for(crawl, output, track, speed)
        scene = scene_for(crawl, profile, look, track, fmt.channels)
        width = (track.units / track.phases) - 2 * MARGIN_PX
        figures, warnings = assess(
            file_name(crawl.campaign, output), profile, plan, crawl.text, width, look, crawl.pieces, scene.qr_module
        )
    except FileProblem as e:  # a font (or a logo) that changed since the campaign was read, or fails as drawn
        raise font_refused(crawl, e) from None
    return Survey(
        output=output,
        look=look,
        track=track,
        plan=plan,
        scene=scene,
        figures=figures,
        warnings=tuple(warnings),
        programme=programme,
        delivery=delivery,
        speed=speed,
    )


_rasterise = functools.lru_cache(maxsize=8)(rasterise)  # check, then render: the same crawl drawn once
COPY_WORTH = 0.8  # a timed clip is made from copied runs when it encodes less than this share of its frames


def render(
    crawl: Crawl,
    output: Output,
    out_dir: Path,
    *,
    speed: float | None = None,
    progress: TextIO | None = None,
    over: Path | None = None,
    delivery: Delivery | None = None,
    straight: bool = False,
    whole: bool = False,
    surveyed: Survey | None = None,
    before_publish: Callable[[], None] | None = None,
) -> Result:
    """Render one output (one file, or a fill and a key) from its survey (made here unless given). Files
    appear under their final names only when complete and checked. A timed clip in a format that can be
    joined by stream copy is made from one encoded period and its copies unless `straight`; a ProRes file is
    assembled from the band's encoded slices unless `straight` or `whole` (whole pictures encoded, copies
    still joined: the path before assembly, kept for comparison). `progress`: the terminal a progress bar is
    drawn on. `before_publish` is called right before the rename: what it raises leaves the temporaries removed
    and nothing published (a farm job checks there that the run which asked for it is still there)."""
    sv = surveyed or survey(crawl, output, speed, delivery=delivery, over=over, need_over=True)
    output, programme, plan, scene = sv.output, sv.programme, sv.plan, sv.scene
    profile, fmt, frames = output.profile, output.format, sv.frames
    first_picture = TARGETS[output.target].first_picture if output.target else 1
    if problem := fmt.sequence_problem(frames, first_picture):
        raise InputError(f"{file_name(crawl.campaign, output)}: {problem}.")
    named = out_dir / file_name(crawl.campaign, output, programme)
    make_room(out_dir, [named, key_path(named)] if fmt.pair else [named], fmt.is_sequence)
    with Held.open(out_dir) as held:  # the folder as it is now, whatever is put under its name while this runs
        final = held.path / named.name
        finals = [final, key_path(final)] if fmt.pair else [final]
        sweep(held.path)  # what killed renders left (no living run holds it)
        repeats = plan.repeats() if programme is None else None
        worth = repeats is not None and repeats.encoded < COPY_WORTH * frames
        runs = repeats.pieces() if repeats is not None and worth and fmt.copyable and not straight else None
        note = None
        if runs is None and worth:
            note = (
                "every frame encoded, as asked (--straight)"
                if straight
                else f"every frame encoded: {fmt.id} pictures depend on each other (or on their GOP), so a period "
                f"cannot be copied exactly"
            )
        delivery = replace(
            sv.delivery,
            fill=output.fill,
            first_picture=first_picture,
            comment=fmt.note(profile, frames, sv.loop, output.fill, __version__),
        )
        encoding = Encoding(fmt, profile, scene.region, programme or crawl.style.background, delivery)
        sink, work = None, Workspace(final)
        temps = [work.temp(f) for f in finals]
        try:
            if straight or whole or not fmt.sliced:
                opened = open_sink(encoding, temps, frames, runs)
            else:
                moving = (scene.band_top, scene.band_top + scene.band_height)
                opened = open_assembled(encoding, temps, frames, runs, scene.static, moving)
            with opened as sink:
                joined = sink.joined  # a joined file's runs are asked for in turn: one window each
                blitter = sv.blitter(buffers=sink.buffers, windows=len(joined.runs) if joined is not None else 1)
                for index in tqdm(
                    sink.order(frames),
                    total=(runs and sum(len(r) for r in runs[0])) or frames,
                    unit="frame",
                    disable=progress is None,
                    file=progress,
                    desc=final.name,
                    leave=False,
                ):
                    sink.write(blitter.frame(index), index)
            expect = expect_for(fmt, profile, frames, sv.loop, audio=fmt.audio_streams(profile, programme))
            _check(temps, finals, expect, None if fmt.is_sequence else sink.joined, sink.assemblies)
            if before_publish is not None:
                before_publish()
            publish_all(temps, finals)  # a pair's key first: playout loads a pair by its fill's name
        finally:
            if sink is not None:
                sink.cleanup()
            work.close()
    return Result(
        path=str(named),
        profile=profile.id,
        format=fmt.id,
        frames=frames,
        fps=float(profile.rate),
        width=profile.width,
        height=profile.height,
        interlaced=profile.interlaced,
        loop=sv.loop,
        speed_px_per_s=round(plan.speed, 4),
        seconds=float(frames / profile.rate),
        gap_px=round(plan.gap, 3),
        band_y=scene.band_y,
        band_height=scene.band_height,
        passes=plan.passes,
        crawl=scene.crawl,
        layers=dict(scene.boxes),
        qr_url=crawl.qr_url,
        key=str(key_path(named)) if fmt.pair else None,
        fill=delivery.fill if fmt.pair else None,
        encoded=sum(len(r) for r in runs[0]) if runs else frames,
        note=note,
        target=output.target,
    )


def _check(
    temps: list[Path], finals: list[Path], expect: Expect, joined: Joined | None, assemblies: dict[Path, Assembly]
) -> None:
    """Decode what was written (each encoded run of a joined file once, and the joined file by its packets;
    of a file assembled from slices, each slice once); a file that fails is not published."""

    def look(path: Path, expect: Expect) -> Report:
        how = assemblies.get(path)
        return inspect(path, expect, pictures=pictures_of(how) if how is not None else None)

    problems = []
    for i, (temp, final) in enumerate(zip(temps, finals)):
        if joined is not None:
            digests, edges = [], []
            for k, path in enumerate(joined.files[i]):
                run = joined.runs[k]
                report = look(path, replace(expect, frames=len(run), loop=False))
                problems += [f"{final.name} (frames {run.start}–{run.stop - 1}): {p}" for p in report.problems]
                how = assemblies.get(path)
                digests.append((list(how.digests) if how else packet_digests(path)) if report.ok else [])
                edges.append(report.edges)
            report = inspect(temp, expect, packets=[d for k, n in joined.playlist for d in digests[k][:n]])
            (first, _), (last, count) = joined.playlist[0], joined.playlist[-1]
            if expect.loop and count == len(joined.runs[last]):  # the seam: last run's end to the first's start
                seam(edges[first][:2] + edges[last][-2:], expect, report)
        else:
            report = look(temp, expect)
        problems += [f"{final.name}: {p}" for p in report.problems]
    if problems:
        raise QCError("checks failed, nothing was published: " + "; ".join(problems))


STILLS = ("PNG", "JPEG", "TIFF", "BMP", "WEBP")


def probe_programme(path: Path) -> Programme:
    """A still picture (anything Pillow opens) or a video with ffmpeg's libraries; one sentence when neither."""
    if not os.path.exists(path):
        raise InputError(f"--over {path}: no such file.")
    if kind := kind_of(os.stat(path).st_mode):  # a FIFO would block the demuxer for ever
        raise InputError(f"--over {path}: is {kind}, not a picture or video file.")
    try:
        with Image.open(path) as im:
            if im.format in STILLS and im.width * im.height > MAX_PIXELS:
                raise InputError(
                    f"--over {path}: is a picture of {im.width} × {im.height} pixels; ticker takes pictures of "
                    f"at most {MAX_PIXELS / 1e6:.0f} million pixels."
                )
            if im.format in STILLS:  # not MPEG, which Pillow also recognises
                return Programme(
                    path=path,
                    still=True,
                    width=im.width,
                    height=im.height,
                    rate=None,
                    field_order="progressive",
                    frames=None,
                    audio=False,
                )
    except Image.DecompressionBombError as e:
        raise InputError(f"--over {path}: too large a picture ({e}).") from None
    except (UnidentifiedImageError, OSError):
        pass
    try:
        with av.open(str(path)) as c:
            if not c.streams.video:
                raise InputError(f"--over {path}: has no picture (no video stream).")
            v = c.streams.video[0]
            rate = Fraction(v.average_rate or v.guessed_rate or 0)
            if v.duration:
                assert v.time_base is not None  # a stream read from a file has its time base
                seconds = float(v.duration * v.time_base)
            else:
                seconds = (c.duration or 0) / 1e6
            field_order = FIELD_NAMES.get(int(v.codec_context.field_order or 0), "unknown")
            if not rate or seconds <= 0:
                raise InputError(f"--over {path}: cannot tell its frame rate or length.")
            return Programme(
                path=path,
                still=False,
                width=v.codec_context.width,
                height=v.codec_context.height,
                rate=rate,
                field_order=field_order,
                frames=round(seconds * rate),
                audio=bool(c.streams.audio),
            )
    except av.FFmpegError as e:
        raise InputError(f"--over {path}: neither a picture nor a video ffmpeg can read ({e}).") from None
