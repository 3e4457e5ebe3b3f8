"""A Word or PDF letter read in a child process (`python -P -m ticker.letters.child`), so that a file made to stall
its reader (a PDF whose pages share one stream of millions of operators; pypdf takes hours over it) costs one
core for READ_SECONDS at most, and nothing after whoever asked for it has gone. The child is killed when its
time is up, when `abandon` raises (a desk's request ended, the desk stopping) and when this process is
interrupted (Ctrl-C, SIGTERM to `ticker draft`); a child whose parent has gone (the signal came while it was
being started, or the parent was killed) is ended by the kernel (PR_SET_PDEATHSIG), and at worst at its CPU-time
limit.

The child reads the letter as ticker.letters.read does, within the same budgets of characters and time, and
answers with one line of JSON: the letter, or the sentence that refuses it. A text letter is read in this
process: ticker's own code reads it, within TEXT_LIMIT characters.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ticker.errors import FileProblem
from ticker.files import inputs
from ticker.letters.formats import READ_SECONDS
from ticker.letters.read import LETTER_LIMIT, Letter, letter_from_bytes, letter_kind

POLL = 0.1  # seconds between looks at the child, the clock and `abandon`
APART = ("docx", "pdf")  # the kinds read by another library, in a child
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def read_letter(path: Path | str, abandon: Callable[[], None] | None = None) -> Letter:
    """The letter in the file `path` ("-": standard input), at most LETTER_LIMIT bytes; a Word or PDF letter
    read in a child process."""
    return letter_file(path, abandon)[1]


def letter_file(path: Path | str, abandon: Callable[[], None] | None = None) -> tuple[bytes, Letter]:
    """read_letter, with the bytes it was read from (to keep beside the draft: ticker.letters.kept)."""
    name = "standard input" if str(path) == "-" else str(path)
    data = inputs.read_input(path, "letter", LETTER_LIMIT)
    return data, letter_apart(data, name, abandon)


def letter_apart(
    data: bytes, name: str, abandon: Callable[[], None] | None = None, seconds: float | None = None
) -> Letter:
    """letter_read.letter_from_bytes, a Word or PDF letter read in a child process that is killed after
    `seconds` (READ_SECONDS) with a FileProblem, or as soon as `abandon` (called every POLL seconds while
    the child reads) raises, with what it raised."""
    if len(data) > LETTER_LIMIT or letter_kind(data, name) not in APART:
        return letter_from_bytes(data, name)
    seconds = READ_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryFile(prefix="ticker-letter-") as given:  # the child's standard input, never a pipe
        given.write(json.dumps({"name": name}).encode() + b"\n" + data)  # that it must be read from to go on
        given.seek(0)
        child: subprocess.Popen[bytes] | None = None
        try:  # a signal while the child is being started still ends it (and the kernel does, if it is too early)
            child = subprocess.Popen(  # -P: the installed ticker, never a ticker/ or ticker.py of the working folder
                [sys.executable, "-P", "-m", "ticker.letters.child", str(os.getpid())],
                stdin=given,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # what a dying child says (paths, modules) is no part of the sentence
            )
            while True:
                try:
                    out, _ = child.communicate(timeout=POLL)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if abandon is not None:
                    abandon()
                if time.monotonic() > deadline:
                    raise FileProblem(name, f"takes more than {seconds:g} s to read, longer than a letter may")
        finally:
            if child is not None and child.returncode is None:
                child.kill()
                child.communicate()
    return _answer(out, name)


def _answer(out: bytes, name: str) -> Letter:
    try:
        said = json.loads(out)
    except ValueError:
        raise FileProblem(name, "could not be read: its reader stopped unexpectedly") from None
    if "refused" in said:
        raise FileProblem(name, said["refused"])
    got = said["letter"]
    return Letter(name, got["kind"], tuple(got["lines"]), got["encoding"], tuple(got["notes"]))


def _limit_cpu() -> None:
    """A child whose parent is gone (SIGKILL) is ended by the kernel once it has had its time (SIGXCPU), and
    leaves no core file."""
    import resource

    cpu = math.ceil(READ_SECONDS) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _end_with(parent: int) -> None:
    """The kernel kills this child as soon as its parent ends, however it ends (Linux's PR_SET_PDEATHSIG); a
    parent that ended before that was asked for is seen here, and the child ends at once."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not Linux: the CPU-time limit still ends an orphan
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def main() -> None:
    _end_with(int(sys.argv[1]))
    _limit_cpu()
    header = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read(LETTER_LIMIT + 1)
    try:
        letter = letter_from_bytes(data, header["name"])
    except FileProblem as e:  # a Word or PDF letter is refused in nothing but FileProblems
        answer: dict = {"refused": e.reason}
    else:
        answer = {"letter": {"kind": letter.kind, "lines": letter.lines, "encoding": letter.encoding,
                             "notes": letter.notes}}  # fmt: skip
    sys.stdout.buffer.write(json.dumps(answer).encode("ascii"))


if __name__ == "__main__":
    main()
