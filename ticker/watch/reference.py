"""What a campaign's crawl looks like on a channel's pictures, for recognising it there: the band's lines and the
crawl's columns in the picture, the luma of one period of the crawl's track seen column by column (text and
gap, as the engine draws them), and how fast the track moves. Everything comes from the engine's own survey of
the output (its strips), never from a picture of a render, so that what is looked for is exactly what airs.

A column profile (the mean luma of the band's lines in each column) keeps what tells one text from another
(where the letters are dark or bright along the crawl) and loses what compression, a colour-range conversion
or the two fields of an interlaced picture change: the matcher compares profiles by normalised correlation,
which an offset or a gain in luma does not change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ticker.campaign import Campaign
from ticker.engine import Caches, plan

LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)  # BT.709; the matcher is blind to the small
# difference from BT.601 at SD (a gain and an offset per column at most)


@dataclass(frozen=True)
class Reference:
    """A campaign's crawl as one output shows it (module docstring)."""

    campaign: str
    key: str  # the content key of what is looked for (ticker.approval.key)
    profile: str
    width: int  # the picture's samples across and lines down
    height: int
    band: tuple[int, int]  # the picture lines of the crawl's band [top, bottom)
    crawl: tuple[int, int]  # the columns of the crawl's window [left, right)
    track: np.ndarray  # float32, one period of the track's column profile (text, then its gap), stored pixels
    text: int  # stored pixels of the text at the start of each period
    speed: float  # stored pixels the track moves a second
    rate: Fraction  # frames a second
    interlaced: bool  # two fields a frame, top first, the crawl moved between them
    dar: str  # the output picture's shape: 16:9 can be letterboxed or cut to 4:3
    chroma: tuple[float, float]  # the band's own Cb and Cr, limited range (what tells its colour from another's)
    messages: tuple[int, ...] = ()  # stored pixels of the period where each message's ink starts, in order

    @property
    def period(self) -> int:
        return int(self.track.shape[0])

    @property
    def window(self) -> int:
        return self.crawl[1] - self.crawl[0]


def band_chroma(rgb: tuple[int, int, int], hd: bool) -> tuple[float, float]:
    """Cb and Cr of a colour in limited range (BT.709 for HD, BT.601 for SD), as a decoder gives them."""
    kr, kb = (0.2126, 0.0722) if hd else (0.299, 0.114)
    r, g, b = (c / 255 for c in rgb)
    y = kr * r + (1 - kr - kb) * g + kb * b
    return 128 + 224 * (b - y) / (2 * (1 - kb)), 128 + 224 * (r - y) / (2 * (1 - kr))


def references(
    campaign: Campaign, day: dt.date | None = None, *, messages: list[str] | None = None, caches: Caches | None = None
) -> list[Reference]:
    """One reference per output profile of the campaign (the first output of each), for `day`'s words (or
    `messages`, a version's own words)."""
    from ticker.approval.key import content_key  # the approval is above the engine: read only for the key

    planned = plan(campaign, day=day, messages=messages, source="the records" if messages else None, caches=caches)
    found: dict[str, Reference] = {}
    for p in planned.outputs:
        sv, profile, track = p.survey, p.output.profile, p.survey.track
        if profile.id in found:
            continue
        scene, motion = sv.scene, sv.plan
        left, right = scene.crawl
        period = -(-motion.period // motion.phases)
        strips = sv.strips(right - left, (0, 1, 2, 3))
        tile = np.empty((1, scene.band_height, period, 4), dtype=np.uint8)
        strips.fill(tile, 0, phases=(0,))
        rgba = tile[0].astype(np.float32)
        alpha = rgba[..., 3:] / 255
        luma = (rgba[..., :3] * alpha + 128 * (1 - alpha)) @ LUMA  # over mid-grey where the band lets it through
        found[profile.id] = Reference(
            campaign=campaign.name,
            key=content_key(campaign),
            profile=profile.id,
            width=profile.width,
            height=profile.height,
            band=(scene.band_y, scene.band_y + scene.band_height),
            crawl=(left, right),
            track=luma.mean(axis=0).astype(np.float32),
            text=-(-motion.text // motion.phases),
            speed=float(Fraction(motion.step, motion.phases) * motion.motion_rate),
            rate=motion.rate,
            interlaced=profile.interlaced,
            dar=profile.dar,
            chroma=band_chroma(sv.look.band_color, profile.height > 576),
            messages=tuple(track.spans[i][0] // track.phases for i in p.crawl.messages if i < len(track.spans)),
        )
    return list(found.values())
