"""nightly(progress=…): what a desk's progress bar is told, from a real run of a small campaign, in one process
and in two, and on a second run that keeps everything."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from ticker.night.nightly import nightly

DAY = dt.date(2020, 3, 12)
# one loop, and a fill+key pair (one clip, two files), for one day
SMALL = """
[campaign]
name = "small"
start = 2020-03-12
end = 2020-03-12
[[message]]
text = "Tải ứng dụng NCOVI."
[motion]
crossing_seconds = 3
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
[[output]]
profile = "576i50"
format = "fillkey"
loop = true
"""


def _run(cfg: Path, out: Path, workers: int = 1) -> list[tuple[int, int, str]]:
    calls: list[tuple[int, int, str]] = []
    status = nightly(
        cfg,
        out,
        DAY,
        workers=workers,
        stream=io.StringIO(),
        allow_unapproved=True,
        progress=lambda *a: calls.append(a),
    )
    assert status == 0
    return calls


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_the_manifests_clips_to_the_end(tmp_path, workers):
    cfg = tmp_path / "campaigns"
    cfg.mkdir()
    (cfg / "small.toml").write_text(SMALL, encoding="utf-8")
    out = tmp_path / "out"
    calls = _run(cfg, out, workers)

    manifest = json.loads((out / DAY.isoformat() / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    total = len({e["inputs"] for e in files})
    assert len(files) == 3 and total == 2, "a fill+key pair is one clip of two files"
    assert calls[0] == (0, total, "")
    assert calls[-1][:2] == (total, total)
    assert [c[0] for c in calls] == list(range(total + 1)) and {c[1] for c in calls} == {total}
    fills = {e["path"] for e in files if "key_of" not in e}
    assert {c[2] for c in calls[1:]} == fills, "each clip named once, by its file (a pair's fill)"

    again = _run(cfg, out)  # everything kept: still counted, to the end
    assert again[0] == (0, total, "") and again[-1][:2] == (total, total) and len(again) == total + 1


def test_a_day_with_nothing_to_make_says_zero_of_zero(tmp_path):
    cfg = tmp_path / "campaigns"
    cfg.mkdir()
    (cfg / "small.toml").write_text(SMALL.replace("2020-03-12", "2020-03-13"), encoding="utf-8")
    assert _run(cfg, tmp_path / "out") == [(0, 0, "")]
