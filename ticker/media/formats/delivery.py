"""How a file is handed over, beside its format: the delivery's options (a pair's fill, the transport stream's
service and PIDs, the bit rates, the timecode, the note), where the band goes, the programme a crawl is burned
into, and how files and pictures are named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal, get_args

from ticker.media.profiles import Profile
from ticker.media.targets import Fill

PICTURE_DIGITS = 6  # NAME_000001.png: every picture of a sequence has a number of as many digits

AudioCodec = Literal["mp2", "aac", "ac3"]
AUDIO_CODECS: tuple[AudioCodec, ...] = get_args(AudioCodec)
FieldOrder = Literal["progressive", "tt", "bb", "tb", "bt", "unknown"]  # as ffmpeg names it


def key_path(path: Path) -> Path:
    """The key file that goes with a fill file: NAME_A beside NAME (CasparCG's naming)."""
    return path.with_name(f"{path.stem}_A{path.suffix}")


def fill_path(key: Path) -> Path:
    """The fill file of a key file NAME_A."""
    return key.with_name(key.stem.removesuffix("_A") + key.suffix)


def read_note(comment: str) -> dict[str, str]:
    """The fields of ticker's note (profile, format, frames, loop, fill); {} for a comment ticker did not write."""
    return dict(re.findall(r"(\w+)=(\S+)", comment)) if comment.startswith("ticker") else {}


@dataclass(frozen=True)
class Placement:
    """Where the band goes: a `width` × `height` band at line `y` of the profile's picture."""

    width: int
    height: int
    y: int


@dataclass(frozen=True)
class Delivery:
    """How a file is handed over, beside its format: the pair's fill, the transport stream's service and
    PIDs, the bit rates, the timecode, and what ticker notes in the file about itself."""

    fill: Fill = "premultiplied"
    service_name: str = "ticker"
    service_provider: str = "ticker"
    service_id: int = 1
    pmt_pid: int = 0x1000
    video_pid: int = 0x100
    audio_pid: int = 0x101
    audio_codec: AudioCodec = "mp2"
    audio_bitrate: int = 192_000
    video_bitrate: int | None = None  # default: the format's own, by picture size
    timecode: str = "10:00:00:00"
    comment: str = ""
    first_picture: int = 1  # the number of a picture sequence's first file (MediaConvert's start at 0)


@dataclass(frozen=True)
class Programme:
    """A programme picture to burn the crawl into: a video (with its sound, if any) or a still picture."""

    path: Path
    still: bool
    width: int
    height: int
    rate: Fraction | None  # frames per second of a video
    field_order: FieldOrder
    frames: int | None  # of a video, at its own rate
    audio: bool

    def frames_at(self, profile: Profile) -> int:
        """Whole frames of the profile in a video programme's length."""
        assert self.frames is not None and self.rate is not None, "a still picture has no length"
        return max(1, int(Fraction(self.frames) / self.rate * profile.rate))
