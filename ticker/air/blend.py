"""The crawl's picture blended with its alpha into a decoded picture of the channel, in place, in the picture's
own Y'CbCr.

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

Arithmetic. Alphas and their block sums are integers; the conversion is done in float32 on premultiplied values
(a product of two 8-bit values is exact in its 24 bits), the clip's part then taken as what the picture keeps
(1 − a) and what the clip lifts it by (a·C, and a half), and the blend is ⌊keep·D + lift⌋, rounded once: the
float64 composite rounded, but for a value within a float32 step of a half (one in some ten thousand).
ffmpeg's overlay filter (yuv420) rounds the clip to 8-bit Y'CbCr first, and takes a block's chroma unweighted
by its pixels' alphas: the two differ by at most one code value, but for chroma samples whose pixels differ in
alpha (a letter's edge over the band: by two at most).

The area. The band is some 10 % of the picture and a ticker clip keeps its band on the same lines in every
picture: a frame's area (boxes of lines and columns outside which its alpha is 0, aligned to whole chroma blocks
of either field) is found the first time the frame is decoded and kept for the clip's next passes; nothing
outside it is read or written.

Ready. What blend works out from the clip's picture alone (what it keeps of the picture and lifts it by, line
by line and chroma block by block) does not change from one pass of a loop to the next: `ready` makes it once,
to be kept with the clip (ticker.air.overlay.Clip.ready), and `blend_ready` does only what the channel's
picture asks.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import av
import numpy as np
import numpy.typing as npt

from ticker.errors import InputError
from ticker.media import Profile

Matrix = Literal["bt601", "bt709"]
Bytes = npt.NDArray[np.uint8]
Planes = tuple[Bytes, Bytes, Bytes]
Floats = npt.NDArray[np.float32]
_SCRATCH = threading.local()  # each thread's work arrays, by shape
KR_KB: dict[Matrix, tuple[float, float]] = {"bt601": (0.299, 0.114), "bt709": (0.2126, 0.0722)}
ROWS, COLUMNS = 4, 2  # an area's alignment: whole chroma blocks of either field of an interlaced 4:2:0 picture
BOX_COST = 8192  # pixels: about what blending one more box costs in calls, against the pixels a larger box adds
# the pictures blend takes: (lines, columns) of luma a chroma sample covers
SUBSAMPLING = {"yuv420p": (2, 2), "yuv422p": (1, 2), "yuv444p": (1, 1)}
FULL_RANGE = 2  # AVColorRange: JPEG


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
    h, w = planes[0].shape
    if rgba.shape != (h, w, 4) or rgba.dtype != np.uint8:
        raise ValueError(f"the clip's picture is {rgba.shape} {rgba.dtype}, not ({h}, {w}, 4) uint8")
    chroma = chroma_of(planes, interlaced)
    for box in _checked(find_area(rgba) if area is None else area, chroma):
        made = _prepare(rgba, box, _coefficients(matrix), chroma, _scratch)
        _apply(planes, made, chroma)


@dataclass(frozen=True)
class Chroma:
    """How a picture's chroma samples cover its luma: lines and columns a sample covers, and whether its lines
    alternate between two fields."""

    vsub: int
    hsub: int
    fields: int


@dataclass(frozen=True)
class Ready:
    """A box of a clip's picture, made ready to blend (module docstring): for each of its lines' pixels and each
    of its chroma samples, what of the picture under it is kept (1 − a) and what the clip lifts it by (a·C, and
    a half for the rounding), so that the blend is out = ⌊keep·out + lift⌋."""

    box: Box
    keep: Floats
    lift: Floats
    block_keep: Floats
    cb: Floats
    cr: Floats

    @property
    def nbytes(self) -> int:
        return sum(x.nbytes for x in (self.keep, self.lift, self.block_keep, self.cb, self.cr))


def chroma_of(planes: Planes, interlaced: bool) -> Chroma:
    """The planes' chroma (ValueError: not a picture blend takes)."""
    luma, cb, cr = planes
    h, w = luma.shape
    vsub, hsub = h // max(1, cb.shape[0]), w // max(1, cb.shape[1])
    fields = 2 if interlaced and vsub == 2 else 1
    if cb.shape != cr.shape or (vsub, hsub) not in SUBSAMPLING.values() or h % (vsub * fields) or w % hsub:
        raise ValueError(f"a picture of {h}x{w} with chroma planes of {cb.shape} is not one blend takes")
    return Chroma(vsub, hsub, fields)


def _checked(area: Area, chroma: Chroma) -> Area:
    rows = chroma.vsub * chroma.fields
    for box in area:
        if box.top % rows or box.bottom % rows or box.left % chroma.hsub or box.right % chroma.hsub:
            raise ValueError(f"{box} is not in whole chroma blocks")
    return area


def ready(rgba: Bytes, area: Area, matrix: Matrix, chroma: Chroma, *, kept: bool = True) -> tuple[Ready, ...]:
    """The clip's picture made ready to blend: in arrays of its own, to be kept, or (`kept` False) in this
    thread's work arrays, good until the next picture is made ready so."""

    def fresh(shape: tuple[int, int], count: int, role: str) -> list[Floats]:
        return [np.empty(shape, np.float32) for _ in range(count)]

    def work(n: int) -> Callable[[tuple[int, int], int, str], list[Floats]]:  # (each box its own: two of one
        return lambda shape, count, role: _scratch(shape, count, f"{role} {n}")  # size made before either blends)

    boxes = enumerate(_checked(area, chroma))
    return tuple(_prepare(rgba, box, _coefficients(matrix), chroma, fresh if kept else work(n)) for n, box in boxes)


def blend_ready(planes: Planes, made: tuple[Ready, ...], chroma: Chroma) -> None:
    """A clip's picture made ready (`ready`) over the picture's `planes`, in place: what `blend` gives."""
    for box in made:
        _apply(planes, box, chroma)


def _scratch(shape: tuple[int, int], count: int, role: str = "") -> list[Floats]:
    """`count` float32 arrays of `shape` for `role`, this thread's, made once and used again for every picture: a
    fresh array of a box's size is a fresh mapping whose pages fault in, which costs more than the arithmetic."""
    kept: dict[tuple[tuple[int, int], int, str], list[Floats]] | None = getattr(_SCRATCH, "kept", None)
    if kept is None or len(kept) > 32:  # the boxes of a clip or two
        kept = _SCRATCH.kept = {}
    if (shape, count, role) not in kept:
        kept[shape, count, role] = [np.empty(shape, np.float32) for _ in range(count)]
    return kept[shape, count, role]


def _prepare(
    rgba: Bytes,
    box: Box,
    coef: tuple[tuple[np.float32, ...], ...],
    chroma: Chroma,
    arrays: Callable[[tuple[int, int], int, str], list[Floats]],
) -> Ready:
    """What blending the box asks of the clip's picture alone, in arrays from `arrays`."""
    t, b, left, r = box.top, box.bottom, box.left, box.right
    px = rgba[t:b, left:r]
    vsub, hsub = chroma.vsub, chroma.hsub
    shape, blocks = (b - t, r - left), ((b - t) // vsub, (r - left) // hsub)
    a, over = arrays(shape, 2, "ready")
    sa, over_cb, over_cr = arrays(blocks, 3, "ready chroma")
    pr, pg, pb, spare = _scratch(shape, 4, "rgb")
    half = _scratch(((b - t) // vsub, r - left), 1, "half")[0]
    sr, sg, sb, spare_c = _scratch(blocks, 4, "rgb chroma")
    np.copyto(a, px[..., 3])
    for k, x in enumerate((pr, pg, pb)):
        np.copyto(x, px[..., k])
        x *= a  # premultiplied: a·R, exact
    y, cb, cr = coef
    _combined(over, a, np.float32(16), (pr, pg, pb), y, spare)  # a·Y' of the clip
    for x, out in zip((a, pr, pg, pb), (sa, sr, sg, sb), strict=True):
        _blocks(x, vsub, hsub, chroma.fields, half, out)
    _combined(over_cb, sa, np.float32(128), (sr, sg, sb), cb, spare_c)  # the block's sum of a·Cb
    _combined(over_cr, sa, np.float32(128), (sr, sg, sb), cr, spare_c)
    _as_kept(a, over, np.float32(1 / 255))
    _as_kept(sa, over_cb, np.float32(1 / (255 * vsub * hsub)), over_cr)
    return Ready(box, a, over, sa, over_cb, over_cr)


def _as_kept(alpha: Floats, over: Floats, inverse: np.float32, *more: Floats) -> None:
    """Alpha (summed over `inverse`'s pixels) and the premultiplied colours as what blend keeps and lifts by."""
    for x in (over, *more):
        x *= inverse
        x += np.float32(0.5)  # (then ⌊ ⌋: rounded)
    alpha *= -inverse
    alpha += np.float32(1)


def _apply(planes: Planes, made: Ready, chroma: Chroma) -> None:
    """out = ⌊keep·out + lift⌋, in place: four passes over the box (its values stay in 0 .. 255.5)."""
    box, (luma, *chromas) = made.box, planes
    t, b, left, r = box.top, box.bottom, box.left, box.right
    vsub, hsub = chroma.vsub, chroma.hsub
    _mix(luma[t:b, left:r], made.keep, made.lift, _scratch((b - t, r - left), 1, "mix")[0])
    under = _scratch(((b - t) // vsub, (r - left) // hsub), 1, "mix chroma")[0]
    for plane, lift in zip(chromas, (made.cb, made.cr), strict=True):
        _mix(plane[t // vsub : b // vsub, left // hsub : r // hsub], made.block_keep, lift, under)


def _combined(out: Floats, alpha: Floats, offset: np.float32, rgb: tuple[Floats, ...], row, spare: Floats) -> None:
    """out = offset·alpha + row · rgb (premultiplied R, G, B), with `spare` for the products."""
    np.multiply(alpha, offset, out=out)
    for c, x in zip(row, rgb):
        np.multiply(x, c, out=spare)
        out += spare


def _mix(out: Bytes, keep: Floats, lift: Floats, under: Floats) -> None:
    """out = ⌊keep·out + lift⌋ (`keep` and `lift` unchanged: they may be kept for the clip's next pass)."""
    np.copyto(under, out)
    under *= keep
    under += lift
    np.copyto(out, under, casting="unsafe")  # (truncated: ⌊ ⌋ of what is never negative)


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
    return area_where(alpha.max(axis=1) > 0, lambda t, b: alpha[t:b] > 0)


def area_where(lit: npt.NDArray[np.bool_], mask: Callable[[int, int], npt.NDArray[np.bool_]]) -> Area:
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
