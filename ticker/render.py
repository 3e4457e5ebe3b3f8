"""From a campaign to finished files: text → strip → motion → blit → sink, published atomically."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
import unicodedata
from dataclasses import asdict, dataclass, replace
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, UnidentifiedImageError
from tqdm import tqdm

from ticker.blit import Blitter
from ticker.config import PLACEHOLDER, Campaign, Message, Output, Style
from ticker.legacy import detect, to_unicode
from ticker.errors import InputError, RenderError
from ticker.motion import Plan, frames_for_passes, plan_motion
from ticker.profiles import PROFILES, Profile
from ticker import __version__
from ticker.qc import FIELD_NAMES, Expect, expect_for, inspect, packet_digests, seam
from ticker.sink import (FORMATS, MXF_VIDEO, PICTURE_DIGITS, Delivery, Format, Job, Programme, SegmentedSink,
                         h264_level, key_path, mpeg2_level, mpeg2_problem, open_sink)
from ticker.targets import TARGETS, fill_for
from ticker.readability import Figures, assess
from ticker.schedule import fill, fill_day, placeholder_values
from ticker.layers import Scene, compose
from ticker.strip import MARGIN_PX, Look, Piece, Track, phase_strips, rasterise
from ticker.text import URL, check_glyphs, leftover_marks, normalise, resolve_font, upper


@dataclass(frozen=True)
class Crawl:
    """The text of a crawl, converted, checked and ready to draw, with what was done to it on the way."""

    text: str  # the whole crawl as it reads: messages and separators
    pieces: tuple[Piece, ...]  # what is drawn: each message and separator in its font and colour
    font_path: Path
    fallback_path: Path | None
    campaign: Campaign
    style: Style
    notes: tuple[str, ...] = ()  # conversions made (said in the log)
    warnings: tuple[str, ...] = ()  # text that may not show as meant
    label_font_path: Path | None = None
    qr_url: str | None = None
    messages: tuple[int, ...] = ()  # which pieces are the messages (the others are separators)


def _decode(message: Message) -> tuple[str, str | None, str | None]:
    """The message as NFC Unicode, with a note on any conversion and a warning when unsure. Placeholders
    ({date} …) are set aside while the encoding is read: they are not words of the message."""
    marks: list[str] = []

    def hide(match) -> str:
        marks.append(match.group(0))
        return chr(0xE000 + len(marks) - 1)  # a private-use character: no table maps it, no word holds it

    private = re.search("[\ue000-\uf8ff]", message.text)  # then nothing is set aside: those are the text's
    raw = message.text if private else PLACEHOLDER.sub(hide, message.text)

    def shown(text: str) -> str:
        if private:
            return text
        return re.sub("[\ue000-\uf8ff]", lambda m: marks[ord(m.group(0)) - 0xE000], text)

    if message.encoding != "auto":
        text = to_unicode(raw, message.encoding)
        converted = text != unicodedata.normalize("NFC", raw)
        return shown(text), (f"converted from {message.encoding}, as declared" if converted else None), None
    found = detect(raw)
    if found.converted:
        return shown(found.text), f"converted from {found.encoding}: {found.reason}", None
    unsure = None if found.encoding in ("unicode", "nfd") else f"left as it is: {found.reason}"
    return shown(found.text), None, unsure


def prepare(campaign: Campaign, messages: list[str] | None = None, source: str | None = None,
            style: Style | None = None, day: dt.date | None = None) -> Crawl:
    """Convert the messages (the campaign's, or replacements from the command line) to NFC Vietnamese, fill
    their placeholders for the day (by default today, or the window's first day), find the QR code's address,
    and check every character against its font before anything is drawn."""
    style = style or campaign.style
    day, day_note = fill_day(campaign, day) if messages is None else (None, None)
    values = placeholder_values(campaign, day) if day is not None else None
    base = campaign.base_dir
    font_path = resolve_font(style.font, base)
    fallback = resolve_font(style.fallback_font, base, "style.fallback_font") if style.fallback_font else None
    fallback = None if fallback == font_path else fallback
    given = campaign.messages if messages is None else [Message(text=t) for t in messages]
    texts, notes, warnings = [], [day_note] if day_note else [], []
    for i, message in enumerate(given, 1):
        where = source or f"{campaign.path}: message[{i}]"
        text, note, unsure = _decode(message)
        text = fill(text, values) if messages is None else text
        notes += [f"{where}: {note}"] if note else []
        warnings += [f"{where}: {unsure}"] if unsure else []
        path = resolve_font(style.font_for(message.weight), base, f"style.fonts.{message.weight}") \
            if message.weight else font_path
        check_glyphs(text, path, where, fallback)
        flat = normalise(text)
        if not flat:
            raise InputError(f"{where}: the message is empty.")
        warnings += [f"{where}: combining mark U+{ord(ch):04X} at character {col} is not joined to its letter "
                     f"(a tone typed before its circumflex?); retype that letter." for col, ch in leftover_marks(flat)]
        if style.uppercase:
            flat = upper(flat)
            check_glyphs(flat, path, f"{where} in capitals (style.uppercase)", fallback)
        texts.append((flat, path, message.color or style.color, where))

    qr_url = None
    if campaign.qr is not None:
        qr_url, texts = _qr_address(campaign, style, texts, fallback)
    pieces: list[Piece] = []
    indices: list[int] = []
    sep = normalise(style.separator)
    if sep == "logo" and style.logo is None:
        raise InputError(f"{campaign.path}: style.separator is \"logo\" but style.logo names no picture.")
    if sep and sep != "logo":
        check_glyphs(sep, font_path, f"{campaign.path}: style.separator", fallback)
    for k, (text, path, colour, _) in enumerate(texts):
        if k and sep:
            pieces.append(Piece(None) if sep == "logo" else Piece(sep, font_path, style.color))
        pieces.append(Piece(text, path, colour))
        indices.append(len(pieces) - 1)
    shown = f" {sep if sep != 'logo' else '◆'} " if sep else "   "
    label_font = None
    if style.label:
        label_font = resolve_font(style.label_font or style.font, base, "style.label_font")
        check_glyphs(style.label, label_font, f"{campaign.path}: style.label", fallback)
    return Crawl(text=shown.join(t for t, *_ in texts), pieces=tuple(pieces), font_path=font_path,
                 fallback_path=fallback, campaign=campaign, style=style, notes=tuple(notes),
                 warnings=tuple(warnings), label_font_path=label_font, qr_url=qr_url, messages=tuple(indices))


def _qr_address(campaign: Campaign, style: Style, texts: list, fallback: Path | None) -> tuple[str, list]:
    """The address the QR code carries (given, or the first in the messages), and the messages without it
    when qr.hide_url asks for that (in capitals too, with style.uppercase)."""
    qr = campaign.qr
    found = [m.group().rstrip(".,;:!?)»”'\"") for t, *_ in texts for m in URL.finditer(t)]
    if qr.url != "auto":
        url = qr.url
    elif found:
        url = found[0]
    else:
        raise InputError(f"{campaign.path}: qr.url is \"auto\" but no message holds a web address.")
    if not qr.hide_url:
        return url, texts
    kept, instead = [], upper(qr.replace_with) if style.uppercase else qr.replace_with
    for text, path, colour, where in texts:
        if url in text:
            text = normalise(text.replace(url, instead))
            if not text:
                raise InputError(f"{where}: nothing is left of the message once qr.hide_url takes the address out.")
            check_glyphs(text, path, f"{where} (with qr.replace_with)", fallback)
        kept.append((text, path, colour, where))
    return url, kept


def look_for(crawl: Crawl, profile: Profile) -> Look:
    s = crawl.style
    return Look(font_path=crawl.font_path, size_px=s.size * profile.short_side, color=s.color,
                band_color=s.band_color, band_opacity=s.band_opacity, padding=s.padding, sar=profile.sar,
                vertical_filter=profile.interlaced and profile.height <= 576, fallback_path=crawl.fallback_path,
                space=s.separator_space, outline=s.outline, outline_color=s.outline_color, shadow=s.shadow,
                shadow_color=s.shadow_color, shadow_opacity=s.shadow_opacity, logo=s.logo)


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
    fill: str | None = None  # premultiplied | straight, for a pair
    encoded: int | None = None  # frames encoded: fewer than `frames` when a slot copies one period
    target: str | None = None  # the inserter the file is made for
    note: str | None = None  # why a slot that could have been copied was encoded frame by frame

    def as_json(self) -> dict:
        return asdict(self)


def file_name(campaign: Campaign, output: Output, programme: Programme | None = None) -> str:
    """{campaign}[_{style}]_{profile}_{format}[_straight][_{target}]_{loop|Ns|over-PROGRAMME[_loop|_Ns]}{ext}:
    outputs that differ in anything but the text get different names. Over a video, the length is the
    programme's."""
    fmt = FORMATS[output.format]
    timing = ("loop" if output.loop else f"{output.passes}pass" + "es" * (output.passes != 1) if output.passes
              else f"{output.seconds:.3f}".rstrip("0").rstrip(".") + "s")
    if programme is not None:
        over = f"over-{re.sub(r'[^A-Za-z0-9.-]+', '-', programme.path.stem)}"
        timing = f"{over}_{timing}" if programme.still else over
    styled = f"_{output.style}" if output.style else ""
    fill = "_straight" if fmt.pair and output.fill == "straight" else ""
    target = f"_{output.target}" if output.target else ""
    return f"{campaign.name}{styled}_{output.profile}_{output.format}{fill}{target}_{timing}{fmt.ext}"


def plan_for(crawl: Crawl, output: Output, track: Track, speed: float | None = None) -> Plan:
    """The motion of an output; one timed by passes lasts as long as they take."""
    profile = PROFILES[output.profile]
    m = crawl.campaign.motion
    common = dict(text_units=track.units, phases=track.phases, gap_px=m.gap * profile.width,
                  speed=speed if speed is not None else profile.width / m.crossing_seconds)
    seconds = output.seconds
    if output.passes:
        loop = plan_motion(profile, loop=True, seconds=None, **common)
        seconds = float(frames_for_passes(loop, output.passes) / profile.rate)
    return plan_motion(profile, loop=output.loop, seconds=seconds, **common)


@dataclass(frozen=True)
class Survey:
    """Everything known about an output before its first picture: the drawn crawl, the motion, the band's
    place and still layers, and whether viewers can read it."""

    look: Look
    track: Track
    plan: Plan
    scene: Scene
    figures: Figures
    warnings: tuple[str, ...]


def scene_for(crawl: Crawl, profile: Profile, look: Look, track: Track, channels: tuple[int, ...]) -> Scene:
    s = crawl.style
    label = None
    if s.label:
        label = _rasterise((Piece(s.label, crawl.label_font_path, s.label_color),),
                           replace(look, outline=0.0, shadow=0.0))
    return compose(profile, s, look, track.height, channels, baseline=track.baseline, label=label,
                   qr=crawl.campaign.qr, qr_url=crawl.qr_url, where=str(crawl.campaign.path))


def survey(crawl: Crawl, output: Output, speed: float | None = None) -> Survey:
    profile = PROFILES[output.profile]
    look = look_for(crawl, profile)
    track = _rasterise(crawl.pieces, look)
    plan = plan_for(crawl, output, track, speed)
    scene = scene_for(crawl, profile, look, track, FORMATS[output.format].channels)
    width = (track.units / track.phases) - 2 * MARGIN_PX
    figures, warnings = assess(file_name(crawl.campaign, output), profile, plan, crawl.text, width, look,
                               crawl.pieces, scene.qr_module)
    return Survey(look=look, track=track, plan=plan, scene=scene, figures=figures, warnings=tuple(warnings))


_rasterise = functools.lru_cache(maxsize=8)(rasterise)  # check, then render: the same crawl drawn once


class QCError(RenderError):
    """A written file failed its checks: nothing was published."""


def render(crawl: Crawl, output: Output, out_dir: Path, *, speed: float | None = None, progress: bool = False,
           over: Path | None = None, delivery: Delivery = Delivery(), straight: bool = False) -> Result:
    """Render one output (one file, or a fill and a key). Files appear under their final names only when
    complete and checked. A timed clip in a format that can be joined by stream copy is made from one encoded
    period (a slot) unless `straight`."""
    profile, fmt = PROFILES[output.profile], FORMATS[output.format]
    check_output(output, delivery, over)
    programme = probe_programme(over) if over is not None else None
    if programme is not None and not programme.still:
        output = replace(output, loop=True, seconds=None)  # the crawl repeats for the programme's length
    sv = survey(crawl, output, speed)
    look, track, plan, scene = sv.look, sv.track, sv.plan, sv.scene
    frames = plan.frames if programme is None or programme.still else _programme_frames(programme, profile)
    first_picture = TARGETS[output.target].first_picture if output.target else 1
    if fmt.muxer == "image2" and first_picture + frames > 10 ** PICTURE_DIGITS:
        raise InputError(f"{file_name(crawl.campaign, output)}: {frames} pictures are more than a sequence of "
                         f"{PICTURE_DIGITS}-digit numbers holds; make the clip shorter or use qtrle.")
    strips = phase_strips(track.at(plan.phases), look, plan.period, profile.width, fmt.channels)

    final = out_dir / file_name(crawl.campaign, output, programme)
    finals = [final, key_path(final)] if fmt.pair else [final]
    # watch folders ignore these: not the final extension
    temps = [out_dir / f".{f.name}.{os.getpid()}.partial" for f in finals]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for f in finals:
            if f.exists() and f.is_dir() != (fmt.muxer == "image2"):
                raise FileExistsError(f"{f} is in the way")
    except OSError as e:
        raise InputError(f"{out_dir}: cannot write the output there ({e.strerror or e}).") from None
    slot = plan.slot() if fmt.copyable and not straight and programme is None else None
    runs = slot.pieces() if slot is not None and slot.encoded < SLOT_WORTH * frames else None
    note = None
    if runs is None and programme is None and (whole := plan.slot()) and whole.encoded < SLOT_WORTH * frames:
        note = ("every frame encoded, as asked (--straight)" if straight else
                f"every frame encoded: {fmt.id} pictures depend on each other (or on their GOP), so a period "
                f"cannot be copied exactly")
    comment = (f"ticker {__version__} profile={profile.id} format={fmt.id} frames={frames} "
               f"loop={int(plan.loop and programme is None)}" + (f" fill={output.fill}" if fmt.pair else ""))
    delivery = replace(delivery, fill=output.fill, comment=comment, first_picture=first_picture)
    job = Job(fmt, profile, scene.region, programme or crawl.style.background, delivery)
    sink = None
    try:
        with open_sink(job, temps, frames, runs) as sink:
            blitter = Blitter(strips, scene, plan, profile.interlaced, buffers=sink.buffers)
            for index in tqdm(sink.order(frames), total=runs and sum(len(r) for r in runs[0]) or frames,
                              unit="frame", disable=not progress, desc=final.name, leave=False):
                sink.write(blitter.frame(index), index)
            sink.close()
        expect = expect_for(fmt, profile, frames, plan.loop and programme is None,
                            audio=_audio_streams(fmt, profile, programme))
        _check(sink, temps, finals, expect, copied=isinstance(sink, SegmentedSink) and fmt.muxer != "image2")
        _publish_all(temps, finals)
    except BaseException:
        if sink is not None:
            sink.cleanup()
        for t in temps:
            discard(t)
        raise
    sink.cleanup()
    return Result(path=str(final), profile=profile.id, format=fmt.id, frames=frames,
                  fps=float(profile.rate), width=profile.width, height=profile.height,
                  interlaced=profile.interlaced, loop=plan.loop and programme is None,
                  speed_px_per_s=round(plan.speed, 4), seconds=float(frames / profile.rate),
                  gap_px=round(plan.gap, 3), band_y=scene.band_y,
                  band_height=scene.band_height, passes=plan.passes, crawl=scene.crawl,
                  layers={name: box for name, box in scene.boxes}, qr_url=crawl.qr_url,
                  key=str(finals[1]) if fmt.pair else None, fill=delivery.fill if fmt.pair else None,
                  encoded=sum(len(r) for r in runs[0]) if runs else frames, note=note, target=output.target)


SLOT_WORTH = 0.8  # a slot is made from copied runs when it encodes less than this share of its frames


def _audio_streams(fmt: Format, profile: Profile, programme: Programme | None) -> int | None:
    if fmt.muxer == "mxf":
        return MXF_VIDEO[profile.id]["audio"][1]
    if fmt.burn:
        return int(programme.audio and not programme.still)
    return 0


def _check(sink, temps: list[Path], finals: list[Path], expect: Expect, copied: bool) -> None:
    """Decode what was written (each encoded run of a joined file once, and the joined file by its packets);
    a file that fails is not published."""
    problems = []
    for i, (temp, final) in enumerate(zip(temps, finals)):
        if copied:
            digests, edges = [], []
            for k, path in enumerate(sink.run_files(i)):
                report = inspect(path, replace(expect, frames=len(sink.runs[k]), loop=False))
                problems += [f"{final.name} (frames {sink.runs[k].start}–{sink.runs[k].stop - 1}): {p}"
                             for p in report.problems]
                digests.append(packet_digests(path) if report.ok else [])
                edges.append(report.edges)
            report = inspect(temp, expect, packets=[d for k, n in sink.playlist for d in digests[k][:n]])
            (first, _), (last, count) = sink.playlist[0], sink.playlist[-1]
            if expect.loop and count == len(sink.runs[last]):  # the seam: last run's end to the first's start
                seam(edges[first][:2] + edges[last][-2:], expect, report)
        else:
            report = inspect(temp, expect)
        problems += [f"{final.name}: {p}" for p in report.problems]
    if problems:
        raise QCError("checks failed, nothing was published: " + "; ".join(problems))


def _publish_all(temps: list[Path], finals: list[Path]) -> None:
    """Publish a pair key first: playout loads a pair by its fill's name, which appears only with its key."""
    for temp, final in reversed(list(zip(temps, finals))):
        publish(temp, final)


def check_output(output: Output, delivery: Delivery = Delivery(), over: Path | None = None,
                 need_over: bool = True) -> None:
    """Refuse, before anything is written, a format that does not suit the profile or the options."""
    profile, fmt = PROFILES[output.profile], FORMATS[output.format]
    if fmt.progressive_only and profile.interlaced:
        raise InputError(f"--format {fmt.id} is for progressive profiles; {profile.id} is interlaced.")
    if output.target is not None and (problem := TARGETS[output.target].problem(
            fmt.id, output.fill if fmt.pair else None)):
        raise InputError(f"--target {output.target}: {problem}.")
    if fmt.muxer == "mxf" and profile.id not in MXF_VIDEO:
        raise InputError(f"--format {fmt.id} is made at 1080i50 (XDCAM HD422) and 576i50 or 576i50-4x3 (IMX50), "
                         f"not at {profile.id}.")
    if fmt.burn:
        rate = delivery.bitrate(fmt, profile)
        if fmt.codec == "mpeg2video" and (problem := mpeg2_problem(profile)):
            raise InputError(f"--format {fmt.id}: {problem}; ts-h264 carries it.")
        if fmt.codec == "mpeg2video" and rate > (level := mpeg2_level(profile)).bitrate:
            raise InputError(f"--video-bitrate {rate / 1e6:g}M: MPEG-2 at {profile.id} ({level}) allows at most "
                             f"{level.bitrate / 1e6:g}M.")
        if fmt.codec == "libx264" and h264_level(profile, rate) is None:
            raise InputError(f"--video-bitrate {rate / 1e6:g}M: no H.264 High level allows it at {profile.id}"
                             + (" (interlaced coding stops at level 4.1, 62.5M)." if profile.interlaced else "."))
    if fmt.burn and over is None and need_over:
        raise InputError(f"--format {fmt.id} burns the crawl into a programme: give it with --over FILE.")
    if over is not None and not fmt.burn:
        raise InputError(f"--over: --format {fmt.id} is an overlay; the programme goes under ts-h264 or ts-mpeg2.")


STILLS = ("PNG", "JPEG", "TIFF", "BMP", "WEBP")


def probe_programme(path: Path) -> Programme:
    """A still picture (anything Pillow opens) or a video with ffmpeg's libraries; one sentence when neither."""
    if not path.is_file():
        raise InputError(f"--over {path}: no such file.")
    try:
        with Image.open(path) as im:
            if im.format in STILLS:  # not MPEG, which Pillow also recognises
                return Programme(path=path, still=True, width=im.width, height=im.height, rate=None,
                                 field_order="progressive", frames=None, audio=False)
    except Image.DecompressionBombError as e:
        raise InputError(f"--over {path}: too large a picture ({e}).") from None
    except (UnidentifiedImageError, OSError):
        pass
    try:
        with av.open(str(path)) as c:
            if not c.streams.video:
                raise InputError(f"--over {path}: has no picture (no video stream).")
            v = c.streams.video[0]
            rate = Fraction(v.average_rate or v.guessed_rate or 0)
            seconds = float(v.duration * v.time_base) if v.duration else (c.duration or 0) / 1e6
            field_order = FIELD_NAMES.get(int(v.codec_context.field_order or 0), "unknown")
            if not rate or seconds <= 0:
                raise InputError(f"--over {path}: cannot tell its frame rate or length.")
            return Programme(path=path, still=False, width=v.codec_context.width, height=v.codec_context.height,
                             rate=rate, field_order=field_order, frames=round(seconds * rate),
                             audio=bool(c.streams.audio))
    except av.FFmpegError as e:
        raise InputError(f"--over {path}: neither a picture nor a video ffmpeg can read ({e}).") from None


def _programme_frames(programme: Programme, profile: Profile) -> int:
    """Whole frames of the profile in the programme's length."""
    return max(1, int(Fraction(programme.frames) / programme.rate * profile.rate))


def publish(temp: Path, final: Path) -> None:
    """Move the checked file (or folder of pictures) to its final name in one rename."""
    if not temp.is_dir():
        os.replace(temp, final)
        return
    stem = temp.name.removesuffix(".partial")
    for f in sorted(temp.iterdir()):
        f.rename(temp / f.name.replace(stem, final.name, 1))
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    if final.exists():
        final.rename(old)  # a folder cannot be replaced in one step: the old one goes aside first
    temp.rename(final)
    discard(old)


def discard(path: Path) -> None:
    """Remove a file or folder of pictures, and the runs of its parallel encode."""
    for p in [path, *path.parent.glob(f"{path.name}.seg*")]:  # and the runs of a parallel encode
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def outputs_for(campaign: Campaign, *, profile: str | None = None, fmt: str | None = None,
                loop: bool = False, seconds: float | None = None, fill: str | None = None,
                target: str | None = None) -> list[Output]:
    """The campaign's outputs, with what the command line overrides; a campaign without any gets one
    1080i50 ProRes 4444 loop. A target given without a fill sets the fill it needs."""
    base = list(campaign.outputs) or [Output(profile="1080i50", format="prores4444", loop=True, seconds=None)]
    result: list[Output] = []
    fill = fill_for(target, fill)
    for o in base:
        o = replace(o, profile=profile or o.profile, format=fmt or o.format, fill=fill or o.fill,
                    target=target or o.target)
        if loop or seconds is not None:
            o = replace(o, loop=loop, seconds=seconds, passes=None, slots=False)
        if o not in result:
            result.append(o)
    return result
