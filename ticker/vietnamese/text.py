"""Turning what an operator pasted into clean NFC Vietnamese, and checking every character against the fonts."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont, features

from ticker.errors import ConfigError, FileProblem, Refusal, TextError, shown
from ticker.files import Memo, file_key, read_input, user_path
from ticker.files.inputs import FONT_LIMIT, regular_file

BUNDLED_FONTS = ("NotoSans-Regular", "NotoSans-Bold")


def normalise(text: str) -> str:
    """NFC, with every run of white space (a message may span lines in the file) folded to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def layout_engine() -> str:
    """'raqm' (HarfBuzz shaping, GPOS kerning, marks placed by the font) or 'basic' (Pillow's fallback)."""
    return "raqm" if features.check("raqm") else "basic"


def bundled_fonts_dir() -> Path:
    """The fonts shipped with ticker, inside the package (ticker/fonts)."""
    return Path(str(resources.files("ticker") / "fonts"))


def resolve_font(name: str, base_dir: Path, where: str = "style.font", campaign_file: Path | None = None) -> Path:
    """A bundled font by name (NotoSans-Bold), or a font file relative to the campaign file: a regular file
    of at most FONT_LIMIT bytes (a FIFO would hang the font libraries that open it). Sentences name the
    campaign file when it is given, else its folder."""
    stem = name.removesuffix(".ttf")
    source = campaign_file or base_dir
    if stem in BUNDLED_FONTS:
        return bundled_fonts_dir() / f"{stem}.ttf"
    try:
        path = user_path(name, base_dir)
    except FileProblem as e:
        raise ConfigError(f"{source}: {where} {e.reason} (got {shown(name)}).") from None
    if not os.path.exists(path):
        raise ConfigError(
            f"{source}: {where} '{name}' is neither a bundled font ({', '.join(BUNDLED_FONTS)}) nor a font file."
        )
    try:
        return regular_file(path, "font file", FONT_LIMIT)
    except FileProblem as e:
        raise ConfigError(f"{source}: {where} names {path}, which {e.reason}.") from None


FONT_MAGICS = (b"\x00\x01\x00\x00", b"true", b"OTTO", b"ttcf", b"wOFF", b"wOF2")
OUTLINES = {"glyf", "CFF ", "CFF2"}


@dataclass(frozen=True)
class FontFacts:
    """What ticker reads from a font with fontTools: the characters it maps, and the capitals' height."""

    charset: frozenset[int]
    cap_height: float  # in ems: OS/2's sCapHeight, or 0.7 where the font does not say


def _examine(data: bytes) -> FontFacts | str:
    """A font's facts, or why its bytes are not a font ticker draws with. fontTools reads every table the file
    lists (a file cut short fails here, not in the middle of a check or a render) and the ones ticker uses, the
    font has outlines, and FreeType loads it and measures every character it maps (a damaged glyph fails here)."""
    if data[:4] not in FONT_MAGICS:
        return "is not a font (no TrueType, OpenType or font collection header)"
    try:
        with TTFont(io.BytesIO(data), lazy=True, fontNumber=0) as font:
            tags = set(font.keys())
            for tag in list(font.reader.tables):
                font.reader[tag]  # the table's bytes, all of them: a truncated file raises TTLibError
            charset = frozenset(font.getBestCmap() or {})
            em = font["head"].unitsPerEm
            cap = (getattr(font.get("OS/2"), "sCapHeight", 0) or 0.7 * em) / em
    except Exception as e:  # fontTools raises what the bytes make it raise
        return f"is not a font fontTools can read ({type(e).__name__}: {e})"
    if not tags & OUTLINES:
        return "is a font without outlines (no glyf, CFF or CFF2 table)"
    try:
        face = ImageFont.truetype(io.BytesIO(data), size=12, layout_engine=ImageFont.Layout.BASIC)
        face.getbbox("".join(chr(c) for c in sorted(charset) if chr(c).isprintable()) or " ")
    except (OSError, ValueError) as e:
        return f"is not a usable font file (FreeType: {e})"
    return FontFacts(charset, cap)


def font_problem(data: bytes) -> str | None:
    """Why a font file's bytes are not a font ticker draws with, or None."""
    found = _examine(data)
    return found if isinstance(found, str) else None


# the fonts' facts for a caller that owns no memo of its own (a campaign read outside a run); a run (ticker.engine
# Caches) passes its own
FONTS: Memo[FontFacts] = Memo(16)


def font_facts(path: Path, fonts: Memo[FontFacts] | None = None) -> FontFacts:
    """The font's facts; FileProblem (its one sentence) when font_problem has one. They are kept in `fonts` by
    the file's identity (ticker.files.memo), so they are read again when the file changes (a desk runs for weeks; a
    font may be replaced by a damaged copy meanwhile)."""
    key = file_key(path)
    if key is None:  # read_input says why
        return _facts(path)
    return (FONTS if fonts is None else fonts).get(key, lambda: _facts(path))


def _facts(path: Path) -> FontFacts:
    found = _examine(read_input(path, "font file", FONT_LIMIT))
    if isinstance(found, str):
        raise FileProblem(path, found)
    return found


def font_charset(path: Path, fonts: Memo[FontFacts] | None = None) -> frozenset[int]:
    """The characters the font maps."""
    return font_facts(path, fonts).charset


def load_font(path: Path, size: float) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if layout_engine() == "raqm" else ImageFont.Layout.BASIC
    try:
        return ImageFont.truetype(str(path), size=size, layout_engine=engine)
    except (OSError, ValueError) as e:  # a file changed since it was checked
        raise FileProblem(path, f"is not a usable font file (FreeType: {e})") from None


def font_runs(
    text: str, font_path: Path, fallback_path: Path | None, fonts: Memo[FontFacts] | None = None
) -> list[tuple[str, Path]]:
    """Split the text into runs for the main font and for the fallback (what the main font lacks); white space
    stays with the run it is in."""
    main = font_charset(font_path, fonts)
    runs: list[tuple[str, Path]] = []
    for ch in text:
        path = font_path if (fallback_path is None or ord(ch) in main or ch.isspace()) else fallback_path
        if runs and (runs[-1][1] == path or ch.isspace()):
            runs[-1] = (runs[-1][0] + ch, runs[-1][1])
        else:
            runs.append((ch, path))
    return runs


URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def upper(text: str) -> str:
    """Vietnamese capitals ("đề nghị" → "ĐỀ NGHỊ": Unicode case mapping), leaving web addresses as they are
    (their paths are case-sensitive)."""
    out, last = [], 0
    for m in URL.finditer(text):
        out += [text[last : m.start()].upper(), m.group()]
        last = m.end()
    return "".join(out) + text[last:].upper()


def leftover_marks(text: str) -> list[tuple[int, str]]:
    """Combining marks that NFC could not join to their letter (a tone typed before its circumflex, say):
    (column, character) for each. They are drawn, but the font places them, not a precomposed glyph."""
    return [(i, ch) for i, ch in enumerate(text, 1) if unicodedata.category(ch) == "Mn"]


def check_glyphs(
    text: str,
    font_path: Path,
    where: str,
    fallback_path: Path | None = None,
    key: str = "",
    fonts: Memo[FontFacts] | None = None,
) -> None:
    """Stop on the first character neither the font nor its fallback can draw: never a box on air.

    `text` is the message as written (NFC); the position is given as line and column of it. `where` begins the
    sentence; the TextError's refusal names `key` (as the campaign file writes it: "message[2].text") and the
    character, with its line and column.
    """
    charset = font_charset(font_path, fonts) | (font_charset(fallback_path, fonts) if fallback_path else frozenset())
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
            named = font_path.name + (f" or {fallback_path.name}" if fallback_path else "")
            reason = (
                f"character {ch!r} (U+{ord(ch):04X} {name}) at line {line}, column {col} "
                f"cannot be drawn with font {named}"
            )
            facts = {"code": f"U+{ord(ch):04X}", "line": line, "column": col, "font": named}
            raise TextError(f"{where}: {reason}.", [Refusal(key, ch, reason, "glyph", facts)])
