"""A campaign's outputs as the commands make them, and the names of their files."""

from __future__ import annotations

import re
from dataclasses import replace

from ticker.campaign.config import Campaign, Output
from ticker.errors import ConfigError
from ticker.media import FORMATS, PROFILES, Fill
from ticker.media.formats import Programme
from ticker.media.targets import fill_for

NAME_MAX = 255  # bytes of a file name on every file system playout folders live on (ext4, XFS, NTFS, SMB)
# A file is written as .NAME.<16 hex>.partial (ticker.files.publish), the runs of a parallel encode as ….seg{k},
# the key of a pair as NAME_A, a picture of a sequence as NAME_000000.png: room for all of them, and to spare.
TEMPORARY_ROOM = 40


def file_name(campaign: Campaign, output: Output, programme: Programme | None = None) -> str:
    """{campaign}[_{style}]_{profile}_{format}[_straight][_{target}]_{loop|Ns|over-PROGRAMME[_loop|_Ns]}{ext}:
    outputs that differ in anything but the text get different names. Over a video, the length is the
    programme's."""
    fmt = output.format
    timing = (
        "loop"
        if output.loop
        else f"{output.passes}pass" + "es" * (output.passes != 1)
        if output.passes
        else f"{output.seconds:.3f}".rstrip("0").rstrip(".") + "s"
    )
    if programme is not None:
        over = f"over-{re.sub(r'[^A-Za-z0-9.-]+', '-', programme.path.stem)}"
        timing = f"{over}_{timing}" if programme.still else over
    styled = f"_{output.style}" if output.style else ""
    fill = "_straight" if fmt.pair and output.fill == "straight" else ""
    target = f"_{output.target}" if output.target else ""
    name = f"{campaign.name}{styled}_{output.profile.id}_{fmt.id}{fill}{target}_{timing}{fmt.ext}"
    if len(name.encode()) > NAME_MAX - TEMPORARY_ROOM:
        raise ConfigError(
            f"{campaign.path}: the file name {name[:24]}… would be {len(name.encode())} characters, and its "
            f"temporary name some {TEMPORARY_ROOM} more, past the file system's limit of {NAME_MAX}; "
            f"make campaign.name shorter."
        )
    return name


def outputs_for(
    campaign: Campaign,
    *,
    profile: str | None = None,
    fmt: str | None = None,
    loop: bool = False,
    seconds: float | None = None,
    fill: Fill | None = None,
    target: str | None = None,
) -> list[Output]:
    """The campaign's outputs, with what the command line overrides; a campaign without any gets one
    1080i50 ProRes 4444 loop. A target given without a fill sets the fill it needs."""
    base = list(campaign.outputs) or [
        Output(profile=PROFILES["1080i50"], format=FORMATS["prores4444"], loop=True, seconds=None)
    ]
    result: list[Output] = []
    fill = fill_for(target, fill)
    for o in base:
        o = replace(
            o,
            profile=PROFILES[profile] if profile else o.profile,
            format=FORMATS[fmt] if fmt else o.format,
            fill=fill or o.fill,
            target=target or o.target,
        )
        if loop or seconds is not None:
            o = replace(o, loop=loop, seconds=seconds, passes=None, slots=False)
        if o not in result:
            result.append(o)
    return result
