"""The programme a crawl is made over (`--over`): a still picture or a video, probed before anything is
written, so that a file ffmpeg cannot read is one sentence and not a failed encode."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, UnidentifiedImageError

from ticker.errors import InputError
from ticker.files.inputs import MAX_PIXELS, kind_of
from ticker.media.formats import Programme
from ticker.qc.decode import FIELD_NAMES

STILLS = ("PNG", "JPEG", "TIFF", "BMP", "WEBP")


def probe_programme(path: Path) -> Programme:
    """A still picture (anything Pillow opens) or a video with ffmpeg's libraries; one sentence when neither."""
    if not os.path.exists(path):
        raise InputError(f"--over {path}: no such file.")
    if kind := kind_of(os.stat(path).st_mode):  # a FIFO would block the demuxer for ever
        raise InputError(f"--over {path}: is {kind}, not a picture or video file.")
    try:
        with Image.open(path) as im:
            if im.format in STILLS and im.width * im.height > MAX_PIXELS:
                raise InputError(
                    f"--over {path}: is a picture of {im.width} × {im.height} pixels; ticker takes pictures of "
                    f"at most {MAX_PIXELS / 1e6:.0f} million pixels."
                )
            if im.format in STILLS:  # not MPEG, which Pillow also recognises
                return Programme(
                    path=path,
                    still=True,
                    width=im.width,
                    height=im.height,
                    rate=None,
                    field_order="progressive",
                    frames=None,
                    audio=False,
                )
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
            if v.duration:
                assert v.time_base is not None  # a stream read from a file has its time base
                seconds = float(v.duration * v.time_base)
            else:
                seconds = (c.duration or 0) / 1e6
            field_order = FIELD_NAMES.get(int(v.codec_context.field_order or 0), "unknown")
            if not rate or seconds <= 0:
                raise InputError(f"--over {path}: cannot tell its frame rate or length.")
            return Programme(
                path=path,
                still=False,
                width=v.codec_context.width,
                height=v.codec_context.height,
                rate=rate,
                field_order=field_order,
                frames=round(seconds * rate),
                audio=bool(c.streams.audio),
            )
    except av.FFmpegError as e:
        raise InputError(f"--over {path}: neither a picture nor a video ffmpeg can read ({e}).") from None
