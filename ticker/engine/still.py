"""One still picture of the band, for the desk's preview of a campaign as it is being edited: made in the
process from the same survey, strips and blitter a render uses (so it is the very picture a file would hold),
with numpy and Pillow only: no ffmpeg is run, and 1080i50 takes a fraction of a second.

The picture is the output's stored size (anamorphic SD stays 720 × 576, as the file would be) with the band
over the neutral stand-in picture; an interlaced frame is shown woven, as the file holds it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ticker.campaign import Campaign, file_name
from ticker.engine.caches import Caches
from ticker.engine.motion import Plan
from ticker.engine.plan import plan

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


def neutral_picture(width: int, height: int) -> Image.Image:
    """A quiet stand-in for the channel's picture: grey-blue sky to warm grey ground, soft shapes, no text.
    Mid-grey on purpose: a band must read over light and dark pictures alike."""
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    sky, ground = np.array([118, 132, 146], np.float32), np.array([128, 120, 108], np.float32)
    picture = sky + (ground - sky) * np.clip((y - 0.45) * 4, 0, 1)
    picture = picture * (1 - 0.25 * ((x - 0.5) ** 2 + (y - 0.5) ** 2))  # a soft vignette
    im = Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(im)
    for cx, cy, r, shade in (
        (0.22, 0.62, 0.16, (96, 104, 98)),
        (0.70, 0.58, 0.22, (150, 142, 128)),
        (0.5, 0.30, 0.08, (170, 176, 182)),
    ):
        draw.ellipse([(cx - r) * width, (cy - r) * height, (cx + r) * width, (cy + r) * height], fill=shade)
    return im.filter(ImageFilter.GaussianBlur(height / 40))


def over_picture(band: np.ndarray, channels: tuple[int, ...], picture: np.ndarray, y: int) -> Image.Image:
    """The blitter's region (`band`, straight alpha in the pipe's channel order) over `picture` (float RGB of
    the whole frame) from line `y`, as ffmpeg overlays it: a new RGB picture."""
    rgba = band[..., list(channels)].astype(np.float32)
    out = picture.copy()
    under = out[y : y + band.shape[0]]
    alpha = rgba[..., 3:] / 255
    under[:] = rgba[..., :3] * alpha + under * (1 - alpha)
    return Image.fromarray(np.clip(np.rint(out), 0, 255).astype(np.uint8), "RGB")


def _background(width: int, height: int) -> np.ndarray:
    """The neutral picture of a size (its blur is a quarter of a preview's time), never written to."""
    picture = np.asarray(neutral_picture(width, height), dtype=np.float32)
    picture.flags.writeable = False
    return picture


def band_frame(
    campaign: Campaign,
    output: int = 0,
    day: dt.date | None = None,
    shown: int | None = None,
    caches: Caches | None = None,
) -> Still:
    """A still of output number `output` (from 0, in the order `ticker check` lists them) on `day` (its
    placeholders filled; by default as `ticker check` fills them), with the figures and warnings of
    `ticker check`. Refusals are the CLI's sentences (InputError). With `shown`, the picture is scaled to that
    many square pixels across at the profile's display aspect (576 lines of 720 samples are 16:9 on screen),
    as a screen shows it; else it is the output's own samples. `caches`: the owner's (the desk's)."""
    caches = caches or Caches()
    planned = plan(campaign, day=day, only=output, caches=caches)
    o, sv = planned.outputs[0].output, planned.outputs[0].survey
    motion, scene, profile = sv.plan, sv.scene, o.profile
    band = sv.blitter().frame(_frame_index(motion, scene.crawl[0] + HEAD_AT * profile.width))
    under = caches.backgrounds.get((profile.width, profile.height), lambda: _background(profile.width, profile.height))
    image = over_picture(band, o.format.channels, under, scene.region.y)
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
        "frames": motion.frames,
        "speed_px_per_s": round(motion.speed, 4),
    }
    return Still(
        png=out.getvalue(),
        output=file_name(campaign, o),
        width=image.width,
        height=image.height,
        figures=figures,
        warnings=planned.warnings,
        notes=planned.notes,
    )


def _frame_index(plan: Plan, head_x: float) -> int:
    """The frame whose first picture has the text's first unit at column `head_x` (the track's unit u shows at
    column (lead + u - offset) / P), within the clip."""
    picture = max(0, round((plan.lead - head_x * plan.phases) / plan.step))
    return min(plan.frames - 1, picture // plan.per_frame)
