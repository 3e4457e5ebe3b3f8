"""Encoders: an ffmpeg process fed band pictures through a pipe. The only module that knows ffmpeg-python.

ffmpeg places the band in the full picture (pad, or overlay on a background), tags field order, SAR and
colour, converts to the codec's pixel format and encodes. The renderer talks to a sink through four calls:
`order(count)` (the order in which it wants the pictures), `write(picture, index)`, `close()` (flush, wait,
check the exit status) and `abort()`; a sink is a context manager that aborts when the block raises.
Pictures go to ffmpeg from a writer thread through a bounded queue, so the blitter fills the next picture
while the pipe drains.
"""

from __future__ import annotations

import bisect
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import ffmpeg
import imageio_ffmpeg
import numpy as np

from ticker.errors import EncodeError
from ticker.profiles import Colour, Profile

QUEUE_DEPTH = 4
MIN_SEGMENT = 250  # frames: shorter clips are not worth a second process
PICTURE_DIGITS = 6  # NAME_000001.png: every picture of a sequence has a number of as many digits


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

FORMATS: dict[str, Format] = {
    f.id: f
    for f in (
        Format("prores4444", ".mov", "prores_aw", "yuva444p10le", True, "mov",
               (("profile:v", "4"), ("vendor", "apl0")), interlaced_flags="+ildct", copyable=True,
               colour_names=PRORES_COLOUR),
        Format("qtrle", ".mov", "qtrle", "argb", True, "mov", pipe_fmt="argb", threaded=False, copyable=True),
        Format("png", "", "png", "rgba", True, "image2", copyable=True, colour_names=PNG_COLOUR),
        Format("h264", ".mp4", "libx264", "yuv420p", False, "mp4",
               (("preset", "fast"), ("crf", "18"), ("movflags", "+faststart")), interlaced_flags="+ildct+ilme"),
        # previews for web pages and approvers (ticker preview; not a delivery format)
        Format("preview", ".mp4", "libx264", "yuv420p", False, "mp4",
               (("preset", "veryfast"), ("crf", "23"), ("movflags", "+faststart"))),
        Format("fillkey", ".mov", "prores_aw", "yuv422p10le", True, "mov",
               (("profile:v", "3"), ("vendor", "apl0")), interlaced_flags="+ildct", copyable=True, pair=True,
               colour_names=PRORES_COLOUR),
        Format("mxf-fillkey", ".mxf", "mpeg2video", "yuv422p", True, "mxf", interlaced_flags="+ildct+ilme",
               pair=True),
        Format("ts-h264", ".ts", "libx264", "yuv420p", False, "mpegts", interlaced_flags="+ildct+ilme", burn=True),
        Format("ts-mpeg2", ".ts", "mpeg2video", "yuv420p", False, "mpegts", interlaced_flags="+ildct+ilme",
               burn=True),
        Format("vp9", ".webm", "libvpx-vp9", "yuva420p", True, "webm",
               (("b:v", "0"), ("crf", "24"), ("deadline", "good"), ("cpu-used", "4"), ("row-mt", "1"),
                ("g", "50")), progressive_only=True),
    )
}


def key_path(path: Path) -> Path:
    """The key file that goes with a fill file: NAME_A beside NAME (CasparCG's naming)."""
    return path.with_name(f"{path.stem}_A{path.suffix}")


def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


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

    fill: str = "premultiplied"  # fill of a fill+key pair: premultiplied (shaped) or straight
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
        return {("libx264", True): 12_000_000, ("libx264", False): 4_000_000,
                ("mpeg2video", True): 18_000_000, ("mpeg2video", False): 6_000_000}[fmt.codec, profile.hd]


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


@dataclass(frozen=True)
class Job:
    """Everything an ffmpeg command needs besides the files it writes."""

    fmt: Format
    profile: Profile
    band: Placement
    background: tuple[int, int, int] | Path | Programme | None = None
    delivery: Delivery = Delivery()


# H.264 levels (ITU-T H.264 Table A-1; High profile bit rates are 1.25 times the table's): name, frame size and
# macroblocks a second it allows, bit rate; interlaced coding (frame_mbs_only_flag = 0) only from 2.1 to 4.1.
H264_LEVELS = (("3.0", 1620, 40_500, 12_500_000), ("3.1", 3600, 108_000, 17_500_000),
               ("3.2", 5120, 216_000, 25_000_000), ("4.0", 8192, 245_760, 25_000_000),
               ("4.1", 8192, 245_760, 62_500_000), ("4.2", 8704, 522_240, 62_500_000),
               ("5.0", 22_080, 589_824, 168_750_000))


def h264_level(profile: Profile, bitrate: int) -> str | None:
    """The lowest H.264 level that holds the picture size, rate and bit rate (None: none does)."""
    mbs = -(-profile.width // 16) * -(-profile.height // 16)
    for name, frame_size, rate, top in H264_LEVELS:
        if profile.interlaced and name > "4.1":
            return None
        if mbs <= frame_size and mbs * profile.rate <= rate and bitrate <= top:
            return name
    return None


@dataclass(frozen=True)
class Mpeg2Level:
    """An MPEG-2 Main Profile level (ISO/IEC 13818-2 Tables 8-10 to 8-13): its upper bounds."""

    name: str
    width: int
    lines: int
    rate: int  # frames a second
    samples: int  # luma samples a second
    bitrate: int
    vbv: int  # bits

    def __str__(self) -> str:
        return f"Main Profile @ {self.name.title()} Level"


MPEG2_MAIN = Mpeg2Level("main", 720, 576, 30, 10_368_000, 15_000_000, 1_835_008)
MPEG2_HIGH = Mpeg2Level("high", 1920, 1152, 60, 62_668_800, 80_000_000, 9_781_248)


def mpeg2_level(profile: Profile) -> Mpeg2Level:
    """Main Level at SD, High Level above: the levels DVB receivers decode."""
    return MPEG2_HIGH if profile.hd else MPEG2_MAIN


def mpeg2_problem(profile: Profile) -> str | None:
    """Why MPEG-2 at the profile's level cannot carry its pictures (None: it can)."""
    level = mpeg2_level(profile)
    where = f"MPEG-2 at {profile.id} ({level})"
    samples = profile.width * profile.height * profile.rate
    if profile.width > level.width or profile.height > level.lines:
        return f"{where} holds pictures of at most {level.width}x{level.lines}, not {profile.width}x{profile.height}"
    if profile.rate > level.rate or samples > level.samples:
        return (f"{where} carries at most {level.samples / 1e6:.1f} million luma samples a second; {profile.id} "
                f"has {float(samples) / 1e6:.1f} million")
    return None


MPEG2_COMMON = {"intra_vlc": "1", "non_linear_quant": "1", "intra_dc_precision": "2",
                "qmin": "1", "qmax": "12", "lmin": "1*QP2LAMBDA", "rc_max_vbv_use": "1", "rc_min_vbv_use": "1"}
# The alternate scan suits interlaced coding only: with it ffmpeg flags every picture interlaced.
MPEG2_INTERLACED = {"alternate_scan": "1"}
D10 = dict(muxer="mxf_d10", audio=("pcm_s16le", 1, "4.0"), options={
    **MPEG2_COMMON, "profile:v": "0", "level:v": "5", "b:v": "50M", "minrate": "50M", "maxrate": "50M",
    "bufsize": "2000000", "rc_init_occupancy": "2000000", "g": "1", "bf": "0", "ps": "1",
    "flags": "+ildct+low_delay"})
MXF_VIDEO = {  # XDCAM HD422 at 1080i50 (long GOP); IMX50 (SMPTE D-10, intra) at 576i50, 16:9 or 4:3
    "1080i50": dict(muxer="mxf", audio=("pcm_s24le", 8, "mono"), options={
        **MPEG2_COMMON, "profile:v": "0", "level:v": "2", "b:v": "50M", "minrate": "50M", "maxrate": "50M",
        "bufsize": "36408333", "rc_init_occupancy": "36408333", "g": "12", "bf": "2",
        "sc_threshold": "1000000000"}),
    "576i50": D10,
    "576i50-4x3": D10,
}
D10_VBI = 32  # lines above the picture in a D-10 frame (608 lines stored for 576)
# DVB service_type of a transport stream (ETSI EN 300 468, Table 87): by codec and picture size.
SERVICE_TYPES = {("mpeg2video", False): 0x01, ("mpeg2video", True): 0x11, ("libx264", False): 0x16,
                 ("libx264", True): 0x19}


def service_type(fmt: Format, profile: Profile) -> int:
    return SERVICE_TYPES[fmt.codec, profile.hd]


def vbi_lines(fmt: Format, profile: Profile) -> int:
    """Lines stored above the picture: the VBI of an IMX (D-10) frame, which decoders return too."""
    return D10_VBI if fmt.muxer == "mxf" and MXF_VIDEO.get(profile.id, {}).get("muxer") == "mxf_d10" else 0


def build_command(job: Job, targets: list[Path], frames: int) -> list[str]:
    """The ffmpeg argument list writing `frames` pictures to `targets` (one file, or a fill and a key)."""
    fmt, profile, band = job.fmt, job.profile, job.band
    rate = str(profile.rate)
    pipe = ffmpeg.input("pipe:", format="rawvideo", pix_fmt=fmt.pipe_fmt, s=f"{band.width}x{band.height}",
                        framerate=rate)
    audio = None
    if fmt.pair:  # one picture, split: the fill (premultiplied or not) and the key (its alpha)
        # padded before conversion: ffmpeg's pad colour at 10 bits has chroma 514, not neutral 512
        video = pipe.filter("pad", width=profile.width, height=profile.height, x=0, y=band.y, color="black@0")
        if job.delivery.fill == "premultiplied":
            video = video.filter("premultiply", inplace=1)
        split = video.filter("format", "rgba").filter_multi_output("split")
        pictures = [_finish(split[0], job, None), _finish(split[1].filter("alphaextract"), job, None, key=True)]
    elif fmt.alpha:
        pictures = [_finish(pipe, job, band.y)]
    else:
        bg, audio = _background(job)
        video = ffmpeg.filter([bg, pipe], "overlay", x=0, y=band.y, shortest=1, format="gbrp",
                              eof_action="endall")
        pictures = [_finish(video, job, None)]
    if fmt.muxer == "mxf":  # the silent tracks playout servers expect
        layout = MXF_VIDEO[profile.id]["audio"][2]
        audio = ffmpeg.input(f"anullsrc=r=48000:cl={layout}:d={float(frames / profile.rate):.6f}", format="lavfi")
    outputs, repeated = [], {}
    for picture, target in zip(pictures, targets):
        node, name, more = _output(job, picture, audio, target, frames)
        outputs.append(node)
        repeated[name] = more
    args = _compile(outputs[0] if len(outputs) == 1 else ffmpeg.merge_outputs(*outputs))
    for name, more in repeated.items():  # options given more than once, which ffmpeg-python cannot write
        at = args.index(name)
        args[at:at] = more
    return args


def _finish(video, job: Job, band_y: int | None, key: bool = False):
    """Colour conversion and pixel format, then (`band_y`) the band padded into the full picture, then the SAR
    and the stream's tags. A key is its alpha as video-range luma.

    A file with alpha has the band alone converted and then padded: converting the full picture costs a third of
    a 1080 ProRes encode. The band starts on a line that is a multiple of 4, so fields and 4:2:0 chroma stay in
    place."""
    fmt, profile = job.fmt, job.profile
    c = fmt.colour(profile)
    if key:  # gray, full range → Y = 16 + 219·α
        video = video.filter("scale", in_range="pc", out_range="tv", out_color_matrix=c.matrix)
    elif fmt.yuv:
        video = video.filter("scale", out_color_matrix=c.matrix, out_range="tv",
                             interl=1 if profile.interlaced else 0)
    video = video.filter("format", fmt.pix_fmt)
    if band_y is not None:  # transparent (at 10 bits its chroma is 514 of 1023: ffmpeg's pad colour)
        video = video.filter("pad", width=profile.width, height=profile.height, x=0, y=band_y, color="black@0")
    if vbi := vbi_lines(fmt, profile):  # D-10: black lines above the picture
        video = video.filter("pad", width=profile.width, height=profile.height + vbi, x=0, y=vbi, color="black")
    sar = fmt.sar(profile)
    video = video.filter("setsar", f"{sar.numerator}/{sar.denominator}")
    return video.filter("setparams", field_mode="tff" if profile.interlaced else "prog",
                        range="tv" if fmt.yuv else "pc", color_primaries=c.primaries, color_trc=c.transfer,
                        colorspace=c.matrix)


def _output(job: Job, video, audio, target: Path, frames: int):
    fmt, profile, d = job.fmt, job.profile, job.delivery
    c = fmt.colour(profile)
    rate = str(profile.rate)
    out = dict(fmt.options)
    out.update({"c:v": fmt.codec, "pix_fmt": fmt.pix_fmt, "r": rate, "f": fmt.muxer, "frames:v": str(frames),
                "color_primaries": c.primaries, "color_trc": c.transfer,
                "colorspace": c.matrix, "color_range": "tv" if fmt.yuv else "pc"})
    if profile.interlaced and fmt.interlaced_flags:
        out["flags"] = fmt.interlaced_flags
    if profile.interlaced and fmt.codec == "mpeg2video":
        out.update(MPEG2_INTERLACED)
    if d.comment and fmt.muxer in ("mov", "mp4", "webm"):
        out["metadata"] = f"comment={d.comment}"
    streams, more = [video], []
    if fmt.muxer == "mxf":
        mxf = MXF_VIDEO[profile.id]
        out.update(mxf["options"])
        out.update({"f": mxf["muxer"], "timecode": d.timecode, "c:a": mxf["audio"][0], "ar": "48000"})
        streams += [audio.audio] * mxf["audio"][1]  # XDCAM: 8 mono tracks; D-10: one AES3 stream of 4
    elif fmt.burn:
        rate_v = d.bitrate(fmt, profile)
        out.update({"b:v": str(rate_v), "minrate": str(rate_v), "maxrate": str(rate_v), "g": "12", "bf": "2",
                    "muxrate": str(int((rate_v + d.audio_bitrate) * 1.2)), "pcr_period": "20",
                    "mpegts_flags": "+system_b", "mpegts_transport_stream_id": "1",
                    "mpegts_original_network_id": "1", "mpegts_service_id": str(d.service_id),
                    "mpegts_service_type": str(service_type(fmt, profile)),
                    "mpegts_pmt_start_pid": str(d.pmt_pid), "mpegts_start_pid": str(d.video_pid)})
        more += ["-streamid", f"0:{d.video_pid}", "-streamid", f"1:{d.audio_pid}",
                 "-metadata", f"service_name={d.service_name}", "-metadata", f"service_provider={d.service_provider}"]
        if fmt.codec == "libx264":  # interlaced coding is MBAFF, top field first
            out.update({"preset": "fast", "profile:v": "high", "level:v": h264_level(profile, rate_v),
                        "bufsize": str(rate_v // 2), "sc_threshold": "0",
                        "x264-params": ("tff=1:" if profile.interlaced else "") + "nal-hrd=cbr:force-cfr=1:weightp=0"})
        else:  # MP@ML at SD, MP@HL at HD, with their largest VBV buffers
            level = mpeg2_level(profile)
            out.update({**MPEG2_COMMON, "profile:v": "main", "level:v": level.name, "bufsize": str(level.vbv),
                        "rc_init_occupancy": str(level.vbv), "sc_threshold": "1000000000"})
        if audio is not None:
            streams.append(audio)
            out.update({"c:a": d.audio_codec, "b:a": str(d.audio_bitrate), "ar": "48000", "ac": "2"})
    if len(streams) > 1:
        out["t"] = f"{frames / float(profile.rate):.6f}"
    if fmt.muxer == "image2":
        target = target / f"{target.name.removesuffix('.partial')}_%0{PICTURE_DIGITS}d.png"
        out["start_number"] = str(d.first_picture)
    return ffmpeg.output(*streams, str(target), **out), str(target), more


def _background(job: Job):
    """The picture under the band of a file without alpha, made to the profile, and its sound (or None)."""
    profile, bg = job.profile, job.background
    rate = str(profile.rate)
    size = dict(width=profile.width, height=profile.height)
    if isinstance(bg, Programme) and not bg.still:
        src = ffmpeg.input(str(bg.path))
        return conform(src.video, bg, profile), (src["a:0"] if bg.audio else None)  # its first sound track
    if isinstance(bg, (Path, Programme)):
        path = bg.path if isinstance(bg, Programme) else bg
        # decoded and scaled once, then repeated (image2's own loop decodes the file again for every frame)
        picture = ffmpeg.input(str(path), f="image2", pattern_type="none")
        return (picture.filter("scale", **size).filter("setsar", "1").filter("loop", loop=-1, size=1)
                .filter("fps", rate)), None
    r, g, b = bg or (0, 0, 0)
    return ffmpeg.input(f"color=c=0x{r:02x}{g:02x}{b:02x}:s={profile.width}x{profile.height}:r={rate}",
                        format="lavfi"), None


def conform(video, programme: Programme, profile: Profile):
    """A programme made to the profile: its size, rate and scan (top field first when interlaced).

    A programme already at the profile's size and rate keeps its fields (bottom first is shifted to top first);
    anything else is made into pictures at the profile's motion rate (deinterlaced with bwdif when it is
    interlaced), scaled, and interlaced again when the profile is."""
    size = dict(width=profile.width, height=profile.height)
    interlaced = programme.field_order not in ("progressive", "unknown")
    same = (programme.width, programme.height) == (profile.width, profile.height) and programme.rate == profile.rate
    if same and interlaced == profile.interlaced:
        if interlaced and programme.field_order in ("bb", "bt"):
            video = video.filter("fieldorder", "tff")
        return _padded(video.filter("setsar", "1"))
    if interlaced:
        video = video.filter("bwdif", mode="send_field", parity="tff" if programme.field_order in ("tt", "tb")
                             else "bff")
    video = video.filter("fps", str(profile.motion_rate)).filter("scale", **size, flags="lanczos")
    if profile.interlaced:
        video = video.filter("interlace", scan="tff", lowpass="complex")
    return _padded(video.filter("setsar", "1"))


def _padded(video):
    """A programme a frame or two short of its computed length (rounding) still fills every frame."""
    return video.filter("tpad", stop_mode="clone", stop_duration=1)


def _compile(stream) -> list[str]:
    return stream.global_args("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error").overwrite_output() \
        .compile(cmd=ffmpeg_exe())


def _widen_pipe(pipe) -> None:
    """A pipe as large as the system allows (1 MiB by default on Linux, against 64 KiB): one band picture
    goes through in one system call instead of a dozen."""
    try:
        import fcntl

        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, min(limit, 1 << 22))
    except (ImportError, AttributeError, OSError, ValueError):
        pass  # not Linux: the default size only costs some speed


class FFmpegSink:
    """One ffmpeg process writing one file. Pictures are numpy arrays of the band's size, in pipe order."""

    def __init__(self, args: list[str], targets: list[Path], band: Placement):
        self.args, self.targets, self.band = args, targets, band
        self._shape = (band.height, band.width, 4)
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=self._stderr)
        _widen_pipe(self._proc.stdin)
        self._queue: queue.Queue[memoryview | None] = queue.Queue(maxsize=QUEUE_DEPTH)
        self._error: BaseException | None = None
        self._ended = False
        self._writer = threading.Thread(target=self._drain, name="ffmpeg-writer", daemon=True)
        self._writer.start()

    def _drain(self) -> None:
        stdin = self._proc.stdin
        try:
            while (item := self._queue.get()) is not None:
                stdin.write(item)
        except BaseException as e:  # a broken pipe: ffmpeg died; the producer is told at its next write
            self._error = e

    def _put(self, item: memoryview | None) -> None:
        while True:
            if self._error is not None or not self._writer.is_alive():
                raise EncodeError(self._failure("ffmpeg stopped while pictures were still coming"))
            try:
                self._queue.put(item, timeout=0.25)
                return
            except queue.Full:
                continue

    @property
    def buffers(self) -> int:
        """Pictures that may be held at once: queued, being written, and the one being filled."""
        return QUEUE_DEPTH + 2

    def order(self, count: int) -> range:
        return range(count)

    def write(self, picture: np.ndarray, index: int | None = None) -> None:
        """Hand on one picture. It must not change afterwards: the writer thread reads it later."""
        if picture.shape != self._shape:
            raise ValueError(f"picture is {picture.shape}, the band is {self._shape}")
        self._put(memoryview(picture).cast("B"))

    def end_input(self) -> None:
        """No more pictures: returns once every queued picture has gone into the pipe, so that none of the
        caller's buffers is referenced any more."""
        if not self._ended:
            self._put(None)
            self._writer.join()
            self._ended = True

    def close(self) -> None:
        """Flush, let ffmpeg finish the file, and fail loudly when it did not."""
        self.end_input()
        try:
            self._proc.stdin.close()
        except BrokenPipeError:
            pass
        code = self._proc.wait()
        if code != 0 or self._error is not None:
            raise EncodeError(self._failure(f"ffmpeg exited with status {code}"))
        self._stderr.close()

    def abort(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass
        self._writer.join(timeout=5)
        self._stderr.close()

    def cleanup(self) -> None:
        """Remove what the sink kept for checking (nothing, for one process)."""

    def _failure(self, what: str) -> str:
        self._stderr.seek(0)
        tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
        return f"{what} writing {self.targets[0].name}: " + (" / ".join(tail) or "no message from ffmpeg")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()


class SegmentedSink(FFmpegSink):
    """Runs of the clip's frames encoded by parallel ffmpeg processes, each into files of its own, then joined
    by stream copy in the order of a play list: (run, how many of its first frames) pairs. A run may be played
    several times (a slot repeats one period), or cut short. Every run starts on a key frame, so the joined
    file decodes to the same pictures as one process would have written; only the wall time differs.

    Used for encoders that use one core (qtrle: consecutive runs, one per core) and for slots."""

    def __init__(self, job: Job, targets: list[Path], runs: list[range], playlist: list[tuple[int, int]]):
        self.targets, self.band, self._job = targets, job.band, job
        self._runs, self._playlist = runs, playlist
        self._starts = sorted((r.start, k) for k, r in enumerate(runs))
        # not the final extension either: a watch folder must not pick a run up
        self._paths = [[t.with_name(f"{t.name}.seg{k}") for t in targets] for k in range(len(runs))]
        self._sinks: list[FFmpegSink] = []
        try:
            for run, paths in zip(runs, self._paths):
                if job.fmt.muxer == "image2":
                    for path in paths:
                        path.mkdir()
                self._sinks.append(FFmpegSink(build_command(job, paths, len(run)), paths, job.band))
        except BaseException:
            self.abort()
            raise

    @property
    def buffers(self) -> int:
        return sum(sink.buffers for sink in self._sinks)

    def order(self, count: int) -> Iterator[int]:
        """Round robin over the runs, so that every process is fed."""
        longest = max(len(r) for r in self._runs)
        for t in range(longest):
            for r in self._runs:
                if t < len(r):
                    yield r[t]

    def write(self, picture: np.ndarray, index: int | None = None) -> None:
        k = self._run_of(index)
        self._sinks[k].write(picture)
        if index == self._runs[k].stop - 1:
            # The ring of buffers is shared by all runs: a run that has had its last picture must let go of
            # the buffers it still holds before the other runs go round the ring again.
            self._sinks[k].end_input()

    def _run_of(self, index: int | None) -> int:
        if index is not None:
            at = bisect.bisect_right(self._starts, (index, len(self._runs))) - 1
            if at >= 0 and index in self._runs[k := self._starts[at][1]]:
                return k
        raise IndexError(f"picture {index} is in no encoded run")

    def close(self) -> None:
        """Finish every run and join them; the runs stay until `cleanup()`, for checking."""
        try:
            for sink in self._sinks:
                sink.close()
            for i, target in enumerate(self.targets):
                self._join(self.run_files(i), target)
        except BaseException:
            self.abort()
            raise

    def run_files(self, target: int) -> list[Path]:
        """The encoded runs of one target (the fill's or the key's), in the order of `runs`."""
        return [paths[target] for paths in self._paths]

    @property
    def runs(self) -> list[range]:
        return self._runs

    @property
    def playlist(self) -> list[tuple[int, int]]:
        return self._playlist

    def _join(self, parts: list[Path], target: Path) -> None:
        fmt, rate = self._job.fmt, self._job.profile.rate
        if fmt.muxer == "image2":  # pictures: linked under their new numbers
            stem, first = target.name.removesuffix(".partial"), self._job.delivery.first_picture
            n = first
            for k, count in self._playlist:
                run = parts[k].name.removesuffix(".partial")
                for i in range(count):
                    _link(parts[k] / f"{run}_{first + i:0{PICTURE_DIGITS}d}.png",
                          target / f"{stem}_{n:0{PICTURE_DIGITS}d}.png")
                    n += 1
            return
        listing = target.with_name(f"{target.name}.seglist")
        lines = []
        for k, count in self._playlist:
            lines.append(f"file '{parts[k].name}'\n")
            if count < len(self._runs[k]):  # cut short: the packets before frame `count` (exact in µs at 25 and 50)
                lines.append(f"outpoint {float(count / rate):.6f}\n")
        listing.write_text("".join(lines))
        out = dict(c="copy", f=fmt.muxer)
        if self._job.delivery.comment and fmt.muxer in ("mov", "mp4", "webm"):
            out["metadata"] = f"comment={self._job.delivery.comment}"
        args = _compile(ffmpeg.input(str(listing), format="concat", safe=0).output(str(target), **out))
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            raise EncodeError(f"joining the runs of {target.name} failed: "
                              + " / ".join(done.stderr.strip().splitlines()[-3:]))

    def abort(self) -> None:
        for sink in self._sinks:
            sink.abort()
        self.cleanup()

    def cleanup(self) -> None:
        for paths in self._paths:
            for p in paths:
                if p.is_dir():
                    shutil.rmtree(p)
                p.unlink(missing_ok=True)
        for t in self.targets:
            t.with_name(f"{t.name}.seglist").unlink(missing_ok=True)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def open_sink(job: Job, targets: list[Path], frames: int, runs: tuple[list[range], list] | None = None
              ) -> FFmpegSink:
    """The sink for one output (one file, or a fill and a key). `runs` (ranges to encode, play list) makes a
    slot of copied runs; encoders that use one core get one process per core."""
    if job.fmt.muxer == "image2":
        for t in targets:
            os.makedirs(t, exist_ok=True)
    if runs is not None:
        return SegmentedSink(job, targets, *runs)
    parts = min(os.cpu_count() or 1, frames // MIN_SEGMENT) if not job.fmt.threaded else 1
    if parts > 1:
        bounds = [frames * k // parts for k in range(parts + 1)]
        consecutive = [range(a, b) for a, b in zip(bounds, bounds[1:])]
        return SegmentedSink(job, targets, consecutive, [(k, len(r)) for k, r in enumerate(consecutive)])
    return FFmpegSink(build_command(job, targets, frames), targets, job.band)
