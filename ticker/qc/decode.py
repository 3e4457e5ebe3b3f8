"""Quality control: read a file back the way a headend would, before it is published (and for `ticker qc`).

A file is opened with ffmpeg's libraries (PyAV) and every picture is decoded: the frame count against what
was written and against the container's own duration, the size, pixel format, alpha, field order, sample
aspect ratio and colour tags, luma and chroma within the legal range of EBU R 103 for YUV files, and for loops
the seam (the crawl moves across the last-to-first join as it does between any two pictures).

A file joined from encoded runs by stream copy (a slot) is checked run by run, each run decoded once, and the
joined file by its packets: they must be the runs' packets (size and CRC-32), in the order of the play list.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from ticker.files.inputs import kind_of
from ticker.media import Format, Profile
from ticker.media.formats import ALPHA_DECODERS
from ticker.media.formats.delivery import FieldOrder
from ticker.media.profiles import Colour
from ticker.qc.legal_range import CHROMA_LIMITS, LUMA_LIMITS, add_levels, plane_levels

AREA_LIMIT = 0.01
SEAM_TOLERANCE = 0.25  # pixels: the step across a loop's seam against the others
FIELD_NAMES: dict[int, FieldOrder] = {0: "unknown", 1: "progressive", 2: "tt", 3: "bb", 4: "tb", 5: "bt"}
TOP_FIRST = ("tt", "tb")  # ffmpeg reads a QuickTime 'fiel' of top field first as either
# ffmpeg's (ITU-T H.273) codes for the names ticker writes; 2 is "unspecified"
COLOUR_CODES = {"bt709": 1, "unknown": 2, "bt470bg": 5, "smpte170m": 6, "iec61966-2-1": 13}
UNSPECIFIED = 2
# Codes that say the same thing (primaries, transfer, matrix): BT.601, BT.709 and BT.2020 share one transfer
# curve (and MXF one label for it); the 625-line (bt470bg) and 525-line (smpte170m) matrices are the same.
SAME: tuple[dict[int, int], ...] = ({}, {6: 1, 14: 1, 15: 1}, {6: 5})


@dataclass(frozen=True)
class Expect:
    """What a file should be; None: not checked."""

    frames: int | None = None
    width: int | None = None
    height: int | None = None
    rate: Fraction | None = None
    pix_fmt: str | None = None  # the encoded format (as the decoder reports it, bit depth aside)
    alpha: bool | None = None
    interlaced: bool | None = None  # True: top field first
    sar: Fraction | None = None
    colour: Colour | None = None
    limited: bool | None = None  # YUV in video range: check the levels
    loop: bool = False
    audio: int | None = None  # audio streams
    vbi: int = 0  # lines above the picture not checked for the seam (D-10)


@dataclass
class Report:
    path: Path
    facts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    edges: list = field(default_factory=list, repr=False)  # the first two and last two decoded pictures

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        head = f"{self.path}: {'ok' if self.ok else 'FAILED'}"
        facts = ", ".join(f"{k} {v}" for k, v in self.facts.items())
        return [head, f"  {facts}", *(f"  problem: {p}" for p in self.problems)]

    def as_json(self) -> dict:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "facts": {k: _plain(v) for k, v in self.facts.items()},
            "problems": self.problems,
        }


def _plain(v):
    if isinstance(v, Fraction):
        return f"{v.numerator}:{v.denominator}" if v.denominator != 1 else v.numerator
    if isinstance(v, tuple):
        return list(v)
    return v


Pictures = Callable[[Any, Any, Expect, Report], None]  # (container, video stream, expect, report)


def inspect(
    path: Path, expect: Expect | None = None, *, packets: list | None = None, pictures: Pictures | None = None
) -> Report:
    """Check one file. With `packets` (the digests the file must hold, in order), pictures are not decoded:
    the file is the copy of runs that were. `pictures` checks the pictures instead of decoding each (a file
    assembled from slices that were decoded: ticker.qc.assembled)."""
    expect = expect or Expect()
    report = Report(Path(path))
    if Path(path).is_dir():
        return _inspect_pictures(Path(path), expect, report)
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as e:
        report.problems.append(f"cannot be opened ({_reason(e)}); the file is damaged, truncated or not a video")
        return report
    with container:
        if not container.streams.video:
            report.problems.append("has no video stream")
            return report
        stream = container.streams.video[0]
        _stream_facts(container, stream, expect, report)
        if packets is not None:
            _compare_packets(container, stream, packets, report)
        else:
            (pictures or _decode)(container, stream, expect, report)
    _frame_count(expect, report)
    return report


def _reason(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e)


def _stream_facts(container, stream, expect: Expect, report: Report) -> None:
    cc = stream.codec_context
    f, problems = report.facts, report.problems
    f["codec"] = cc.name
    f["size"] = f"{cc.width}x{cc.height}"
    f["rate"] = stream.average_rate or stream.guessed_rate
    f["sar"] = Fraction(stream.sample_aspect_ratio or cc.sample_aspect_ratio or 1)
    f["field order"] = FIELD_NAMES.get(int(cc.field_order or 0), str(cc.field_order))
    f["colour"] = (int(cc.color_primaries or 2), int(cc.color_trc or 2), int(cc.colorspace or 2))
    f["range"] = {1: "video", 2: "full"}.get(int(cc.color_range or 0), "unspecified")
    f["audio streams"] = len(container.streams.audio)
    declared = stream.frames
    if declared:
        f["declared frames"] = declared
    if stream.duration and stream.time_base:  # the video's own length (the container's may include sound)
        f["duration"] = round(float(stream.duration * stream.time_base), 3)
    elif container.duration and not container.streams.audio:
        f["duration"] = round(container.duration / 1e6, 3)
    if expect.width is not None and (cc.width, cc.height) != (expect.width, expect.height):
        problems.append(f"is {cc.width}x{cc.height}, not {expect.width}x{expect.height}")
    if expect.rate is not None and f["rate"] != expect.rate:
        problems.append(f"runs at {f['rate']} frames a second, not {expect.rate}")
    if expect.sar is not None and f["sar"] != expect.sar:
        problems.append(
            f"has sample aspect ratio {f['sar'].numerator}:{f['sar'].denominator}, "
            f"not {expect.sar.numerator}:{expect.sar.denominator}"
        )
    if expect.interlaced is True and f["field order"] not in TOP_FIRST:
        problems.append(f"is not flagged interlaced top field first (field order: {f['field order']})")
    if expect.interlaced is False and f["field order"] not in ("progressive", "unknown"):
        problems.append(f"is flagged interlaced ({f['field order']}) but should be progressive")
    if expect.colour is not None:
        want = tuple(COLOUR_CODES[n] for n in (expect.colour.primaries, expect.colour.transfer, expect.colour.matrix))
        if _meaning(f["colour"]) != _meaning(want):
            problems.append(f"colour tags (primaries, transfer, matrix) are {f['colour']}, not {want}")
    if expect.limited and f["range"] != "video":
        problems.append(f"is tagged {f['range']} range, not video (limited) range")
    if expect.audio is not None and f["audio streams"] != expect.audio:
        problems.append(f"has {f['audio streams']} audio stream(s), not {expect.audio}")


def _meaning(codes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(same.get(c, c) for same, c in zip(SAME, codes))


def _colour_said(report: Report, frames) -> None:
    """What the decoder reports on the first and last pictures against the container's tags: decoders and
    colour converters follow the pictures (a ProRes frame header that says 0 is read as GBR, reserved)."""
    container = report.facts["colour"]
    for number, frame in frames:
        said = (int(frame.color_primaries), int(frame.color_trc), int(frame.colorspace))
        if any(
            a != b
            for a, b, x, y in zip(_meaning(said), _meaning(container), said, container)
            if UNSPECIFIED not in (x, y)
        ):
            report.problems.append(
                f"picture {number} says its colour (primaries, transfer, matrix) is {said}, "
                f"but the container says {container}"
            )


def _decoder(stream):
    """A stream with alpha decodes with the decoder its format names, where ffmpeg's own drops the alpha
    channel (VP9: libvpx); None: ffmpeg's own."""
    name = ALPHA_DECODERS.get(stream.codec_context.name) if stream.metadata.get("alpha_mode") == "1" else None
    if name is None:
        return None
    cc = av.CodecContext.create(name, "r")
    cc.extradata = stream.codec_context.extradata
    return cc


STRICT = {"err_detect": "crccheck+buffer+explode"}  # damaged data is an error, not something to conceal
# (not "bitstream": ffmpeg's own MPEG-2 fails it)


def _decode(container, stream, expect: Expect, report: Report) -> None:
    stream.thread_type = "AUTO"
    stream.codec_context.options = dict(STRICT)
    decoder = _decoder(stream)
    count = 0
    first: list[av.VideoFrame] = []
    last: deque[av.VideoFrame] = deque(maxlen=2)
    levels: dict[str, list] = {}
    pix_fmt = None
    try:
        for packet in container.demux(stream):  # the last, empty packet flushes the decoder
            for frame in decoder.decode(packet if packet.size else None) if decoder else packet.decode():
                count += 1
                pix_fmt = frame.format.name
                add_levels(levels, plane_levels(frame), count)
                (first if len(first) < 2 else last).append(frame)
    except av.FFmpegError as e:
        report.problems.append(f"picture {count + 1} cannot be decoded ({_reason(e)})")
    report.facts["frames"] = count
    conclude(expect, report, pix_fmt, levels, [*first, *last], count)


def conclude(expect: Expect, report: Report, pix_fmt: str | None, levels: dict, edges: list, count: int) -> None:
    """What the decoded pictures say: alpha and pixel format, the levels, the colour the first and last
    pictures say they have, and a loop's seam (`edges`: the first two and the last two pictures)."""
    f, problems = report.facts, report.problems
    f["pixel format"] = pix_fmt
    alpha = pix_fmt is not None and any(c.is_alpha for c in av.VideoFormat(pix_fmt).components)
    f["alpha"] = alpha
    if expect.alpha is not None and alpha != expect.alpha:
        problems.append("has no alpha channel" if expect.alpha else "has an alpha channel it should not have")
    if expect.pix_fmt is not None and pix_fmt is not None and not _same_layout(pix_fmt, expect.pix_fmt):
        problems.append(f"decodes as {pix_fmt}, not {expect.pix_fmt}")
    if levels:
        f["levels"] = {k: (round(v[0], 1), round(v[1], 1)) for k, v in levels.items()}
        if expect.limited:
            for plane, (lo, hi, area, frame) in levels.items():
                limit = LUMA_LIMITS if plane == "Y" else CHROMA_LIMITS
                if area > AREA_LIMIT:
                    problems.append(
                        f"{plane} goes beyond the EBU R 103 limits {limit[0]:g}..{limit[1]:g} (8-bit "
                        f"scale) over {area:.1%} of picture {frame} (reaching {lo:g}..{hi:g})"
                    )
    report.edges = edges
    if edges:
        _colour_said(report, [(1, edges[0]), (count, edges[-1])])
    if expect.loop and count >= 4:
        seam(report.edges, expect, report)


def _same_layout(found: str, wanted: str) -> bool:
    """The same planes and subsampling; decoders may give more bits (ProRes decodes at 12)."""
    return re.sub(r"p\d+(le|be)?$", "p", found) == re.sub(r"p\d+(le|be)?$", "p", wanted)


def seam(frames, expect: Expect, report: Report) -> None:
    """The crawl's step between the first pictures, the last pictures, and across the seam (last → first)."""
    pics = [_ink(fr, expect) for fr in frames]  # 0, 1, n-2, n-1
    moving = np.any(np.abs(pics[0] - pics[1]) > 1e-3, axis=1)  # rows and columns that change: the crawl
    moving_cols = np.any(np.abs(pics[0] - pics[1]) > 1e-3, axis=0) | np.any(np.abs(pics[2] - pics[3]) > 1e-3, axis=0)
    if not moving.any():
        report.problems.append("is flagged a loop but nothing moves between its first two pictures")
        return
    profiles = [p[moving].sum(axis=0) * moving_cols for p in pics]
    steps = [_shift(profiles[0], profiles[1]), _shift(profiles[2], profiles[3]), _shift(profiles[3], profiles[0])]
    report.facts["step"] = round(steps[0], 3)
    report.facts["seam step"] = round(steps[2], 3)
    usual = (steps[0] + steps[1]) / 2
    if abs(steps[0] - steps[1]) <= SEAM_TOLERANCE and abs(steps[2] - usual) > SEAM_TOLERANCE:
        report.problems.append(
            f"the loop's seam jumps: the crawl moves {steps[2]:.2f} px from the last picture to "
            f"the first, {usual:.2f} px between the others"
        )


def _ink(frame, expect: Expect) -> np.ndarray:
    """Premultiplied luma of the top field (every picture's lines, when progressive), float."""
    rgba = frame.to_ndarray(format="rgba")[expect.vbi :].astype(np.float32) / 255
    if expect.interlaced:
        rgba = rgba[0::2]
    return (rgba[..., :3] @ np.array([0.2126, 0.7152, 0.0722], np.float32)) * rgba[..., 3]


def _shift(a: np.ndarray, b: np.ndarray) -> float:
    """How far left the profile moved from a to b, to a fraction of a pixel (cross-correlation peak)."""
    a, b = a - a.mean(), b - b.mean()
    n = 1 << int(np.ceil(np.log2(2 * a.size)))
    corr = np.fft.irfft(np.fft.rfft(a, n) * np.conj(np.fft.rfft(b, n)), n)
    corr = np.concatenate([corr[-(a.size // 2) :], corr[: a.size // 2]])  # lags -w/2 .. w/2
    k = int(np.argmax(corr))
    lag: float = k - a.size // 2
    if 0 < k < corr.size - 1:
        y0, y1, y2 = corr[k - 1], corr[k], corr[k + 1]
        denom = y0 - 2 * y1 + y2
        lag += 0.5 * (y0 - y2) / denom if denom else 0.0
    return float(lag)


def digest(packet) -> tuple[int, int]:
    """A packet's (or a frame's bytes') size and CRC-32: enough to tell a copied packet from any other (and
    zlib's CRC-32 reads a 2 GB slot in about a second)."""
    data = memoryview(packet)
    return data.nbytes, zlib.crc32(data)


def _compare_packets(container, stream, packets: list, report: Report) -> None:
    found = [digest(p) for p in container.demux(stream) if p.size]
    report.facts["frames"] = len(found)
    report.facts["checked"] = "packets against the decoded runs"
    if found != packets[: len(found)] or len(found) != len(packets):
        first = next((i for i, (x, y) in enumerate(zip(found, packets)) if x != y), min(len(found), len(packets)))
        report.problems.append(f"picture {first + 1} is not the copy of the encoded run it should be")


def packet_digests(path: Path) -> list[tuple[int, int]]:
    with av.open(str(path)) as c:
        return [digest(p) for p in c.demux(c.streams.video[0]) if p.size]


def _frame_count(expect: Expect, report: Report) -> None:
    f = report.facts
    found = f.get("frames")
    if found is None:
        return
    if expect.frames is not None and found != expect.frames:
        report.problems.append(f"holds {found} frames, not {expect.frames}")
    declared = f.get("declared frames")
    if declared and declared != found:
        report.problems.append(f"says it holds {declared} frames but {found} decode (truncated?)")
    rate, duration = f.get("rate"), f.get("duration")
    if rate and duration and abs(duration - found / rate) > 1.5 / rate:
        report.problems.append(f"lasts {duration:g} s but its {found} frames make {float(found / rate):g} s")


def _inspect_pictures(folder: Path, expect: Expect, report: Report) -> Report:
    """A folder of numbered PNG pictures (an image sequence)."""
    from PIL import Image

    kinds = {p: kind_of(p.lstat().st_mode) for p in sorted(folder.glob("*.png"))}  # a link: not a regular file
    report.problems += [f"{p.name} is {kind}, not a picture file" for p, kind in kinds.items() if kind]
    pictures = [p for p, kind in kinds.items() if not kind]  # a FIFO would block the decoder for ever
    report.facts["frames"] = len(pictures)
    digits = [m.group(1) for p in pictures if (m := re.search(r"(\d+)\.png$", p.name))]
    numbers = [int(d) for d in digits]
    start = numbers[0] if numbers else 1
    if start not in (0, 1) or numbers != list(range(start, start + len(pictures))):
        report.problems.append("the pictures are not numbered from 0 or 1 without a gap")
    elif len({len(d) for d in digits}) > 1:
        report.problems.append("the pictures' numbers do not all have the same number of digits")
    report.facts["first picture"] = start
    for p in pictures[1:-1]:  # every picture's structure and checksums; the first and last decoded in full
        try:
            with Image.open(p) as im:
                im.verify()
        except (OSError, SyntaxError) as e:
            report.problems.append(f"{p.name} is damaged ({e})")
    for p in pictures[:1] + pictures[-1:]:
        try:
            with Image.open(p) as im:
                im.load()
                report.facts["size"], report.facts["mode"] = f"{im.width}x{im.height}", im.mode
                if expect.width is not None and (im.width, im.height) != (expect.width, expect.height):
                    report.problems.append(f"{p.name} is {im.width}x{im.height}, not {expect.width}x{expect.height}")
                if expect.alpha and im.mode != "RGBA":
                    report.problems.append(f"{p.name} has no alpha channel")
                _pixel_aspect(p.name, im.info, expect, report)
        except OSError as e:
            report.problems.append(f"{p.name} cannot be read ({e})")
    _frame_count(expect, report)
    return report


def _pixel_aspect(name: str, info: dict, expect: Expect, report: Report) -> None:
    """A PNG's pixel aspect as libpng and Pillow read its pHYs chunk: pixels per unit along X and Y, so a
    pixel is Y/X as wide as it is high (no pHYs: square)."""
    x, y = info.get("aspect") or info.get("dpi") or (1, 1)
    aspect = Fraction(y) / Fraction(x) if x and y else Fraction(1)
    report.facts["sar"] = aspect.limit_denominator(1000)
    if expect.sar is not None and abs(aspect - expect.sar) > 1e-3:
        want = expect.sar
        report.problems.append(
            f"{name} says its pixels are {float(aspect):.4f} as wide as high (pHYs X={x:g}, "
            f"Y={y:g}), not {float(want):.4f} ({want.numerator}:{want.denominator}: X="
            f"{want.denominator}, Y={want.numerator})"
        )


def expect_for(fmt: Format, profile: Profile, frames: int | None, loop: bool, *, audio: int | None = None) -> Expect:
    """What a file of `fmt` at `profile` must be (a key file of a pair is checked the same as its fill)."""
    vbi = fmt.vbi_lines(profile)  # decoded with its lines of VBI, and the same display aspect
    sar = profile.sar * Fraction(profile.height + vbi, profile.height)
    return Expect(
        frames=frames,
        width=profile.width,
        height=profile.height + vbi,
        rate=profile.rate,
        pix_fmt=fmt.pix_fmt,
        alpha=fmt.stored_alpha,
        interlaced=profile.interlaced,
        sar=sar,
        colour=fmt.colour(profile) if fmt.yuv else None,
        limited=fmt.yuv,
        loop=loop,
        audio=audio,
        vbi=vbi,
    )
