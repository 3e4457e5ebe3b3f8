"""QuickTime Animation (qtrle): lossless run-length coded ARGB in QuickTime, the file MediaConvert and
Elemental Live take. A file is assembled from an encode of the band's lines alone (ticker.encode.qtrle); encoded
whole (--straight), its encoder uses one core, so long clips are encoded in parallel runs joined by stream
copy."""

from __future__ import annotations

from dataclasses import dataclass

from ticker.media.formats.base import Format

QTRLE_GOP = 12  # a key frame every 12: ffmpeg's default, asked for by name (ticker.encode.qtrle assembles on it)


@dataclass(frozen=True)
class Qtrle(Format):
    codec = "qtrle"
    muxer = "mov"
    carries_note = True
    line_coded = True
