"""Shared helpers: run the installed `ticker` command as a user would, and read files back."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import av
import pytest

from ticker.commands import ffmpeg_exe

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"
HAU_GIANG = CONFIGS / "hau-giang-ncovi.toml"
PC_COVID = CONFIGS / "pc-covid.toml"
MINIMAL = """
[campaign]
name = "test"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Đề nghị người dân tải ứng dụng Khai báo y tế phòng dịch NCOVI."
"""


ONE_CLIP = """
[campaign]
name = "one"
start = 2020-03-01
end = 2020-03-31
[[message]]
text = "Xin chào Việt Nam"
[motion]
crossing_seconds = 2
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""  # a campaign of one short clip, quick to render: for the tests of the playout tree
ONE_CLIP_FILE = "one_576i50_qtrle_loop.mov"


def victim(tmp_path: Path) -> Path:
    """A folder of someone else's files that no run of ticker may touch."""
    folder = tmp_path / "victim"
    (folder / "sub").mkdir(parents=True)
    (folder / "precious.txt").write_text("keep")
    (folder / "sub" / "deep.txt").write_text("x")
    return folder


def untouched(folder: Path) -> bool:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == ["precious.txt", "sub", "sub/deep.txt"]


def write_campaign(folder: Path, extra: str = "", base: str = MINIMAL, name: str = "c.toml") -> Path:
    """A campaign file of the test's own: a minimal one plus `extra` TOML."""
    cfg = folder / name
    cfg.write_text(base + extra, encoding="utf-8")
    return cfg


def run_ticker(*args, cwd: Path, check_status: int | None = 0, **kwargs) -> subprocess.CompletedProcess:
    """`python -m ticker ARGS` in a directory of its own, so nothing is found through the source tree."""
    done = subprocess.run(
        [sys.executable, "-m", "ticker", *map(str, args)], cwd=cwd, capture_output=True, text=True, **kwargs
    )
    if check_status is not None:
        assert done.returncode == check_status, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def shortened(config: Path, folder: Path, crossing: float = 2.5) -> Path:
    """A copy of a campaign in `folder` whose text crosses the picture in `crossing` seconds, its other keys the
    campaign's: for what does not depend on a loop's length (colour tags, the pixel aspect, the steps of the
    motion, the QR code). The Hậu Giang loops are then about a fifth of their length at the example's 12 s, and
    its 1080p50 loop is still exactly two pictures for each frame of the 1080i50 one (not so at 4 s)."""
    text, found = re.subn(
        r"^crossing_seconds = [0-9.]+", f"crossing_seconds = {crossing}", config.read_text(encoding="utf-8"), flags=re.M
    )
    assert found == 1, f"{config} says its crossing_seconds once"
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / config.name
    copy.write_text(text, encoding="utf-8")
    return copy


class Renders:
    """Renders made once per test session and shared by the tests that read them."""

    def __init__(self, base: Path):
        self.base = base
        self._done: dict[tuple, dict] = {}

    def short(self, config: Path) -> Path:
        """The campaign with a short crossing (`shortened`), written once in this session's folder."""
        copy = self.base / "short" / config.name
        return copy if copy.exists() else shortened(config, copy.parent)

    def __call__(self, config: Path, *args) -> dict:
        key = (config, *args)
        if key not in self._done:
            out = self.base / f"r{len(self._done)}"
            done = run_ticker("render", config, "-o", out, "--json", *args, cwd=self.base)
            outputs = json.loads(done.stdout)["outputs"]
            assert len(outputs) == 1
            self._done[key] = outputs[0]
        return self._done[key]


@pytest.fixture(scope="session")
def renders(tmp_path_factory) -> Renders:
    return Renders(tmp_path_factory.mktemp("renders"))


@pytest.fixture(scope="session")
def programme(tmp_path_factory) -> Path:
    """A 4 s 1080i50 programme with two sound tracks (matrix.make_programme), made once."""
    from matrix import make_programme

    return make_programme(tmp_path_factory.mktemp("programme") / "programme.ts")


@pytest.fixture(scope="session")
def matrix(tmp_path_factory, programme):
    """The format × profile matrix (tests/matrix.py), each of its renders made once in the test run, when a test
    first reads it. Its tests are one xdist group, "matrix", so that one worker makes it."""
    from matrix import Matrix

    return Matrix(tmp_path_factory.mktemp("matrix"), programme)


# Chromium as the tests start it: no sandbox in a container, nothing fetched behind the page's back, and video
# that plays without a click
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def chromium():
    """One Debian Chromium (through Playwright) for the test run: each test opens a context of its own in it,
    with its own cookies and storage, and closes it."""
    from playwright import sync_api  # installed with the test extras: never skipped

    exe = shutil.which("chromium")
    assert exe, "Debian's chromium is needed (bash .ci/test-tools installs it)"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def stream_info(path) -> dict:
    """What PyAV (ffmpeg's libraries) reads from a file's first video stream, and its packet count."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        cc = s.codec_context
        info = dict(
            codec=cc.name,
            profile=cc.profile,
            pix_fmt=cc.pix_fmt,
            width=cc.width,
            height=cc.height,
            field_order=cc.field_order,
            sar=s.sample_aspect_ratio,
            rate=s.average_rate,
            primaries=cc.color_primaries,
            transfer=cc.color_trc,
            matrix=cc.colorspace,
            range=cc.color_range,
        )
        info["packets"] = sum(1 for p in c.demux(s) if p.size)
    return info


def mediainfo(path) -> dict:
    """MediaInfo's reading of the video track: what playout engineers look at."""
    from pymediainfo import MediaInfo

    video = [t for t in MediaInfo.parse(str(path)).tracks if t.track_type == "Video"]
    assert video, f"MediaInfo finds no video track in {path}"
    return video[0].to_data()


def ffmpeg(*args) -> subprocess.CompletedProcess:
    return subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", *map(str, args)], capture_output=True, text=True)


def framemd5(path: Path) -> list[str]:
    if path.is_dir():
        args = ["-i", path / f"{path.name}_%06d.png"]
    else:
        args = ["-i", path]
    done = ffmpeg("-v", "error", *args, "-map", "0:v", "-f", "framemd5", "-")
    assert done.returncode == 0, done.stderr
    return [line.split(",")[-1].strip() for line in done.stdout.splitlines() if not line.startswith("#")]


def waiting_on(lock: Path) -> int:
    """How many flocks wait on the file `lock` for its holder now, from the kernel's table of locks: a writer
    held back by another is seen there, without guessing how long it takes to get there."""
    if not lock.exists():
        return 0
    st = lock.stat()
    file = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"  # as the kernel names it there
    with open("/proc/locks", encoding="ascii") as f:
        rows = [line.split() for line in f]
    return sum(1 for row in rows if "->" in row and row[-3] == file)


def processes_naming(folder: Path) -> list[int]:
    """The processes whose command line names `folder`, or that hold it or anything in it open (a render's
    workers and encoders: they reach the folder through a descriptor's name in /proc, /proc/PID/fd/N)."""
    found = []
    inside = str(folder.resolve())
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if str(folder).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
                continue
            for fd in (proc / "fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target == inside or target.startswith(inside + "/"):
                        found.append(int(proc.name))
                        break
        except OSError:
            pass
    return found
