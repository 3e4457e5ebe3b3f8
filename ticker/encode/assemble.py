"""ProRes and QuickTime Animation files assembled from the band's slices or lines: only what moves is encoded.

Every line of an overlay outside the piped region is the same in every picture (transparent; black fill and
black key in a fill+key pair), so the frame of that still picture is encoded once, by the whole-picture
command itself (`Still`). Then one ffmpeg process encodes, picture after picture, the band's rows alone: the
same filter graph and encoder options over a picture of the full width and the band rows' height, written
as bare ProRes frames to a pipe (one pipe for a fill, another for its key). A reader thread takes each frame,
puts the still rows around its rows (`ticker.encode.prores.Assembler`) and muxes it with PyAV into a MOV whose
stream is the still file's own (codec tag, field order, colour, pixel aspect), so the container says what
a whole-picture encode's says.

A qtrle file is made the same way from the band's own lines (`ticker.encode.qtrle.Assembler`): a qtrle line
is coded on its own, so the lines to encode are exactly those that move, and its frames other than key frames
are muxed as such.

A timed clip copies encoded runs as before (`ticker.encode.sink.SegmentedSink`), each run assembled this way.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from ticker.encode import qtrle
from ticker.encode.ffmpeg_args import Encoding, build_command
from ticker.encode.prores import Assembler, encoded_lines, parse
from ticker.encode.sink import FFmpegSink, SegmentedSink, open_sink
from ticker.errors import EncodeError
from ticker.files import remove
from ticker.media.formats import Placement
from ticker.qc import Assembly
from ticker.qc.decode import digest

READ_BUFFER = 1 << 20


@dataclass(frozen=True)
class Still:
    """The still picture's frame for each target (fill, key), encoded whole, and its file: the template of
    the assembled file's stream."""

    lines: tuple[int, int]  # frame lines [y0, y1) of the band's macroblock rows
    frames: tuple[bytes, ...]
    files: tuple[Path, ...]

    def remove(self) -> None:
        for f in self.files:
            remove(f)


def still_file(target: Path) -> Path:
    """Where the still frame of `target` is encoded (in the render's private workspace, beside it)."""
    return target.with_name(f"{target.name}.still")


def band_file(target: Path) -> Path:
    """Where the band frames of `target` are kept for its check."""
    return target.with_name(f"{target.name}.band")


def encode_still(enc: Encoding, targets: list[Path], picture: np.ndarray, moving: tuple[int, int]) -> Still:
    """The still picture (the region as every picture has it outside the lines that move, `moving`, lines
    of the region) encoded whole by the command a whole-picture encode runs, and the lines to encode in
    every picture."""
    region, profile = enc.band, enc.profile
    files = [still_file(t) for t in targets]
    with FFmpegSink(build_command(enc, files, 1), files, region) as sink:
        sink.write(np.ascontiguousarray(picture))
    frames = []
    for f in files:
        with av.open(str(f)) as c:
            packet = next(p for p in c.demux(c.streams.video[0]) if p.size)
            frames.append(bytes(packet))
    moving_lines = (region.y + moving[0], region.y + moving[1])
    if enc.fmt.line_coded:  # each line coded on its own: the lines that move, and no more
        return Still(moving_lines, tuple(frames), tuple(files))
    full = np.zeros((profile.height, 1, 4), np.uint8)  # the region's pixels in the full (transparent) picture

    def flat(y: int, lines: int, columns: int) -> bool:
        top, bottom = max(y, region.y), min(y + lines, region.y + region.height)
        inside = picture[top - region.y : bottom - region.y, :columns]
        outside = bottom - top < lines  # some of those lines are the padding's, transparent
        first = full[0, 0] if outside else inside[0, 0]
        return bool((inside == first).all()) and (not outside or not first.any())

    lines = encoded_lines([parse(f) for f in frames], moving_lines, flat)
    return Still(lines, tuple(frames), tuple(files))


def band_encoding(enc: Encoding, lines: tuple[int, int]) -> tuple[Encoding, slice]:
    """The whole-picture encoding made for the lines [y0, y1): a picture of their height, with the region's
    lines that fall in it piped (the slice of the region's lines to pipe)."""
    y0, y1 = lines
    region = enc.band
    top, bottom = max(y0, region.y), min(y1, region.y + region.height)
    band = replace(
        enc,
        profile=replace(enc.profile, height=y1 - y0),
        band=Placement(region.width, bottom - top, top - y0),
    )
    return band, slice(top - region.y, bottom - region.y)


class Muxer:
    """A MOV of assembled frames, with the still file's stream as its template."""

    def __init__(self, target: Path, template: Path, rate: Fraction, comment: str):
        self._out = av.open(str(target), "w", format="mov")
        try:
            with av.open(str(template)) as src:
                model = src.streams.video[0]
                self._stream = self._out.add_stream_from_template(model)
                # not carried by the codec parameters: the sample entry's fourcc and the pasp atom
                self._stream.codec_context.codec_tag = model.codec_context.codec_tag
                self._stream.sample_aspect_ratio = model.sample_aspect_ratio
                self._stream.metadata.update(model.metadata)
            self._tick = Fraction(1, 1) / rate  # a frame; the muxer takes its own time scale
            self._stream.time_base = self._tick
            if comment:
                self._out.metadata["comment"] = comment
        except BaseException:
            self._out.close()
            raise

    def write(self, frame: bytes, index: int, key: bool = True) -> None:
        packet = av.Packet(frame)
        packet.stream = self._stream
        packet.pts = packet.dts = index
        packet.duration = 1
        packet.time_base = self._tick
        packet.is_keyframe = key
        self._out.mux(packet)

    def close(self) -> None:
        self._out.close()


class AssembledSink(FFmpegSink):
    """One ffmpeg process encoding the band's rows, and a reader thread per target assembling and muxing."""

    def __init__(self, enc: Encoding, targets: list[Path], frames: int, still: Still):
        self._frames, self._still = frames, still
        height = enc.profile.height
        self._assemblers: list[Assembler | qtrle.Assembler] = [
            qtrle.Assembler(f, *still.lines, height) if enc.fmt.line_coded else Assembler(f, *still.lines)
            for f in still.frames
        ]
        self._bands: list = []
        self._digests: list[list[tuple[int, int]]] = [[] for _ in targets]
        comment, rate = enc.delivery.comment if enc.fmt.carries_note else "", enc.profile.rate
        self._muxers: list[Muxer] = []
        self._counts = [0] * len(targets)
        self._failures: list[BaseException] = []
        self._readers: list[threading.Thread] = []
        self._done = False
        pipes: list[tuple[int, int]] = []
        try:
            for target, template in zip(targets, still.files):
                self._muxers.append(Muxer(target, template, rate, comment))
                self._bands.append(open(band_file(target), "xb"))  # noqa: SIM115 (closed by close() or abort())
            pipes = [os.pipe() for _ in targets]
            band, self._cut = band_encoding(enc, still.lines)
            args = build_command(band, [f"pipe:{w}" for _, w in pipes], frames, raw=True)
            super().__init__(args, targets, band.band, pass_fds=tuple(w for _, w in pipes))
            self._region = (enc.band.height, enc.band.width, 4)
        except BaseException:
            for r, w in pipes:
                os.close(r)
                os.close(w)
            self._close_muxers()
            self.cleanup()
            raise
        for k, (r, w) in enumerate(pipes):
            os.close(w)  # the child holds the writing end
            reader = threading.Thread(target=self._read, args=(k, r), name="assembler", daemon=True)
            reader.start()
            self._readers.append(reader)

    def write(self, picture: np.ndarray, index: int | None = None) -> None:
        """Hand on the lines of one region picture that are encoded."""
        if picture.shape != self._region:
            raise ValueError(f"picture is {picture.shape}, the region is {self._region}")
        super().write(picture[self._cut], index)

    def _read(self, k: int, fd: int) -> None:
        try:
            with os.fdopen(fd, "rb", buffering=READ_BUFFER) as pipe:
                n = 0
                while head := pipe.read(4):
                    size = int.from_bytes(head, "big")
                    rest = pipe.read(max(0, size - 4))
                    if len(rest) != size - 4:
                        raise EncodeError("the encoder's output ended inside a frame")
                    band = head + rest
                    assembler = self._assemblers[k]
                    frame = assembler.frame(band)
                    self._muxers[k].write(frame, n, assembler.key)
                    self._bands[k].write(band)
                    self._digests[k].append(digest(frame))
                    n += 1
                self._counts[k] = n
        except BaseException as e:  # the producer is told when the encoder stops for want of a reader
            self._failures.append(e)

    def close(self) -> None:
        """Let ffmpeg finish, then the readers, then the files."""
        if self._done:
            return
        self._done = True
        stopped: EncodeError | None = None
        try:
            super().close()
        except EncodeError as e:
            stopped = e
        for reader in self._readers:
            reader.join()
        if self._failures:
            raise EncodeError(f"assembling {self.targets[0].name} failed: {self._failures[0]}") from stopped
        if stopped is not None:
            raise stopped
        if any(n != self._frames for n in self._counts):
            got = min(self._counts)
            raise EncodeError(f"the encoder wrote {got} of {self._frames} frames of {self.targets[0].name}")
        while self._muxers:
            self._muxers.pop(0).close()  # the trailer: a failure here is the file's
        for f in self._bands:
            f.close()

    @property
    def assemblies(self) -> dict[Path, Assembly]:
        """How each target was made, for its check."""
        return {
            t: Assembly(frame, self._still.lines, band_file(t), tuple(d))
            for t, frame, d in zip(self.targets, self._still.frames, self._digests)
        }

    def cleanup(self) -> None:
        for f in self._bands:
            f.close()
        for t in self.targets:
            remove(band_file(t))

    def abort(self) -> None:
        super().abort()
        for reader in self._readers:
            reader.join(timeout=5)
        self._close_muxers()
        for f in self._bands:
            f.close()

    def _close_muxers(self) -> None:
        while self._muxers:
            with contextlib.suppress(av.FFmpegError, OSError):
                self._muxers.pop(0).close()


def open_assembled(
    enc: Encoding,
    targets: list[Path],
    frames: int,
    runs: tuple[list[range], list] | None,
    picture: np.ndarray,
    moving: tuple[int, int],
) -> FFmpegSink:
    """The sink for one ProRes or qtrle output assembled from the band's (`runs`: a timed clip of copied runs,
    each assembled); `picture` is the region as every picture has it outside its `moving` lines. The still
    frame is encoded first, and removed once every run has its stream. Other formats get `open_sink`'s."""
    if not enc.fmt.sliced:
        return open_sink(enc, targets, frames, runs)
    still = encode_still(enc, targets, picture, moving)
    try:
        if runs is None:
            return AssembledSink(enc, targets, frames, still)
        return SegmentedSink(enc, targets, *runs, encoder=lambda paths, n: AssembledSink(enc, paths, n, still))
    finally:
        still.remove()
