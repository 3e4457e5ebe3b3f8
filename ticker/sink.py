"""Encoders: an ffmpeg process fed band pictures through a pipe. The only module that knows ffmpeg-python.

ffmpeg places the band in the full picture (pad, or overlay on a background), tags field order, SAR and
colour, converts to the codec's pixel format and encodes. The renderer talks to a sink through three calls,
`write(picture)`, `close()` (flush, wait, check the exit status) and `abort()`; a sink is a context manager
that aborts when the block raises. Pictures go to ffmpeg from a writer thread through a bounded queue, so
the blitter fills the next picture while the pipe drains.
"""

from __future__ import annotations

import os
import queue
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg
import imageio_ffmpeg
import numpy as np

from ticker.errors import EncodeError
from ticker.profiles import Profile

QUEUE_DEPTH = 4


@dataclass(frozen=True)
class Format:
    id: str
    ext: str  # "" for a folder of numbered pictures
    codec: str
    pix_fmt: str
    alpha: bool
    muxer: str
    options: tuple[tuple[str, str], ...] = ()

    @property
    def yuv(self) -> bool:
        return self.pix_fmt.startswith("yuv")


FORMATS: dict[str, Format] = {
    f.id: f
    for f in (
        Format("prores4444", ".mov", "prores_aw", "yuva444p10le", True, "mov",
               (("profile:v", "4"), ("vendor", "apl0"))),
        Format("qtrle", ".mov", "qtrle", "argb", True, "mov"),
        Format("png", "", "png", "rgba", True, "image2"),
        Format("h264", ".mp4", "libx264", "yuv420p", False, "mp4",
               (("preset", "fast"), ("crf", "18"), ("movflags", "+faststart"))),
    )
}


def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class Placement:
    """Where the band goes: a `width` × `height` band at line `y` of the profile's picture."""

    width: int
    height: int
    y: int


def build_command(fmt: Format, profile: Profile, band: Placement, target: Path,
                  background: tuple[int, int, int] | Path | None = None) -> list[str]:
    """The ffmpeg argument list for one output (also used to show the user what runs)."""
    rate = str(profile.rate)
    pipe = ffmpeg.input("pipe:", format="rawvideo", pix_fmt="rgba", s=f"{band.width}x{band.height}",
                        framerate=rate)
    size = dict(width=profile.width, height=profile.height)
    if fmt.alpha:
        video = pipe.filter("pad", x=0, y=band.y, color="black@0", **size)
    else:
        if isinstance(background, Path):
            bg = ffmpeg.input(str(background), loop=1, framerate=rate).filter("scale", **size)
        else:
            r, g, b = background or (0, 0, 0)
            bg = ffmpeg.input(f"color=c=0x{r:02x}{g:02x}{b:02x}:s={profile.width}x{profile.height}:r={rate}",
                              format="lavfi")
        video = ffmpeg.filter([bg, pipe], "overlay", x=0, y=band.y, shortest=1, format="gbrp",
                              eof_action="endall")
    c = profile.colour
    video = video.filter("setsar", f"{profile.sar.numerator}/{profile.sar.denominator}")
    if fmt.yuv:
        video = video.filter("scale", out_color_matrix=c.matrix, out_range="tv",
                             interl=1 if profile.interlaced else 0)
    video = video.filter("format", fmt.pix_fmt).filter(
        "setparams", field_mode="tff" if profile.interlaced else "prog", range="tv" if fmt.yuv else "pc",
        color_primaries=c.primaries, color_trc=c.transfer, colorspace=c.matrix)
    out = dict(fmt.options)
    out.update({"c:v": fmt.codec, "pix_fmt": fmt.pix_fmt, "r": rate, "f": fmt.muxer,
                "color_primaries": c.primaries, "color_trc": c.transfer,
                "colorspace": c.matrix, "color_range": "tv" if fmt.yuv else "pc"})
    if profile.interlaced and fmt.codec in ("prores_aw", "libx264"):
        out["flags"] = "+ildct+ilme" if fmt.codec == "libx264" else "+ildct"
    if fmt.muxer == "image2":
        target = target / f"{target.name.removesuffix('.partial')}_%06d.png"
    stream = ffmpeg.output(video, str(target), **out)
    return stream.global_args("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error").overwrite_output() \
        .compile(cmd=ffmpeg_exe())


class FFmpegSink:
    """One ffmpeg process writing one file. Pictures are numpy RGBA arrays of the band's size."""

    def __init__(self, args: list[str], target: Path, band: Placement):
        self.args, self.target, self.band = args, target, band
        self._shape = (band.height, band.width, 4)
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=self._stderr)
        self._queue: queue.Queue[bytes | memoryview | None] = queue.Queue(maxsize=QUEUE_DEPTH)
        self._error: BaseException | None = None
        self._writer = threading.Thread(target=self._drain, name="ffmpeg-writer", daemon=True)
        self._writer.start()

    def _drain(self) -> None:
        stdin = self._proc.stdin
        try:
            while (item := self._queue.get()) is not None:
                stdin.write(item)
        except BaseException as e:  # a broken pipe: ffmpeg died; close() says why
            self._error = e
            while self._queue.get() is not None:  # unblock the producer until it ends
                pass

    def write(self, picture: np.ndarray) -> None:
        """Hand on one picture. It must not change afterwards: the writer reads it later."""
        if picture.shape != self._shape:
            raise ValueError(f"picture is {picture.shape}, the band is {self._shape}")
        if self._error is not None or self._proc.poll() is not None:
            self._queue.put(None)
            self._writer.join()
            raise EncodeError(self._failure("ffmpeg stopped while pictures were still coming"))
        self._queue.put(memoryview(picture).cast("B"))

    def close(self) -> None:
        """Flush, let ffmpeg finish the file, and fail loudly when it did not."""
        self._queue.put(None)
        self._writer.join()
        try:
            self._proc.stdin.close()
        except BrokenPipeError:
            pass
        code = self._proc.wait()
        if code != 0 or self._error is not None:
            raise EncodeError(self._failure(f"ffmpeg exited with status {code}"))
        self._stderr.close()

    def abort(self) -> None:
        if self._writer.is_alive():
            try:
                self._queue.put_nowait(None)
            except queue.Full:
                pass
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._writer.join(timeout=5)
        self._stderr.close()

    def _failure(self, what: str) -> str:
        self._stderr.seek(0)
        tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
        return f"{what} writing {self.target.name}: " + (" / ".join(tail) or "no message from ffmpeg")

    def __enter__(self) -> FFmpegSink:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()


def open_sink(fmt: Format, profile: Profile, band: Placement, target: Path,
              background: tuple[int, int, int] | Path | None = None) -> FFmpegSink:
    if fmt.muxer == "image2":
        os.makedirs(target, exist_ok=True)
    return FFmpegSink(build_command(fmt, profile, band, target, background), target, band)
