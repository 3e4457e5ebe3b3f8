"""Inserter targets: what the device or service that plays an overlay takes, and how it wants it named.

An `[[output]] target` (or `ticker render --target`) makes the files the way that inserter reads them and
refuses, before anything is encoded, a format it does not take. The rules come from each vendor's own
documentation or source code (the README has the table, with the sources):

- CasparCG Server plays clips through its ffmpeg producer and finds the key of a clip NAME as NAME_A (then
  NAME_ALPHA) beside it, keying the fill as straight colour; it plays no picture sequences (2.3, 2.4) and keeps
  the alpha of WebM files only from 2.5.
- AWS Elemental MediaConvert's motion image inserter takes QuickTime Animation (RLE) .mov files and series
  of PNG files with alpha whose numbering starts at zero, every name with the same number of digits.
- AWS Elemental Live's motion graphic overlay takes .mov files in QuickTime RLE at the frame rate of the
  channel (ticker writes every file at its profile's rate: give it the channel's profile) and series of PNG
  files, every name with the same number of digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

from ticker.errors import Refusal

Fill = Literal["premultiplied", "straight"]  # of a fill+key pair: premultiplied (shaped) or straight
FILLS: tuple[Fill, ...] = get_args(Fill)


@dataclass(frozen=True)
class Target:
    id: str
    name: str  # as its maker names it
    formats: tuple[str, ...]  # what it takes
    refusal_reason: str  # why other formats are refused, after "{name} "
    first_picture: int = 1  # the number of a picture sequence's first file
    fill: Fill | None = None  # the fill a fill+key pair must have

    def problem(self, fmt: str, fill: str | None = None) -> str | None:
        """Why this target cannot take a file of format `fmt` with that fill (None: not said), or None."""
        refused = self.refusal(fmt, fill)
        return None if refused is None else refused.reason

    def refusal(self, fmt: str, fill: str | None = None) -> Refusal | None:
        """The same, in parts: the target refused (`target-format`, `target-fill`), the reason after its id."""
        facts: dict[str, object] = {"format": fmt, "fill": fill}
        if fmt not in self.formats:
            *others, last = self.formats
            reason = f"{self.name} {self.refusal_reason}; use {', '.join(others)} or {last}, not {fmt}"
            return Refusal("target", self.id, reason, "target-format", facts)
        if self.fill is not None and fill is not None and fill != self.fill:
            reason = f"{self.name} keys a fill+key pair as {self.fill} fill; leave fill out or set it to {self.fill}"
            return Refusal("target", self.id, reason, "target-fill", facts)
        return None


TARGETS: Mapping[str, Target] = MappingProxyType(
    {
        t.id: t
        for t in (
            Target(
                "casparcg",
                "CasparCG Server",
                ("prores4444", "qtrle", "fillkey", "mxf-fillkey"),
                "keys clips with alpha or a NAME_A key beside them (it plays no picture sequences, and WebM "
                "alpha only from 2.5)",
                fill="straight",
            ),
            Target(
                "mediaconvert",
                "AWS Elemental MediaConvert",
                ("qtrle", "png"),
                "inserts QuickTime Animation (RLE) .mov files and PNG sequences numbered from zero",
                first_picture=0,
            ),
            Target(
                "elemental-live",
                "AWS Elemental Live",
                ("qtrle", "png"),
                "overlays QuickTime RLE .mov files at the channel's frame rate and PNG sequences",
            ),
        )
    }
)  # read-only: nothing registers a profile, format or target at run time


def fill_for(target: str | None, fill: Fill | None) -> Fill | None:
    """The fill asked for, or else the one the target needs (None: neither says)."""
    return fill or (TARGETS[target].fill if target else None)
