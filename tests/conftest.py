"""Shared helpers: run the `ticker` command as a user would (in this process, or in one of its own), and read
files back."""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import traceback
import warnings
from pathlib import Path
from typing import TextIO

import av
import pytest

from ticker.encode.ffmpeg_args import ffmpeg_exe

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


def run_ticker(
    *args, cwd: Path, check_status: int | None = 0, input: str | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess:
    """`ticker ARGS` run by ticker.cli.main in this process, from `cwd`, as a fresh `python -m ticker` would run:
    its own stdin (`input`, else empty), stdout and stderr, argv, warning filters, SIGTERM handler and no cache
    left by an earlier run; all of it given back afterwards. The same result as run_ticker_process, whose real
    process is kept for what only a process shows (signals, rlimits, a terminal, the descriptors themselves)."""
    argv = [str(a) for a in args]
    stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), encoding="utf-8")
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", newline="\n")
    saved = sys.stdin, sys.stdout, sys.stderr, sys.argv, os.getcwd(), signal.getsignal(signal.SIGTERM)
    alarm = signal.getsignal(signal.SIGALRM)
    _forget_caches()
    try:
        with warnings.catch_warnings():  # main replaces showwarning; the filters are a fresh interpreter's
            warnings.resetwarnings()
            for action, message, category, module, line in fresh_warnings():
                warnings.filterwarnings(action, message, category, module, line, append=True)
            os.chdir(cwd)
            sys.stdin, sys.stdout, sys.stderr = stdin, out, err
            sys.argv = [str(ROOT / "ticker" / "__main__.py"), *argv]
            if timeout is not None:
                signal.signal(signal.SIGALRM, _overran)
                signal.setitimer(signal.ITIMER_REAL, timeout)
            status = _status(argv, err)
    except _Overran:
        raise subprocess.TimeoutExpired(["ticker", *argv], timeout or 0) from None
    finally:
        if timeout is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, alarm)
        sys.stdin, sys.stdout, sys.stderr, sys.argv = saved[:4]
        os.chdir(saved[4])
        signal.signal(signal.SIGTERM, saved[5])
        _forget_caches()
    out.flush(), err.flush()
    done = subprocess.CompletedProcess(["ticker", *argv], status, _read(out), _read(err))
    if check_status is not None:
        assert done.returncode == check_status, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


# what a fresh interpreter's warning filters are once ticker's modules are loaded: Python's defaults, then those
# its modules and libraries add as they load (Pillow's bomb warning silenced by ticker.files.inputs, numpy's own)
FILTERS = """
import importlib, json, pkgutil, warnings
import ticker
for found in pkgutil.walk_packages(ticker.__path__, "ticker."):
    if found.name != "ticker.__main__":
        importlib.import_module(found.name)
pattern = lambda p: getattr(p, "pattern", p)  # a compiled expression, or a library's plain text
print(json.dumps([
    [action, pattern(message), category.__module__, category.__qualname__, pattern(module), line]
    for action, message, category, module, line in warnings.filters
]))
"""


@functools.cache
def fresh_warnings() -> tuple[tuple[str, str, type[Warning], str, int], ...]:
    """The filters FILTERS prints, asked once of a fresh interpreter: in this one pytest sets its own, and takes
    away after each test those a module added as it was imported."""
    done = subprocess.run([sys.executable, "-P", "-c", FILTERS], capture_output=True, text=True, check=True)
    filters = []
    for action, message, where, name, module, line in json.loads(done.stdout):
        category = functools.reduce(getattr, name.split("."), importlib.import_module(where))
        filters.append((action, message or "", category, module or "", line))
    return tuple(filters)


class _Overran(BaseException):
    """run_ticker's time ran out (a BaseException: main says an Exception's traceback and goes on)."""


def _overran(signum, frame) -> None:
    raise _Overran


def _status(argv: list[str], err: TextIO) -> int:
    """The exit status `python -m ticker ARGV` would end with (`raise SystemExit(main())`)."""
    from ticker.cli.commands import main

    try:
        return main(argv)
    except SystemExit as e:  # argparse's refusals and --help
        if e.code is None or isinstance(e.code, int):
            return e.code or 0
        print(e.code, file=err)
        return 1
    except Exception:  # what escaped main: a process would print its traceback and exit 1
        traceback.print_exc(file=err)
        return 1


def _read(stream: io.TextIOWrapper) -> str:
    """A stream's text as subprocess.run(text=True) reads a pipe: line ends made "\n"."""
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _forget_caches() -> None:
    """Empty every functools cache of ticker's modules (drawn strips, fonts' facts, digests): a fresh process
    starts without them, and a test must not pass on what an earlier one left."""
    for name, module in list(sys.modules.items()):
        if name == "ticker" or name.startswith("ticker."):
            for value in list(vars(module).values()):
                if hasattr(value, "cache_info") and hasattr(value, "cache_clear"):
                    value.cache_clear()


def run_ticker_process(*args, cwd: Path, check_status: int | None = 0, **kwargs) -> subprocess.CompletedProcess:
    """`python -m ticker ARGS` in a process of its own, from a directory of its own (so nothing is found through
    the source tree): for what only a process shows (signals, rlimits, its environment, a terminal, what reaches
    its file descriptors)."""
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


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config) -> None:
    """`pytest tests/unit` runs in this one process: measured, two workers' start-up (each importing ticker and
    its libraries again) costs the fast tier more than they save. A worker count given on the command line holds."""
    if any(arg.startswith(("-n", "--numprocesses")) for arg in config.invocation_params.args):
        return
    unit = ROOT / "tests" / "unit"
    paths = [(config.invocation_params.dir / arg.split("::")[0]).resolve() for arg in config.args]
    if paths and all(path == unit or unit in path.parents for path in paths):
        config.option.numprocesses = 0


def pytest_collection_modifyitems(items) -> None:
    """For pytest-xdist (`--dist loadgroup`): a file's tests run on one worker, so its module fixtures are made
    once, and every file that reads the session's renders runs on the one worker that makes them."""
    shared = {item.path for item in items if "renders" in getattr(item, "fixturenames", ())}
    for item in items:
        group = "renders" if item.path in shared else str(item.path.relative_to(ROOT))
        item.add_marker(pytest.mark.xdist_group(group))


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
