"""Encoders: ffmpeg processes fed band pictures through a pipe (the commands they run: ticker.encode.ffmpeg_args).

The renderer talks to a sink through the `Sink` protocol: `order(count)` (the order in which it wants the
pictures), `write(picture, index)`, and the sink as a context manager, which on leaving the block closes
(flush, wait, check the exit status) when it ended well and aborts (kill, remove) when it raised. Pictures go
to ffmpeg from a writer thread through a bounded queue, so the blitter fills the next picture while the pipe
drains.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

import numpy as np

from ticker.encode.ffmpeg_args import Encoding, build_command, join_command
from ticker.errors import EncodeError
from ticker.files import remove
from ticker.files.publish import link_or_copy, segment, segment_list, stem_of
from ticker.media.formats import PICTURE_DIGITS, Placement
from ticker.qc import Assembly

QUEUE_DEPTH = 4
MIN_SEGMENT = 250  # frames: shorter clips are not worth a second process


@dataclass(frozen=True)
class Joined:
    """How a file joined by stream copy was made: its runs of frames, each encoded into files of its own, and
    the play list, (run, how many of its first frames) pairs. A checker decodes each run once."""

    runs: list[range]
    playlist: list[tuple[int, int]]
    files: list[list[Path]]  # per target (fill, key): the encoded runs, in the order of `runs`


class Sink(Protocol):
    """What the renderer needs of an encoder."""

    @property
    def buffers(self) -> int:
        """Pictures that may be held at once: the blitter keeps a ring of as many."""

    def order(self, count: int) -> Iterator[int] | range:
        """The order in which the pictures are wanted."""

    def write(self, picture: np.ndarray, index: int) -> None:
        """Hand on one picture; it must not change afterwards."""

    @property
    def joined(self) -> Joined | None:
        """The runs a joined file was made of (None: one process wrote it whole)."""

    def cleanup(self) -> None:
        """Remove what was kept for checking."""

    @property
    def assemblies(self) -> dict[Path, Assembly]:
        """How each file assembled from slices was made (encode.assemble), by its path: a run's, or a target's."""

    def __enter__(self) -> Sink: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close on success, abort on error."""


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

    def __init__(self, args: list[str], targets: list[Path], band: Placement, pass_fds: tuple[int, ...] = ()):
        self.args, self.targets, self.band = args, targets, band
        self._shape = (band.height, band.width, 4)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close() or abort())
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=self._stderr, pass_fds=pass_fds)
        _widen_pipe(self._proc.stdin)
        self._queue: queue.Queue[memoryview | None] = queue.Queue(maxsize=QUEUE_DEPTH)
        self._error: BaseException | None = None
        self._ended = self._closed = False
        self._writer = threading.Thread(target=self._drain, name="ffmpeg-writer", daemon=True)
        self._writer.start()

    def _drain(self) -> None:
        stdin = self._proc.stdin
        assert stdin is not None  # opened with stdin=PIPE
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

    def order(self, count: int) -> Iterator[int] | range:
        return range(count)

    def write(self, picture: np.ndarray, index: int | None = None) -> None:
        """Hand on one picture. It must not change afterwards: the writer thread reads it later."""
        if picture.shape != self._shape:
            raise ValueError(f"picture is {picture.shape}, the band is {self._shape}")
        # ndarray has the buffer protocol; numpy's stubs declare __buffer__ only for Python 3.12 and later
        self._put(memoryview(picture).cast("B"))  # type: ignore[arg-type]

    def end_input(self) -> None:
        """No more pictures: returns once every queued picture has gone into the pipe, so that none of the
        caller's buffers is referenced any more."""
        if not self._ended:
            self._put(None)
            self._writer.join()
            self._ended = True

    def close(self) -> None:
        """Flush, let ffmpeg finish the file, and fail loudly when it did not."""
        if self._closed:
            return
        self._closed = True
        self.end_input()
        assert self._proc.stdin is not None  # opened with stdin=PIPE
        with contextlib.suppress(BrokenPipeError):
            self._proc.stdin.close()
        code = self._proc.wait()
        if code != 0 or self._error is not None:
            raise EncodeError(self._failure(f"ffmpeg exited with status {code}"))
        self._stderr.close()

    def abort(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        self._writer.join(timeout=5)
        self._stderr.close()

    @property
    def joined(self) -> Joined | None:
        return None

    def cleanup(self) -> None:
        """Remove what the sink kept for checking (nothing, for one process)."""

    @property
    def assemblies(self) -> dict[Path, Assembly]:
        return {}

    def _failure(self, what: str) -> str:
        self._stderr.seek(0)
        tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
        return f"{what} writing {self.targets[0].name}: " + (" / ".join(tail) or "no message from ffmpeg")

    def __enter__(self) -> FFmpegSink:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close when the block ended well (a failing close aborts too); abort when it raised."""
        if exc_type is not None:
            self.abort()
            return
        try:
            self.close()
        except BaseException:
            self.abort()
            raise


class SegmentedSink(FFmpegSink):
    """Runs of the clip's frames encoded by parallel ffmpeg processes, each into files of its own, then joined
    by stream copy in the order of a play list: (run, how many of its first frames) pairs. A run may be played
    several times (a timed clip repeats one period), or cut short. Every run starts on a key frame, so the
    joined file decodes to the same pictures as one process would have written; only the wall time differs.

    Used for encoders that use one core (qtrle: consecutive runs, one per core) and for timed clips made of
    copies (motion.Repeats)."""

    def __init__(
        self,
        enc: Encoding,
        targets: list[Path],
        runs: list[range],
        playlist: list[tuple[int, int]],
        encoder: Callable[[list[Path], int], FFmpegSink] | None = None,
    ):
        """`encoder(paths, frames)` is the sink that writes one run (default: one ffmpeg process)."""
        self.targets, self.band, self._enc = targets, enc.band, enc
        self._runs, self._playlist = runs, playlist
        self._starts = sorted((r.start, k) for k, r in enumerate(runs))
        # not the final extension either: a watch folder must not pick a run up
        self._paths = [[segment(t, k) for t in targets] for k in range(len(runs))]
        self._sinks: list[FFmpegSink] = []
        self._closed = False
        try:
            for run, paths in zip(runs, self._paths):
                if enc.fmt.is_sequence:
                    for path in paths:
                        path.mkdir()
                if encoder is not None:
                    self._sinks.append(encoder(paths, len(run)))
                else:
                    self._sinks.append(FFmpegSink(build_command(enc, paths, len(run)), paths, enc.band))
        except BaseException:
            self.abort()
            raise

    @property
    def buffers(self) -> int:
        return sum(sink.buffers for sink in self._sinks)

    def order(self, count: int) -> Iterator[int]:
        """Round robin over the runs, so that every process is fed."""
        longest = max(len(r) for r in self._runs)
        for t in range(longest):
            for r in self._runs:
                if t < len(r):
                    yield r[t]

    def write(self, picture: np.ndarray, index: int | None = None) -> None:
        k = self._run_of(index)
        self._sinks[k].write(picture)
        if index == self._runs[k].stop - 1:
            # The ring of buffers is shared by all runs: a run that has had its last picture must let go of
            # the buffers it still holds before the other runs go round the ring again.
            self._sinks[k].end_input()

    def _run_of(self, index: int | None) -> int:
        if index is not None:
            at = bisect.bisect_right(self._starts, (index, len(self._runs))) - 1
            if at >= 0 and index in self._runs[k := self._starts[at][1]]:
                return k
        raise IndexError(f"picture {index} is in no encoded run")

    def close(self) -> None:
        """Finish every run and join them; the runs stay until `cleanup()`, for checking."""
        if self._closed:
            return
        self._closed = True
        try:
            for sink in self._sinks:
                sink.close()
            for target, files in zip(self.targets, self.joined.files):
                self._join(files, target)
        except BaseException:
            self.abort()
            raise

    @property
    def joined(self) -> Joined:
        return Joined(
            self._runs, self._playlist, [[paths[i] for paths in self._paths] for i in range(len(self.targets))]
        )

    def _join(self, parts: list[Path], target: Path) -> None:
        fmt, rate = self._enc.fmt, self._enc.profile.rate
        if fmt.is_sequence:  # pictures: linked under their new numbers
            stem, first = stem_of(target), self._enc.delivery.first_picture
            n = first
            for k, count in self._playlist:
                run = stem_of(parts[k])
                for i in range(count):
                    link_or_copy(
                        parts[k] / f"{run}_{first + i:0{PICTURE_DIGITS}d}.png",
                        target / f"{stem}_{n:0{PICTURE_DIGITS}d}.png",
                    )
                    n += 1
            return
        listing = segment_list(target)
        lines = []
        for k, count in self._playlist:
            lines.append(f"file '{parts[k].name}'\n")
            if count < len(self._runs[k]):  # cut short: the packets before frame `count` (exact in µs at 25 and 50)
                lines.append(f"outpoint {float(count / rate):.6f}\n")
        listing.write_text("".join(lines))
        args = join_command(listing, target, fmt, self._enc.delivery.comment)
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            raise EncodeError(
                f"joining the runs of {target.name} failed: " + " / ".join(done.stderr.strip().splitlines()[-3:])
            )

    def abort(self) -> None:
        for sink in self._sinks:
            sink.abort()
        self.cleanup()

    @property
    def assemblies(self) -> dict[Path, Assembly]:
        return {path: how for sink in self._sinks for path, how in sink.assemblies.items()}

    def cleanup(self) -> None:
        for sink in self._sinks:
            sink.cleanup()
        for paths in self._paths:
            for p in paths:
                remove(p)
        for t in self.targets:
            remove(segment_list(t))


def open_sink(
    enc: Encoding, targets: list[Path], frames: int, runs: tuple[list[range], list] | None = None
) -> FFmpegSink:
    """The sink for one output (one file, or a fill and a key). `runs` (ranges to encode, play list) makes a
    timed clip of copied runs; encoders that use one core get one process per core."""
    if enc.fmt.is_sequence:
        for t in targets:
            os.makedirs(t, exist_ok=True)
    if runs is not None:
        return SegmentedSink(enc, targets, *runs)
    parts = min(os.cpu_count() or 1, frames // MIN_SEGMENT) if not enc.fmt.threaded else 1
    if parts > 1:
        bounds = [frames * k // parts for k in range(parts + 1)]
        consecutive = [range(a, b) for a, b in itertools.pairwise(bounds)]
        return SegmentedSink(enc, targets, consecutive, [(k, len(r)) for k, r in enumerate(consecutive)])
    return FFmpegSink(build_command(enc, targets, frames), targets, enc.band)
