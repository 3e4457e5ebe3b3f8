"""ffmpeg commands: the only module that knows ffmpeg-python.

ffmpeg places the band in the full picture (pad, or overlay on a background), tags field order, SAR and
colour, converts to the codec's pixel format and encodes. What the formats are, and their encoders' options
as plain data, is ticker.media.formats; this module turns an `Encoding` (format, profile, band, background,
delivery) into ffmpeg's argument list, and a list of encoded runs into the command that joins them.
ticker.encode.sink runs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
import imageio_ffmpeg

from ticker.files.publish import stem_of
from ticker.media import Delivery, Format, Profile
from ticker.media.formats import PICTURE_DIGITS, Placement, Programme


def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class Encoding:
    """Everything an ffmpeg command needs besides the files it writes."""

    fmt: Format
    profile: Profile
    band: Placement
    background: tuple[int, int, int] | Path | Programme | None = None
    delivery: Delivery = Delivery()  # noqa: RUF009 (frozen: one shared value is safe)


def build_command(enc: Encoding, targets: Sequence[Path | str], frames: int, *, raw: bool = False) -> list[str]:
    """The ffmpeg argument list writing `frames` pictures to `targets` (one file, or a fill and a key); `raw`:
    the coded pictures alone, one after the other (to a pipe: "pipe:FD"), with no container."""
    fmt, profile, band = enc.fmt, enc.profile, enc.band
    rate = str(profile.rate)
    pipe = ffmpeg.input(
        "pipe:", format="rawvideo", pix_fmt=fmt.pipe_fmt, s=f"{band.width}x{band.height}", framerate=rate
    )
    audio = None
    if fmt.pair:  # one picture, split: the fill (premultiplied or not) and the key (its alpha)
        # padded before conversion: ffmpeg's pad colour at 10 bits has chroma 514, not neutral 512
        video = pipe.filter("pad", width=profile.width, height=profile.height, x=0, y=band.y, color="black@0")
        if enc.delivery.fill == "premultiplied":
            video = video.filter("premultiply", inplace=1)
        split = video.filter("format", "rgba").filter_multi_output("split")
        pictures = [_finish(split[0], enc, None), _finish(split[1].filter("alphaextract"), enc, None, key=True)]
    elif fmt.alpha:
        pictures = [_finish(pipe, enc, band.y)]
    else:
        bg, audio = _background(enc)
        if isinstance(enc.background, Programme) and not enc.background.still:
            # a programme's picture may start after its sound (and so after the crawl): its last picture would fall
            # after the crawl's end; the crawl's last picture is held for it, and -frames:v ends the output
            video = ffmpeg.filter([bg, pipe], "overlay", x=0, y=band.y, format="gbrp", eof_action="repeat")
        else:  # a colour or a picture goes on for ever: the crawl's end ends it
            video = ffmpeg.filter([bg, pipe], "overlay", x=0, y=band.y, shortest=1, format="gbrp", eof_action="endall")
        pictures = [_finish(video, enc, None)]
    if (silence := fmt.silence(profile)) is not None:  # the silent tracks playout servers expect
        audio = ffmpeg.input(
            f"anullsrc=r=48000:cl={silence.layout}:d={float(frames / profile.rate):.6f}", format="lavfi"
        )
    outputs, repeated = [], {}
    for picture, target in zip(pictures, targets):
        node, name, more = _output(enc, picture, audio, target, frames, raw)
        outputs.append(node)
        repeated[name] = more
    args = _compile(outputs[0] if len(outputs) == 1 else ffmpeg.merge_outputs(*outputs))
    for name, more in repeated.items():  # options given more than once, which ffmpeg-python cannot write
        at = args.index(name)
        args[at:at] = more
    return args


def _finish(video, enc: Encoding, band_y: int | None, key: bool = False):
    """Colour conversion and pixel format, then (`band_y`) the band padded into the full picture, then the SAR
    and the stream's tags. A key is its alpha as video-range luma.

    A file with alpha has the band alone converted and then padded: converting the full picture costs a third of
    a 1080 ProRes encode. The band starts on a line that is a multiple of 4, so fields and 4:2:0 chroma stay in
    place."""
    fmt, profile = enc.fmt, enc.profile
    c = fmt.colour(profile)
    if key:  # gray, full range → Y = 16 + 219·α
        video = video.filter("scale", in_range="pc", out_range="tv", out_color_matrix=c.matrix)
    elif fmt.yuv:
        video = video.filter("scale", out_color_matrix=c.matrix, out_range="tv", interl=1 if profile.interlaced else 0)
    video = video.filter("format", fmt.pix_fmt)
    if band_y is not None:  # transparent (at 10 bits its chroma is 514 of 1023: ffmpeg's pad colour)
        video = video.filter("pad", width=profile.width, height=profile.height, x=0, y=band_y, color="black@0")
    if vbi := fmt.vbi_lines(profile):  # D-10: black lines above the picture
        video = video.filter("pad", width=profile.width, height=profile.height + vbi, x=0, y=vbi, color="black")
    sar = fmt.sar(profile)
    video = video.filter("setsar", f"{sar.numerator}/{sar.denominator}")
    return video.filter(
        "setparams",
        field_mode="tff" if profile.interlaced else "prog",
        range="tv" if fmt.yuv else "pc",
        color_primaries=c.primaries,
        color_trc=c.transfer,
        colorspace=c.matrix,
    )


def _output(enc: Encoding, video, audio, target: Path | str, frames: int, raw: bool = False):
    """The output node writing `target`: the stream's tags, then the format's own encoder and muxer options."""
    fmt, profile, d = enc.fmt, enc.profile, enc.delivery
    c = fmt.colour(profile)
    out = {
        "r": str(profile.rate),
        "frames:v": str(frames),
        "color_primaries": c.primaries,
        "color_trc": c.transfer,
        "colorspace": c.matrix,
        "color_range": "tv" if fmt.yuv else "pc",
    }
    if d.comment and fmt.carries_note and not raw:
        out["metadata"] = f"comment={d.comment}"
    out.update(fmt.encoder(profile, d))
    if raw:
        out["f"] = "rawvideo"
    streams, more = [video], fmt.repeated(d)
    if (silence := fmt.silence(profile)) is not None:
        streams += [audio.audio] * silence.tracks  # XDCAM: 8 mono tracks; D-10: one AES3 stream of 4
    elif audio is not None and (sound := fmt.sound(d)) is not None:
        streams.append(audio)
        out.update(sound)
    if len(streams) > 1:
        out["t"] = f"{frames / float(profile.rate):.6f}"
    if fmt.is_sequence:
        assert isinstance(target, Path)  # a folder of pictures
        target = target / f"{stem_of(target)}_%0{PICTURE_DIGITS}d.png"
        out["start_number"] = str(d.first_picture)
    return ffmpeg.output(*streams, str(target), **out), str(target), more


def _background(enc: Encoding):
    """The picture under the band of a file without alpha, made to the profile, and its sound (or None)."""
    profile, bg = enc.profile, enc.background
    rate = str(profile.rate)
    size = dict(width=profile.width, height=profile.height)
    if isinstance(bg, Programme) and not bg.still:
        src = ffmpeg.input(str(bg.path))
        return conform(src.video, bg, profile), (src["a:0"] if bg.audio else None)  # its first sound track
    if isinstance(bg, (Path, Programme)):
        path = bg.path if isinstance(bg, Programme) else bg
        # decoded and scaled once, then repeated (image2's own loop decodes the file again for every frame)
        picture = ffmpeg.input(str(path), f="image2", pattern_type="none")
        return (
            picture.filter("scale", **size).filter("setsar", "1").filter("loop", loop=-1, size=1).filter("fps", rate)
        ), None
    r, g, b = bg or (0, 0, 0)
    return ffmpeg.input(
        f"color=c=0x{r:02x}{g:02x}{b:02x}:s={profile.width}x{profile.height}:r={rate}", format="lavfi"
    ), None


def conform(video, programme: Programme, profile: Profile):
    """A programme made to the profile: its size, rate and scan (top field first when interlaced).

    A programme already at the profile's size and rate keeps its fields (bottom first is shifted to top first);
    anything else is made into pictures at the profile's motion rate (deinterlaced with bwdif when it is
    interlaced), scaled, and interlaced again when the profile is."""
    size = dict(width=profile.width, height=profile.height)
    interlaced = programme.field_order not in ("progressive", "unknown")
    same = (programme.width, programme.height) == (profile.width, profile.height) and programme.rate == profile.rate
    if same and interlaced == profile.interlaced:
        if interlaced and programme.field_order in ("bb", "bt"):
            video = video.filter("fieldorder", "tff")
        return _padded(video.filter("setsar", "1"))
    if interlaced:
        video = video.filter(
            "bwdif", mode="send_field", parity="tff" if programme.field_order in ("tt", "tb") else "bff"
        )
    video = video.filter("fps", str(profile.motion_rate)).filter("scale", **size, flags="lanczos")
    if profile.interlaced:
        video = video.filter("interlace", scan="tff", lowpass="complex")
    return _padded(video.filter("setsar", "1"))


def _padded(video):
    """A programme a frame or two short of its computed length (rounding) still fills every frame."""
    return video.filter("tpad", stop_mode="clone", stop_duration=1)


def _compile(stream) -> list[str]:
    return (
        stream.global_args("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error")
        .overwrite_output()
        .compile(cmd=ffmpeg_exe())
    )


def join_command(listing: Path, target: Path, fmt: Format, comment: str) -> list[str]:
    """Stream copy of the runs a concat `listing` names into `target`, with ticker's note."""
    out = dict(c="copy", f=fmt.muxer)
    if comment and fmt.carries_note:
        out["metadata"] = f"comment={comment}"
    return _compile(ffmpeg.input(str(listing), format="concat", safe=0).output(str(target), **out))
