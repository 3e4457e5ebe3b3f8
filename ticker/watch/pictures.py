"""Decoded pictures as the matcher reads them: the planes as the decoder gave them, without a copy or a
conversion for the usual 8-bit Y'CbCr formats, and a picture kept as evidence as a PNG."""

from __future__ import annotations

import io

import av
import numpy as np

from ticker.watch.match import Picture

PLANAR_8BIT = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "yuv411p", "nv12", "gray"}


def _plane(frame: av.VideoFrame, k: int) -> np.ndarray:
    plane = frame.planes[k]
    lines = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(plane.height, plane.line_size)
    return lines[:, : plane.width]


def luma_of(frame: av.VideoFrame) -> np.ndarray:
    """The picture's Y plane as it was decoded (any format but the usual 8-bit ones is converted to grey)."""
    return _plane(frame, 0) if frame.format.name in PLANAR_8BIT else frame.to_ndarray(format="gray")


def picture_of(frame: av.VideoFrame) -> Picture:
    """The decoded picture's planes, as they are (its Cb and Cr too when it is planar Y'CbCr of 8 bits)."""
    name = frame.format.name
    if name not in PLANAR_8BIT or name in ("gray", "nv12") or len(frame.planes) < 3:
        return Picture(luma_of(frame))
    luma, cb, cr = _plane(frame, 0), _plane(frame, 1), _plane(frame, 2)
    return Picture(luma, (cb, cr), (-(-luma.shape[1] // cb.shape[1]), -(-luma.shape[0] // cb.shape[0])))


def png(frame: av.VideoFrame) -> bytes:
    out = io.BytesIO()
    frame.to_image().save(out, "PNG", compress_level=3)  # a third faster than 6, an eighth larger
    return out.getvalue()
