"""QuickTime Animation (qtrle) frames taken apart into lines, and put together again.

A qtrle frame (32-bit ARGB) is its size (4 bytes), a header word, then, when the header is 8, the first line
it changes and how many (each after an unused word); then the lines, each a skip count and run-length codes
ended by the code -1, and a closing 0. A frame with header 0 codes every line; one with header 0 and no line
(7 bytes) changes nothing. Each line is coded on its own: a skip counts the pixels kept from the picture before,
a code is a run of one pixel or a row of literal pixels, nothing is taken from the line above.

ffmpeg's encoder makes a key frame every GOP frames (every line coded, no skip) and between them codes the lines
from the first that differs from the picture before to the last. So with an overlay, whose lines outside the
band are the same in every picture, a frame of the whole picture is the frame of the band's lines alone with
its first line moved down to the band's (`Assembler`); a key frame is the still picture's lines around the band
key frame's. The tests compare the assembled files with whole-picture encodes, picture by picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from ticker.errors import EncodeError
from ticker.media.formats.qtrle import QTRLE_GOP as GOP

BYTES_PER_PIXEL = 4  # ARGB
_UNCHANGED = (7).to_bytes(4, "big") + bytes(3)  # header 0, no line, the closing 0


@dataclass(frozen=True)
class Frame:
    key_form: bool  # header 0: every line from the first, or none
    start: int  # the first line coded
    count: int  # the lines coded
    body: memoryview  # the coded lines, without the closing 0


def parse(data: bytes | memoryview, height: int) -> Frame:
    """The frame's header and its coded lines (EncodeError for what is not a qtrle frame of `height` lines)."""
    data = memoryview(data)
    if len(data) < 7 or int.from_bytes(data[:4], "big") != len(data) or data[-1] != 0:
        raise EncodeError("a qtrle frame is not as long as it says, or does not end")
    header = int.from_bytes(data[4:6], "big")
    if header == 0:
        empty = len(data) == 7
        return Frame(True, 0, 0 if empty else height, data[6:-1])
    if header != 8 or len(data) < 15:
        raise EncodeError(f"a qtrle frame has the header {header}")
    start, count = int.from_bytes(data[6:8], "big"), int.from_bytes(data[10:12], "big")
    if start + count > height or count == 0:
        raise EncodeError(f"a qtrle frame changes lines {start}–{start + count} of {height}")
    return Frame(False, start, count, data[14:-1])


def line_ends(body: memoryview, count: int) -> list[int]:
    """Where each of `count` coded lines ends in `body` (offsets; line k is body[ends[k-1]:ends[k]])."""
    ends, at, size = [], 0, len(body)
    try:
        for _ in range(count):
            at += 1  # the line's skip count
            while (code := body[at]) != 0xFF:  # -1 ends the line
                if code == 0:
                    at += 2  # a skip within the line
                elif code < 0x80:
                    at += 1 + code * BYTES_PER_PIXEL  # literal pixels
                else:
                    at += 1 + BYTES_PER_PIXEL  # a run of one pixel
            at += 1
            ends.append(at)
    except IndexError:
        raise EncodeError("a qtrle frame ends inside a line") from None
    if at != size:
        raise EncodeError("a qtrle frame holds more than its lines")
    return ends


def _frame(header: bytes, lines: list[bytes | memoryview]) -> bytes:
    size = 4 + len(header) + sum(len(x) for x in lines) + 1
    return b"".join([size.to_bytes(4, "big"), header, *lines, b"\x00"])


class Assembler:
    """Frames of the full picture from frames of the band's lines [y0, y1), in order: each key frame (every
    GOP-th) the still frame's lines above and below the band key frame's, each other frame the band frame with
    its first line moved to the band's. `key` says whether the last frame made is a key frame."""

    def __init__(self, still: bytes | memoryview, y0: int, y1: int, height: int):
        frame = parse(still, height)
        if not frame.key_form or frame.count != height:
            raise EncodeError("the still qtrle frame does not code every line")
        bounds = [0, *line_ends(frame.body, height)]  # line k is body[bounds[k]:bounds[k + 1]]
        self._above, self._below = frame.body[: bounds[y0]], frame.body[bounds[y1] :]
        self.y0, self.y1, self.height = y0, y1, height
        self.key = False
        self._count = 0

    def frame(self, band: bytes | memoryview) -> bytes:
        """The full frame made of the next band frame."""
        lines = self.y1 - self.y0
        b = parse(band, lines)
        self.key = self._count % GOP == 0
        self._count += 1
        if self.key:
            if not b.key_form or b.count != lines:
                raise EncodeError("a qtrle key frame of the band does not code every line")
            return _frame(b"\x00\x00", [self._above, b.body, self._below])
        if b.count == 0:
            return _UNCHANGED
        start = self.y0 + b.start
        if start == 0 and b.count == self.height:
            return _frame(b"\x00\x00", [b.body])
        header = b"\x00\x08" + start.to_bytes(2, "big") + b"\x00\x00" + b.count.to_bytes(2, "big") + b"\x00\x00"
        return _frame(header, [b.body])
