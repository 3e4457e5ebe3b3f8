"""From a campaign to finished files: text → strip → motion → blit → sink, published atomically."""

from __future__ import annotations

import functools
import os
import shutil
import unicodedata
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import av
from tqdm import tqdm

from ticker.blit import Blitter
from ticker.config import Campaign, Message, Output
from ticker.legacy import detect, to_unicode
from ticker.errors import InputError, RenderError
from ticker.motion import Plan, plan_motion
from ticker.profiles import PROFILES, Profile
from ticker.sink import FORMATS, Format, Placement, open_sink
from ticker.readability import Figures, assess
from ticker.strip import MARGIN_PX, Coverage, Look, blank_band, phase_strips, rasterise
from ticker.text import check_glyphs, leftover_marks, normalise, normalise_spacing, resolve_font, upper


@dataclass(frozen=True)
class Crawl:
    """The text of a crawl, converted, checked and ready to draw, with what was done to it on the way."""

    text: str
    font_path: Path
    fallback_path: Path | None
    campaign: Campaign
    notes: tuple[str, ...] = ()  # conversions made (said in the log)
    warnings: tuple[str, ...] = ()  # text that may not show as meant


def _decode(message: Message) -> tuple[str, str | None, str | None]:
    """The message as NFC Unicode, with a note on any conversion and a warning when unsure."""
    if message.encoding != "auto":
        text = to_unicode(message.text, message.encoding)
        converted = text != unicodedata.normalize("NFC", message.text)
        return text, (f"converted from {message.encoding}, as declared" if converted else None), None
    found = detect(message.text)
    if found.converted:
        return found.text, f"converted from {found.encoding}: {found.reason}", None
    unsure = None if found.encoding in ("unicode", "nfd") else f"left as it is: {found.reason}"
    return found.text, None, unsure


def prepare(campaign: Campaign, messages: list[str] | None = None, source: str | None = None) -> Crawl:
    """Convert the messages (the campaign's, or replacements from the command line) to NFC Vietnamese and
    check every character against the fonts before anything is drawn."""
    style = campaign.style
    font_path = resolve_font(style.font, campaign.base_dir)
    fallback = resolve_font(style.fallback_font, campaign.base_dir, "style.fallback_font") \
        if style.fallback_font else None
    fallback = None if fallback == font_path else fallback
    given = campaign.messages if messages is None else [Message(text=t) for t in messages]
    texts, notes, warnings = [], [], []
    for i, message in enumerate(given, 1):
        where = source or f"{campaign.path}: message[{i}]"
        text, note, unsure = _decode(message)
        notes += [f"{where}: {note}"] if note else []
        warnings += [f"{where}: {unsure}"] if unsure else []
        check_glyphs(text, font_path, where, fallback)
        flat = normalise(text)
        if not flat:
            raise InputError(f"{where}: the message is empty.")
        warnings += [f"{where}: combining mark U+{ord(ch):04X} at character {col} is not joined to its letter "
                     f"(a tone typed before its circumflex?); retype that letter." for col, ch in leftover_marks(flat)]
        texts.append(flat)
    sep = normalise_spacing(style.separator)
    check_glyphs(sep, font_path, f"{campaign.path}: style.separator", fallback)
    text = (sep if sep.strip() else "   ").join(texts)
    if style.uppercase:
        text = upper(text)
        check_glyphs(text, font_path, f"{campaign.path}: the crawl in capitals (style.uppercase)", fallback)
    return Crawl(text=text, font_path=font_path, fallback_path=fallback, campaign=campaign, notes=tuple(notes),
                 warnings=tuple(warnings))


def look_for(crawl: Crawl, profile: Profile) -> Look:
    s = crawl.campaign.style
    return Look(font_path=crawl.font_path, size_px=s.size * profile.short_side, color=s.color,
                band_color=s.band_color, band_opacity=s.band_opacity, padding=s.padding, sar=profile.sar,
                vertical_filter=profile.interlaced and profile.height <= 576, fallback_path=crawl.fallback_path)


def place_band(crawl: Crawl, profile: Profile, band_height: int) -> Placement:
    """Inside the EBU R 95 graphics-safe area, on a line that is a multiple of 4 (fields never swap and 4:2:0
    chroma stays within its field)."""
    s = crawl.campaign.style
    _, safe_y = profile.safe_margins
    margin = round(s.margin * profile.short_side)
    if s.position == "top":
        y = -(-(safe_y + margin) // 4) * 4
    else:
        y = (profile.height - safe_y - margin - band_height) // 4 * 4
    if y < 0 or y + band_height > profile.height:
        raise InputError(f"{crawl.campaign.path}: style.size and style.padding make a band of {band_height} "
                         f"lines that does not fit the {profile.id} picture.")
    return Placement(width=profile.width, height=band_height, y=y)


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

    def as_json(self) -> dict:
        return asdict(self)


def file_name(campaign: Campaign, output: Output) -> str:
    timing = "loop" if output.loop else f"{output.seconds:.3f}".rstrip("0").rstrip(".") + "s"
    return f"{campaign.name}_{output.profile}_{output.format}_{timing}{FORMATS[output.format].ext}"


def plan_for(crawl: Crawl, output: Output, cov: Coverage, speed: float | None = None) -> Plan:
    profile = PROFILES[output.profile]
    m = crawl.campaign.motion
    return plan_motion(profile, text_units=cov.units, phases=cov.phases,
                       speed=speed if speed is not None else profile.width / m.crossing_seconds,
                       gap_px=m.gap * profile.width, loop=output.loop, seconds=output.seconds)


@dataclass(frozen=True)
class Survey:
    """Everything known about an output before its first picture: the drawn text, the motion, the band's
    place, and whether viewers can read it."""

    look: Look
    coverage: Coverage
    plan: Plan
    band: Placement
    figures: Figures
    warnings: tuple[str, ...]


def survey(crawl: Crawl, output: Output, speed: float | None = None) -> Survey:
    profile = PROFILES[output.profile]
    look = look_for(crawl, profile)
    cov = _rasterise(crawl.text, look)
    plan = plan_for(crawl, output, cov, speed)
    band = place_band(crawl, profile, cov.height)
    width = (cov.units / cov.phases) - 2 * MARGIN_PX
    figures, warnings = assess(file_name(crawl.campaign, output), profile, plan, crawl.text, width, look)
    return Survey(look=look, coverage=cov, plan=plan, band=band, figures=figures, warnings=tuple(warnings))


_rasterise = functools.lru_cache(maxsize=4)(rasterise)  # check, then render: the same text drawn once


def render(crawl: Crawl, output: Output, out_dir: Path, *, speed: float | None = None,
           progress: bool = False) -> Result:
    """Render one output. The file appears under its final name only when complete and checked."""
    profile, fmt = PROFILES[output.profile], FORMATS[output.format]
    sv = survey(crawl, output, speed)
    look, cov, plan, band = sv.look, sv.coverage, sv.plan, sv.band
    strips = phase_strips(cov.at(plan.phases), look, plan.period, profile.width, fmt.channels)
    blank = blank_band(look, cov.height, profile.width, fmt.channels)

    final = out_dir / file_name(crawl.campaign, output)
    temp = out_dir / f".{final.name}.{os.getpid()}.partial"  # watch folders ignore it: not the final extension
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if final.exists() and final.is_dir() != (fmt.muxer == "image2"):
            raise FileExistsError(f"{final} is in the way")
    except OSError as e:
        raise InputError(f"{out_dir}: cannot write the output there ({e.strerror or e}).") from None
    try:
        with open_sink(fmt, profile, band, temp, plan.frames, crawl.campaign.style.background) as sink:
            blitter = Blitter(strips, blank, plan, profile.interlaced, buffers=sink.buffers)
            for index in tqdm(sink.order(plan.frames), total=plan.frames, unit="frame", disable=not progress,
                              desc=final.name, leave=False):
                sink.write(blitter.frame(index), index)
            sink.close()
        _verify(temp, fmt, plan.frames)
        _publish(temp, final, fmt)
    except BaseException:
        _remove(temp)
        raise
    return Result(path=str(final), profile=profile.id, format=fmt.id, frames=plan.frames,
                  fps=float(profile.rate), width=profile.width, height=profile.height,
                  interlaced=profile.interlaced, loop=plan.loop, speed_px_per_s=round(plan.speed, 4),
                  seconds=plan.seconds, gap_px=round(plan.gap, 3), band_y=band.y, band_height=band.height,
                  passes=plan.passes)


def _publish(temp: Path, final: Path, fmt: Format) -> None:
    """Move the checked file (or folder of pictures) to its final name in one rename."""
    if fmt.muxer != "image2":
        os.replace(temp, final)
        return
    stem = temp.name.removesuffix(".partial")
    for f in sorted(temp.iterdir()):
        f.rename(temp / f.name.replace(stem, final.name, 1))
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    if final.exists():
        final.rename(old)  # a folder cannot be replaced in one step: the old one goes aside first
    temp.rename(final)
    _remove(old)


def _verify(path: Path, fmt: Format, frames: int) -> None:
    """Read the written file back: a file that does not hold the frames we sent is not published."""
    if fmt.muxer == "image2":
        found = len(list(path.glob("*.png")))
    else:
        try:
            with av.open(str(path)) as container:
                found = sum(1 for p in container.demux(video=0) if p.size)
        except av.FFmpegError as e:
            raise RenderError(f"{path.name} cannot be read back: {e}") from None
    if found != frames:
        raise RenderError(f"{path.name} holds {found} frames where {frames} were written.")


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    for part in path.parent.glob(f"{path.name}.seg*"):  # segments of a parallel encode
        part.unlink()


def outputs_for(campaign: Campaign, *, profile: str | None = None, fmt: str | None = None,
                loop: bool = False, seconds: float | None = None) -> list[Output]:
    """The campaign's outputs, with what the command line overrides; a campaign without any gets one
    1080i50 ProRes 4444 loop."""
    base = list(campaign.outputs) or [Output(profile="1080i50", format="prores4444", loop=True, seconds=None)]
    result: list[Output] = []
    for o in base:
        o = replace(o, profile=profile or o.profile, format=fmt or o.format)
        if loop or seconds is not None:
            o = replace(o, loop=loop, seconds=seconds)
        if o not in result:
            result.append(o)
    return result
