"""Everything known about an output before its first picture: the options checked, the programme probed, the
crawl drawn, the motion planned, the band placed, the readability assessed (a Survey); and from it the output's
pictures (its strips, a blitter, or its frames one after the other)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ticker.campaign import Output, file_name
from ticker.engine.blit import Blitter
from ticker.engine.caches import Caches
from ticker.engine.layers import Scene, compose
from ticker.engine.motion import Plan, frames_for_passes, plan_motion
from ticker.engine.programme import probe_programme
from ticker.engine.readability import Figures, assess
from ticker.engine.strip import MARGIN_PX, Look, PhaseStrips, Piece, Track, phase_strips
from ticker.engine.text_stage import Crawl, font_refused, look_for
from ticker.errors import FileProblem
from ticker.media import Delivery, Profile, check_output
from ticker.media.formats import Programme


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

    def strips(self, width: int | None = None, channels: tuple[int, ...] | None = None) -> PhaseStrips:
        """The crawl's phase strips for a window `width` columns wide (the picture's by default), in `channels`
        order (the format's by default)."""
        plan, output = self.plan, self.output
        return phase_strips(
            self.track.at(plan.phases),
            self.look,
            plan.period,
            width or output.profile.width,
            channels or output.format.channels,
        )

    def blitter(self, buffers: int = 1, windows: int = 1) -> Blitter:
        """The blitter of the output's pictures, over its phase strips (see Blitter for `buffers`, `windows`)."""
        return Blitter(
            self.strips(), self.scene, self.plan, self.output.profile.interlaced, buffers=buffers, windows=windows
        )

    def pictures(self, start: int = 0, *, endless: bool = False) -> Iterator[np.ndarray]:
        """The output's frames from `start`, made as they are asked for (the piped region, straight alpha in the
        format's channel order, woven when interlaced), for a consumer that shows them live; `endless`: a loop
        goes round for ever. A picture stays valid while the next one is made (copy it to keep it longer)."""
        blitter, frames = self.blitter(buffers=2), self.frames
        index = start
        while index < frames or (endless and self.loop):
            yield blitter.frame(index % frames)
            index += 1


def scene_for(
    crawl: Crawl, profile: Profile, look: Look, track: Track, channels: tuple[int, ...], caches: Caches
) -> Scene:
    s = crawl.style
    label = None
    if s.label:
        label = caches.track(
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
    caches: Caches | None = None,
) -> Survey:
    """Check the output's options (unless `checked`: the caller did), probe the programme given with `over`
    (unless it is given probed), and draw and place the crawl: check, then render."""
    delivery = delivery or Delivery()
    caches = caches or Caches()
    if not checked:
        check_output(output, delivery, over or (programme.path if programme else None), need_over)
    if over is not None and programme is None:
        programme = probe_programme(over)
    if programme is not None and not programme.still:
        output = replace(output, loop=True, seconds=None)  # the crawl repeats for the programme's length
    profile, fmt = output.profile, output.format
    look = look_for(crawl, profile)
    try:
        track = caches.track(crawl.pieces, look)
        plan = plan_for(crawl, output, track, speed)
        scene = scene_for(crawl, profile, look, track, fmt.channels, caches)
        width = (track.units / track.phases) - 2 * MARGIN_PX
        figures, warnings = assess(
            file_name(crawl.campaign, output),
            profile,
            plan,
            crawl.text,
            width,
            look,
            crawl.pieces,
            scene.qr_module,
            fonts=caches.fonts,
            label=(crawl.style.label_color, crawl.style.label_background) if crawl.style.label else None,
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
