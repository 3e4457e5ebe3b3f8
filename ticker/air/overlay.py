"""The crawl composited onto the live picture: a published clip read frame by frame (`Clip`) and blended with its
alpha into each decoded picture of the channel (ticker.air.blend), in place, in the picture's own Y'CbCr.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from ticker.air.blend import KR_KB, Area, Bytes, Chroma, Matrix, Ready, area_where, matrix_of, ready
from ticker.errors import FileProblem
from ticker.files.publish import open_regular
from ticker.media import Profile

PACKED = {"argb": 0, "rgba": 24}  # a clip's packed pixel formats with alpha: the shift of alpha in a 32-bit word
PLANAR = {"yuva444p": 8, "yuva444p10le": 10, "yuva444p12le": 12, "yuva444p16le": 16}  # with alpha: their depth
MATRIX_CODES: dict[int, Matrix] = {1: "bt709", 5: "bt601", 6: "bt601"}  # AVColorSpace codes a clip may say
KEEP = 256 << 20  # bytes of a clip's pictures kept made ready to blend: a loop's next passes not read again


@dataclass
class _Slot:
    picture: Bytes  # (H, W, 4) RGBA, 0 outside `area`
    area: Area = ()


class Clip:
    """A published crawl clip with alpha (QuickTime Animation ARGB, ProRes 4444 with alpha), read with ffmpeg's
    libraries frame by frame, in order: a frame asked for again soon is kept (the last `cache`), an earlier one
    is sought back to. Made ready to blend (`ready`), its frames are kept while they fit in `keep` bytes (an SD
    band is some 440 kB so: 600 frames), so that a loop's next passes are neither decoded nor converted again.
    `frames` pictures at `rate` a second; frame i goes over the input picture that falls i
    frame periods after the airing's start. Refused in one sentence (FileProblem): a file that is not one
    regular file, cannot be read as a video, has no alpha, or is not of the profile's size and rate."""

    def __init__(self, path: Path, profile: Profile, *, cache: int = 3, keep: int = KEEP):
        self.path, self.profile, self._cache_size = Path(path), profile, max(1, cache)
        self._keep, self._room = keep, keep
        self._ready: dict[int, tuple[Ready, ...]] = {}
        self._ready_for: tuple[Matrix, Chroma] | None = None
        self._size = 0  # bytes of the last frame made ready
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

    def ready(self, i: int, matrix: Matrix, chroma: Chroma) -> tuple[Ready, ...]:
        """Frame i made ready to blend into pictures of `chroma` (ticker.air.blend.ready), kept while they fit; once
        they do not, good only until the next frame is asked for."""
        if self._ready_for != (matrix, chroma):
            self._ready, self._room, self._ready_for, self._size = {}, self._keep, (matrix, chroma), 0
        if i in self._ready:
            return self._ready[i]
        if self._room < self._size:  # full: made in work arrays, good until the next frame is made ready
            return ready(self.frame(i), self.area(i), matrix, chroma, kept=False)
        made = ready(self.frame(i), self.area(i), matrix, chroma)
        self._size = sum(r.nbytes for r in made)
        if self._size <= self._room:
            self._ready[i], self._room = made, self._room - self._size
        return made

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
                self._areas[i] = area_where(lit > 0, lambda t, b: ((words[t:b] >> shift) & 0xFF) > 0)
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
            self._areas[i] = area_where(np.bitwise_or.reduce(alpha, axis=1) > 0, lambda t, b: alpha[t:b] > 0)
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
