"""From a prepared crawl to finished files: strip → motion → blit → sink, checked, published atomically.

`survey` is everything known about an output before its first picture (the options checked, the programme
probed, the crawl drawn, the motion planned, the band placed, the readability assessed); `render` makes the
file from it. A command surveys every output first (so that any refusal comes before any file), then renders
each from its survey.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from ticker import __version__
from ticker.campaign import Output, file_name
from ticker.encode import Encoding, open_assembled, open_sink
from ticker.encode.sink import Joined
from ticker.engine import Survey, plan_output
from ticker.engine.text_stage import Crawl
from ticker.errors import InputError, QCError
from ticker.files import Held, Workspace, publish_all
from ticker.files.publish import make_room, sweep
from ticker.media import TARGETS, Delivery, Fill
from ticker.media.formats import key_path
from ticker.qc import Assembly, Expect, Report, expect_for, inspect
from ticker.qc.assembled import pictures_of
from ticker.qc.decode import packet_digests, seam


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
    fill: Fill | None = None  # for a pair
    encoded: int | None = None  # frames encoded: fewer than `frames` when a slot copies one period
    target: str | None = None  # the inserter the file is made for
    note: str | None = None  # why a slot that could have been copied was encoded frame by frame

    def as_json(self) -> dict:
        return asdict(self)


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
    counted: Callable[[int, int], None] | None = None,
) -> Result:
    """Render one output (one file, or a fill and a key) from its survey (made here unless given). Files
    appear under their final names only when complete and checked. A timed clip in a format that can be
    joined by stream copy is made from one encoded period and its copies unless `straight`; a ProRes or qtrle
    file is assembled from the band's encoded slices or lines unless `straight` or `whole` (whole pictures, copies
    still joined: the path before assembly, kept for comparison). `progress`: the terminal a progress bar is
    drawn on. `before_publish` is called right before the rename: what it raises leaves the temporaries removed
    and nothing published (a farm job checks there that the run which asked for it is still there). `counted`
    (for a page's progress) is called after each picture is encoded with (pictures encoded, of those to encode:
    fewer than the clip's frames when a period is copied); the checks that follow take no count."""
    sv = surveyed or plan_output(crawl, output, speed, delivery=delivery, over=over, need_over=True)
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
                total = (runs and sum(len(r) for r in runs[0])) or frames
                bar = tqdm(
                    sink.order(frames),
                    total=total,
                    unit="frame",
                    disable=progress is None,
                    file=progress,
                    desc=final.name,
                    leave=False,
                )
                for done, index in enumerate(bar, 1):
                    sink.write(blitter.frame(index), index)
                    if counted is not None:
                        counted(done, total)
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
