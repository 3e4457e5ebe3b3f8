"""Recognising legacy Vietnamese encodings in what an operator pasted or loaded, and converting to NFC.

Text copied out of old letters reaches ticker as TCVN3 (ABC, .VnTime fonts), VNI-Windows, VIQR, VISCII,
UTF-8 mis-read as Windows-1252 ("Viá»‡t"), or decomposed Unicode. A file gives raw bytes; a paste gives, for
an 8-bit font, the Windows-1252 characters of its bytes (the five bytes cp1252 leaves undefined, 0x81 0x8D
0x8F 0x90 0x9D, arrive as U+0081 etc.). Internally both become a "byte view": a str with one code point
≤ 0xFF per byte, other characters passing through untouched.

Decisions (see also `detect`):
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
import string
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import ftfy

from ticker.errors import TextError

ENCODINGS = ("unicode", "nfd", "utf8-as-cp1252", "tcvn3", "vni", "viqr", "viscii")
_LABEL = {"unicode": "Unicode", "nfd": "decomposed Unicode (NFD)", "utf8-as-cp1252": "UTF-8 read as Windows-1252",
          "tcvn3": "TCVN3", "vni": "VNI", "viqr": "VIQR", "viscii": "VISCII"}
THRESHOLD = 0.9   # share of counted words that must be Vietnamese syllables for a reading to be believed
TIE_MARGIN = 0.02  # two readings closer than this are a tie: ambiguous, nothing is rewritten
FOREIGN_SHARE = 1 / 3  # acronyms and (8-bit readings) unchanged foreign words set aside: at most this share
MIN_CHANGED = 2  # words a reading must turn into syllables, unless one of them has an ASCII letter too


class LegacyEncodingError(TextError, ValueError):
    """Text that cannot be written in (or read as) the requested encoding."""


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# ---- letters ---------------------------------------------------------------------------------------------
_BASES = "aăâeêioôơuưy"
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # ngang sắc huyền hỏi ngã nặng
_SPLIT = {_nfc(b + t): (b, i) for b in _BASES for i, t in enumerate(_TONES)}  # lowercase letter -> (base, tone)
LETTERS = tuple(sorted({c for lc in [*_SPLIT, "đ"] for c in (lc, lc.upper())} - set("aeiouyAEIOUY")))
assert len(LETTERS) == 134
_VIET_ONLY = frozenset(c for c in LETTERS if ord(c) > 0xFF)   # ă đ ơ ư ạ ế ...: never in Latin-1 text
_VIET_LETTERS = frozenset(LETTERS)


def _letter(base: str, tone: int, upper: bool = False) -> str:
    ch = _nfc(base + _TONES[tone])
    return ch.upper() if upper else ch


# ---- byte views ------------------------------------------------------------------------------------------
_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_C1 = "".join(chr(b) if b in _UNDEFINED else bytes([b]).decode("cp1252") for b in range(0x80, 0xA0))
_FROM_SHOWN = {c: chr(0x80 + i) for i, c in enumerate(_CP1252_C1)}


def _byte_view(s: str) -> str:
    """Pasted characters back to the bytes they show; characters no byte shows pass through."""
    return "".join(_FROM_SHOWN.get(c, c) for c in s)


def _shown(view: str) -> str:
    """A byte view the way Windows-1252 shows it (the inverse of _byte_view)."""
    return "".join(_CP1252_C1[ord(c) - 0x80] if 0x80 <= ord(c) < 0xA0 else c for c in view)


# ---- the 8-bit tables ------------------------------------------------------------------------------------
# Each row: the bytes for the base letter with ngang, sắc, huyền, hỏi, ngã, nặng (hex, one letter per group).
# TCVN3 (VN3): generated with glibc `iconv -t TCVN5712-1` (VN1, same bytes for these letters) and checked
# against Unikey's vnconv table "TCVN3" (github.com/vn-input/ibus-unikey, ukengine/data.cpp, SingleByteTables).
_TCVN3_ROWS = {
    "a": "61 b8 b5 b6 b7 b9", "ă": "a8 be bb bc bd c6", "â": "a9 ca c7 c8 c9 cb", "e": "65 d0 cc ce cf d1",
    "ê": "aa d5 d2 d3 d4 d6", "i": "69 dd d7 d8 dc de", "o": "6f e3 df e1 e2 e4", "ô": "ab e8 e5 e6 e7 e9",
    "ơ": "ac ed ea eb ec ee", "u": "75 f3 ef f1 f2 f4", "ư": "ad f8 f5 f6 f7 f9", "y": "79 fd fa fb fc fe",
    "đ": "ae",
}
_TCVN3_CAPS = {"Ă": "a1", "Â": "a2", "Ê": "a3", "Ô": "a4", "Ơ": "a5", "Ư": "a6", "Đ": "a7"}
# VNI-Windows, lowercase: a base byte, then a mark byte. Capitals: the ASCII capital, and every byte >= 0xE0
# minus 0x20 (the Latin-1 capital of the mark). From Unikey's vnconv table "VNI-WIN"
# (github.com/vn-input/ibus-unikey, ukengine/data.cpp, DoubleByteTables; word = mark << 8 | base).
_VNI_ROWS = {
    "a": "61 61f9 61f8 61fb 61f5 61ef", "ă": "61ea 61e9 61e8 61fa 61fc 61eb", "â": "61e2 61e1 61e0 61e5 61e3 61e4",
    "e": "65 65f9 65f8 65fb 65f5 65ef", "ê": "65e2 65e1 65e0 65e5 65e3 65e4", "i": "69 ed ec e6 f3 f2",
    "o": "6f 6ff9 6ff8 6ffb 6ff5 6fef", "ô": "6fe2 6fe1 6fe0 6fe5 6fe3 6fe4", "ơ": "f4 f4f9 f4f8 f4fb f4f5 f4ef",
    "u": "75 75f9 75f8 75fb 75f5 75ef", "ư": "f6 f6f9 f6f8 f6fb f6f5 f6ef", "y": "79 79f9 79f8 79fb 79f5 ee",
    "đ": "f1",
}
# VISCII (RFC 1456): bytes 0x80-0xFF, then the six capitals on C0 codes. Generated with glibc `iconv -f VISCII`.
_VISCII_HIGH = ("ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ"
                "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡưàáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ")
_VISCII_C0 = {"\x02": "Ẳ", "\x05": "Ẵ", "\x06": "Ẫ", "\x14": "Ỷ", "\x19": "Ỹ", "\x1e": "Ỵ"}


@dataclass(frozen=True)
class _Table:
    decode: dict[str, str]  # byte view (1 or 2 code points) -> letter
    encode: dict[str, str]  # letter -> byte view
    used: frozenset[str]    # byte-view characters that are (part of) a letter


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
_TABLES = {"tcvn3": _table(_tcvn3), "vni": _table(_vni, _vni_mixed), "viscii": _table(_viscii)}


def _decode_table(view: str, tab: _Table) -> str:
    out, i, n = [], 0, len(view)
    while i < n:
        if i + 1 < n and view[i:i + 2] in tab.decode:
            out.append(tab.decode[view[i:i + 2]])
            i += 2
            continue
        out.append(tab.decode.get(view[i]) or _shown(view[i]))
        i += 1
    return "".join(out)


def _encode_table(text: str, tab: _Table, name: str) -> str:
    out = []
    for ch in text:
        view = tab.encode.get(ch)
        if view is None:
            view = _FROM_SHOWN.get(ch, ch)
            if ord(view) > 0xFF or view in tab.used or (0x80 <= ord(ch) < 0xA0 and ord(ch) not in _UNDEFINED):
                raise LegacyEncodingError(f"character {ch!r} (U+{ord(ch):04X}) cannot be written in {_LABEL[name]}.")
        out.append(view)
    return "".join(out)


# ---- VIQR (RFC 1456) -------------------------------------------------------------------------------------
_VIQR_SHAPE = {("a", "("): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô", ("o", "+"): "ơ", ("u", "+"): "ư"}
_VIQR_OF_SHAPE = {v: k for k, v in _VIQR_SHAPE.items()}
_VIQR_TONE = ("", "'", "`", "?", "~", ".")
_VIQR_MARKS = frozenset("(^+'`?~.")
_VIQR_ESC = _VIQR_MARKS | {"d", "D", "\\"}
_URL_TOKEN = re.compile(r"://|@|^\W*www\.", re.IGNORECASE)  # copied literally: only backslash escapes apply


def _viqr_decode(text: str) -> tuple[str, bool]:
    """The text, and whether a mark that plain English hardly uses (( ^ + ` ~, dd, or . ? inside a word)
    was read: "Go. So." reads as "Gọ Sọ", which alone must not count as VIQR.

    A full stop or question mark that ends a word is punctuation, not a tone, when the word already carries
    its tone ("ngu+o+`i." is "người.") or when as a tone it would sit where Vietnamese never puts one ("to^i."
    is "tôi.", never "tôị")."""
    out: list[str] = []
    evidence = False
    for tok in re.split(r"(\s+)", text):
        url = bool(_URL_TOKEN.search(tok))
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
    after = tok[at + 1:at + 3]
    if tok[at] not in ".?" or after[:1].isalpha() or (after[:1] == "\\" and after[1:] in ("d", "D")):
        return False  # a letter follows (\d is one): the mark is inside the word
    if toned:
        return True
    stem = "".join(before)
    return is_syllable(stem + base) and not is_syllable(stem + _letter(base, _VIQR_TONE.index(tok[at])))


def _viqr_encode(text: str) -> str:
    """RFC 1456 VIQR, escaping so that _viqr_decode gives the text back exactly: a literal mark after a vowel
    and a literal d after d get a backslash, and so does a backslash before anything escapable."""
    out: list[str] = []
    for tok in re.split(r"(\s+)", text):
        if _URL_TOKEN.search(tok):  # decoded literally: only backslashes before escapable characters need care
            out.append("".join("\\\\" if c == "\\" and tok[i + 1:i + 2] in _VIQR_ESC and tok[i + 1:i + 2]
                               else c for i, c in enumerate(tok)))
            continue
        pieces: list[str] = []
        prev = ""
        for k, ch in enumerate(tok):
            low = ch.lower()
            if low in _SPLIT:
                base, tone = _SPLIT[low]
                b, shape = _VIQR_OF_SHAPE.get(base, (base, ""))
                piece = (b.upper() if ch != low else b) + shape + _VIQR_TONE[tone]
            elif low == "đ":
                piece = "DD" if ch == "Đ" else "dd"
            elif (ch in _VIQR_MARKS and prev.lower() in _SPLIT) or \
                    (ch in "dD" and (prev in ("d", "D") or tok[k + 1:k + 2] in ("đ", "Đ"))):
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
def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LegacyEncodingError(f"not UTF-8 text ({e}).") from None


def _fix_mojibake(text: str) -> str:
    """UTF-8 that was read as Windows-1252: undo it exactly when every character is a byte, else ftfy."""
    view = _byte_view(text)
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
    if encoding in _TABLES:
        view = data.decode("latin-1") if isinstance(data, bytes) else _byte_view(_nfc(data))
        return _nfc(_decode_table(view, _TABLES[encoding]))
    text = _utf8(data) if isinstance(data, bytes) else data
    if encoding == "viqr":
        return _nfc(_viqr_decode(_nfc(text))[0])
    if encoding == "utf8-as-cp1252":
        return _nfc(_fix_mojibake(text))
    return _nfc(text)


def from_unicode(text: str, encoding: str, *, as_bytes: bool = False) -> str | bytes:
    """`text` written in `encoding`: as the characters a paste would show, or with as_bytes the file's bytes
    (for utf8-as-cp1252: the mis-read text saved again as UTF-8; for unicode, nfd, viqr: UTF-8)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; one of {', '.join(ENCODINGS)}")
    text = _nfc(text)
    if encoding in _TABLES:
        view = _encode_table(text, _TABLES[encoding], encoding)
        return view.encode("latin-1") if as_bytes else _shown(view)
    out = {"viqr": _viqr_encode, "nfd": lambda t: unicodedata.normalize("NFD", t),
           "utf8-as-cp1252": lambda t: _shown(t.encode("utf-8").decode("latin-1"))}.get(encoding, str)(text)
    return out.encode("utf-8") if as_bytes else out


# ---- syllables -------------------------------------------------------------------------------------------
_ONSETS = sorted("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split(), key=len, reverse=True)
# (medial, nucleus) -> codas ("-" = none; i y o u are semivowel codas). Nuclei iê uô ươ are spelled ia/ya,
# ua, ưa without a coda, and iê as yê with no onset or after u.
_RIMES = {(m, n): frozenset(c.replace("-", "") for c in codas.split()) for (m, n), codas in {
    ("", "a"): "- c ch m n ng nh p t i y o u", ("", "ă"): "c m n ng p t", ("", "â"): "c m n ng p t u y",
    ("", "e"): "- c m n ng p t o", ("", "ê"): "- ch m n nh p t u", ("", "i"): "- ch m n nh p t u",
    ("", "y"): "-", ("", "o"): "- c m n ng p t i", ("", "ô"): "- c m n ng p t i", ("", "ơ"): "- m n p t i",
    ("", "u"): "- c m n ng p t i", ("", "ư"): "- c m n ng t i u", ("", "iê"): "c m n ng p t u",
    ("", "ia"): "-", ("", "uô"): "c m n ng p t i", ("", "ua"): "-", ("", "ươ"): "c m n ng p t i u",
    ("", "ưa"): "-", ("", "oo"): "c ng",
    ("o", "a"): "- c ch m n ng nh p t i y", ("o", "ă"): "c m n ng t", ("o", "e"): "- n t o",
    ("u", "â"): "n ng t y", ("u", "ê"): "- ch n nh", ("u", "y"): "- ch n nh p t u", ("u", "ơ"): "-",
    ("u", "iê"): "n t", ("u", "ia"): "-",
}.items()}
_SPELLED = {"iê": "iê", "yê": "iê", "ia": "ia", "ya": "ia", "uô": "uô", "ua": "ua", "ươ": "ươ", "ưa": "ưa",
            "oo": "oo", **{b: b for b in _BASES}}
_SPELLINGS = sorted(_SPELLED, key=len, reverse=True)
_AFTER_QU = ("a", "ă", "â", "e", "ê", "i", "y", "ơ", "ô", "iê")
_FRONT = "ieêy"
_ENTERING = ("c", "ch", "p", "t")


def _rime_ok(s: str, onset: str, tone: int, tpos: int) -> bool:
    rest = s[len(onset):]
    if not rest or rest[0] not in _BASES:
        return False
    front = rest[0] in _FRONT
    if (onset in ("k", "gh", "ngh") and not front) or (onset in ("c", "ng") and front) or \
            (onset == "g" and rest[0] in "eê"):  # g before i is gi + i: gì, gìn
        return False
    for medial in ("", "o", "u"):
        if medial and (onset == "qu" or not rest.startswith(medial)):
            continue
        r = rest[len(medial):]
        for sp in _SPELLINGS:
            if not r.startswith(sp):
                continue
            nuc, coda = _SPELLED[sp], r[len(sp):]
            if (sp in ("yê", "ya") and not (medial == "u" or onset in ("", "qu"))) or \
                    (sp == "ya" and medial != "u") or (sp in ("iê", "ia") and (medial or onset == "qu")):
                continue  # iê is spelled yê with no onset or after u, ia is spelled ya after u
            if onset == "qu":
                codas = _RIMES.get(("u", nuc), frozenset()) | _RIMES.get(("", nuc), frozenset()) \
                    if nuc in _AFTER_QU else frozenset()
            else:
                codas = _RIMES.get((medial, nuc), frozenset())
            if coda not in codas:
                continue
            at = len(onset) + len(medial)
            allowed = {at + 1 if nuc in ("iê", "uô", "ươ", "oo") else at}
            if medial and len(nuc) == 1 and nuc in "aey" and not coda:
                allowed.add(at - 1)  # old placement: hòa, hòe, thủy
            if tone and tpos not in allowed:
                continue
            if coda in _ENTERING and tone not in (1, 5):  # entering tone: only sắc or nặng
                continue
            return True
    return False


def is_syllable(word: str) -> bool:
    """A valid Vietnamese syllable (NFC or not, any case); both tone placements (hoà, hòa) are accepted."""
    plain, tone, tpos = [], 0, -1
    for i, ch in enumerate(_nfc(word).lower()):
        if ch in _SPLIT:
            base, t = _SPLIT[ch]
            if t:
                if tone:
                    return False
                tone, tpos = t, i
            plain.append(base)
        elif ch in "bcdđghklmnpqrstvx":
            plain.append(ch)
        else:
            return False
    s = "".join(plain)
    return any(_rime_ok(s, o, tone, tpos) for o in [*(o for o in _ONSETS if s.startswith(o)), ""])


# ---- detection -------------------------------------------------------------------------------------------
_EDGE = string.punctuation + "“”‘’„‚«»‹›…–—•"
_WORDS = re.compile(r"[^\S\xa0]+")
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)


def _parts(text: str) -> Iterator[str]:
    """The words to judge: not web or mail addresses, domains, or anything with a digit (Covid-19,
    11/3/2020); hyphenated words give their parts (PC-Covid: PC, Covid); edge punctuation stripped."""
    for tok in _WORDS.split(text):  # not at U+00A0: mis-read UTF-8 "chÃ\xa0o" is one word, not "chÃ" + "o"
        if _URL_TOKEN.search(tok) or any(c.isdigit() for c in tok):
            continue
        tok = tok.strip(_EDGE)
        if _DOMAIN.fullmatch(tok):
            continue
        for part in re.split(r"[-–]", tok):
            part = part.strip(_EDGE)
            if any(c.isalpha() for c in part):
                yield part


def _score(text: str, foreign: frozenset[str] = frozenset()) -> tuple[int, int]:
    """(valid syllables, words counted). Set aside, while they are at most FOREIGN_SHARE of the words (or
    just one): all-caps ASCII non-syllables (acronyms: NCOVI, QR, PC) and the `foreign` words (see _choose).
    Past that share nothing is set aside: all-caps English must not pass as "acronyms around a syllable"."""
    judged = [(p, is_syllable(p)) for p in _parts(text)]
    aside = [p for p, ok in judged if not ok and (p in foreign or (p.isascii() and p.isupper() and len(p) >= 2))]
    if len(aside) <= max(1.0, FOREIGN_SHARE * len(judged)):
        judged = [(p, ok) for p, ok in judged if ok or p not in set(aside)]
    return sum(ok for _, ok in judged), len(judged)


def _viet(text: str) -> int:
    return sum(c in _VIET_LETTERS for c in text)


@dataclass(frozen=True)
class Detection:
    encoding: str      # one of ENCODINGS
    confidence: float  # 0..1
    text: str          # NFC: converted when sure, else the input unchanged
    converted: bool    # text differs from the input by more than NFC
    reason: str        # one short sentence for the user


def _pct(valid: int, n: int) -> str:
    """'97 % of 41 words are' (the verb agrees)."""
    return f"{round(100 * valid / n)} % of {n} " + ("words are" if n != 1 else "word is")


def _choose(base: str, form: str, readings: dict[str, tuple[str, bool]]) -> Detection:
    """Pick among readings (encoding -> (text, evidence)); `base` is the input as it stands (NFC)."""
    bv, bn = _score(base)
    if _viet(base) and bn and bv >= THRESHOLD * bn:  # clean Vietnamese in Latin-1 letters ("cà phê"): keep
        return Detection(form, 1.0, base, False, f"already Vietnamese: {_pct(bv, bn)} Vietnamese syllables")
    # An 8-bit reading leaves ASCII words as they are, so an ASCII non-syllable of the input (app, Covid,
    # Zalo) says nothing about it: set aside while such words are few (English text with a "©" read as VISCII
    # ẽ must still fail). VIQR is ASCII itself: there every word counts (English fails).
    foreign = frozenset(p for p in _parts(base) if p.isascii() and not is_syllable(p))
    before = set(_parts(base))
    cands = []
    for enc, (out, evidence) in readings.items():
        if out == base or not evidence or not (_viet(out) > _viet(base) or any(c in _VIET_ONLY for c in out)):
            continue
        changed = [p for p in _parts(out) if p not in before]
        made = [p for p in changed if is_syllable(p)]
        # "© COPYRIGHT" read as VISCII "ẽ COPYRIGHT" changes one symbol into a one-letter word: not enough
        if len(made) < THRESHOLD * len(changed) or not (len(made) >= MIN_CHANGED or
                                                        any(c.isascii() for p in made for c in p)):
            continue
        v, n = _score(out, foreign if enc != "viqr" else frozenset())
        if n:
            cands.append((v / n, v, n, enc, out))
    cands.sort(key=lambda c: c[0], reverse=True)
    good = [c for c in cands if c[0] >= THRESHOLD]
    if not good:
        if not cands:
            return Detection(form, 1.0, base, False, "no legacy encoding reads this as Vietnamese; left as it is")
        r, v, n, enc, _ = cands[0]
        return Detection(form, round(1 - r, 3), base, False, f"not converted: read as {_LABEL[enc]}, only "
                         f"{_pct(v, n)} Vietnamese syllables (needs {round(100 * THRESHOLD)} %)")
    r, v, n, enc, out = good[0]
    if len(good) > 1 and good[1][0] >= r - TIE_MARGIN and good[1][4] != out:
        return Detection(form, 0.5, base, False, f"ambiguous: read as {_LABEL[enc]} or as {_LABEL[good[1][3]]}, "
                         f"{_pct(v, n)} Vietnamese syllables; left as it is")
    return Detection(enc, round(r * n / (n + 1), 3), out, True,
                     f"{_pct(v, n)} Vietnamese syllables after converting from {_LABEL[enc]}")


def detect(data: str | bytes) -> Detection:
    """Which encoding `data` is in, and the NFC text. Rules:
    - bytes that are valid UTF-8 are decoded and treated as text; other bytes are tried as TCVN3, VNI and
      VISCII (and, if nothing fits, shown as Windows-1252, unconverted);
    - text holding Vietnamese-only Unicode letters (ă đ ơ ư ạ ế ...) is Unicode: NFC only ("nfd" if that
      changed it); so is text whose Latin-1 letters already read as Vietnamese (cà phê);
    - otherwise each legacy reading counts only if it adds Vietnamese letters, turns at least MIN_CHANGED
      words into syllables with at least THRESHOLD of the words it changes valid, and at least THRESHOLD of
      its counted words (see _score) are valid syllables; VIQR also needs a mark English hardly uses (see
      _viqr_decode), so plain ASCII (English, URLs, NCOVI, numbers) is never taken for VIQR;
    - two readings within TIE_MARGIN, or none convincing: the input is returned unchanged (NFC) with a reason.
    Confidence: the share of valid words scaled by n/(n+1) for a conversion; for an unconverted result,
    1 minus the best rejected reading's share (0.5 when ambiguous)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            view = data.decode("latin-1")
            return _choose(_nfc(_shown(view)), "unicode",
                           {enc: (_nfc(_decode_table(view, _TABLES[enc])), True) for enc in _TABLES})
    nfc = _nfc(data)
    form = "nfd" if nfc != data else "unicode"
    if any(c in _VIET_ONLY for c in nfc):
        what = "decomposed Vietnamese Unicode, recomposed to NFC" if form == "nfd" else "already Vietnamese Unicode"
        return Detection(form, 1.0, nfc, False, f"{what} (it holds letters such as ạ ư đ)")
    readings = {enc: (to_unicode(nfc, enc), True) for enc in ("tcvn3", "vni", "viscii", "utf8-as-cp1252")}
    viqr, evidence = _viqr_decode(nfc)
    readings["viqr"] = (_nfc(viqr), evidence)
    return _choose(nfc, form, readings)
