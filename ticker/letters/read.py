"""A letter (công văn) read into clean lines, whatever it came as: a text file (UTF-8, UTF-16, or a legacy
Vietnamese encoding: TCVN3, VNI, VISCII, Windows-1258, and TCVN3 or VNI pasted as Unicode characters), a Word
file (.docx) or a PDF with a text layer. What the letter says is read from these lines by another module.

The kind is taken from the bytes, not the name: a .txt that is a PDF is read as a PDF, while a name that
promises a .docx or a .pdf and holds something else is refused. Every refusal is one `FileProblem` sentence.

A Word or PDF letter's text is read by ticker.letters.formats, within what a letter is at most (its characters,
the time it takes); any letter holds at most TEXT_LIMIT characters.

A text file's line N is lines[N-1], blank lines included; a break is LF, CRLF, CR, VT, FF, U+2028 or U+2029
(VT and FF: Word's manual line and page breaks, pasted). Every kind's lines are cleaned alike (`clean`);
leading spaces are kept: harmless, and they show how a flattened table was laid out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ticker.errors import FileProblem
from ticker.files import inputs
from ticker.letters.formats import TEXT_LIMIT, docx_text, pdf_text, too_much_text
from ticker.vietnamese import detect, to_unicode
from ticker.vietnamese.detection import UNKNOWN, Detection
from ticker.vietnamese.legacy import LABELS
from ticker.vietnamese.syllables import VIET_LETTERS, VIET_ONLY, is_syllable, nfc

LETTER_LIMIT = 20 * 1024 * 1024  # bytes
SAMPLE = 30_000  # characters whose encoding is judged (a long letter): a longer one is judged by its start
LetterKind = Literal["text", "docx", "pdf"]  # taken from the bytes, not the name


@dataclass(frozen=True)
class Letter:
    name: str  # the file as given ("standard input" for "-")
    kind: LetterKind
    lines: tuple[str, ...]  # the letter's lines, cleaned; line N of the letter is lines[N-1]
    encoding: str  # "utf-8" when nothing was converted, else what it was converted from ("tcvn3", "utf-16" …)
    notes: tuple[str, ...]  # one sentence each: "converted from TCVN3 (…)", "page 3 has no text" …


def letter_from_bytes(data: bytes, name: str) -> Letter:
    """A letter uploaded as `data`, its kind taken from the bytes; `name` is what sentences call it (and a
    .docx or .pdf name must hold that kind)."""
    if len(data) > LETTER_LIMIT:
        raise FileProblem(name, inputs.too_big(len(data), "letter", LETTER_LIMIT))
    kind = letter_kind(data, name)
    suffix = Path(name).suffix.lower()
    if suffix in (".docx", ".pdf") and kind != suffix[1:]:
        raise FileProblem(name, f"is named {suffix} but is not a {_KIND_NAMES[suffix[1:]]}: it holds {_HELD[kind]}")
    notes: list[str] = []
    if kind == "docx":
        text, encoding = docx_text(data, name), "utf-8"
    elif kind == "pdf":
        text, encoding = pdf_text(data, name, notes), "utf-8"
    else:
        text, encoding = _decode(data, name, notes)
    if len(text) > TEXT_LIMIT:
        raise too_much_text(name)
    read = split_lines(text)
    converted = not encoding.startswith("utf")  # bytes of a legacy encoding, read as such already
    lines, legacy = (read, "") if converted else _unlegacy(read, notes)
    if encoding == "tcvn3" or legacy == "tcvn3":  # the lines converted from TCVN3 get their capitals back
        lines = [_tcvn3_capitals(a) if encoding == "tcvn3" or a != b else a for a, b in zip(lines, read)]
    lines = [clean(line) for line in lines]
    if not any(line.strip() for line in lines):
        raise FileProblem(name, "holds no text")
    if not legacy and encoding.startswith("utf") and nfc(text) != text:
        notes.append("decomposed letters (NFD) were recomposed to NFC")
    return Letter(name, kind, tuple(lines), legacy or encoding, tuple(notes))


# TCVN3 has no accented capitals (a second font, .VnTimeH, drew its letters as capitals): "TỈNH" converts as
# "TỉNH". A word with two capitals and no small ASCII letter is a word in capitals ("Sở" is not).
# So is a line whose ASCII letters are all capitals ("Sở THôNG TIN": the issuer block).
_TCVN3_CAPITAL = re.compile(r"\b(?=(?:\w*[A-ZĐ]){2})(?!\w*[a-z])\w+\b")


def _tcvn3_capitals(line: str) -> str:
    ascii_letters = [c for c in line if c.isascii() and c.isalpha()]
    if len(ascii_letters) >= 4 and all(c.isupper() for c in ascii_letters):
        return line.upper()
    return _TCVN3_CAPITAL.sub(lambda m: m.group(0).upper(), line)


# ---- kinds ---------------------------------------------------------------------------------------------
_KIND_NAMES = {"docx": "Word document (.docx)", "pdf": "PDF"}
_HELD = {"docx": "a zip archive", "pdf": "a PDF", "text": "text or other bytes"}
_REFUSED = (  # files a letter is sometimes sent as that ticker cannot read, and what to do instead
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) or Excel file: save it as .docx or PDF, or paste its text"),
    (b"{\\rtf", "an RTF document: save it as .docx or PDF, or paste its text"),
    ((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"), "a picture (a scanned letter?): OCR it or paste its text"),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def letter_kind(data: bytes, name: str) -> LetterKind:
    """Which kind: "pdf" (%PDF- within the first KB, as PDF readers allow), "docx" (any zip: one that is not
    a Word document is refused in _docx_text, saying what it is), else "text"; a known binary kind is refused."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_ZIP):
        return "docx"
    for magic, what in _REFUSED:
        if data.startswith(magic):
            raise FileProblem(name, f"is {what}")
    return "text"


# ---- text ----------------------------------------------------------------------------------------------
# longest first: the UTF-32 LE mark begins with the UTF-16 LE one
_BOMS = {b"\xff\xfe\x00\x00": "utf-32", b"\x00\x00\xfe\xff": "utf-32", b"\xef\xbb\xbf": "utf-8"}
_BOMS |= {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def _decode(data: bytes, name: str, notes: list[str]) -> tuple[str, str]:
    """(text, encoding) of a text file: by its byte-order mark, as UTF-8, as a legacy encoding that
    vietnamese.detection finds, or as Windows-1258 (Vietnamese Windows' own code page, tones as combining marks)."""
    for bom, enc in _BOMS.items():
        if data.startswith(bom):
            try:
                return data.decode("utf-8-sig" if enc == "utf-8" else enc), enc
            except UnicodeDecodeError as e:
                what = enc.upper()
                raise FileProblem(name, f"starts with a {what} byte-order mark but is not {what} ({e})") from None
    try:
        return data.decode("utf-8"), "utf-8"  # legacy text pasted as Unicode characters: see _unlegacy
    except UnicodeDecodeError:
        pass
    found = _detect(data)
    if not found.converted:  # a sample in UTF-8 of a file that is not is no reading either
        text = data.decode("cp1258", errors="replace")
        if "\ufffd" not in text and _vietnamese(nfc(text)):
            notes.append("converted from Windows-1258 (Vietnamese Windows text)")
            return text, "cp1258"
        why = found.reason if found.encoding == UNKNOWN else "neither UTF-8 nor a legacy Vietnamese encoding"
        raise FileProblem(name, f"cannot be read as a letter: it is {why}; save it as UTF-8 text, .docx or PDF")
    notes.append(f"converted from {LABELS[found.encoding]} ({found.reason})")
    return found.text, found.encoding


def _detect(data: str | bytes) -> Detection:
    """detect(), on the first SAMPLE characters: it reads some 60 KB a second, and a letter is in one encoding."""
    found = detect(data[:SAMPLE])
    if found.converted and len(data) > SAMPLE:
        return replace(found, text=to_unicode(data, found.encoding))
    return found


def _vietnamese(text: str) -> bool:
    """Whether text read through Windows-1258 is Vietnamese: letters of its own, and nine words in ten
    Vietnamese syllables (the same share ticker.vietnamese.detection asks of a legacy reading)."""
    words = [w.strip(".,;:!?()[]\"'“”‘’/-–") for w in text.split()]
    words = [w for w in words if w.isalpha() and not (w.isascii() and w.isupper())]
    return any(c in VIET_ONLY for c in text) and sum(map(is_syllable, words)) >= 0.9 * len(words) > 0


_PUNCTUATION = frozenset("“”‘’–—…•«»°·×€£©®§")


def _foreign(line: str) -> bool:
    """Whether a line holds a character Vietnamese text does not (ë, µ, ø, û …): the sign of legacy text pasted
    as characters. Latin-1 letters Vietnamese has too (ó, à, ê: "Thanh Hóa") are no sign at all."""
    return any(ord(c) > 127 and c.lower() not in VIET_LETTERS and c not in _PUNCTUATION for c in line)


def _unlegacy(lines: list[str], notes: list[str]) -> tuple[list[str], str]:
    """Legacy text pasted as Unicode characters ("Së Th«ng tin" is TCVN3), converted: the whole letter
    when it reads as one encoding, else each line that does (a Unicode letter with a few pasted lines).
    Returns the lines and the encoding converted from ("" if none)."""
    found = _detect("\n".join(lines))
    if found.converted:
        notes.append(f"converted from {LABELS[found.encoding]} pasted as Unicode characters ({found.reason})")
        return found.text.split("\n"), found.encoding
    if found.confidence < 1:  # a reading came close: say why it was not taken
        notes.append(found.reason)
    done: dict[str, list[int]] = {}
    out, budget = list(lines), SAMPLE
    for i, line in enumerate(lines):
        if budget > 0 and _foreign(line) and not any(c in VIET_ONLY for c in line):
            budget -= len(line)
            one = detect(line)
            if one.converted:
                out[i] = one.text
                done.setdefault(one.encoding, []).append(i + 1)
    for enc, at in done.items():
        where = f"line {at[0]}" if len(at) == 1 else f"lines {', '.join(map(str, at[:-1]))} and {at[-1]}"
        notes.append(f"{where} converted from {LABELS[enc]} pasted as Unicode characters")
    return out, (next(iter(done)) if len(done) == 1 else "")


# ---- cleaning ------------------------------------------------------------------------------------------
_BREAK = re.compile(r"\r\n|[\n\r\v\f\u2028\u2029]")
_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")  # every Unicode space but U+0020
# invisible: soft hyphen, zero-width spaces and joiners, direction marks, BOM; C0/C1 controls but the breaks
_GONE = re.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff" r"\x00-\x08\x0e-\x1f\x7f-\x9f]"
)
# «» and „‟ (paired so in pasted text) are “ ” to the parser; ‹› are ‘ ’. “ ” ‘ ’ themselves are kept.
_QUOTES = str.maketrans({"«": "“", "»": "”", "„": "“", "‟": "”", "‹": "‘", "›": "’"})


def split_lines(text: str) -> list[str]:
    return _BREAK.split(text)


def clean(line: str) -> str:
    """One line cleaned: invisible characters and controls removed, every kind of space a plain space,
    «» „‟ ‹› as curly quotes, NFC, trailing spaces stripped. Runs of spaces are left as they are."""
    return nfc(_SPACE.sub(" ", _GONE.sub("", line)).translate(_QUOTES)).rstrip(" ")
