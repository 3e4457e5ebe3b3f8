"""The format × profile matrix, rendered once per test run and read by every test that needs it (conftest's
`matrix` fixture): every overlay and file at every profile it is made at, the ProRes and qtrle cases again
with `--straight`, and the transport streams over one programme; with a cache of what decoding them gives, so each
file is decoded once whoever asks."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import av

from ticker.campaign.config import FORMAT_IDS
from ticker.media.profiles import PROFILES

from support.campaigns import MINIMAL, write_campaign
from support.media import ffmpeg
from support.running import run_ticker

# transparent pixels beside the QR code, between its top and the rule), a band of 0.9 opacity; a short text
# crossing in two seconds: loops of a second or so.
LOOK = (
    MINIMAL.replace("Đề nghị người dân tải ứng dụng Khai báo y tế phòng dịch NCOVI.", "Ễ Ậ Ỗ Ự ỷ ẫ NCOVI")
    + """
[style]
preset = "news"
[qr]
url = "https://ncovi.vn"
[motion]
crossing_seconds = 2
"""
)
BURNED = ("ts-h264", "ts-mpeg2")
REFUSED = {
    **{("vp9", p): "--format vp9 is for progressive profiles" for p in ("1080i50", "576i50", "576i50-4x3")},
    **{
        ("mxf-fillkey", p): "--format mxf-fillkey is made at 1080i50 (XDCAM HD422) and 576i50 or 576i50-4x3 (IMX50)"
        for p in ("1080p50", "1080p25", "720p50", "1080x1920p25")
    },
    ("ts-mpeg2", "1080p50"): "carries at most 62.7 million luma samples a second; 1080p50 has 103.7",
    ("ts-mpeg2", "1080x1920p25"): "holds pictures of at most 1920x1152, not 1080x1920",
}
MADE = [(f, p) for f in FORMAT_IDS for p in PROFILES if (f, p) not in REFUSED]
STRAIGHT = [("fillkey", "1080i50"), ("fillkey", "576i50")]  # also made with a straight fill
TIMED = ("prores4444", "576i50", 6)  # a timed clip, whose repeating runs are copied
TIMED_QTRLE = ("qtrle", "576i50", 6)  # the same in qtrle, assembled from the band's lines
# the ProRes cases made twice, assembled from slices (the default) and encoded whole (--straight):
# name: (format, profile, the output's other keys)
PRORES = {
    "1080i50": ("prores4444", "1080i50", "loop = true"),
    "576i50": ("prores4444", "576i50", "loop = true"),
    "1080x1920p25": ("prores4444", "1080x1920p25", "loop = true"),
    "576i50-6s": ("prores4444", "576i50", "seconds = 6"),
    "fillkey-1080i50": ("fillkey", "1080i50", "loop = true"),
    "fillkey-straight-1080i50": ("fillkey", "1080i50", 'loop = true\nfill = "straight"'),
}
# the qtrle cases made twice, assembled from the band's lines (the default) and encoded whole: every profile
QTRLE = {
    **{f"qtrle-{p}": ("qtrle", p, "loop = true") for f, p in MADE if f == "qtrle"},
    "qtrle-576i50-6s": ("qtrle", "576i50", "seconds = 6"),
}
ASSEMBLED = {**PRORES, **QTRLE}


def _outputs(combinations, extra: str = "") -> str:
    return "".join(f'[[output]]\nprofile = "{p}"\nformat = "{f}"\nloop = true\n{extra}' for f, p in combinations)


def _key(o: dict) -> tuple[str, str]:
    """An output's place in the matrix: its format (`-straight` for a straight fill) and its profile."""
    return o["format"] + ("-straight" if o["fill"] == "straight" else ""), o["profile"]


def make_programme(path: Path) -> Path:
    """A 4 s 1080i50 programme, top field first, with a 440 Hz tone (and a second sound track at 880 Hz)."""
    done = ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=50,tinterlace=mode=interleave_top,setparams=field_mode=tff",
        "-f", "lavfi", "-i", "sine=f=440:r=48000",
        "-f", "lavfi", "-i", "sine=f=880:r=48000",
        "-map", "0:v", "-map", "1:a", "-map", "2:a", "-t", 4,
        "-c:v", "libx264", "-preset", "ultrafast", "-flags", "+ildct+ilme", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-y", path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return path


@contextlib.contextmanager
def _alone(lock: Path) -> Iterator[None]:
    """The block run by one test worker at a time (the other waits, then finds what the first made)."""
    with open(lock, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class Matrix:
    """The renders, each made the first time a test asks for it: by one worker of the run, in `base`, which the
    workers share (its files only read), the others reading the outputs' JSON it left."""

    def __init__(self, base: Path, programme: Path):
        self.base, self.programme = base, programme

    def _render(self, name: str, outputs: str, *args) -> list[dict]:
        said = self.base / f"{name}.json"
        with _alone(self.base / f"{name}.lock"):
            if not said.is_file():
                cfg = write_campaign(self.base, outputs, base=LOOK, name=f"{name}.toml")
                done = run_ticker("render", cfg, "-o", self.base / name, "--json", *args, cwd=self.base)
                said.with_suffix(".part").write_text(done.stdout, encoding="utf-8")
                said.with_suffix(".part").replace(said)
            return json.loads(said.read_text(encoding="utf-8"))["outputs"]

    @functools.cached_property
    def overlays(self) -> dict[tuple[str, str], dict]:
        """Every overlay and file at every profile, a loop each (and the fill+key pairs with a straight fill
        too), by (format, profile): the outputs' JSON."""
        made = [c for c in MADE if c[0] not in BURNED]
        timed = "".join(
            f'[[output]]\nprofile = "{profile}"\nformat = "{fmt}"\nseconds = {seconds}\n'
            for fmt, profile, seconds in (TIMED, TIMED_QTRLE)
        )
        found = self._render("overlays", _outputs(made) + _outputs(STRAIGHT, 'fill = "straight"\n') + timed)
        self.timed_qtrle, self.timed = found.pop(), found.pop()
        for clip, (fmt, profile, _) in ((self.timed, TIMED), (self.timed_qtrle, TIMED_QTRLE)):
            assert (clip["format"], clip["profile"], clip["loop"]) == (fmt, profile, False)
        files = {_key(o): o for o in found}
        assert len(files) == len(found) == len(made) + len(STRAIGHT)
        return files

    @functools.cached_property
    def streams(self) -> dict[tuple[str, str], dict]:
        """The transport streams at every profile they are made at, over the programme's first second (its
        packets copied: a second shows what the SDT and the scan say as well as four, at a quarter of the
        encoding)."""
        first = self.base / "first-second" / self.programme.name
        with _alone(self.base / "first-second.lock"):
            if not first.is_file():
                first.parent.mkdir(exist_ok=True)
                done = ffmpeg("-v", "error", "-i", self.programme, "-map", "0", "-t", 1, "-c", "copy", first)
                assert done.returncode == 0, done.stderr
        found = self._render("streams", _outputs(c for c in MADE if c[0] in BURNED), "--over", first)
        return {_key(o): o for o in found}

    def __getitem__(self, key: tuple[str, str]) -> dict:
        return self.streams[key] if key[0] in BURNED else self.overlays[key]

    @functools.cached_property
    def pairs(self) -> dict[str, dict]:
        """The ProRes and qtrle cases by name, each with its outputs' JSON made assembled (the default) and
        straight, and its (assembled, straight) pairs of files: one, or a fill and its key."""
        overlays = self.overlays
        outputs = "".join(f'[[output]]\nprofile = "{p}"\nformat = "{f}"\n{x}\n' for f, p, x in ASSEMBLED.values())
        straight = self._render("straight", outputs, "--straight")
        assert len(straight) == len(ASSEMBLED)
        made = {}
        timed = {"576i50-6s": self.timed, "qtrle-576i50-6s": self.timed_qtrle}
        for name, s in zip(ASSEMBLED, straight):
            fmt, profile, _ = ASSEMBLED[name]
            a = timed[name] if name in timed else overlays[_key(s)]
            assert (a["format"], a["profile"]) == (fmt, profile) == (s["format"], s["profile"])
            assert Path(a["path"]).name == Path(s["path"]).name
            files = [(Path(a["path"]), Path(s["path"]))]
            if a["key"]:
                files.append((Path(a["key"]), Path(s["key"])))
            made[name] = {"assembled": a, "straight": s, "files": files}
        return made


@functools.cache
def coded_pix_fmt(path: Path) -> str:
    """What a ProRes file decodes to: 4444 with alpha at 12 bits, 422 HQ at 10; a qtrle file (32-bit) to ARGB."""
    with av.open(str(path)) as c:
        tag = c.streams.video[0].codec_context.codec_tag
        return {"ap4h": "yuva444p12le", "apch": "yuv422p10le", "rle ": "argb"}[tag]


@functools.cache
def decoded_md5s(path: Path) -> tuple[str, ...]:
    """The decoded pictures' MD5s by the ffmpeg ticker runs, in the pixel format of the file's coding: each file
    decoded once in the test run."""
    done = ffmpeg("-v", "error", "-i", path, "-map", "0:v", "-pix_fmt", coded_pix_fmt(path), "-f", "framemd5", "-")
    assert done.returncode == 0, done.stderr
    return tuple(md5s(done.stdout))


def md5s(out: str) -> list[str]:
    """The MD5 of each picture in ffmpeg's framemd5 listing."""
    return [line.split(",")[-1].strip() for line in out.splitlines() if not line.startswith("#")]


@functools.cache
def packet_digests(path: Path) -> tuple[tuple[int, str], ...]:
    """Each coded picture of the video stream: its size and the SHA-256 of its bytes, read once in the run."""
    with av.open(str(path)) as c:
        return tuple((p.size, hashlib.sha256(bytes(p)).hexdigest()) for p in c.demux(c.streams.video[0]) if p.size)
