"""ticker run as a user runs it: the command in this process, or in a process of its own."""

from __future__ import annotations

import functools
import importlib
import io
import json
import os
import signal
import subprocess
import sys
import traceback
import warnings
from pathlib import Path
from typing import TextIO

from support.campaigns import ROOT


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
