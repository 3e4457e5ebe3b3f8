"""Refusing an output before anything is written: what its format refuses at its profile with the delivery
and the options, and what its target does not take, all of them in parts (ticker.errors.Refusal); the
sentence the command line prints names the option."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ticker.errors import Refusal, Refused
from ticker.media.formats.base import Format
from ticker.media.formats.delivery import Delivery
from ticker.media.profiles import Profile
from ticker.media.targets import TARGETS


class Made(Protocol):
    """What `check_output` needs to know of an output (ticker.campaign.config.Output)."""

    @property
    def profile(self) -> Profile: ...

    @property
    def format(self) -> Format: ...

    @property
    def target(self) -> str | None: ...

    @property
    def fill(self) -> str: ...


def said(refusal: Refusal) -> str:
    """The refusal as the command line says it, naming its option (--format, --video-bitrate, --over,
    --target), without the full stop."""
    r, fmt = refusal, refusal.facts.get("format")
    if r.key == "video_bitrate":
        assert isinstance(r.value, int)
        return f"--video-bitrate {r.value / 1e6:g}M: {r.reason}"
    if r.why == "needs-programme":
        return f"--format {fmt} {r.reason}: give it with --over FILE"
    if r.why == "overlay":
        return f"--over: --format {fmt} {r.reason}"
    if r.key == "format":
        return f"--format {r.value}{':' if r.why == 'mpeg2-level' else ''} {r.reason}"
    return f"--{r.key.replace('_', '-')} {r.value}: {r.reason}"


def check_output(
    output: Made, delivery: Delivery | None = None, over: Path | None = None, need_over: bool = True
) -> None:
    """Refuse (Refused, every refusal in it), before anything is written, a format that does not suit the
    profile, the target or the options. The sentence says the first."""
    fmt, profile = output.format, output.profile
    refusals = fmt.refusals(profile, delivery or Delivery(), over is not None, need_over)
    if output.target is not None and (
        refusal := TARGETS[output.target].refusal(fmt.id, output.fill if fmt.pair else None)
    ):
        refusals.insert(int(fmt.progressive_only and profile.interlaced), refusal)
    if refusals:
        raise Refused(f"{said(refusals[0])}.", refusals)
