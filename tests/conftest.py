"""Shared helpers: run the `ticker` command as a user would (in this process, or in one of its own), and read
files back."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from support.campaigns import ROOT, shortened
from support.running import run_ticker


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


def pytest_sessionfinish(session, exitstatus) -> None:
    """The project's own folders are not a test's to write in: a night run on an example campaign without
    --records would keep its records beside it (configs/records)."""
    if hasattr(session.config, "workerinput"):  # a worker: the run's controller looks, once
        return
    left = [p for p in (ROOT / "configs" / "records", ROOT / "letters" / "records") if p.exists()]
    if left:
        session.config.get_terminal_writer().line(f"a test wrote in the project: {', '.join(map(str, left))}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(items) -> None:
    """For pytest-xdist's `--dist loadgroup`, once it groups again (pyproject.toml runs `loadfile` meanwhile): a
    file's tests on one worker, every file that reads the session's renders on the one worker that makes them,
    and the tests marked for the session's matrix in its group."""
    shared = {item.path for item in items if "renders" in getattr(item, "fixturenames", ())}
    for item in items:
        given = item.get_closest_marker("xdist_group")
        if given is not None and given.args == ("matrix",):  # the session's matrix: made once, on one worker
            continue
        group = "renders" if item.path in shared else str(item.path.relative_to(ROOT))
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def renders(tmp_path_factory) -> Renders:
    return Renders(tmp_path_factory.mktemp("renders"))


@pytest.fixture(scope="session")
def programme(tmp_path_factory) -> Path:
    """A 4 s 1080i50 programme with two sound tracks (matrix.make_programme), made once."""
    from support.matrix import make_programme

    return make_programme(tmp_path_factory.mktemp("programme") / "programme.ts")


@pytest.fixture(scope="session")
def matrix(tmp_path_factory, programme):
    """The format × profile matrix (tests/matrix.py), each of its renders made once in the test run, when a test
    first reads it, by whichever worker asks first: in a folder the run's workers share."""
    from support.matrix import Matrix

    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "matrix"
        shared.mkdir(exist_ok=True)
        return Matrix(shared, programme)
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
    with its own cookies and storage, and closes it. Playwright's event loop runs in this thread while it is
    open: a test that runs a loop of its own does it on a thread of its own, and none opens Playwright again."""
    from playwright import sync_api  # installed with the test extras: never skipped

    exe = shutil.which("chromium")
    assert exe, "Debian's chromium is needed (bash .ci/test-tools installs it)"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
