"""What a delivery format is, apart from the program that writes it: codec, pixel format, container, the
colour names it can carry, the levels and operational patterns it must keep to, how its files are named and
handed over, and the note ticker writes into a file about itself (read back by `ticker qc`).

`ticker.sink` turns these into ffmpeg commands; `ticker.qc` reads the files back against them; `ticker.render`
asks `check_output` before anything is written. Nothing here runs ffmpeg.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from ticker.errors import InputError
from ticker.levels import D10_VBI, MXF_VIDEO, MxfFlavour, h264_level, mpeg2_level, mpeg2_problem
from ticker.profiles import Colour, Profile
from ticker.targets import TARGETS, Fill

PICTURE_DIGITS = 6  # NAME_000001.png: every picture of a sequence has a number of as many digits
NOTE_MUXERS = ("mov", "mp4", "webm")  # containers with a comment tag that ticker's note goes into


@dataclass(frozen=True)
class Format:
    id: str
    ext: str  # "" for a folder of numbered pictures
    codec: str
    pix_fmt: str
    alpha: bool  # the band goes over transparency (an overlay, or a fill+key pair), not over a picture
    muxer: str
    options: tuple[tuple[str, str], ...] = ()
    pipe_fmt: str = "rgba"  # byte order of the pictures sent: the codec's own where it takes RGB
    threaded: bool = True  # the encoder uses every core by itself
    interlaced_flags: str = ""  # codec flags for interlaced coding at 1080i and 576i
    copyable: bool = False  # every encoded run of pictures can be cut and joined by stream copy, picture-exact
    sliced: bool = False  # coded in independent slices: a picture is assembled from the band's encoded rows
    pair: bool = False  # a fill file NAME and a key file NAME_A (alpha as luma)
    progressive_only: bool = False
    burn: bool = False  # over a programme given with --over, keeping its sound
    # (field, name, the name written instead): what the file can say of its colour, where it differs
    colour_names: tuple[tuple[str, str, str], ...] = ()

    def colour(self, profile: Profile) -> Colour:
        """The colour the file says it has: the profile's, in the names this format can carry."""
        c = profile.colour
        return replace(c, **{f: to for f, name, to in self.colour_names if getattr(c, f) == name})

    def sar(self, profile: Profile) -> Fraction:
        """The sample aspect ratio given to ffmpeg for this format. PNG's pHYs holds pixels per unit along X and
        Y, so a pixel's aspect is Y/X (libpng, Pillow), but ffmpeg's PNG encoder writes the SAR's numerator as
        X: it is given the inverse, to write a 64:45 pixel as X=45, Y=64."""
        return 1 / profile.sar if self.codec == "png" else profile.sar

    @property
    def channels(self) -> tuple[int, ...]:
        """Where R, G, B and A go in a piped pixel."""
        return tuple(self.pipe_fmt.index(c) for c in "rgba")

    @property
    def yuv(self) -> bool:
        return self.pix_fmt.startswith("yuv")

    @property
    def stored_alpha(self) -> bool:
        """The file itself carries an alpha channel."""
        return self.alpha and not self.pair

    @property
    def is_sequence(self) -> bool:
        """A folder of numbered pictures, not one file."""
        return self.muxer == "image2"

    @property
    def is_mxf(self) -> bool:
        return self.muxer == "mxf"

    @property
    def carries_note(self) -> bool:
        """The container has a comment tag for ticker's note."""
        return self.muxer in NOTE_MUXERS

    def mxf(self, profile: Profile) -> MxfFlavour | None:
        """The MXF pattern written at the profile (None: not an MXF format, or not made at that profile)."""
        return MXF_VIDEO.get(profile.id) if self.is_mxf else None

    def vbi_lines(self, profile: Profile) -> int:
        """Lines stored above the picture: the VBI of an IMX (D-10) frame, which decoders return too."""
        flavour = self.mxf(profile)
        return D10_VBI if flavour is not None and flavour.d10 else 0

    def audio_streams(self, profile: Profile, programme: Programme | None) -> int:
        """Sound streams the file holds: MXF's silent tracks, the programme's sound burned in with it."""
        if (flavour := self.mxf(profile)) is not None:
            return flavour.audio_tracks
        if self.burn:
            return int(programme is not None and programme.audio and not programme.still)
        return 0

    def note(self, profile: Profile, frames: int, loop: bool, fill: str, version: str) -> str:
        """What ticker writes into the file about itself, read back by `read_note`."""
        return f"ticker {version} profile={profile.id} format={self.id} frames={frames} loop={int(loop)}" + (
            f" fill={fill}" if self.pair else ""
        )

    def problems(self, profile: Profile, delivery: Delivery, over: bool, need_over: bool = True) -> list[str]:
        """Why this format cannot be made at the profile with these options (over: a programme is given; with
        `need_over` False a burned-in format may be checked without one)."""
        found = []
        if self.progressive_only and profile.interlaced:
            found.append(f"--format {self.id} is for progressive profiles; {profile.id} is interlaced")
        if self.is_mxf and self.mxf(profile) is None:
            found.append(
                f"--format {self.id} is made at 1080i50 (XDCAM HD422) and 576i50 or 576i50-4x3 (IMX50), "
                f"not at {profile.id}"
            )
        if self.burn:
            rate = delivery.bitrate(self, profile)
            if self.codec == "mpeg2video" and (problem := mpeg2_problem(profile)):
                found.append(f"--format {self.id}: {problem}; ts-h264 carries it")
            elif self.codec == "mpeg2video" and rate > (level := mpeg2_level(profile)).bitrate:
                found.append(
                    f"--video-bitrate {rate / 1e6:g}M: MPEG-2 at {profile.id} ({level}) allows at most "
                    f"{level.bitrate / 1e6:g}M"
                )
            if self.codec == "libx264" and h264_level(profile, rate) is None:
                found.append(
                    f"--video-bitrate {rate / 1e6:g}M: no H.264 High level allows it at {profile.id}"
                    + (" (interlaced coding stops at level 4.1, 62.5M)" if profile.interlaced else "")
                )
            if not over and need_over:
                found.append(f"--format {self.id} burns the crawl into a programme: give it with --over FILE")
        elif over:
            found.append(f"--over: --format {self.id} is an overlay; the programme goes under ts-h264 or ts-mpeg2")
        return found

    def sequence_problem(self, frames: int, first_picture: int) -> str | None:
        """Why a picture sequence of `frames` pictures cannot be numbered (None: it can, or this is a file)."""
        if self.is_sequence and first_picture + frames > 10**PICTURE_DIGITS:
            return (
                f"{frames} pictures are more than a sequence of {PICTURE_DIGITS}-digit numbers holds; make "
                f"the clip shorter or use qtrle"
            )
        return None


def read_note(comment: str) -> dict[str, str]:
    """The fields of ticker's note (profile, format, frames, loop, fill); {} for a comment ticker did not write."""
    return dict(re.findall(r"(\w+)=(\S+)", comment)) if comment.startswith("ticker") else {}


# A ProRes frame header (SMPTE RDD 36) carries the transfer in BT.709 numbering (the BT.601 curve is the same
# one) and the matrix as BT.709, BT.601 (smpte170m, the same coefficients as the 625-line bt470bg) or BT.2020;
# prores_aw writes 0 for any other name, which decoders read as "GBR, reserved". So SD ProRes says 5/1/6 in
# its frame headers and in the MOV's colr atom alike, as Apple's own PAL ProRes files do.
PRORES_COLOUR = (("transfer", "smpte170m", "bt709"), ("matrix", "bt470bg", "smpte170m"))
# PNG: ffmpeg writes sRGB (with its cHRM and gAMA) for BT.709 primaries with the sRGB curve, and otherwise a
# cICP chunk (PNG Third Edition) for any known transfer, which pngcheck 3.0.3 and libpng before 1.6.45 do not
# know. HD pictures say sRGB: graphics are drawn and inserted as sRGB code values. SD pictures say their EBU
# primaries in cHRM and no transfer.
PNG_COLOUR = (("transfer", "bt709", "iec61966-2-1"), ("transfer", "smpte170m", "unknown"))

FORMATS: Mapping[str, Format] = MappingProxyType(
    {
        f.id: f
        for f in (
            Format(
                "prores4444",
                ".mov",
                "prores_aw",
                "yuva444p10le",
                True,
                "mov",
                (("profile:v", "4"), ("vendor", "apl0")),
                interlaced_flags="+ildct",
                copyable=True,
                sliced=True,
                colour_names=PRORES_COLOUR,
            ),
            Format("qtrle", ".mov", "qtrle", "argb", True, "mov", pipe_fmt="argb", threaded=False, copyable=True),
            Format("png", "", "png", "rgba", True, "image2", copyable=True, colour_names=PNG_COLOUR),
            Format(
                "h264",
                ".mp4",
                "libx264",
                "yuv420p",
                False,
                "mp4",
                (("preset", "fast"), ("crf", "18"), ("movflags", "+faststart")),
                interlaced_flags="+ildct+ilme",
            ),
            # previews for web pages and approvers (ticker preview; not a delivery format)
            Format(
                "preview",
                ".mp4",
                "libx264",
                "yuv420p",
                False,
                "mp4",
                (("preset", "veryfast"), ("crf", "23"), ("movflags", "+faststart")),
            ),
            Format(
                "fillkey",
                ".mov",
                "prores_aw",
                "yuv422p10le",
                True,
                "mov",
                (("profile:v", "3"), ("vendor", "apl0")),
                interlaced_flags="+ildct",
                copyable=True,
                sliced=True,
                pair=True,
                colour_names=PRORES_COLOUR,
            ),
            Format(
                "mxf-fillkey", ".mxf", "mpeg2video", "yuv422p", True, "mxf", interlaced_flags="+ildct+ilme", pair=True
            ),
            Format("ts-h264", ".ts", "libx264", "yuv420p", False, "mpegts", interlaced_flags="+ildct+ilme", burn=True),
            Format(
                "ts-mpeg2", ".ts", "mpeg2video", "yuv420p", False, "mpegts", interlaced_flags="+ildct+ilme", burn=True
            ),
            Format(
                "vp9",
                ".webm",
                "libvpx-vp9",
                "yuva420p",
                True,
                "webm",
                (("b:v", "0"), ("crf", "24"), ("deadline", "good"), ("cpu-used", "4"), ("row-mt", "1"), ("g", "50")),
                progressive_only=True,
            ),
        )
    }
)  # read-only: nothing registers a profile, format or target at run time
PREVIEW = "preview"  # the format of previews, not offered for delivery
DELIVERY_FORMATS = tuple(f for f in FORMATS if f != PREVIEW)  # what a campaign's outputs may name


def key_path(path: Path) -> Path:
    """The key file that goes with a fill file: NAME_A beside NAME (CasparCG's naming)."""
    return path.with_name(f"{path.stem}_A{path.suffix}")


def fill_path(key: Path) -> Path:
    """The fill file of a key file NAME_A."""
    return key.with_name(key.stem.removesuffix("_A") + key.suffix)


@dataclass(frozen=True)
class Placement:
    """Where the band goes: a `width` × `height` band at line `y` of the profile's picture."""

    width: int
    height: int
    y: int


AUDIO_CODECS = ("mp2", "aac", "ac3")


@dataclass(frozen=True)
class Delivery:
    """How a file is handed over, beside its format: the pair's fill, the transport stream's service and
    PIDs, the bit rates, the timecode, and what ticker notes in the file about itself."""

    fill: Fill = "premultiplied"  # of a fill+key pair
    service_name: str = "ticker"
    service_provider: str = "ticker"
    service_id: int = 1
    pmt_pid: int = 0x1000
    video_pid: int = 0x100
    audio_pid: int = 0x101
    audio_codec: str = "mp2"  # mp2 | aac | ac3
    audio_bitrate: int = 192_000
    video_bitrate: int | None = None  # default: by codec and picture size
    timecode: str = "10:00:00:00"
    comment: str = ""
    first_picture: int = 1  # the number of a picture sequence's first file (MediaConvert's start at 0)

    def bitrate(self, fmt: Format, profile: Profile) -> int:
        if self.video_bitrate:
            return self.video_bitrate
        return {
            ("libx264", True): 12_000_000,
            ("libx264", False): 4_000_000,
            ("mpeg2video", True): 18_000_000,
            ("mpeg2video", False): 6_000_000,
        }[fmt.codec, profile.hd]


@dataclass(frozen=True)
class Programme:
    """A programme picture to burn the crawl into: a video (with its sound, if any) or a still picture."""

    path: Path
    still: bool
    width: int
    height: int
    rate: Fraction | None  # frames per second of a video
    field_order: str  # progressive | tt | bb | tb | bt (as ffmpeg names it)
    frames: int | None  # of a video, at its own rate
    audio: bool

    def frames_at(self, profile: Profile) -> int:
        """Whole frames of the profile in a video programme's length."""
        assert self.frames is not None and self.rate is not None, "a still picture has no length"
        return max(1, int(Fraction(self.frames) / self.rate * profile.rate))


class Made(Protocol):
    """What `check_output` needs to know of an output (ticker.config.Output)."""

    @property
    def profile(self) -> Profile: ...

    @property
    def format(self) -> Format: ...

    @property
    def target(self) -> str | None: ...

    @property
    def fill(self) -> str: ...


def check_output(
    output: Made, delivery: Delivery | None = None, over: Path | None = None, need_over: bool = True
) -> None:
    """Refuse, before anything is written, a format that does not suit the profile, the target or the options."""
    fmt, profile = output.format, output.profile
    problems = fmt.problems(profile, delivery or Delivery(), over is not None, need_over)
    if output.target is not None and (
        problem := TARGETS[output.target].problem(fmt.id, output.fill if fmt.pair else None)
    ):
        problems.insert(int(fmt.progressive_only and profile.interlaced), f"--target {output.target}: {problem}")
    if problems:
        raise InputError(f"{problems[0]}.")
