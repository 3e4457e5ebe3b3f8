"""How long `ticker nightly` takes when there is nothing to do, beside the cost of starting ticker at all.

Renders the example campaigns' night of 12/3/2020 once (with --jobs 1 and --jobs 2, in two folders, to show
what the parallel batch buys on this machine), then times repeated runs that find every clip up to date, and,
in the same run, `ticker --version` (the interpreter and imports alone) and `ticker check` of one campaign.

    python benchmarks/bench_nightly.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from common import timed  # benchmarks/common.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = timed(
            "nightly",
            str(CONFIGS),
            "-o",
            f"{tmp}/one",
            "--date",
            "2020-03-12",
            "--jobs",
            "1",
            "--records",
            f"{tmp}/records",
        )
        two = timed(
            "nightly",
            str(CONFIGS),
            "-o",
            f"{tmp}/two",
            "--date",
            "2020-03-12",
            "--jobs",
            "2",
            "--records",
            f"{tmp}/records",
        )
        print(
            f"first night (2 clips, 1080i50 and 576i50 loops): --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s "
            f"(ratio {two / one:.2f})"
        )
        rows = {
            "nightly, nothing to do": [
                "nightly",
                str(CONFIGS),
                "-o",
                f"{tmp}/two",
                "--date",
                "2020-03-12",
                "--records",
                f"{tmp}/records",
            ],
            "nightly --verify (checksums)": [
                "nightly",
                str(CONFIGS),
                "-o",
                f"{tmp}/two",
                "--date",
                "2020-03-12",
                "--verify",
                "--records",
                f"{tmp}/records",
            ],
            "ticker --version": ["--version"],
            "ticker check (one campaign)": ["check", str(CONFIGS / "hau-giang-ncovi.toml")],
        }
        times = {name: [] for name in rows}
        for _ in range(args.repeat):  # interleaved, so that the machine's load falls on every row alike
            for name, command in rows.items():
                times[name].append(timed(*command))
        base = statistics.median(times["ticker --version"])
        print(f"{'command':<32}{'median':>9}{'min':>9}{'max':>9}{'/ --version':>13}")
        for name, t in times.items():
            m = statistics.median(t)
            print(f"{name:<32}{m:>8.2f}s{min(t):>8.2f}s{max(t):>8.2f}s{m / base:>13.2f}")


if __name__ == "__main__":
    main()
