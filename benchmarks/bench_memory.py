"""Benchmark: peak memory of `ticker check` and `ticker render` against the length of the message.

For messages of 500, 5,000 and 20,000 characters (a Vietnamese sentence repeated, one message, no label, logo or
QR code), in fresh processes one at a time:

1. `ticker check` of a campaign whose one output is a 1080i50 qtrle loop;
2. `ticker render --profile 576i50 --format qtrle --loop --speed 5000`: a loop of the whole message (at 5,000
   stored pixels a second even the longest is about a minute), checked before publication as always.

Each run's peak resident set is read twice: ticker's own Python process (getrusage RUSAGE_SELF as it exits,
from a wrapper that runs `python -m ticker`), and the whole command with the ffmpeg it starts (the child's
rusage from os.wait4: the largest of the process and the children it waited for). A run that fails is shown
with its last line of error. The figures should not depend on the length: within 10 % of each other, under
300 MB.

Run from the repository root:  .venv/bin/python benchmarks/bench_memory.py [--lengths 500 5000 20000]
Everything is written to a temporary directory, deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Đề nghị người dân tải ứng dụng Khai báo y tế phòng dịch NCOVI để được hỗ trợ nhanh nhất. "
RENDER = ("--profile", "576i50", "--format", "qtrle", "--loop", "--speed", "5000")
WRAPPER = """
import resource, runpy, sys
sys.argv = ["ticker", *sys.argv[1:]]
try:
    runpy.run_module("ticker", run_name="__main__", alter_sys=True)
finally:
    print(f"peak-rss-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


def campaign(folder: Path, characters: int) -> Path:
    """One message of exactly `characters` characters, and one 1080i50 qtrle loop output."""
    text = (SENTENCE * (characters // len(SENTENCE) + 1))[:characters].strip().ljust(characters, ".")
    cfg = folder / f"letter{characters}.toml"
    cfg.write_text(
        f'[campaign]\nname = "letter{characters}"\nstart = 2020-03-12\nend = 2020-03-15\n'
        f'[[message]]\ntext = "{text}"\n[style]\nlabel = ""\n'
        '[[output]]\nprofile = "1080i50"\nformat = "qtrle"\nloop = true\n',
        encoding="utf-8",
    )
    return cfg


def peak(*args: str, cwd: Path) -> tuple[float | None, float | None, float, str]:
    """Peak RSS in MB of ticker's Python process and of the whole command, seconds, and the error if it failed."""
    began = time.perf_counter()
    with open(cwd / "stderr.txt", "w", encoding="utf-8") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, *args],
            cwd=ROOT,  # the tree's own ticker, whatever is installed
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not every child's so far
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - began
    lines = (cwd / "stderr.txt").read_text(encoding="utf-8").splitlines()
    own = next((int(x.split()[1]) / 1024 for x in lines if x.startswith("peak-rss-kb ")), None)
    error = "" if child.returncode == 0 else next((x for x in reversed(lines) if "peak-rss" not in x), "")
    return own, usage.ru_maxrss / 1024, seconds, error[-90:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lengths", type=int, nargs="+", default=[500, 5000, 20000])
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_memory_"))
    try:
        rows = []
        for n in args.lengths:
            cfg = campaign(tmp, n)
            rows.append((n, "check 1080i50", *peak("check", str(cfg), cwd=tmp)))
            out = tmp / f"out{n}"
            rows.append((n, "render 576i50 loop", *peak("render", str(cfg), "-o", str(out), *RENDER, cwd=tmp)))
            shutil.rmtree(out, ignore_errors=True)
        print(f"{'characters':>10}  {'command':<20} {'ticker MB':>9} {'with ffmpeg MB':>14} {'seconds':>8}")
        for n, what, own, whole, seconds, error in rows:
            shown = f"{own:9.0f}" if own is not None else f"{'-':>9}"
            print(f"{n:>10}  {what:<20} {shown} {whole:14.0f} {seconds:8.1f}  {error}")
        for what in ("check 1080i50", "render 576i50 loop"):
            figures = [own for _, w, own, _, _, error in rows if w == what and own is not None and not error]
            if len(figures) == len(args.lengths):
                print(f"{what}: largest / smallest peak {max(figures) / min(figures):.2f}")
            else:
                print(f"{what}: {len(args.lengths) - len(figures)} of {len(args.lengths)} runs failed")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
