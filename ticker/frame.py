"""One still picture of the band, for the desk's preview of a campaign as it is being edited: made in the
process from the same survey, strips and blitter a render uses (so it is the very picture a file would hold),
with numpy and Pillow only: no ffmpeg is run, and 1080i50 takes a fraction of a second.

The picture is the output's stored size (anamorphic SD stays 720 × 576, as the file would be) with the band
over the neutral stand-in picture of ticker.preview; an interlaced frame is shown woven, as the file holds it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image

from ticker.config import Campaign
from ticker.crawl import prepare
from ticker.errors import InputError
from ticker.formats import check_output
from ticker.motion import Plan
from ticker.outputs import file_name, outputs_for
from ticker.preview import neutral_picture, over_picture
from ticker.render import survey
from ticker.schedule import expand

HEAD_AT = 0.04  # the text's first letter this far (of the width) past the crawl's left edge: the message's start


@dataclass(frozen=True)
class Still:
    png: bytes
    output: str  # the file name the output would get
    width: int
    height: int
    figures: dict  # what `ticker check` says of the output's readability and band, as JSON values
    warnings: tuple[str, ...]  # the crawl's and the readability's, each once, as `ticker check` says them
    notes: tuple[str, ...]  # conversions made to the text


@functools.lru_cache(maxsize=8)
def _background(width: int, height: int) -> np.ndarray:
    """The neutral picture of a size, drawn once (its blur is a quarter of a preview's time), never written to."""
    picture = np.asarray(neutral_picture(width, height), dtype=np.float32)
    picture.flags.writeable = False
    return picture


def band_frame(campaign: Campaign, output: int = 0, day: dt.date | None = None, shown: int | None = None) -> Still:
    """A still of output number `output` (from 0, in the order `ticker check` lists them) on `day` (its
    placeholders filled; by default as `ticker check` fills them), with the figures and warnings of
    `ticker check`. Refusals are the CLI's sentences (InputError). With `shown`, the picture is scaled to that
    many square pixels across at the profile's display aspect (576 lines of 720 samples are 16:9 on screen),
    as a screen shows it; else it is the output's own samples."""
    outputs = expand(campaign, outputs_for(campaign))
    if not 0 <= output < len(outputs):
        raise InputError(
            f"{campaign.path}: has no output {output + 1}: it makes {len(outputs)} (count them from 1 in "
            f"[[output]] order, slots expanded)."
        )
    o = outputs[output]
    check_output(o, need_over=False)
    crawl = prepare(campaign, None, None, campaign.style_for(o), day)
    sv = survey(crawl, o, checked=True)
    plan, scene, profile, fmt = sv.plan, sv.scene, o.profile, o.format
    band = sv.blitter().frame(_frame_index(plan, scene.crawl[0] + HEAD_AT * profile.width))
    image = over_picture(band, fmt.channels, _background(profile.width, profile.height), scene.region.y)
    out = io.BytesIO()
    if shown is not None:
        across, down = (int(n) for n in profile.dar.split(":"))
        image = image.resize((shown, round(shown * down / across)), Image.Resampling.BILINEAR)
    image.save(out, "PNG", compress_level=1)
    fig = sv.figures
    figures = {
        **{k: list(v) if isinstance(v, tuple) else v for k, v in asdict(fig).items()},
        "line": fig.line(),
        "band_y": scene.band_y,
        "band_height": scene.band_height,
        "layers": {name: list(box) for name, box in scene.boxes},
        "crawl": list(scene.crawl),  # the band's columns where the crawl shows
        "frames": plan.frames,
        "speed_px_per_s": round(plan.speed, 4),
    }
    return Still(
        png=out.getvalue(),
        output=file_name(campaign, o),
        width=image.width,
        height=image.height,
        figures=figures,
        warnings=tuple(dict.fromkeys([*crawl.warnings, *sv.warnings])),
        notes=tuple(crawl.notes),
    )


def _frame_index(plan: Plan, head_x: float) -> int:
    """The frame whose first picture has the text's first unit at column `head_x` (the track's unit u shows at
    column (lead + u - offset) / P), within the clip."""
    picture = max(0, round((plan.lead - head_x * plan.phases) / plan.step))
    return min(plan.frames - 1, picture // plan.per_frame)
