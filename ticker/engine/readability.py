"""Can viewers read it? Figures and warnings for each output, before anything is rendered.

Reading rate. The BBC's subtitle guidance is 160–180 words a minute for English, where a word and its space
average about 5.7 characters: 180 × 5.7 / 60 ≈ 17 characters a second. Counting Vietnamese "words" would count
syllables (spaces separate syllables), far shorter than English words, so a words-a-minute figure would let a
Vietnamese crawl run much faster than an English one. Characters a second do not depend on that, so the limit
is READING_LIMIT_CPS characters (letters, spaces and punctuation) passing a point each second.

Text size. Capitals lower than 3 % of the picture height (32 lines at 1080, 17 at 576; of the width on a
portrait screen) or 16 lines, whichever is more, are hard to read on a television across a room, and small
SD text suffers most.

Contrast. WCAG 2 relative luminance, text against the band as it looks over black and over white pictures (a
band that is not opaque shows the picture through), or against its outline when it has one (the outline is what
surrounds every glyph, whatever the picture); the worst message counts. Under 4.5:1 is a warning, and so is red
on green or green on red, which viewers with the commonest colour blindness cannot tell apart.

QR code. A module smaller than the scanning rule in ticker.engine.layers (1/120 of the picture height) is a warning.

Whole message. A timed clip must show the whole message at least once (the rule US cable headends follow for
emergency crawls); ticker starts only passes that can finish, and refuses a clip too short for one.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass

from ticker.engine.layers import QR_MODULE_FRACTION
from ticker.engine.motion import Plan
from ticker.files import Memo
from ticker.media import Profile
from ticker.vietnamese.text import FontFacts, font_facts

READING_LIMIT_CPS = 17.0
MIN_CAP_FRACTION = 0.03
MIN_CAP_LINES = 16
MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class Figures:
    name: str
    profile: str
    reading_cps: float
    cap_lines: float
    contrast: float
    seconds: float
    passes: int | None  # None for a loop
    cap_minimum: float = MIN_CAP_LINES  # capitals' lines that stay readable at this profile
    flags: tuple[str, ...] = ()  # what the warnings are about: reading, size, contrast, colour, qr

    def line(self) -> str:
        shown = "loop" if self.passes is None else f"{self.passes} full pass{'es' if self.passes != 1 else ''}"
        return (
            f"{self.name}: {self.reading_cps:.1f} characters/s (limit {READING_LIMIT_CPS:g}), capitals "
            f"{self.cap_lines:.0f} lines, contrast {self.contrast:.1f}:1, {self.seconds:g} s, {shown}"
        )


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def band_contrast(text, band, opacity: float) -> float:
    """The worse of the text against the band over a black and over a white picture."""

    def over(behind):
        return tuple(round(opacity * c + (1 - opacity) * k) for c, k in zip(band, behind))

    return min(contrast_ratio(text, over((0, 0, 0))), contrast_ratio(text, over((255, 255, 255))))


def _hue(rgb) -> str | None:
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    if s < 0.4 or v < 0.2:
        return None
    if h < 1 / 18 or h > 17 / 18:
        return "red"
    if 0.2 < h < 0.45:
        return "green"
    return None


def cap_height(font_path, size_px: float, fonts: Memo[FontFacts] | None = None) -> float:
    return font_facts(font_path, fonts).cap_height * size_px


def text_contrast(text, look) -> float:
    """Contrast of one text colour where it is drawn: against the band, or its outline when that is better."""
    contrast = band_contrast(text, look.band_color, look.band_opacity)
    if look.outline > 0:
        contrast = max(contrast, contrast_ratio(text, look.outline_color))
    return contrast


def assess(
    name: str,
    profile: Profile,
    plan: Plan,
    text: str,
    text_width_px: float,
    look,
    pieces=(),
    qr_module: int | None = None,
    fonts: Memo[FontFacts] | None = None,
    label: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None,
) -> tuple[Figures, list[str]]:
    """Figures for one output and the warnings they call for. `text_width_px` is the text's width in stored
    pixels; `look` is the strip's Look (colours, font, size); `pieces` what is drawn, each in its colour;
    `qr_module` the QR code's lines per module, if there is one; `label` its text's colour and its box's, if the
    band has one (the label is read like the crawl, so held to the same contrast)."""
    cps = plan.speed * len(text) / text_width_px
    cap = cap_height(look.font_path, look.size_px, fonts)
    colours = {p.color for p in pieces if p.text} or {look.color}
    worst = min(colours, key=lambda c: text_contrast(c, look))
    contrast = text_contrast(worst, look)
    found: dict[str, str] = {}  # flag: warning
    if cps > READING_LIMIT_CPS:
        found["reading"] = (
            f"{name}: the crawl passes {cps:.1f} characters a second, more than the "
            f"{READING_LIMIT_CPS:g} viewers can read; slow it down (motion.crossing_seconds)."
        )
    cap_least = max(MIN_CAP_LINES, MIN_CAP_FRACTION * profile.short_side)
    if cap < cap_least:
        found["size"] = (
            f"{name}: capitals are {cap:.0f} lines high at {profile.id}, under the {cap_least:.0f} "
            f"that stay readable; make style.size larger."
        )
    if contrast < MIN_CONTRAST:
        found["contrast"] = (
            f"{name}: text and band contrast only {contrast:.1f}:1 (at least {MIN_CONTRAST:g}:1 "
            f"is readable); change style.color or style.band_color, or give the text an outline."
        )
    if label is not None and (boxed := contrast_ratio(*label)) < MIN_CONTRAST:
        said = f"{name}: the label's text and its box contrast only {boxed:.1f}:1 (at least {MIN_CONTRAST:g}:1 is "
        said += "readable); change style.label_color or style.label_background."
        found["contrast"] = f"{found['contrast']} {said.split(': ', 1)[1]}" if "contrast" in found else said
    if any({_hue(c), _hue(look.band_color)} == {"red", "green"} for c in colours):
        found["colour"] = f"{name}: red and green together cannot be told apart by many colour-blind viewers."
    if qr_module is not None:
        least = math.ceil(profile.short_side * QR_MODULE_FRACTION)
        if qr_module < least:
            found["qr"] = (
                f"{name}: QR modules of {qr_module} lines are under the {least} a phone needs from "
                f"across a room at {profile.id}; make qr.module larger."
            )
    figures = Figures(
        name=name,
        profile=profile.id,
        reading_cps=cps,
        cap_lines=cap,
        contrast=contrast,
        seconds=plan.seconds,
        passes=plan.passes,
        cap_minimum=cap_least,
        flags=tuple(found),
    )
    return figures, list(found.values())
