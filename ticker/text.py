"""Turning what an operator pasted into clean NFC Vietnamese, and checking every character against the fonts."""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont, features

from ticker.errors import ConfigError, TextError

BUNDLED_FONTS = ("NotoSans-Regular", "NotoSans-Bold")


def normalise(text: str) -> str:
    """NFC, with every run of white space (a message may span lines in the file) folded to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def normalise_spacing(text: str) -> str:
    """NFC, with every white-space character made a plain space but runs kept (a separator's spacing)."""
    return "".join(" " if ch.isspace() and ch != "\u00a0" else ch for ch in unicodedata.normalize("NFC", text))


def layout_engine() -> str:
    """'raqm' (HarfBuzz shaping, GPOS kerning, marks placed by the font) or 'basic' (Pillow's fallback)."""
    return "raqm" if features.check("raqm") else "basic"


def bundled_fonts_dir() -> Path:
    """The fonts shipped with ticker: inside the installed package, or fonts/ beside it in a source tree."""
    installed = resources.files("ticker") / "fonts"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parent.parent / "fonts"


def resolve_font(name: str, base_dir: Path, where: str = "style.font") -> Path:
    """A bundled font by name (NotoSans-Bold), or a font file relative to the campaign file."""
    stem = name.removesuffix(".ttf")
    if stem in BUNDLED_FONTS:
        return bundled_fonts_dir() / f"{stem}.ttf"
    path = base_dir / Path(name).expanduser()
    if not path.is_file():
        raise ConfigError(f"{base_dir}: {where} '{name}' is neither a bundled font "
                          f"({', '.join(BUNDLED_FONTS)}) nor a font file.")
    return path.resolve()


@functools.lru_cache(maxsize=16)
def font_charset(path: Path) -> frozenset[int]:
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception as e:  # fontTools raises many kinds for a file that is not a font
        raise ConfigError(f"{path}: not a usable font file ({e}).") from None


def load_font(path: Path, size: float) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if layout_engine() == "raqm" else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size=size, layout_engine=engine)


def check_glyphs(text: str, font_path: Path, where: str) -> None:
    """Stop on the first character the font cannot draw: never a box on air.

    `text` is the message as written (NFC); the position is given as line and column of it.
    """
    charset = font_charset(font_path)
    line, col = 1, 0
    for ch in text:
        if ch == "\n":
            line, col = line + 1, 0
            continue
        col += 1
        if ch.isspace() and ch != "\u00a0":
            continue
        if unicodedata.category(ch) in ("Cc", "Cf") or ord(ch) not in charset:
            name = unicodedata.name(ch, "unnamed character")
            raise TextError(f"{where}: character {ch!r} (U+{ord(ch):04X} {name}) at line {line}, column {col} "
                            f"cannot be drawn with font {font_path.name}.")
