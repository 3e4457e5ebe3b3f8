"""What a run keeps (ticker.engine.Caches) is kept by the files it was read from: a long-lived owner (the
desk holds one for weeks) reads a font again once it is replaced on disk under the same name."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import numpy as np
from fontTools import subset
from fontTools.ttLib import TTFont
from PIL import Image

from ticker.campaign.config import load_campaign
from ticker.engine import Caches, band_frame
from ticker.files.manifest import file_digest
from ticker.vietnamese.text import bundled_fonts_dir, font_charset

EXAMPLE = Path(__file__).resolve().parents[1] / "configs" / "hau-giang-ncovi.toml"


def _replace(source: Path, target: Path) -> None:
    """`source`'s bytes put under `target`'s name, as an operator copies a new font over the old one."""
    shutil.copyfile(source, target.with_suffix(".new"))
    os.replace(target.with_suffix(".new"), target)


def _picture(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_a_font_replaced_under_the_same_name_is_drawn_again_by_the_same_owner(tmp_path):
    fonts = bundled_fonts_dir()
    house = tmp_path / "house.ttf"
    shutil.copyfile(fonts / "NotoSans-Regular.ttf", house)
    text = EXAMPLE.read_text(encoding="utf-8").replace('font = "NotoSans-Bold"', 'font = "house.ttf"', 1)
    assert 'font = "house.ttf"' in text
    (tmp_path / "campaign.toml").write_text(text, encoding="utf-8")
    caches = Caches()  # one owner, as the desk holds it

    regular = band_frame(load_campaign(tmp_path / "campaign.toml"), caches=caches)
    assert len(caches.tracks) > 0 and len(caches.fonts) > 0  # the owner keeps what it drew and read
    assert band_frame(load_campaign(tmp_path / "campaign.toml"), caches=caches).png == regular.png
    _replace(fonts / "NotoSans-Bold.ttf", house)
    bold = band_frame(load_campaign(tmp_path / "campaign.toml"), caches=caches)

    assert bold.png == band_frame(load_campaign(tmp_path / "campaign.toml"), caches=Caches()).png  # as new
    y, h = bold.figures["band_y"], bold.figures["band_height"]
    changed = np.abs(_picture(bold.png)[y : y + h] - _picture(regular.png)[y : y + h]).max(axis=2)
    assert (changed > 40).sum() > 500  # the bold letters, not the regular ones kept from before


def test_a_fonts_characters_and_a_files_digest_are_read_again_once_it_is_replaced(tmp_path):
    caches = Caches()
    font = tmp_path / "house.ttf"
    shutil.copyfile(bundled_fonts_dir() / "NotoSans-Regular.ttf", font)
    digest = file_digest(font, digests=caches.digests)
    assert ord("ệ") in font_charset(font, caches.fonts) and file_digest(font, digests=caches.digests) == digest

    ascii_only = tmp_path / "ascii.ttf"  # the same font mapping only the ASCII characters
    with TTFont(font) as whole:
        cut = subset.Subsetter(subset.Options())
        cut.populate(unicodes=range(0x20, 0x7F))
        cut.subset(whole)
        whole.save(ascii_only)
    _replace(ascii_only, font)

    assert ord("ệ") not in font_charset(font, caches.fonts) and ord("a") in font_charset(font, caches.fonts)
    assert file_digest(font, digests=caches.digests) != digest
