"""ProRes frames (SMPTE RDD 36) taken apart into macroblock rows of slices, and put together again.

A ProRes frame is a frame header, then one picture (two for interlaced coding: one per field, top first), each
a picture header, a table of slice sizes and the slices. A slice covers up to eight macroblocks of one
macroblock row (16 lines of the picture, of the field when interlaced) and is coded on its own: its header
carries its quantiser, and nothing in it is predicted from another slice. So a frame whose band alone changes
can be put together from the band's rows, encoded from a picture of the band's rows alone, and the rows above
and below, encoded once.

prores_aw chooses each slice's quantiser starting from the one the slice before it ended on (and each picture
from the profile's lowest), and a flat slice (transparent, black) falls back to the lowest whatever it starts
from: with flat rows around the band, as an overlay's are, the assembled frame is the whole-picture encode's,
byte for byte (the tests compare them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ticker.errors import EncodeError

FRAME_ID = b"icpf"
MB_LINES = 16  # lines of a macroblock row, of the picture or of the field
FIRST_QSCALE = 1  # prores_aw starts each picture at its profile's first quantiser: 1 for 422 HQ and 4444


def alignment(interlaced: bool) -> int:
    """Frame lines of one macroblock row: 16, or 32 when each field is coded as a picture of its own."""
    return 2 * MB_LINES if interlaced else MB_LINES


def band_lines(height: int, interlaced: bool, top: int, bottom: int) -> tuple[int, int]:
    """The frame lines [y0, y1) of the macroblock rows that lines [top, bottom) touch. A band reaching into the
    last row, which a picture whose height is not a whole number of rows has partial, goes to the bottom,
    so that the encoder fills that row from the same lines."""
    a = alignment(interlaced)
    y0 = top // a * a
    y1 = -(-bottom // a) * a
    return y0, (height if y1 > height // a * a else y1)


def first_slice_mbs(width: int, log2_slice_mbs: int) -> int:
    """Macroblocks of a row's first slice."""
    mbs = 1 << log2_slice_mbs
    while mbs > -(-width // MB_LINES):
        mbs >>= 1
    return mbs


def slices_per_row(width: int, log2_slice_mbs: int) -> int:
    """Slices in a macroblock row: the row's macroblocks cut into slices of 2^log2 of them, then halves."""
    rem, count = -(-width // MB_LINES), 0
    for i in range(log2_slice_mbs, -1, -1):
        count += rem >> i
        rem &= (1 << i) - 1
    return count


@dataclass(frozen=True)
class Picture:
    """One picture of a frame: its slices' sizes and their bytes, and the picture header's last byte."""

    sizes: tuple[int, ...]
    data: bytes
    slicing: int  # the picture header's last byte: log2 of a slice's width in macroblocks, then of its height

    @property
    def log2_slice_mbs(self) -> int:
        return self.slicing >> 4

    def rows(self, per_row: int, start: int, stop: int) -> tuple[bytes, bytes]:
        """The slice-table entries and the slice bytes of macroblock rows [start, stop)."""
        a, b = start * per_row, stop * per_row
        offset = sum(self.sizes[:a])
        length = sum(self.sizes[a:b])
        table = b"".join(s.to_bytes(2, "big") for s in self.sizes[a:b])
        return table, self.data[offset : offset + length]

    def qscale(self, index: int) -> int:
        """The quantiser slice `index` was coded with: the one prores_aw carries on to the next slice."""
        return self.data[sum(self.sizes[:index]) + 1]


@dataclass(frozen=True)
class Frame:
    header: bytes  # the frame header, from its size field on
    pictures: tuple[Picture, ...]

    @property
    def width(self) -> int:
        return int.from_bytes(self.header[8:10], "big")

    @property
    def height(self) -> int:
        return int.from_bytes(self.header[10:12], "big")

    @property
    def interlace_mode(self) -> int:
        """0 progressive, 1 top field first, 2 bottom field first."""
        return (self.header[12] >> 2) & 3


def parse(frame: bytes | memoryview) -> Frame:
    """A frame's header and pictures; an EncodeError when it is not a whole ProRes frame."""
    data = bytes(frame)
    if len(data) < 8 or data[4:8] != FRAME_ID or int.from_bytes(data[:4], "big") != len(data):
        raise EncodeError("the encoder wrote something that is not a whole ProRes frame")
    header_size = int.from_bytes(data[8:10], "big")
    if not 20 <= header_size <= len(data) - 8:
        raise EncodeError("a ProRes frame header of the wrong size")
    header = data[8 : 8 + header_size]
    at, pictures = 8 + header_size, []
    for _ in range(2 if (header[12] >> 2) & 3 else 1):
        if at + 8 > len(data):
            raise EncodeError("a ProRes frame ends before its pictures do")
        head = data[at] >> 3
        size = int.from_bytes(data[at + 1 : at + 5], "big")
        count = int.from_bytes(data[at + 5 : at + 7], "big")
        table = data[at + head : at + head + 2 * count]
        sizes = tuple(int.from_bytes(table[i : i + 2], "big") for i in range(0, len(table), 2))
        body = data[at + head + 2 * count : at + size]
        if len(sizes) != count or sum(sizes) != len(body) or at + size > len(data):
            raise EncodeError("a ProRes picture's slice table does not match its slices")
        pictures.append(Picture(sizes, body, data[at + 7]))
        at += size
    if at != len(data):
        raise EncodeError("a ProRes frame holds more than its pictures")
    return Frame(header, tuple(pictures))


def field_rows(height: int, interlaced: bool) -> tuple[int, ...]:
    """Macroblock rows of each picture of a frame (the top field has the odd line of an odd height)."""
    if not interlaced:
        return (-(-height // MB_LINES),)
    return (-(-((height + 1) // 2) // MB_LINES), -(-(height // 2) // MB_LINES))


def encoded_lines(
    stills: Sequence[Frame], moving: tuple[int, int], flat: Callable[[int, int, int], bool]
) -> tuple[int, int]:
    """The frame lines [y0, y1) to encode in every picture, so that the assembled frame is the whole-picture
    encode's: the macroblock rows that the `moving` lines touch, and more where the quantiser chain asks.

    Above: a whole-picture encode enters row y0 with the quantiser the still rows above end on (the same in
    every frame: they are the same pixels), and a band picture enters it with the first: rows are added
    until the two agree. Below: the band's last slice ends on a quantiser that changes with the picture, and
    the still rows below were coded after another. A flat slice (`flat(y, lines, columns)`: those lines of
    the picture, those first columns, all one pixel) comes out the same from any quantiser and ends on the
    first, so rows are added until the next row starts with a whole, flat slice (or the picture ends)."""
    frame = stills[0]
    height, interlaced = frame.height, frame.interlace_mode != 0
    a = alignment(interlaced)
    log2 = frame.pictures[0].log2_slice_mbs
    per_row = slices_per_row(frame.width, log2)
    columns = first_slice_mbs(frame.width, log2) * MB_LINES
    y0, y1 = band_lines(height, interlaced, *moving)
    while y0 > 0 and any(p.qscale(y0 // a * per_row - 1) != FIRST_QSCALE for s in stills for p in s.pictures):
        y0 -= a
    while y1 < height and not (y1 + a <= height and flat(y1, a, columns)):
        y1 += a
    return y0, min(y1, height)


@dataclass(frozen=True)
class _Around:
    """The still rows of one picture: above the band and below it."""

    above: tuple[bytes, bytes]
    below: tuple[bytes, bytes]
    count: int  # slices above and below
    slicing: int


class Assembler:
    """Frames of the full picture from frames of the band's rows: the still frame's header and rows above and
    below, the band frame's rows between, each picture's header and slice table rebuilt."""

    key = True  # every ProRes frame stands alone

    def __init__(self, still: bytes | memoryview, y0: int, y1: int):
        frame = parse(still)
        self.header, self.y0, self.y1 = frame.header, y0, y1
        interlaced = frame.interlace_mode != 0
        self.interlaced = interlaced
        a = alignment(interlaced)
        self.band_rows = field_rows(y1 - y0, interlaced)
        self.per_row = slices_per_row(frame.width, frame.pictures[0].log2_slice_mbs)
        self._around = []
        for picture, rows in zip(frame.pictures, field_rows(frame.height, interlaced)):
            r0 = y0 // a
            r1 = rows if y1 == frame.height else y1 // a
            if len(picture.sizes) != rows * self.per_row:
                raise EncodeError("the still ProRes frame has not the slices its size asks for")
            self._around.append(
                _Around(
                    picture.rows(self.per_row, 0, r0),
                    picture.rows(self.per_row, r1, rows),
                    (r0 + rows - r1) * self.per_row,
                    picture.slicing,
                )
            )
        self._band_slices = [r * self.per_row for r in self.band_rows]

    def frame(self, band: bytes | memoryview) -> bytes:
        """The full frame made of a band frame."""
        b = parse(band)
        if len(b.pictures) != len(self._around) or b.width != int.from_bytes(self.header[8:10], "big"):
            raise EncodeError("a band frame does not match the still frame (width, or field coding)")
        parts: list[bytes] = []
        for picture, around, slices in zip(b.pictures, self._around, self._band_slices):
            if len(picture.sizes) != slices or picture.slicing != around.slicing:
                raise EncodeError("a band frame has not the slices of the band's rows")
            table = b"".join(s.to_bytes(2, "big") for s in picture.sizes)
            count = around.count + slices
            body = len(around.above[1]) + len(picture.data) + len(around.below[1])
            size = 8 + 2 * count + body
            parts += [
                bytes([8 << 3]),
                size.to_bytes(4, "big"),
                count.to_bytes(2, "big"),
                bytes([around.slicing]),
                around.above[0],
                table,
                around.below[0],
                around.above[1],
                picture.data,
                around.below[1],
            ]
        pictures = b"".join(parts)
        total = 8 + len(self.header) + len(pictures)
        return b"".join((total.to_bytes(4, "big"), FRAME_ID, self.header, pictures))
