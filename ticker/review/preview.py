"""`ticker preview`: what the people who approve a crawl look at. One loop of the crawl over a picture like the
channel's (a small H.264 MP4 and an animated WebP), a contact sheet that shows the whole message at once, and a
proof page in Vietnamese (one HTML file with everything inside it) with the figures beside it as JSON.

The preview has the look of a broadcast profile (the band, text size, label and QR code as fractions of the
picture) at a size a web page shows: square pixels, progressive, 25 frames a second, 540 lines.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ticker.campaign import Output
from ticker.encode import ffmpeg_exe
from ticker.engine import Caches, Survey, neutral_picture, over_picture, plan_output
from ticker.engine.programme import probe_programme
from ticker.engine.strip import band_pixel
from ticker.engine.text_stage import Crawl
from ticker.errors import EncodeError, InputError
from ticker.media import FORMATS, Profile
from ticker.media.formats import PREVIEW
from ticker.media.profiles import BT709
from ticker.render import render
from ticker.vietnamese.text import bundled_fonts_dir

PREVIEW_LINES = 540  # the short side of the preview
ANIMATION_WIDTH = 480
SHEET_MARGIN = 24
SHEET_STEP = 0.85  # each row of the contact sheet starts this much of the window after the last: words cut at a
# row's end are whole at the next row's start


def preview_profile(profile: Profile) -> Profile:
    """The look of `profile` for a web page: its display aspect in square pixels, progressive, 25 frames a
    second, 540 lines on its short side."""
    aspect = Fraction(profile.width) * profile.sar / profile.height
    if aspect >= 1:
        width, height = 2 * round(PREVIEW_LINES * aspect / 2), PREVIEW_LINES
    else:
        width, height = PREVIEW_LINES, 2 * round(PREVIEW_LINES / aspect / 2)
    return Profile(f"preview-{profile.id}", width, height, Fraction(25), False, Fraction(1), profile.dar, BT709)


def background(over: Path | None, profile: Profile, into: Path) -> Path:
    """The picture the preview crawls over, as a PNG at the preview's size: the operator's frame grab (a still,
    or a frame a third of the way into a video), or the neutral picture."""
    target = into / "background.png"
    if over is None:
        neutral_picture(profile.width, profile.height).save(target)
        return target
    if probe_programme(over).still:  # one sentence when it is neither a picture nor a video
        with Image.open(over) as im:
            im.convert("RGB").resize((profile.width, profile.height), Image.Resampling.LANCZOS).save(target)
        return target
    try:
        with av.open(str(over)) as c:
            if c.duration:
                c.seek(c.duration // 3)
            frame = next(c.decode(c.streams.video[0]), None)
    except av.FFmpegError as e:
        raise InputError(f"--over {over}: no picture could be decoded from it ({e}).") from None
    if frame is None:
        raise InputError(f"--over {over}: no picture could be decoded from it.")
    frame.to_image().resize((profile.width, profile.height), Image.Resampling.LANCZOS).save(target)
    return target


@dataclass(frozen=True)
class Preview:
    profile: Profile  # the preview's own
    look_of: str  # the broadcast profile it has the look of
    video: Path
    animation: Path
    sheet: Path
    still: Path  # the first message's first frame over the picture, nothing drawn on it: for the report back
    sheet_rows: list[dict]  # each row of the strip on the sheet: "box" (x, y, width, height), "column" (its first)
    frames: int
    seconds: float
    message_frames: list[int]  # the frame of the loop where each message starts at the left of the crawl's window
    loop_seconds: float  # the whole loop's; more than `seconds` when the clip shows only its first seconds


def make(
    crawl: Crawl,
    look_of: Profile,
    over: Path | None,
    work: Path,
    seconds: float | None = None,
    caches: Caches | None = None,
    counted: Callable[[int, int], None] | None = None,
) -> Preview:
    """The MP4, the animation and the contact sheet, in `work`. With `seconds`, the clip and the animation show
    at most the first `seconds` of the loop; the contact sheet shows the whole crawl all the same. `counted`:
    told the clip's pictures encoded, of its total, as render tells it (the animation and the sheet follow)."""
    profile = preview_profile(look_of)
    own = crawl.style.background if isinstance(crawl.style.background, Path) else None  # the campaign's still
    picture = background(over or own, profile, work)
    output = Output(profile=profile, format=FORMATS[PREVIEW], loop=True, seconds=None)
    shown = replace(crawl, style=replace(crawl.style, background=picture))  # the crawl over that picture
    sv = plan_output(
        shown, output, first=None if seconds is None else max(1, int(seconds * profile.rate)), caches=caches
    )
    result = render(shown, output, work, surveyed=sv, counted=counted)
    video = work / "preview.mp4"
    os.replace(result.path, video)
    animation = work / "preview.webp"
    _animate(video, animation)
    starts = _message_starts(crawl, sv)
    sheet = work / "contact.png"
    rows = _contact_sheet(crawl, sv, picture, starts, sheet)
    still = work / "still.png"
    stills(sv, picture, starts[:1])[0].save(still, compress_level=6)
    return Preview(
        profile=profile,
        look_of=look_of.id,
        video=video,
        animation=animation,
        sheet=sheet,
        still=still,
        sheet_rows=rows,
        frames=result.frames,
        seconds=result.seconds,
        message_frames=starts,
        loop_seconds=sv.plan.seconds,
    )


def _animate(video: Path, target: Path) -> None:
    """An animated WebP of the loop, 480 pixels wide, 12.5 pictures a second, looping for ever."""
    command = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-i",
        str(video),
        "-vf",
        f"fps=25/2,scale={ANIMATION_WIDTH}:-2:flags=lanczos",
        "-c:v",
        "libwebp_anim",
        "-loop",
        "0",
        "-quality",
        "70",
        "-compression_level",
        "2",
        "-f",
        "webp",
        str(target),
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise EncodeError(f"{target.name}: ffmpeg could not make the animation: {done.stderr.strip()[-400:]}")


def message_texts(crawl: Crawl) -> list[str]:
    """The messages as they will air (converted, placeholders filled, the QR code's address replaced)."""
    texts = []
    for i in crawl.messages:
        text = crawl.pieces[i].text
        assert text is not None  # crawl.messages indexes the message pieces, never the logo
        texts.append(text)
    return texts


def _message_starts(crawl: Crawl, sv: Survey) -> list[int]:
    """For each message, the frame of the loop where its first letter stands a little inside the left end of
    the crawl's window."""
    plan, track = sv.plan, sv.track.at(sv.plan.phases)
    left = sv.scene.crawl[0] + 8
    starts = []
    for i in crawl.messages:
        ink = track.spans[i][0]
        starts.append(round(((ink + plan.lead - left * plan.phases) % plan.period) / plan.step) % plan.frames)
    return starts


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(bundled_fonts_dir() / "NotoSans-Bold.ttf"), size)


def _contact_sheet(crawl: Crawl, sv: Survey, picture: Path, starts: list[int], target: Path) -> list[dict]:
    """The strip of the whole crawl cut into rows as wide as the crawl's window, at equal steps a little shorter
    than that (read them top to bottom, as a page), over mid-grey; below it, the first frame of each message
    over the picture."""
    plan, scene, look = sv.plan, sv.scene, sv.look
    channels = FORMATS["png"].channels
    strips = sv.strips(scene.crawl[1] - scene.crawl[0], channels)
    lo, hi = scene.crawl
    width, text = hi - lo, -(-plan.text // plan.phases)
    under = Image.new("RGBA", (hi - lo, scene.band_height), (128, 128, 128, 255))  # mid-grey behind the band
    step = max(1, int(width * SHEET_STEP))
    columns = range(0, max(1, text - width + step), step)
    thumbs = stills(sv, picture, starts)
    inner = max(width, 2 * 320 + SHEET_MARGIN)
    thumb_w = (inner - SHEET_MARGIN) // 2 if len(thumbs) > 1 else min(inner, thumbs[0].width)
    thumb_h = round(thumb_w * thumbs[0].height / thumbs[0].width)
    title, caption = _font(22), _font(16)
    heading = _wrap(f"Toàn bộ dòng chữ: {crawl.campaign.title}", title, inner)
    gap = 6
    height = (
        SHEET_MARGIN * 3
        + 32 * len(heading)
        + len(columns) * (scene.band_height + gap)
        + 34
        + -(-len(thumbs) // 2) * (thumb_h + 30)
        + SHEET_MARGIN
    )
    sheet = Image.new("RGB", (inner + 2 * SHEET_MARGIN, height), (236, 236, 232))
    draw = ImageDraw.Draw(sheet)
    y = SHEET_MARGIN
    for line in heading:
        draw.text((SHEET_MARGIN, y), line, font=title, fill=(20, 20, 20))
        y += 32
    y += SHEET_MARGIN // 2
    rows = []
    row = np.empty((1, scene.band_height, width, 4), dtype=np.uint8)  # a row at a time: the strip is never whole
    for x in columns:
        strips.fill(row, x, phases=(0,))
        row[0, :, max(0, text - x) :] = band_pixel(look, channels)  # after the text, the plain band
        band = under.copy()
        band.alpha_composite(Image.fromarray(row[0], "RGBA"), (0, 0))
        sheet.paste(band.convert("RGB"), (SHEET_MARGIN, y))
        rows.append({"box": [SHEET_MARGIN, y, width, scene.band_height], "column": x})
        y += scene.band_height + gap
    y += SHEET_MARGIN
    draw.text((SHEET_MARGIN, y), "Đầu mỗi thông điệp", font=title, fill=(20, 20, 20))
    y += 34
    for k, thumb in enumerate(thumbs):
        x = SHEET_MARGIN + (k % 2) * (thumb_w + SHEET_MARGIN)
        ty = y + (k // 2) * (thumb_h + 30)
        draw.text((x, ty), f"Thông điệp {k + 1} (khung hình {starts[k] + 1})", font=caption, fill=(40, 40, 40))
        sheet.paste(thumb.resize((thumb_w, thumb_h), Image.Resampling.LANCZOS), (x, ty + 24))
    sheet.save(target, optimize=False, compress_level=6)
    return rows


def _wrap(text: str, font, width: int) -> list[str]:
    lines = [""]
    for word in text.split():
        trial = f"{lines[-1]} {word}".strip()
        if font.getlength(trial) <= width or not lines[-1]:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def stills(sv: Survey, picture: Path, indices: list[int]) -> list[Image.Image]:
    """Frames of the loop by index, drawn here from its strips over the picture as the clip shows them (the
    clip may hold only the loop's first seconds)."""
    blitter, channels = sv.blitter(), sv.output.format.channels
    with Image.open(picture) as im:
        under = np.asarray(im.convert("RGB"), dtype=np.float32)
    return [over_picture(blitter.frame(index), channels, under, sv.scene.region.y) for index in indices]
