"""Encoders: an ffmpeg process fed band pictures through a pipe. The only module that knows ffmpeg-python.

ffmpeg places the band in the full picture (pad, or overlay on a background), tags field order, SAR and
colour, converts to the codec's pixel format and encodes. The renderer talks to a sink through four calls:
`order(count)` (the order in which it wants the pictures), `write(picture, index)`, `close()` (flush, wait,
check the exit status) and `abort()`; a sink is a context manager that aborts when the block raises.
Pictures go to ffmpeg from a writer thread through a bounded queue, so the blitter fills the next picture
while the pipe drains.
"""

from __future__ import annotations

import bisect
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
import imageio_ffmpeg
import numpy as np

from ticker.errors import EncodeError
from ticker.profiles import Profile

QUEUE_DEPTH = 4
MIN_SEGMENT = 250  # frames: shorter clips are not worth a second process


@dataclass(frozen=True)
class Format:
    id: str
    ext: str  # "" for a folder of numbered pictures
    codec: str
    pix_fmt: str
    alpha: bool
    muxer: str
    options: tuple[tuple[str, str], ...] = ()
    pipe_fmt: str = "rgba"  # byte order of the pictures sent: the codec's own where it takes RGB
    threaded: bool = True  # the encoder uses every core by itself
    interlaced_flags: str = ""  # codec flags for interlaced coding at 1080i and 576i

    @property
    def channels(self) -> tuple[int, ...]:
        """Where R, G, B and A go in a piped pixel."""
        return tuple(self.pipe_fmt.index(c) for c in "rgba")

    @property
    def yuv(self) -> bool:
        return self.pix_fmt.startswith("yuv")


FORMATS: dict[str, Format] = {
    f.id: f
    for f in (
        Format("prores4444", ".mov", "prores_aw", "yuva444p10le", True, "mov",
               (("profile:v", "4"), ("vendor", "apl0")), interlaced_flags="+ildct"),
        Format("qtrle", ".mov", "qtrle", "argb", True, "mov", pipe_fmt="argb", threaded=False),
        Format("png", "", "png", "rgba", True, "image2"),
        Format("h264", ".mp4", "libx264", "yuv420p", False, "mp4",
               (("preset", "fast"), ("crf", "18"), ("movflags", "+faststart")), interlaced_flags="+ildct+ilme"),
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
    pipe = ffmpeg.input("pipe:", format="rawvideo", pix_fmt=fmt.pipe_fmt, s=f"{band.width}x{band.height}",
                        framerate=rate)
    size = dict(width=profile.width, height=profile.height)
    if fmt.alpha:
        video = pipe.filter("pad", x=0, y=band.y, color="black@0", **size)
    else:
        if isinstance(background, Path):
            bg = ffmpeg.input(str(background), loop=1, framerate=rate, pattern_type="none").filter("scale", **size)
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
    if profile.interlaced and fmt.interlaced_flags:
        out["flags"] = fmt.interlaced_flags
    if fmt.muxer == "image2":
        target = target / f"{target.name.removesuffix('.partial')}_%06d.png"
    return _compile(ffmpeg.output(video, str(target), **out))


def _compile(stream) -> list[str]:
    return stream.global_args("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error").overwrite_output() \
        .compile(cmd=ffmpeg_exe())


def _widen_pipe(pipe) -> None:
    """A pipe as large as the system allows (1 MiB by default on Linux, against 64 KiB): one band picture
    goes through in one system call instead of a dozen."""
    try:
        import fcntl

        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, min(limit, 1 << 22))
    except (ImportError, AttributeError, OSError, ValueError):
        pass  # not Linux: the default size only costs some speed


class FFmpegSink:
    """One ffmpeg process writing one file. Pictures are numpy arrays of the band's size, in pipe order."""

    def __init__(self, args: list[str], target: Path, band: Placement):
        self.args, self.target, self.band = args, target, band
        self._shape = (band.height, band.width, 4)
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=self._stderr)
        _widen_pipe(self._proc.stdin)
        self._queue: queue.Queue[memoryview | None] = queue.Queue(maxsize=QUEUE_DEPTH)
        self._error: BaseException | None = None
        self._writer = threading.Thread(target=self._drain, name="ffmpeg-writer", daemon=True)
        self._writer.start()

    def _drain(self) -> None:
        stdin = self._proc.stdin
        try:
            while (item := self._queue.get()) is not None:
                stdin.write(item)
        except BaseException as e:  # a broken pipe: ffmpeg died; the producer is told at its next write
            self._error = e

    def _put(self, item: memoryview | None) -> None:
        while True:
            if self._error is not None or not self._writer.is_alive():
                raise EncodeError(self._failure("ffmpeg stopped while pictures were still coming"))
            try:
                self._queue.put(item, timeout=0.25)
                return
            except queue.Full:
                continue

    @property
    def buffers(self) -> int:
        """Pictures that may be held at once: queued, being written, and the one being filled."""
        return QUEUE_DEPTH + 2

    def order(self, count: int) -> range:
        return range(count)

    def write(self, picture: np.ndarray, index: int | None = None) -> None:
        """Hand on one picture. It must not change afterwards: the writer thread reads it later."""
        if picture.shape != self._shape:
            raise ValueError(f"picture is {picture.shape}, the band is {self._shape}")
        self._put(memoryview(picture).cast("B"))

    def close(self) -> None:
        """Flush, let ffmpeg finish the file, and fail loudly when it did not."""
        self._put(None)
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
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass
        self._writer.join(timeout=5)
        self._stderr.close()

    def _failure(self, what: str) -> str:
        self._stderr.seek(0)
        tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
        return f"{what} writing {self.target.name}: " + (" / ".join(tail) or "no message from ffmpeg")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()


class SegmentedSink(FFmpegSink):
    """For encoders that use one core (qtrle): the clip is cut into consecutive segments encoded by parallel
    ffmpeg processes, then joined by stream copy (every segment starts on a key frame). The pictures are the
    same as from one process; only the wall time differs."""

    def __init__(self, fmt: Format, profile: Profile, band: Placement, target: Path, frames: int, parts: int,
                 background=None):
        self.target, self.band, self._fmt = target, band, fmt
        self._bounds = bounds = [frames * k // parts for k in range(parts + 1)]
        self._segments = [range(a, b) for a, b in zip(bounds, bounds[1:])]
        # not the final extension either: a watch folder must not pick a segment up
        self._paths = [target.with_name(f"{target.name}.seg{k}") for k in range(parts)]
        self._sinks: list[FFmpegSink] = []
        try:
            for path in self._paths:
                self._sinks.append(FFmpegSink(build_command(fmt, profile, band, path, background), path, band))
        except BaseException:
            self.abort()
            raise

    @property
    def buffers(self) -> int:
        return sum(sink.buffers for sink in self._sinks)

    def order(self, count: int) -> Iterator[int]:
        """Round robin over the segments, so that every process is fed."""
        longest = max(len(r) for r in self._segments)
        for t in range(longest):
            for r in self._segments:
                if t < len(r):
                    yield r[t]

    def write(self, picture: np.ndarray, index: int | None = None) -> None:
        if index is None or not 0 <= index < self._bounds[-1]:
            raise IndexError(f"picture {index} is outside the clip")
        self._sinks[bisect.bisect_right(self._bounds, index) - 1].write(picture)

    def close(self) -> None:
        try:
            for sink in self._sinks:
                sink.close()
            listing = self.target.with_name(f"{self.target.name}.seglist")
            listing.write_text("".join(f"file '{p.name}'\n" for p in self._paths))
            args = _compile(ffmpeg.input(str(listing), format="concat", safe=0).output(
                str(self.target), c="copy", f=self._fmt.muxer))
            done = subprocess.run(args, capture_output=True, text=True)
            if done.returncode != 0:
                raise EncodeError(f"joining the segments of {self.target.name} failed: "
                                  + " / ".join(done.stderr.strip().splitlines()[-3:]))
        except BaseException:
            self.abort()
            raise
        self._cleanup()

    def abort(self) -> None:
        for sink in self._sinks:
            sink.abort()
        self._cleanup()

    def _cleanup(self) -> None:
        for p in [*self._paths, self.target.with_name(f"{self.target.name}.seglist")]:
            p.unlink(missing_ok=True)


def open_sink(fmt: Format, profile: Profile, band: Placement, target: Path, frames: int,
              background: tuple[int, int, int] | Path | None = None) -> FFmpegSink:
    """The sink for one output file; encoders that use one core get one process per core."""
    if fmt.muxer == "image2":
        os.makedirs(target, exist_ok=True)
    parts = min(os.cpu_count() or 1, frames // MIN_SEGMENT) if not fmt.threaded else 1
    if parts > 1:
        return SegmentedSink(fmt, profile, band, target, frames, parts, background)
    return FFmpegSink(build_command(fmt, profile, band, target, background), target, band)
