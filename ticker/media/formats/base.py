"""What every delivery format answers, whatever codes it: the interface each codec family's class (one module
each, registered in ticker.media.formats.table) fills in, in the spirit of imageio's v3 plugins.

A format says what it refuses at a profile with a delivery (`refusals`), its encoder's and muxer's options as
plain data (`encoder`, `repeated`, `sound`, `silence`: ticker.encode.ffmpeg_args writes them into ffmpeg's argument
list), its bit rate, its pixels' aspect as its encoder takes it (`sar`), and what its decoded pictures must be
(`pix_fmt`, `stored_alpha`, `yuv`, `vbi_lines`, `alpha_decoder`: ticker.qc.decode reads the files back against them).
The fields are what differs between the formats of one family; the class attributes are the family's own.
Nothing here runs ffmpeg.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import ClassVar

from ticker.errors import Refusal
from ticker.media.formats.delivery import PICTURE_DIGITS, Delivery, Programme
from ticker.media.profiles import Colour, Profile

BURNED = "ts-h264 or ts-mpeg2"  # the formats a programme goes under, as a refusal names them


@dataclass(frozen=True)
class Silence:
    """Silent sound tracks a file must carry (the ones playout servers expect): how many, and each one's
    channel layout."""

    tracks: int
    layout: str


@dataclass(frozen=True)
class Format:
    id: str
    ext: str  # "" for a folder of numbered pictures
    pix_fmt: str
    alpha: bool  # the band goes over transparency (an overlay, or a fill+key pair), not over a picture
    options: tuple[tuple[str, str], ...] = ()  # the encoder's own, as ffmpeg names them
    pipe_fmt: str = "rgba"  # byte order of the pictures sent: the codec's own where it takes RGB
    threaded: bool = True  # the encoder uses every core by itself
    interlaced_flags: str = ""  # codec flags for interlaced coding at 1080i and 576i
    copyable: bool = False  # every encoded run of pictures can be cut and joined by stream copy, picture-exact
    sliced: bool = False  # coded in independent slices or lines: a picture is assembled from the band's encoded ones
    pair: bool = False  # a fill file NAME and a key file NAME_A (alpha as luma)
    progressive_only: bool = False
    # (field, name, the name written instead): what the file can say of its colour, where it differs
    colour_names: tuple[tuple[str, str, str], ...] = ()

    codec: ClassVar[str]  # ffmpeg's encoder
    muxer: ClassVar[str]  # ffmpeg's muxer
    burn: ClassVar[bool] = False  # over a programme given with --over, keeping its sound
    is_sequence: ClassVar[bool] = False  # a folder of numbered pictures, not one file
    carries_note: ClassVar[bool] = False  # the container has a comment tag for ticker's note
    # (the stream's codec as decoders name it, the decoder that keeps its alpha) where ffmpeg's own drops it
    alpha_decoder: ClassVar[tuple[str, str] | None] = None
    # each line coded on its own, not in slices of rows (qtrle): assembled from exactly the lines that move, and
    # not every frame a key frame
    line_coded: ClassVar[bool] = False

    def colour(self, profile: Profile) -> Colour:
        """The colour the file says it has: the profile's, in the names this format can carry."""
        c = profile.colour
        return replace(c, **{f: to for f, name, to in self.colour_names if getattr(c, f) == name})

    def sar(self, profile: Profile) -> Fraction:
        """The sample aspect ratio given to ffmpeg for this format."""
        return profile.sar

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

    def made_at(self, profile: Profile) -> bool:
        """The family has a coding at the profile (progressive-only formats aside: see `refusals`)."""
        return True

    def bitrate(self, profile: Profile, delivery: Delivery) -> int | None:
        """The video's bit rate (None: not coded at a set rate)."""
        return None

    def silence(self, profile: Profile) -> Silence | None:
        """The silent sound tracks the file carries at the profile (None: none)."""
        return None

    def vbi_lines(self, profile: Profile) -> int:
        """Lines stored above the picture, which decoders return too."""
        return 0

    def audio_streams(self, profile: Profile, programme: Programme | None) -> int:
        """Sound streams the file holds."""
        silence = self.silence(profile)
        return silence.tracks if silence is not None else 0

    def encoder(self, profile: Profile, delivery: Delivery) -> dict[str, str]:
        """The encoder's and the muxer's options for the video, as ffmpeg names them."""
        out = {**dict(self.options), "c:v": self.codec, "pix_fmt": self.pix_fmt, "f": self.muxer}
        if profile.interlaced and self.interlaced_flags:
            out["flags"] = self.interlaced_flags
        return out

    def repeated(self, delivery: Delivery) -> list[str]:
        """Arguments given more than once (a stream's id, the service's names), written before the file's name."""
        return []

    def sound(self, delivery: Delivery) -> dict[str, str] | None:
        """The options of a programme's sound carried into the file (None: the format keeps no programme's
        sound)."""
        return None

    def note(self, profile: Profile, frames: int, loop: bool, fill: str, version: str) -> str:
        """What ticker writes into the file about itself, read back by `read_note`."""
        return f"ticker {version} profile={profile.id} format={self.id} frames={frames} loop={int(loop)}" + (
            f" fill={fill}" if self.pair else ""
        )

    def coding_refusals(self, profile: Profile, delivery: Delivery) -> list[Refusal]:
        """What the family's own coding refuses at the profile with the delivery."""
        return []

    def refusals(self, profile: Profile, delivery: Delivery, over: bool, need_over: bool = True) -> list[Refusal]:
        """Why this format cannot be made at the profile with these options (over: a programme is given; with
        `need_over` False a burned-in format may be checked without one)."""
        found = []
        if self.progressive_only and profile.interlaced:
            found.append(
                Refusal(
                    "format",
                    self.id,
                    f"is for progressive profiles; {profile.id} is interlaced",
                    "progressive-only",
                    {"profile": profile.id},
                )
            )
        found += self.coding_refusals(profile, delivery)
        if self.burn and not over and need_over:
            found.append(
                Refusal("over", None, "burns the crawl into a programme", "needs-programme", {"format": self.id})
            )
        elif not self.burn and over:
            reason = f"is an overlay; the programme goes under {BURNED}"
            found.append(Refusal("over", None, reason, "overlay", {"format": self.id}))
        return found

    def sequence_problem(self, frames: int, first_picture: int) -> str | None:
        """Why a picture sequence of `frames` pictures cannot be numbered (None: it can, or this is a file)."""
        if self.is_sequence and first_picture + frames > 10**PICTURE_DIGITS:
            return (
                f"{frames} pictures are more than a sequence of {PICTURE_DIGITS}-digit numbers holds; make "
                f"the clip shorter or use qtrle"
            )
        return None
