"""Vietnamese text: legacy encodings (TCVN3, VNI, VIQR) and detecting them, syllables, clean NFC, and every
character checked against the fonts."""

from ticker.vietnamese.detection import detect
from ticker.vietnamese.legacy import to_unicode
from ticker.vietnamese.text import check_glyphs, normalise, resolve_font

__all__ = ["check_glyphs", "detect", "normalise", "resolve_font", "to_unicode"]
