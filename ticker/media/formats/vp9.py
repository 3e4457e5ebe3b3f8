"""VP9 with alpha in WebM (libvpx-vp9), for web pages and players that key it themselves. libvpx codes alpha
in a second stream beside the picture, which only libvpx's own decoder reads: ffmpeg's VP9 decoder drops it."""

from __future__ import annotations

from dataclasses import dataclass

from ticker.media.formats.base import Format


@dataclass(frozen=True)
class Vp9(Format):
    codec = "libvpx-vp9"
    muxer = "webm"
    carries_note = True
    alpha_decoder = ("vp9", "libvpx-vp9")
