"""Where the crawl is in every picture: pure arithmetic in whole units of 1/P pixel, no pixels.

The crawl is a *track*: blank for one picture width, then the crawl period (text then gap) repeated. The
window of picture i starts at track offset `start + i * step`. Every step is the same whole number of units,
so the motion is exactly uniform; a loop is a whole number of steps long, so it wraps with no seam.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ticker.errors import InputError
from ticker.media import Profile


@dataclass(frozen=True)
class Plan:
    phases: int  # P: units per stored pixel
    step: int  # units the crawl moves per motion picture (field or frame)
    period: int  # units of one crawl period: text plus gap
    text: int  # units of the text itself
    window: int  # stored pixels across the picture
    pictures: int  # motion pictures in the clip (fields when interlaced)
    frames: int
    rate: Fraction  # frames per second
    motion_rate: Fraction  # pictures of motion per second
    loop: bool
    passes: int | None  # full passes of the text in a --seconds clip
    lead: int  # units of blank track before the first text: it enters from beyond the right edge

    @property
    def active(self) -> tuple[float, float]:
        """Track units where text may be; blank band elsewhere (a loop is text everywhere)."""
        if self.loop:
            return (-math.inf, math.inf)
        assert self.passes is not None  # a timed clip counts its passes
        return (self.lead, self.lead + (self.passes - 1) * self.period + self.text)

    def offset(self, picture: int) -> int:
        return picture * self.step

    @property
    def speed(self) -> float:
        """Stored pixels per second, as actually moved."""
        return float(Fraction(self.step, self.phases) * self.motion_rate)

    @property
    def gap(self) -> float:
        return (self.period - self.text) / self.phases

    @property
    def seconds(self) -> float:
        return float(self.frames / self.rate)

    @property
    def per_frame(self) -> int:
        """Motion pictures per frame: 2 when interlaced."""
        return self.pictures // self.frames

    @property
    def period_frames(self) -> int:
        return self.period // (self.step * self.per_frame)

    def repeats(self) -> Repeats | None:
        """How a timed clip can be made from few encoded frames, or None when copying would not save much.

        Between the entry and the exit every frame is the one a period earlier again: its window sees only
        the repeating track (text and gap), never the empty band before the first pass or after the last.
        After the last pass has left, every frame is the empty band."""
        if self.loop:
            return None
        assert self.passes is not None  # a timed clip counts its passes
        pp, step, units = self.per_frame, self.step, self.window * self.phases
        gap = self.period - self.text
        entry = max(0, -(-(self.lead - gap) // (pp * step)))  # a gap wider than the picture: from the start
        exit_ = ((self.lead + self.passes * self.period - units) // step - (pp - 1)) // pp + 1
        blank = -(-int(self.active[1]) // (pp * step))  # a timed clip's text ends on a whole unit
        exit_, blank = min(exit_, self.frames), min(max(blank, exit_), self.frames)
        if exit_ - entry < 2 * self.period_frames:
            return None
        return Repeats(entry=entry, period=self.period_frames, exit=exit_, blank=blank, frames=self.frames)


@dataclass(frozen=True)
class Repeats:
    """A timed clip as encoded pieces: frames [0, entry) as they are; one period of frames from `entry`, played
    again and again until `exit` (the last time cut short); frames [exit, blank) as they are; then the empty
    band, a few frames of it encoded and played to the end."""

    entry: int
    period: int
    exit: int
    blank: int
    frames: int
    BLANK_RUN = 25  # frames of empty band encoded, and repeated

    def pieces(self) -> tuple[list[range], list[tuple[int, int]]]:
        """The frame ranges to encode, and the play list: (piece, how many of its first frames) in order."""
        ranges = [
            range(0, self.entry),
            range(self.entry, self.entry + self.period),
            range(self.exit, self.blank),
            range(self.blank, min(self.frames, self.blank + self.BLANK_RUN)),
        ]
        playlist = [(0, self.entry)]
        playlist += _runs(1, self.exit - self.entry, self.period)
        playlist += [(2, self.blank - self.exit)]
        playlist += _runs(3, self.frames - self.blank, len(ranges[3]))
        keep = [k for k, r in enumerate(ranges) if len(r)]
        number = {k: i for i, k in enumerate(keep)}
        return [ranges[k] for k in keep], [(number[k], n) for k, n in playlist if n]

    @property
    def encoded(self) -> int:
        return sum(len(r) for r in self.pieces()[0])


def _runs(piece: int, frames: int, length: int) -> list[tuple[int, int]]:
    if frames <= 0:
        return []
    return [(piece, length)] * (frames // length) + [(piece, frames % length)]


def frames_for_passes(plan: Plan, passes: int) -> int:
    """Frames of a timed clip that holds exactly `passes` passes, with the same step and period as `plan`:
    whole seconds when rounding up adds no pass, else the fewest frames."""
    pp, step = plan.per_frame, plan.step
    lead = plan.window * plan.phases + (pp - 1) * step  # as plan_motion places a timed clip's first text

    def held(frames: int) -> int:
        room = (frames * pp - pp) * step - lead - plan.text
        return room // plan.period + 1 if room >= 0 else 0

    pictures = -(-(lead + plan.text + (passes - 1) * plan.period) // step) + pp
    fewest = -(-pictures // pp)
    whole = int(math.ceil(fewest / plan.rate) * plan.rate)
    return whole if held(whole) == passes else fewest


PHASE_CHOICES = (8, 16, 32)  # units per pixel: the raster's 8, or finer steps for slow crawls
SPEED_TOLERANCE = 0.02  # the uniform step may move the speed this much before finer phases are used
SPEED_LIMIT = 0.05  # ... and never more than this


def choose_phases(profile: Profile, speed: float) -> int:
    """The fewest units per pixel whose whole-unit step comes within 2 % of the asked speed."""
    per_picture = speed / float(profile.motion_rate)

    def error(p: int) -> float:
        return abs(max(1, round(per_picture * p)) / p / per_picture - 1)

    fine = [p for p in PHASE_CHOICES if error(p) <= SPEED_TOLERANCE]
    best = fine[0] if fine else min(PHASE_CHOICES, key=error)
    if error(best) > SPEED_LIMIT:
        nearest = max(1, round(per_picture * best)) / best * float(profile.motion_rate)
        raise InputError(
            f"a speed of {speed:g} px/s cannot move uniformly at {profile.id}: the nearest "
            f"uniform speed is {nearest:g} px/s; choose a faster crawl."
        )
    return best


def plan_motion(
    profile: Profile, *, text_units: int, phases: int, speed: float, gap_px: float, loop: bool, seconds: float | None
) -> Plan:
    """Quantise the step to whole units, then fit the loop (or the passes of a timed clip) around it.

    `text_units` is the text's width at `phases` units per pixel (the raster's); the plan may use finer
    units for a slow crawl (Plan.phases), and the strip is then refined to match."""
    per_picture = 1 if not profile.interlaced else 2
    fine = choose_phases(profile, speed)
    text_units = text_units * fine // phases
    phases = fine
    step = max(1, round(speed / float(profile.motion_rate) * phases))
    nominal_period = text_units + max(1, round(gap_px * phases))
    # A period is a whole number of frames, so a whole (even, when interlaced) number of steps; the gap absorbs
    # it. A loop is one period; a timed clip repeats the same period, so its middle is the loop's pictures again.
    period_frames = max(1, round(nominal_period / (step * per_picture)))
    while period_frames * per_picture * step < text_units + phases:  # keep at least one blank pixel of gap
        period_frames += 1
    period = period_frames * per_picture * step
    common: dict[str, Any] = dict(
        phases=phases,
        step=step,
        text=text_units,
        window=profile.width,
        rate=profile.rate,
        motion_rate=profile.motion_rate,
        loop=loop,
        period=period,
    )
    if loop:
        return Plan(
            pictures=period_frames * per_picture,
            frames=period_frames,
            passes=None,
            lead=profile.width * phases,
            **common,
        )

    assert seconds is not None  # a timed clip is given its length
    exact = seconds * profile.rate
    frames = round(exact)
    if abs(exact - frames) > 1e-6:
        raise InputError(
            f"--seconds {seconds:g} is not a whole number of frames at {profile.id} "
            f"({float(profile.rate):g} frames a second)."
        )
    pictures = frames * per_picture
    # Both fields of the first frame show an empty band, and both of the last: the text starts one step
    # beyond the right edge, and a pass counts only if it has left by the last frame's first field.
    lead = profile.width * phases + (per_picture - 1) * step
    last = (pictures - per_picture) * step
    room = last - lead - text_units
    passes = room // period + 1 if room >= 0 else 0
    if passes < 1:
        need = (lead + text_units) / step / per_picture / float(profile.rate)
        raise InputError(
            f"--seconds {seconds:g} is too short for one pass of the crawl at {profile.id}: "
            f"it needs at least {math.ceil(need + 1 / float(profile.rate))} s at this speed."
        )
    return Plan(pictures=pictures, frames=frames, passes=passes, lead=lead, **common)
