"""How long `ticker preview` takes for each example campaign, beside `ticker check` of the same campaign (which
draws the text and plans every output but renders nothing), in the same run.

    python benchmarks/bench_preview.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from common import timed  # benchmarks/common.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGNS = sorted((ROOT / "configs").glob("*.toml"))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    print(f"{'campaign':<28}{'preview':>10}{'check':>9}{'ratio':>8}   (medians of {args.repeat})")
    with tempfile.TemporaryDirectory() as tmp:
        for campaign in CAMPAIGNS:
            preview, check = [], []
            for _ in range(args.repeat):  # interleaved, so that the machine's load falls on both alike
                preview.append(timed("preview", str(campaign), "-o", tmp))
                check.append(timed("check", str(campaign)))
            a, b = statistics.median(preview), statistics.median(check)
            print(
                f"{campaign.name:<28}{a:>9.1f}s{b:>8.1f}s{a / b:>8.1f}   (preview {min(preview):.1f}–"
                f"{max(preview):.1f} s)"
            )


if __name__ == "__main__":
    main()
