"""Where the crawl is in every picture: pure arithmetic in whole units of 1/P pixel, no pixels.

The crawl is a *track*: blank for one picture width, then the crawl period (text then gap) repeated. The
window of picture i starts at track offset `start + i * step`. Every step is the same whole number of units,
so the motion is exactly uniform; a loop is a whole number of steps long, so it wraps with no seam.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ticker.errors import InputError
from ticker.profiles import Profile


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

    @property
    def lead(self) -> int:
        """Units of blank track before the first text: the text enters from the right edge."""
        return self.window * self.phases

    @property
    def active(self) -> tuple[float, float]:
        """Track units where text may be; blank band elsewhere (a loop is text everywhere)."""
        if self.loop:
            return (-math.inf, math.inf)
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


def plan_motion(profile: Profile, *, text_units: int, phases: int, speed: float, gap_px: float,
                loop: bool, seconds: float | None) -> Plan:
    """Quantise the step to whole units, then fit the loop (or the passes of a timed clip) around it."""
    per_picture = 1 if not profile.interlaced else 2
    step = max(1, round(speed / float(profile.motion_rate) * phases))
    nominal_period = text_units + max(1, round(gap_px * phases))
    common = dict(phases=phases, step=step, text=text_units, window=profile.width, rate=profile.rate,
                  motion_rate=profile.motion_rate, loop=loop)
    if loop:
        # A whole number of frames, so a whole (even, when interlaced) number of steps; the gap absorbs it.
        frames = max(1, round(nominal_period / (step * per_picture)))
        while frames * per_picture * step < text_units + phases:  # keep at least one blank pixel of gap
            frames += 1
        pictures = frames * per_picture
        return Plan(period=pictures * step, pictures=pictures, frames=frames, passes=None, **common)

    exact = seconds * profile.rate
    frames = round(exact)
    if abs(exact - frames) > 1e-6:
        raise InputError(f"--seconds {seconds:g} is not a whole number of frames at {profile.id} "
                         f"({float(profile.rate):g} frames a second).")
    pictures = frames * per_picture
    last = (pictures - 1) * step
    lead = profile.width * phases
    # Pass m has left the picture once the window starts past its end; only passes that can leave are started.
    room = last - lead - text_units
    passes = room // nominal_period + 1 if room >= 0 else 0
    if passes < 1:
        need = (lead + text_units) / step / per_picture / float(profile.rate)
        raise InputError(f"--seconds {seconds:g} is too short for one pass of the crawl at {profile.id}: "
                         f"it needs at least {math.ceil(need + 1 / float(profile.rate))} s at this speed.")
    return Plan(period=nominal_period, pictures=pictures, frames=frames, passes=passes, **common)
