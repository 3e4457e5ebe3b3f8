"""Recognising legacy Vietnamese encodings in what an operator pasted or loaded, and converting to NFC.

Text copied out of old letters reaches ticker as TCVN3 (ABC, .VnTime fonts), VNI-Windows, VIQR, VISCII,
UTF-8 mis-read as Windows-1252 ("Viá»‡t"), or decomposed Unicode. A file gives raw bytes; a paste gives, for
an 8-bit font, the Windows-1252 characters of its bytes (the five bytes cp1252 leaves undefined, 0x81 0x8D
0x8F 0x90 0x9D, arrive as U+0081 etc.). Internally both become a "byte view": a str with one code point
≤ 0xFF per byte, other characters passing through untouched.

Decisions (which encoding a text is in: ticker.vietnamese.detection):
- "tcvn3" is TCVN 5712:1993 VN3, the ABC set: lowercase letters with tones and Ă Â Ê Ô Ơ Ư Đ, no toned
  capitals. The extra capitals of VN1 (glibc's TCVN5712-1) are NOT read as letters: those on C0 controls
  (0x01 0x02 0x04-0x06 0x11-0x17) stay control characters, those on 0x80-0x9F, 0xAF, 0xBA, 0xBF-0xC5, 0xCD,
  0xD9-0xDB, 0xE0, 0xF0, 0xFF read as their Windows-1252 characters. VN3 fonts keep Word's curly quotes and
  dashes at 0x91-0x97 (Unikey's TCVN3 table maps them to themselves); reading them as VN1's Ị Ò Ỏ Õ Ó Ọ Ộ
  would wreck punctuation. Writing TCVN3, a toned capital gets its lowercase byte (what .VnTimeH fonts draw
  as a capital), so "Ấ" comes back as "ấ": the only lossy case. U+00AD (soft hyphen) is read as ư (0xAD).
- Characters a legacy set cannot hold (or whose Windows-1252 byte it uses for a letter) raise
  LegacyEncodingError when writing; reading never fails for the 8-bit sets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import ftfy

from ticker.errors import LegacyEncodingError, Refusal
from ticker.vietnamese.syllables import SPLIT, TONES, is_syllable, nfc

ENCODINGS = ("unicode", "nfd", "utf8-as-cp1252", "tcvn3", "vni", "viqr", "viscii")
LABELS = {
    "unicode": "Unicode",
    "nfd": "decomposed Unicode (NFD)",
    "utf8-as-cp1252": "UTF-8 read as Windows-1252",
    "tcvn3": "TCVN3",
    "vni": "VNI",
    "viqr": "VIQR",
    "viscii": "VISCII",
}


def _letter(base: str, tone: int, upper: bool = False) -> str:
    ch = nfc(base + TONES[tone])
    return ch.upper() if upper else ch


# ---- byte views ------------------------------------------------------------------------------------------
_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_C1 = "".join(chr(b) if b in _UNDEFINED else bytes([b]).decode("cp1252") for b in range(0x80, 0xA0))
_FROM_SHOWN = {c: chr(0x80 + i) for i, c in enumerate(_CP1252_C1)}


def byte_view(s: str) -> str:
    """Pasted characters back to the bytes they show; characters no byte shows pass through."""
    return "".join(_FROM_SHOWN.get(c, c) for c in s)


def shown_text(view: str) -> str:
    """A byte view the way Windows-1252 shows it (the inverse of byte_view)."""
    return "".join(_CP1252_C1[ord(c) - 0x80] if 0x80 <= ord(c) < 0xA0 else c for c in view)


# ---- the 8-bit tables ------------------------------------------------------------------------------------
# Each row: the bytes for the base letter with ngang, sắc, huyền, hỏi, ngã, nặng (hex, one letter per group).
# TCVN3 (VN3): generated with glibc `iconv -t TCVN5712-1` (VN1, same bytes for these letters) and checked
# against Unikey's vnconv table "TCVN3" (github.com/vn-input/ibus-unikey, ukengine/data.cpp, SingleByteTables).
_TCVN3_ROWS = {
    "a": "61 b8 b5 b6 b7 b9",
    "ă": "a8 be bb bc bd c6",
    "â": "a9 ca c7 c8 c9 cb",
    "e": "65 d0 cc ce cf d1",
    "ê": "aa d5 d2 d3 d4 d6",
    "i": "69 dd d7 d8 dc de",
    "o": "6f e3 df e1 e2 e4",
    "ô": "ab e8 e5 e6 e7 e9",
    "ơ": "ac ed ea eb ec ee",
    "u": "75 f3 ef f1 f2 f4",
    "ư": "ad f8 f5 f6 f7 f9",
    "y": "79 fd fa fb fc fe",
    "đ": "ae",
}
_TCVN3_CAPS = {"Ă": "a1", "Â": "a2", "Ê": "a3", "Ô": "a4", "Ơ": "a5", "Ư": "a6", "Đ": "a7"}
# VNI-Windows, lowercase: a base byte, then a mark byte. Capitals: the ASCII capital, and every byte >= 0xE0
# minus 0x20 (the Latin-1 capital of the mark). From Unikey's vnconv table "VNI-WIN"
# (github.com/vn-input/ibus-unikey, ukengine/data.cpp, DoubleByteTables; word = mark << 8 | base).
_VNI_ROWS = {
    "a": "61 61f9 61f8 61fb 61f5 61ef",
    "ă": "61ea 61e9 61e8 61fa 61fc 61eb",
    "â": "61e2 61e1 61e0 61e5 61e3 61e4",
    "e": "65 65f9 65f8 65fb 65f5 65ef",
    "ê": "65e2 65e1 65e0 65e5 65e3 65e4",
    "i": "69 ed ec e6 f3 f2",
    "o": "6f 6ff9 6ff8 6ffb 6ff5 6fef",
    "ô": "6fe2 6fe1 6fe0 6fe5 6fe3 6fe4",
    "ơ": "f4 f4f9 f4f8 f4fb f4f5 f4ef",
    "u": "75 75f9 75f8 75fb 75f5 75ef",
    "ư": "f6 f6f9 f6f8 f6fb f6f5 f6ef",
    "y": "79 79f9 79f8 79fb 79f5 ee",
    "đ": "f1",
}
# VISCII (RFC 1456): bytes 0x80-0xFF, then the six capitals on C0 codes. Generated with glibc `iconv -f VISCII`.
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ"
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡưàáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ"
)
_VISCII_C0 = {"\x02": "Ẳ", "\x05": "Ẵ", "\x06": "Ẫ", "\x14": "Ỷ", "\x19": "Ỹ", "\x1e": "Ỵ"}


@dataclass(frozen=True)
class _Table:
    decode: dict[str, str]  # byte view (1 or 2 code points) -> letter
    encode: dict[str, str]  # letter -> byte view
    used: frozenset[str]  # byte-view characters that are (part of) a letter


def _rows(rows: dict[str, str], upper: Callable[[str], str]) -> dict[str, str]:
    """letter -> byte view for both cases, from lowercase rows of hex groups and a rule for capitals."""
    enc = {}
    for base, groups in rows.items():
        for tone, group in enumerate(groups.split()):
            low = _letter(base, tone) if base != "đ" else "đ"
            enc[low] = bytes.fromhex(group).decode("latin-1")
            enc[low.upper()] = upper(enc[low])
    return enc


def _table(enc: dict[str, str], extra_decode: dict[str, str] | None = None) -> _Table:
    # a capital sharing its lowercase's bytes (TCVN3) is written but never read back: reading gives lowercase
    dec = {v: k for k, v in enc.items() if not (k.isupper() and enc.get(k.lower()) == v)}
    dec.update(extra_decode or {})
    used = frozenset(c for v in dec for c in v if ord(c) >= 0x80 or ord(c) < 0x20)
    return _Table(dec, enc, used)


def _vni_upper(view: str) -> str:
    return "".join(c.upper() if c < "\x80" else chr(ord(c) - 0x20) for c in view)


def _tcvn3_upper(view: str) -> str:
    return view.upper() if view.isascii() else view  # no toned capitals: the lowercase byte (lossy)


_tcvn3 = _rows(_TCVN3_ROWS, _tcvn3_upper) | {k: bytes.fromhex(v).decode("latin-1") for k, v in _TCVN3_CAPS.items()}
_vni = _rows(_VNI_ROWS, _vni_upper)
# VNI typed with a mark of the other case ("Aù") is still read, in the case of the base letter.
_vni_mixed = {v[0] + v[1].swapcase(): k for k, v in _vni.items() if len(v) == 2}
_viscii = {c: chr(0x80 + i) for i, c in enumerate(_VISCII_HIGH)} | {v: k for k, v in _VISCII_C0.items()}
TABLES = {"tcvn3": _table(_tcvn3), "vni": _table(_vni, _vni_mixed), "viscii": _table(_viscii)}


def decode_table(view: str, tab: _Table) -> str:
    out, i, n = [], 0, len(view)
    while i < n:
        if i + 1 < n and view[i : i + 2] in tab.decode:
            out.append(tab.decode[view[i : i + 2]])
            i += 2
            continue
        out.append(tab.decode.get(view[i]) or shown_text(view[i]))
        i += 1
    return "".join(out)


def _encode_table(text: str, tab: _Table, name: str) -> str:
    out = []
    for ch in text:
        view = tab.encode.get(ch)
        if view is None:
            view = _FROM_SHOWN.get(ch, ch)
            if ord(view) > 0xFF or view in tab.used or (0x80 <= ord(ch) < 0xA0 and ord(ch) not in _UNDEFINED):
                said = f"character {ch!r} (U+{ord(ch):04X}) cannot be written in {LABELS[name]}"
                raise LegacyEncodingError(f"{said}.", [Refusal("", ch, said, "legacy-encoding")])
        out.append(view)
    return "".join(out)


# ---- VIQR (RFC 1456) -------------------------------------------------------------------------------------
_VIQR_SHAPE = {("a", "("): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô", ("o", "+"): "ơ", ("u", "+"): "ư"}
_VIQR_OF_SHAPE = {v: k for k, v in _VIQR_SHAPE.items()}
_VIQR_TONE = ("", "'", "`", "?", "~", ".")
_VIQR_MARKS = frozenset("(^+'`?~.")
_VIQR_ESC = _VIQR_MARKS | {"d", "D", "\\"}
URL_TOKEN = re.compile(r"://|@|^\W*www\.", re.IGNORECASE)  # copied literally: only backslash escapes apply


def viqr_decode(text: str) -> tuple[str, bool]:
    """The text, and whether a mark that plain English hardly uses (( ^ + ` ~, dd, or . ? inside a word)
    was read: "Go. So." reads as "Gọ Sọ", which alone must not count as VIQR.

    A full stop or question mark that ends a word is punctuation, not a tone, when the word already carries
    its tone ("ngu+o+`i." is "người.") or when as a tone it would sit where Vietnamese never puts one ("to^i."
    is "tôi.", never "tôị")."""
    out: list[str] = []
    evidence = False
    for tok in re.split(r"(\s+)", text):
        url = bool(URL_TOKEN.search(tok))
        i, n = 0, len(tok)
        word, toned = len(out), False  # where the word being read starts in `out`, and whether it has a tone
        while i < n:
            c = tok[i]
            nxt = tok[i + 1] if i + 1 < n else ""
            if c == "\\" and nxt and nxt in _VIQR_ESC:
                out.append(nxt)
                i += 2
            elif url:
                out.append(c)
                i += 1
            elif c in "dD" and (nxt == "d" or (c == "D" and nxt == "D")):
                out.append("đ" if c == "d" else "Đ")
                evidence, i = True, i + 2
            elif c.lower() in "aeiouy":
                base, j = c.lower(), i + 1
                if j < n and (base, tok[j]) in _VIQR_SHAPE:
                    base, j, evidence = _VIQR_SHAPE[base, tok[j]], j + 1, True
                tone = 0
                if j < n and tok[j] in _VIQR_TONE[1:] and not _ends_sentence(tok, j, out[word:], base, toned):
                    tone, j = _VIQR_TONE.index(tok[j]), j + 1
                    evidence |= tok[j - 1] in "`~" or (tok[j - 1] in ".?" and j < n and tok[j].isalpha())
                    toned = True
                out.append(_letter(base, tone, c.isupper()))
                i = j
            else:
                out.append(c)
                i += 1
            if not out[-1].isalpha():
                word, toned = len(out), False
    return "".join(out), evidence


def _ends_sentence(tok: str, at: int, before: list[str], base: str, toned: bool) -> bool:
    """Whether the . or ? at `tok[at]`, after the vowel `base` and the word's letters `before`, is
    punctuation rather than a tone."""
    after = tok[at + 1 : at + 3]
    if tok[at] not in ".?" or after[:1].isalpha() or (after[:1] == "\\" and after[1:] in ("d", "D")):
        return False  # a letter follows (\d is one): the mark is inside the word
    if toned:
        return True
    stem = "".join(before)
    return is_syllable(stem + base) and not is_syllable(stem + _letter(base, _VIQR_TONE.index(tok[at])))


def _viqr_encode(text: str) -> str:
    """RFC 1456 VIQR, escaping so that viqr_decode gives the text back exactly: a literal mark after a vowel
    and a literal d after d get a backslash, and so does a backslash before anything escapable."""
    out: list[str] = []
    for tok in re.split(r"(\s+)", text):
        if URL_TOKEN.search(tok):  # decoded literally: only backslashes before escapable characters need care
            out.append(
                "".join(
                    "\\\\" if c == "\\" and tok[i + 1 : i + 2] in _VIQR_ESC and tok[i + 1 : i + 2] else c
                    for i, c in enumerate(tok)
                )
            )
            continue
        pieces: list[str] = []
        prev = ""
        for k, ch in enumerate(tok):
            low = ch.lower()
            if low in SPLIT:
                base, tone = SPLIT[low]
                b, shape = _VIQR_OF_SHAPE.get(base, (base, ""))
                piece = (b.upper() if ch != low else b) + shape + _VIQR_TONE[tone]
            elif low == "đ":
                piece = "DD" if ch == "Đ" else "dd"
            elif (ch in _VIQR_MARKS and prev.lower() in SPLIT) or (
                ch in "dD" and (prev in ("d", "D") or tok[k + 1 : k + 2] in ("đ", "Đ"))
            ):
                piece = "\\" + ch
            else:
                piece = ch
            pieces.append(piece)
            prev = ch
        for k, piece in enumerate(pieces):
            if piece == "\\" and k + 1 < len(pieces) and pieces[k + 1][0] in _VIQR_ESC:
                piece = "\\\\"
            out.append(piece)
    return "".join(out)


# ---- conversion API --------------------------------------------------------------------------------------
def utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LegacyEncodingError(f"not UTF-8 text ({e}).") from None


def fix_mojibake(text: str) -> str:
    """UTF-8 that was read as Windows-1252: undo it exactly when every character is a byte, else ftfy."""
    view = byte_view(text)
    if all(ord(c) <= 0xFF for c in view):
        try:
            return view.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            pass
    return ftfy.fix_encoding(text)


def to_unicode(data: str | bytes, encoding: str) -> str:
    """`data` converted from `encoding` to NFC. A str is pasted characters, bytes are a file's raw bytes."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; one of {', '.join(ENCODINGS)}")
    if encoding in TABLES:
        view = data.decode("latin-1") if isinstance(data, bytes) else byte_view(nfc(data))
        return nfc(decode_table(view, TABLES[encoding]))
    text = utf8(data) if isinstance(data, bytes) else data
    if encoding == "viqr":
        return nfc(viqr_decode(nfc(text))[0])
    if encoding == "utf8-as-cp1252":
        return nfc(fix_mojibake(text))
    return nfc(text)


def from_unicode(text: str, encoding: str, *, as_bytes: bool = False) -> str | bytes:
    """`text` written in `encoding`: as the characters a paste would show, or with as_bytes the file's bytes
    (for utf8-as-cp1252: the mis-read text saved again as UTF-8; for unicode, nfd, viqr: UTF-8)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; one of {', '.join(ENCODINGS)}")
    text = nfc(text)
    if encoding in TABLES:
        view = _encode_table(text, TABLES[encoding], encoding)
        return view.encode("latin-1") if as_bytes else shown_text(view)
    out = {
        "viqr": _viqr_encode,
        "nfd": lambda t: unicodedata.normalize("NFD", t),
        "utf8-as-cp1252": lambda t: shown_text(t.encode("utf-8").decode("latin-1")),
    }.get(encoding, str)(text)
    return out.encode("utf-8") if as_bytes else out
