"""What the benchmark scripts share."""

from __future__ import annotations

import subprocess
import sys
import time


def timed(*args: str) -> float:
    """Seconds a `python -m ticker ARGS` run takes, start to exit (it must succeed)."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ticker", *args], check=True, capture_output=True)
    return time.perf_counter() - began
