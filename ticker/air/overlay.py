"""The crawl composited onto the live picture: a published clip read frame by frame (`Clip`) and blended with its
alpha into each decoded picture of the channel (`blend`), in place, in the picture's own Y'CbCr.

Why Y'CbCr: the channel decodes to 8-bit 4:2:0 Y'CbCr (MPEG-2, H.264); taking the picture to RGB and back would
cost a generation over all of it and several times the work. The clip's RGB is converted instead, to limited
range with the channel's matrix (BT.601 at SD, BT.709 at HD, as the channels and ticker's files are tagged), and
only where the clip has alpha.

Chroma. A chroma sample covers a block of luma pixels (2×2 in 4:2:0): its alpha is the block's mean alpha and
the clip's colour there the block's mean premultiplied colour, so the sample is the block's composite at full
resolution averaged (the mean of a·C + (1 − a)·D over the block): right at the band's edges and around the
letters, where a block's pixels differ in alpha. In an interlaced 4:2:0 picture the chroma lines belong to the
fields in turn (line 2k to the top field's luma lines 4k and 4k + 2, line 2k + 1 to the bottom field's), so with
`interlaced` a block is two lines of one field, and a moving letter's edge is not smeared into the other field.

Arithmetic. Alphas and their block sums are integers; the conversion and the blend are done in float32 on
premultiplied values (a product of two 8-bit values is exact in its 24 bits) and rounded once, at the end: the
result is the float64 composite rounded, ties aside. ffmpeg's overlay filter (yuv420) rounds the clip to 8-bit
Y'CbCr first, and takes a block's chroma unweighted by its pixels' alphas: the two differ by at most one code
value, but for chroma samples whose pixels differ in alpha (a letter's edge over the band: by two at most).

The area. The band is some 10 % of the picture and a ticker clip keeps its band on the same lines in every
picture: a frame's area (boxes of lines and columns outside which its alpha is 0, aligned to whole chroma blocks
of either field) is found the first time the frame is decoded and kept for the clip's next passes; nothing
outside it is read or written.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av
import numpy as np
import numpy.typing as npt

from ticker.errors import FileProblem, InputError
from ticker.files.publish import open_regular
from ticker.media import Profile

Matrix = Literal["bt601", "bt709"]
Bytes = npt.NDArray[np.uint8]
Planes = tuple[Bytes, Bytes, Bytes]
KR_KB: dict[Matrix, tuple[float, float]] = {"bt601": (0.299, 0.114), "bt709": (0.2126, 0.0722)}
ROWS, COLUMNS = 4, 2  # an area's alignment: whole chroma blocks of either field of an interlaced 4:2:0 picture
BOX_COST = 8192  # pixels: about what blending one more box costs in calls, against the pixels a larger box adds
# the pictures blend takes: (lines, columns) of luma a chroma sample covers
SUBSAMPLING = {"yuv420p": (2, 2), "yuv422p": (1, 2), "yuv444p": (1, 1)}
PACKED = {"argb": 0, "rgba": 24}  # a clip's packed pixel formats with alpha: the shift of alpha in a 32-bit word
PLANAR = {"yuva444p": 8, "yuva444p10le": 10, "yuva444p12le": 12, "yuva444p16le": 16}  # with alpha: their depth
FULL_RANGE = 2  # AVColorRange: JPEG
MATRIX_CODES: dict[int, Matrix] = {1: "bt709", 5: "bt601", 6: "bt601"}  # AVColorSpace codes a clip may say


@dataclass(frozen=True)
class Box:
    """Lines top..bottom and columns left..right of a picture (ends excluded)."""

    top: int
    bottom: int
    left: int
    right: int


Area = tuple[Box, ...]


def matrix_of(profile: Profile) -> Matrix:
    """The Y'CbCr matrix of the profile's pictures: BT.709 at HD, BT.601 at SD."""
    return "bt709" if profile.colour.matrix == "bt709" else "bt601"


@functools.cache
def _coefficients(matrix: Matrix) -> tuple[tuple[np.float32, ...], ...]:
    """Y', Cb and Cr of limited range from full-range R, G, B (0..255), each less its offset (16, 128, 128)."""
    kr, kb = KR_KB[matrix]
    kg = 1 - kr - kb
    y = (kr, kg, kb)
    cb = (-kr / (2 - 2 * kb), -kg / (2 - 2 * kb), 0.5)
    cr = (0.5, -kg / (2 - 2 * kr), -kb / (2 - 2 * kr))
    return tuple(tuple(np.float32(c * scale / 255) for c in row) for row, scale in ((y, 219), (cb, 224), (cr, 224)))


def picture_planes(frame: av.VideoFrame) -> Planes:
    """The Y, Cb and Cr planes of a decoded picture as arrays that write into it, the picture made writable
    first (a decoder keeps the pictures it predicts from: one of those is copied, not changed under it)."""
    name = frame.format.name
    if name not in SUBSAMPLING or frame.color_range == FULL_RANGE:
        shown = f"{name}, full range" if name in SUBSAMPLING else name
        raise InputError(
            f"The channel's pictures are {shown}; the crawl is blended into 8-bit limited-range Y'CbCr "
            f"(yuv420p, yuv422p or yuv444p) only."
        )
    frame.make_writable()
    planes = []
    for plane in frame.planes[:3]:
        rows = np.frombuffer(memoryview(plane), np.uint8, count=plane.line_size * plane.height)
        planes.append(rows.reshape(plane.height, plane.line_size)[:, : plane.width])
    return planes[0], planes[1], planes[2]


def blend(planes: Planes, rgba: Bytes, matrix: Matrix, *, area: Area | None = None, interlaced: bool = False) -> None:
    """The clip's picture `rgba` (H, W, 4; straight alpha) over the picture's `planes`, in place. `area`: where
    its alpha is (Clip.area; found from `rgba` when not given). `interlaced`: the picture's 4:2:0 chroma lines
    alternate between its fields (an interlaced MPEG-2 or H.264 picture)."""
    luma, cb, cr = planes
    h, w = luma.shape
    if rgba.shape != (h, w, 4) or rgba.dtype != np.uint8:
        raise ValueError(f"the clip's picture is {rgba.shape} {rgba.dtype}, not ({h}, {w}, 4) uint8")
    vsub, hsub = h // cb.shape[0], w // cb.shape[1]
    fields = 2 if interlaced and vsub == 2 else 1
    if cb.shape != cr.shape or (vsub, hsub) not in SUBSAMPLING.values() or h % (vsub * fields) or w % hsub:
        raise ValueError(f"a picture of {h}x{w} with chroma planes of {cb.shape} is not one blend takes")
    for box in find_area(rgba) if area is None else area:
        if box.top % (vsub * fields) or box.bottom % (vsub * fields) or box.left % hsub or box.right % hsub:
            raise ValueError(f"{box} is not in whole chroma blocks")
        _blend_box(planes, rgba, box, _coefficients(matrix), (vsub, hsub), fields)


Floats = npt.NDArray[np.float32]
_SCRATCH = threading.local()  # each thread's work arrays, by shape


def _scratch(shape: tuple[int, int], count: int) -> list[Floats]:
    """`count` float32 arrays of `shape`, this thread's, made once and used again for every picture: a fresh
    array of a box's size is a fresh mapping whose pages fault in, which costs more than the arithmetic."""
    kept: dict[tuple[tuple[int, int], int], list[Floats]] | None = getattr(_SCRATCH, "kept", None)
    if kept is None or len(kept) > 16:  # the boxes of a clip or two
        kept = _SCRATCH.kept = {}
    if (shape, count) not in kept:
        kept[shape, count] = [np.empty(shape, np.float32) for _ in range(count)]
    return kept[shape, count]


def _blend_box(
    planes: Planes, rgba: Bytes, box: Box, coef: tuple[tuple[np.float32, ...], ...], sub: tuple[int, int], fields: int
) -> None:
    t, b, left, r = box.top, box.bottom, box.left, box.right
    luma, *chroma = planes
    px = rgba[t:b, left:r]
    vsub, hsub = sub
    a, pr, pg, pb, over, under, spare = _scratch((b - t, r - left), 7)
    half = _scratch(((b - t) // vsub, r - left), 1)[0]
    sa, sr, sg, sb, over_c, under_c, spare_c = _scratch(((b - t) // vsub, (r - left) // hsub), 7)
    np.copyto(a, px[..., 3])
    for k, x in enumerate((pr, pg, pb)):
        np.copyto(x, px[..., k])
        x *= a  # premultiplied: a·R, exact
    y, cb, cr = coef
    _combined(over, a, np.float32(16), (pr, pg, pb), y, spare)  # a·Y' of the clip
    _mix(luma[t:b, left:r], over, a, np.float32(1 / 255), under, spare)
    for x, out in zip((a, pr, pg, pb), (sa, sr, sg, sb)):
        _blocks(x, vsub, hsub, fields, half, out)
    inverse = np.float32(1 / (255 * vsub * hsub))
    for plane, c in zip(chroma, (cb, cr)):
        _combined(over_c, sa, np.float32(128), (sr, sg, sb), c, spare_c)  # the block's sum of a·C
        _mix(plane[t // vsub : b // vsub, left // hsub : r // hsub], over_c, sa, inverse, under_c, spare_c)


def _combined(out: Floats, alpha: Floats, offset: np.float32, rgb: tuple[Floats, ...], row, spare: Floats) -> None:
    """out = offset·alpha + row · rgb (premultiplied R, G, B), with `spare` for the products."""
    np.multiply(alpha, offset, out=out)
    for c, x in zip(row, rgb):
        np.multiply(x, c, out=spare)
        out += spare


def _mix(out: Bytes, over: Floats, alpha: Floats, inverse: np.float32, under: Floats, spare: Floats) -> None:
    """out = out + (over − alpha·out) · inverse, rounded: the clip's premultiplied `over` on `out`."""
    np.copyto(under, out)
    np.multiply(under, alpha, out=spare)
    over -= spare
    over *= inverse
    over += under
    np.rint(over, out=over)
    np.copyto(out, over, casting="unsafe")


def _blocks(x: Floats, vsub: int, hsub: int, fields: int, half: Floats, out: Floats) -> None:
    """Sums over each chroma sample's block of pixels into `out` (`half`: the lines' sums); with two fields,
    of lines of one field."""
    h, w = x.shape
    if vsub == 2 and fields == 2:
        quads = x.reshape(h // 4, 2, 2, w)
        np.add(quads[:, 0], quads[:, 1], out=half.reshape(h // 4, 2, w))
    elif vsub == 2:
        np.add(x[0::2], x[1::2], out=half)
    else:
        half = x
    if hsub == 2:
        np.add(half[:, 0::2], half[:, 1::2], out=out)
    else:
        np.copyto(out, half)


def find_area(rgba: Bytes) -> Area:
    """Where a clip's picture has alpha (Box list, aligned to ROWS lines and COLUMNS columns)."""
    alpha = rgba[..., 3]
    return _area(alpha.max(axis=1) > 0, lambda t, b: alpha[t:b] > 0)


def _area(lit: npt.NDArray[np.bool_], mask: Callable[[int, int], npt.NDArray[np.bool_]]) -> Area:
    """Boxes around the pixels with alpha, from `lit` (per line: has any) and `mask` (lines t..b: which do).
    Lines are taken ROWS at a time; a run of them joins the box above it unless that box would grow by more
    pixels than a box of its own costs."""
    found = np.flatnonzero(lit)
    if not found.size:
        return ()
    height = lit.shape[0]
    top = int(found[0]) // ROWS * ROWS
    bottom = -(-(int(found[-1]) + 1) // ROWS) * ROWS
    pixels = mask(top, min(bottom, height))
    width = pixels.shape[1]
    if bottom > height:
        pixels = np.vstack([pixels, np.zeros((bottom - height, width), bool)])
    groups: npt.NDArray[np.bool_] = np.any(pixels.reshape(-1, ROWS, width), axis=1)
    lefts = groups.argmax(axis=1) // COLUMNS * COLUMNS
    rights = np.minimum(width, -(-(width - groups[:, ::-1].argmax(axis=1)) // COLUMNS) * COLUMNS)
    boxes: list[tuple[int, int, int, int]] = []
    for k in np.flatnonzero(np.any(groups, axis=1)):
        t, left, right = top + int(k) * ROWS, int(lefts[k]), int(rights[k])
        if boxes and boxes[-1][1] == t:
            bt, bb, bl, br = boxes[-1]
            wide = (t + ROWS - bt) * (max(br, right) - min(bl, left))
            if wide <= (bb - bt) * (br - bl) + ROWS * (right - left) + BOX_COST:
                boxes[-1] = (bt, t + ROWS, min(bl, left), max(br, right))
                continue
        boxes.append((t, t + ROWS, left, right))
    return tuple(Box(t, min(b, height), left, right) for t, b, left, right in boxes)


@dataclass
class _Slot:
    picture: Bytes  # (H, W, 4) RGBA, 0 outside `area`
    area: Area = ()


class Clip:
    """A published crawl clip with alpha (QuickTime Animation ARGB, ProRes 4444 with alpha), read with ffmpeg's
    libraries frame by frame, in order: a frame asked for again soon is kept (the last `cache`), an earlier one
    is sought back to. `frames` pictures at `rate` a second; frame i goes over the input picture that falls i
    frame periods after the airing's start. Refused in one sentence (FileProblem): a file that is not one
    regular file, cannot be read as a video, has no alpha, or is not of the profile's size and rate."""

    def __init__(self, path: Path, profile: Profile, *, cache: int = 3):
        self.path, self.profile, self._cache_size = Path(path), profile, max(1, cache)
        try:
            self._file = open_regular(self.path)
        except OSError as e:
            raise FileProblem(self.path, f"cannot be read ({e.strerror or e})") from None
        try:
            self._container = av.open(self._file, "r")
        except (av.FFmpegError, OSError, ValueError) as e:
            self._file.close()
            raise FileProblem(self.path, f"cannot be opened as a video ({e})") from None
        try:
            self._stream = self._check()
        except BaseException:
            self.close()
            raise
        self._stream.thread_type = "AUTO"
        self._start = self._stream.start_time or 0
        self._decoded = self._container.decode(self._stream)
        self._next = 0  # the index of the frame the decoder gives next
        self._slots: OrderedDict[int, _Slot] = OrderedDict()
        self._areas: dict[int, Area] = {}

    def _check(self):
        if not self._container.streams.video:
            raise FileProblem(self.path, "holds no video")
        stream = self._container.streams.video[0]
        cc, p = stream.codec_context, self.profile
        self.pix_fmt = cc.pix_fmt or ""
        if self.pix_fmt not in PACKED and self.pix_fmt not in PLANAR:
            raise FileProblem(
                self.path,
                f"decodes to {self.pix_fmt or 'no known pixel format'}, without an alpha channel to key the crawl "
                f"by; a clip for air is QuickTime Animation (ARGB) or ProRes 4444 with alpha",
            )
        if (cc.width, cc.height) != (p.width, p.height):
            raise FileProblem(self.path, f"is {cc.width}x{cc.height}, not the {p.width}x{p.height} of {p.id}")
        self.rate = Fraction(stream.average_rate or 0)
        if self.rate != p.rate:
            raise FileProblem(self.path, f"runs at {self.rate} frames a second, not the {p.rate} of {p.id}")
        self.frames = stream.frames or sum(1 for packet in self._container.demux(stream) if packet.size)
        self._container.seek(0)
        if not self.frames:
            raise FileProblem(self.path, "holds no pictures")
        self.field_order = int(cc.field_order or 0)  # AVFieldOrder: 1 progressive, 2 top first, …
        return stream

    def close(self) -> None:
        self._container.close()
        self._file.close()

    def __enter__(self) -> Clip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def frame(self, i: int) -> Bytes:
        """Frame i as RGBA (H, W, 4), straight alpha as the file holds it (ProRes converted with the matrix it
        says). Read-only, and the clip's: it holds frame i until `cache` other frames have been asked for."""
        slot = self._slot(i)
        view = slot.picture.view()
        view.flags.writeable = False
        return view

    def area(self, i: int) -> Area:
        """Where frame i has alpha (for blend)."""
        return self._slot(i).area

    def _slot(self, i: int) -> _Slot:
        if not 0 <= i < self.frames:
            raise IndexError(f"{self.path.name} has frames 0 to {self.frames - 1}, not {i}")
        if i in self._slots:
            self._slots.move_to_end(i)
            return self._slots[i]
        frame = self._decode(i)
        if len(self._slots) < self._cache_size:
            slot = _Slot(np.zeros((self.profile.height, self.profile.width, 4), np.uint8))
        else:
            slot = self._slots.popitem(last=False)[1]
            for box in slot.area:
                slot.picture[box.top : box.bottom, box.left : box.right] = 0
        try:
            slot.area = self._convert(frame, slot.picture, i)
        except ValueError as e:  # a picture not as the stream said
            raise FileProblem(self.path, f"picture {i} cannot be read ({e})") from None
        self._slots[i] = slot
        return slot

    def _decode(self, i: int) -> av.VideoFrame:
        for back in (i, 0):  # to the key frame before frame i; from the start if that lands after it
            if i < self._next:
                pts = self._start + round(Fraction(back) / self.rate / self._stream.time_base)
                self._container.seek(pts, stream=self._stream, backward=True)
                self._decoded = self._container.decode(self._stream)
                self._next = back
            try:
                for frame in self._decoded:
                    k = self._index(frame)
                    self._next = k + 1
                    if k == i:
                        return frame
                    if k > i:
                        break
                else:
                    break
            except av.FFmpegError as e:
                raise FileProblem(self.path, f"cannot be decoded at picture {i} ({e})") from None
        raise FileProblem(self.path, f"holds no picture {i} of the {self.frames} it says it holds")

    def _index(self, frame: av.VideoFrame) -> int:
        if frame.pts is None:
            return self._next
        return round((frame.pts - self._start) * self._stream.time_base * self.rate)

    def _convert(self, frame: av.VideoFrame, out: Bytes, i: int) -> Area:
        """Frame's pixels with alpha into `out` (RGBA), and where they are (found once a frame)."""
        name, h, w = frame.format.name, self.profile.height, self.profile.width
        if name in PACKED:
            plane = frame.planes[0]
            words = np.frombuffer(memoryview(plane), "<u4", count=plane.line_size * h // 4).reshape(h, -1)[:, :w]
            shift = PACKED[name]
            if i not in self._areas:
                lit = (np.bitwise_or.reduce(words, axis=1) >> shift) & 0xFF
                self._areas[i] = _area(lit > 0, lambda t, b: ((words[t:b] >> shift) & 0xFF) > 0)
            dest = out.view("<u4").reshape(h, w)
            for box in self._areas[i]:
                part = words[box.top : box.bottom, box.left : box.right]
                dest[box.top : box.bottom, box.left : box.right] = (part >> 8) | (part << 24) if shift == 0 else part
            return self._areas[i]
        if name not in PLANAR:
            raise ValueError(f"decoded as {name}, not {self.pix_fmt}")
        depth = PLANAR[name]
        kind = np.dtype(np.uint8 if depth == 8 else "<u2")
        planes: list[npt.NDArray[Any]] = [
            np.frombuffer(memoryview(p), kind, count=p.line_size * h // kind.itemsize).reshape(h, -1)[:, :w]
            for p in frame.planes[:4]
        ]
        if i not in self._areas:
            alpha = planes[3]
            self._areas[i] = _area(np.bitwise_or.reduce(alpha, axis=1) > 0, lambda t, b: alpha[t:b] > 0)
        matrix = MATRIX_CODES.get(int(frame.colorspace or 0), matrix_of(self.profile))
        for box in self._areas[i]:
            parts = [p[box.top : box.bottom, box.left : box.right] for p in planes]
            out[box.top : box.bottom, box.left : box.right] = _rgba_of(parts, depth, matrix)
        return self._areas[i]


def _rgba_of(planes: list[npt.NDArray[Any]], depth: int, matrix: Matrix) -> Bytes:
    """Limited-range Y'CbCr with alpha of `depth` bits as 8-bit full-range RGBA."""
    kr, kb = KR_KB[matrix]
    kg = 1 - kr - kb
    scale = 1 << (depth - 8)
    y = (planes[0] - np.float32(16 * scale)) * np.float32(255 / (219 * scale))
    cb = (planes[1] - np.float32(128 * scale)) * np.float32(255 / (224 * scale))
    cr = (planes[2] - np.float32(128 * scale)) * np.float32(255 / (224 * scale))
    rgba = np.empty((*y.shape, 4), np.uint8)
    channels = (
        y + np.float32(2 - 2 * kr) * cr,
        y - np.float32((2 - 2 * kb) * kb / kg) * cb - np.float32((2 - 2 * kr) * kr / kg) * cr,
        y + np.float32(2 - 2 * kb) * cb,
        planes[3] * np.float32(255 / ((1 << depth) - 1)),
    )
    for k, c in enumerate(channels):
        np.rint(np.clip(c, 0, 255, out=c), out=c)
        rgba[..., k] = c
    return rgba
