"""The example campaigns, the tests' own campaign files, and a folder no run of ticker may touch."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
