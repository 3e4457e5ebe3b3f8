"""Long messages: the crawl is drawn and filtered in tiles, so a letter pasted whole is checked and rendered in
bounded memory, and short messages still make the very pictures they made when the crawl was one picture.

tests/unit/golden/pictures.json holds the decoded pictures' checksums (ffmpeg framemd5) of a few short crawls,
recorded from the whole-picture strip before it was tiled; the contact sheet's pixels too. If a change of the
pictures is meant, rewrite them with `python tests/test_long_messages.py --rewrite`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image, ImageDraw

from support.campaigns import HAU_GIANG, write_campaign
from support.running import run_ticker

ROOT = Path(__file__).resolve().parent.parent

GOLDEN = ROOT / "tests" / "unit" / "golden" / "pictures.json"
PIECES = """
[[message]]
text = "Lịch tiêm chủng: Ấ Ể Ỗ Ặ ứng dụng."
color = "#FFE08A"
weight = "regular"
[style]
separator = "logo"
logo = "logo.png"
outline = 0.06
shadow = 0.05
fonts = { regular = "NotoSans-Regular", bold = "NotoSans-Bold" }
"""
# name: (campaign, render arguments)
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "hau-giang 576i50 qtrle loop": ("hau", ("--profile", "576i50", "--format", "qtrle", "--loop", "--speed", "900")),
    "minimal 1080i50 qtrle 4 s": ("minimal", ("--profile", "1080i50", "--format", "qtrle", "--seconds", "4")),
    "pieces 576i50 qtrle loop": ("pieces", ("--profile", "576i50", "--format", "qtrle", "--loop", "--speed", "900")),
    "minimal 576i50-4x3 qtrle loop": (
        "minimal",
        ("--profile", "576i50-4x3", "--format", "qtrle", "--loop", "--speed", "900"),
    ),
}
SPEED_1080 = ("--speed", "1500")


def campaign(folder: Path, name: str) -> Path:
    """The campaign of a case, written in `folder` (with its logo)."""
    if name == "hau":
        return HAU_GIANG
    if name == "minimal":
        return write_campaign(folder)
    logo = Image.new("RGBA", (120, 100), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((10, 0, 110, 100), fill=(230, 40, 40, 220))
    logo.save(folder / "logo.png")
    return write_campaign(folder, PIECES)


def framemd5(path: Path) -> list[str]:
    done = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v", "-f", "framemd5", "-"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return [line.split(",")[-1].strip() for line in done.stdout.splitlines() if not line.startswith("#")]


def rendered(folder: Path, case: str) -> list[str]:
    name, args = CASES[case]
    if "1080i50" in args:
        args = (*args, *SPEED_1080)
    cfg = campaign(folder, name)
    done = run_ticker("render", cfg, "-o", folder / "out", "--json", *args, cwd=folder, timeout=600)
    (output,) = json.loads(done.stdout)["outputs"]
    return framemd5(Path(output["path"]))


def sheet(folder: Path) -> str:
    """The contact sheet's pixels (the whole crawl, phase 0 of the strip) of the pieces campaign."""
    cfg = campaign(folder, "pieces")
    run_ticker("preview", cfg, "-o", folder / "preview", "--profile", "576i50", cwd=folder, timeout=600)
    with Image.open(folder / "preview" / "test_contact.png") as im:
        return hashlib.md5(im.convert("RGB").tobytes()).hexdigest()


def letter(folder: Path, characters: int, profile: str) -> Path:
    """A campaign of one message `characters` long (an official letter pasted whole), with one loop output."""
    sentence = "Đề nghị người dân tải ứng dụng Khai báo y tế phòng dịch NCOVI để được hỗ trợ nhanh nhất. "
    text = sentence * (characters // len(sentence) + 1)
    return write_campaign(
        folder,
        f'[[output]]\nprofile = "{profile}"\nformat = "qtrle"\nloop = true\n',
        base=f'[campaign]\nname = "letter"\nstart = 2020-03-12\nend = 2020-03-15\n[[message]]\n'
        f'text = "{text[:characters].strip()}"\n',
    )


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", list(CASES))
def test_short_crawls_make_the_pictures_they_made_as_one_picture(tmp_path, golden, case):
    assert rendered(tmp_path, case) == golden[case]


def test_the_contact_sheet_is_the_one_it_was(tmp_path, golden):
    assert sheet(tmp_path) == golden["contact sheet"]


def test_a_2000_character_letter_is_checked_at_1080i50(tmp_path):
    """Drawn as one picture, it passed Pillow's decompression-bomb limit (a traceback)."""
    done = run_ticker("check", letter(tmp_path, 2000, "1080i50"), cwd=tmp_path, timeout=120)
    assert "letter_1080i50_qtrle_loop.mov" in done.stdout and "Traceback" not in done.stderr


def test_a_9000_character_letter_renders_as_a_seamless_loop(tmp_path):
    """Beyond the old limit at 576i50 too (about 8,000 characters); the render's own checks decode every frame
    and the loop's seam."""
    cfg = letter(tmp_path, 9000, "576i50")
    done = run_ticker("render", cfg, "-o", tmp_path / "out", "--json", "--speed", "5000", cwd=tmp_path, timeout=600)
    (output,) = json.loads(done.stdout)["outputs"]
    assert output["frames"] > 400 and Path(output["path"]).is_file()


if __name__ == "__main__" and sys.argv[1:] == ["--rewrite"]:
    import tempfile

    found: dict = {}
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            found[case] = rendered(Path(tmp), case)
            print(case, len(found[case]), "frames")
    with tempfile.TemporaryDirectory() as tmp:
        found["contact sheet"] = sheet(Path(tmp))
    GOLDEN.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
