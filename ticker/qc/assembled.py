"""The check of a file assembled from slices (ProRes) or lines (qtrle): each part that went into it is decoded once.

An assembled file's frames are the still frame's rows around each picture's band rows (ticker.encode.assemble). Its
check decodes what was encoded: the still frame once, and every band frame, whose levels make each picture's
with the still rows around them. Then the file itself, as a headend reads it: every packet must be the frame
assembled for it (size and CRC-32), and its first two and last two pictures are decoded whole, for what the
decoder says of their colour and for a loop's seam (a qtrle file's last two from the key frame before them).
As with a file joined from runs, nothing decoded twice.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av

from ticker.qc.decode import STRICT, Expect, Pictures, Report, conclude, digest
from ticker.qc.legal_range import PlaneLevels, add_levels, plane_levels

FRAME_LIMIT = 1 << 26  # bytes: no ProRes frame of ticker's sizes comes near it


@dataclass(frozen=True)
class Assembly:
    """How an assembled file was made: the still frame, the lines of the band rows, the file of the band
    frames (bare, one after another) and the digests of the frames muxed, in order."""

    still: bytes
    lines: tuple[int, int]
    bands: Path
    digests: tuple[tuple[int, int], ...]


def band_frames(path: Path) -> Iterator[bytes]:
    """The bare ProRes or qtrle frames of a band file, one after another (each starts with its size)."""
    with open(path, "rb") as f:
        while head := f.read(4):
            size = int.from_bytes(head, "big")
            if not 7 <= size <= FRAME_LIMIT:  # 7: a qtrle frame that changes nothing
                raise ValueError(f"{path.name}: a frame of {size} bytes")
            rest = f.read(size - 4)
            if len(rest) != size - 4:
                raise ValueError(f"{path.name}: ends inside a frame")
            yield head + rest


def pictures_of(assembly: Assembly) -> Pictures:
    """The check of an assembled file's pictures, for `ticker.qc.decode.inspect`."""

    def check(container, stream, expect: Expect, report: Report) -> None:
        found: list[tuple[int, int]] = []
        first: list[av.Packet] = []
        before: list[av.Packet] = []  # the packets from the key frame before the last, and from the last
        last: list[av.Packet] = []
        for packet in container.demux(stream):
            if packet.size:
                found.append(digest(packet))
                if len(first) < 2:
                    first.append(packet)
                    continue
                if packet.is_keyframe:
                    before, last = last, []
                last.append(packet)
        report.facts["frames"] = len(found)
        report.facts["checked"] = "the still and band frames it was assembled from"
        if found != list(assembly.digests):
            wrong = next((i for i, (a, b) in enumerate(zip(found, assembly.digests)) if a != b), len(found))
            report.problems.append(f"picture {wrong + 1} is not the frame assembled for it")
            return
        levels: dict[str, list] = {}
        try:
            stream.thread_type = "AUTO"
            stream.codec_context.options = dict(STRICT)
            tail = last if len(last) >= 2 else [*before, *last]
            decoded = (f for p in [*first, *tail, None] for f in stream.codec_context.decode(p))  # None: flush
            edges = list(itertools.islice(decoded, len(first)))  # in order, whatever a threaded decoder held back
            edges += deque(decoded, maxlen=2)  # a qtrle tail's pictures are not all kept: only the last two
            (still,) = _decoded(_decoder(stream), [assembly.still])
            around = plane_levels(still, slice(*assembly.lines), outside=True)
            count = 0
            band_decoder = _decoder(stream, assembly.lines[1] - assembly.lines[0])
            for count, band in enumerate(_decoded(band_decoder, band_frames(assembly.bands)), 1):
                add_levels(levels, [_joined(a, b) for a, b in zip(around, plane_levels(band))], count)
        except (av.FFmpegError, ValueError) as e:
            report.problems.append(f"a picture it was assembled from cannot be decoded ({e})")
            return
        if count != len(found):
            report.problems.append(f"{count} band frames were decoded for its {len(found)} pictures")
        conclude(expect, report, edges[0].format.name if edges else None, levels, edges, len(found))

    return check


def _decoder(stream, height: int | None = None):
    """A decoder of the file's codec, for the frames it was assembled from: the still's, or the band's of
    `height` lines (a qtrle frame does not say its size or depth: they are the container's)."""
    cc = av.CodecContext.create(stream.codec_context.name, "r")
    cc.codec_tag = stream.codec_context.codec_tag
    cc.width, cc.height = stream.codec_context.width, height or stream.codec_context.height
    cc.bits_per_coded_sample = stream.codec_context.bits_per_coded_sample
    cc.thread_type = "AUTO"
    cc.options = dict(STRICT)
    return cc


def _decoded(decoder, frames: Iterable[bytes]) -> Iterator:
    try:
        for data in frames:
            yield from decoder.decode(av.Packet(data))
    except BaseException:
        decoder.decode(None)  # drained: a threaded decoder left in the middle of a stream hangs when freed
        raise
    yield from decoder.decode(None)


def _joined(a: PlaneLevels, b: PlaneLevels) -> PlaneLevels:
    """A plane's levels from its parts."""
    return min(a[0], b[0]), max(a[1], b[1]), a[2] + b[2], a[3] + b[3]
