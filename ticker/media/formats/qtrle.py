"""QuickTime Animation (qtrle): lossless run-length coded ARGB in QuickTime, the file MediaConvert and
Elemental Live take. Its encoder uses one core, so long clips are encoded in parallel runs joined by stream
copy."""

from __future__ import annotations

from dataclasses import dataclass

from ticker.media.formats.base import Format


@dataclass(frozen=True)
class Qtrle(Format):
    codec = "qtrle"
    muxer = "mov"
    carries_note = True
