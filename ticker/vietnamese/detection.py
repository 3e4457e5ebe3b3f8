"""Which encoding pasted or loaded text is in: every reading ticker knows (vietnamese.legacy) is tried, and the one
whose words are Vietnamese syllables (ticker.vietnamese.syllables) is believed only when it clearly beats the others;
an unsure text is left as it is, with the reason."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from ticker.vietnamese.legacy import LABELS, TABLES, URL_TOKEN, decode_table, shown_text, to_unicode, viqr_decode
from ticker.vietnamese.syllables import VIET_LETTERS, VIET_ONLY, is_syllable, nfc

THRESHOLD = 0.9  # share of counted words that must be Vietnamese syllables for a reading to be believed
TIE_MARGIN = 0.02  # two readings closer than this are a tie: ambiguous, nothing is rewritten
FOREIGN_SHARE = 1 / 3  # acronyms and (8-bit readings) unchanged foreign words set aside: at most this share
MIN_CHANGED = 2  # words a reading must turn into syllables, unless one of them has an ASCII letter too


_EDGE = string.punctuation + "“”‘’„‚«»‹›…–—•"
_WORDS = re.compile(r"[^\S\xa0]+")
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)


def _parts(text: str) -> Iterator[str]:
    """The words to judge: not web or mail addresses, domains, or anything with a digit (Covid-19,
    11/3/2020); hyphenated words give their parts (PC-Covid: PC, Covid); edge punctuation stripped."""
    for tok in _WORDS.split(text):  # not at U+00A0: mis-read UTF-8 "chÃ\xa0o" is one word, not "chÃ" + "o"
        if URL_TOKEN.search(tok) or any(c.isdigit() for c in tok):
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
    return sum(c in VIET_LETTERS for c in text)


UNKNOWN = "unknown"  # bytes that are neither UTF-8 nor convincingly a legacy encoding
NO_READING = "no legacy encoding reads this as Vietnamese; left as it is"


@dataclass(frozen=True)
class Detection:
    encoding: str  # one of ENCODINGS, or UNKNOWN
    confidence: float  # 0..1
    text: str  # NFC: converted when sure, else the input unchanged
    converted: bool  # text differs from the input by more than NFC
    reason: str  # one short sentence for the user


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
        if out == base or not evidence or not (_viet(out) > _viet(base) or any(c in VIET_ONLY for c in out)):
            continue
        changed = [p for p in _parts(out) if p not in before]
        made = [p for p in changed if is_syllable(p)]
        # "© COPYRIGHT" read as VISCII "ẽ COPYRIGHT" changes one symbol into a one-letter word: not enough
        if len(made) < THRESHOLD * len(changed) or not (
            len(made) >= MIN_CHANGED or any(c.isascii() for p in made for c in p)
        ):
            continue
        v, n = _score(out, foreign if enc != "viqr" else frozenset())
        if n:
            cands.append((v / n, v, n, enc, out))
    cands.sort(key=lambda c: c[0], reverse=True)
    good = [c for c in cands if c[0] >= THRESHOLD]
    if not good:
        if not cands:
            return Detection(form, 1.0, base, False, NO_READING)
        r, v, n, enc, _ = cands[0]
        return Detection(
            form,
            round(1 - r, 3),
            base,
            False,
            f"not converted: read as {LABELS[enc]}, only "
            f"{_pct(v, n)} Vietnamese syllables (needs {round(100 * THRESHOLD)} %)",
        )
    r, v, n, enc, out = good[0]
    if len(good) > 1 and good[1][0] >= r - TIE_MARGIN and good[1][4] != out:
        return Detection(
            form,
            0.5,
            base,
            False,
            f"ambiguous: read as {LABELS[enc]} or as {LABELS[good[1][3]]}, "
            f"{_pct(v, n)} Vietnamese syllables; left as it is",
        )
    return Detection(
        enc,
        round(r * n / (n + 1), 3),
        out,
        True,
        f"{_pct(v, n)} Vietnamese syllables after converting from {LABELS[enc]}",
    )


def detect(data: str | bytes) -> Detection:
    """Which encoding `data` is in, and the NFC text. Rules:
    - bytes that are valid UTF-8 are decoded and treated as text; other bytes are tried as TCVN3, VNI and
      VISCII, and if none reads as Vietnamese the encoding is UNKNOWN (confidence 0; the text shown as
      Windows-1252, unconverted): what `render --text-file` and `text fix` refuse;
    - text holding Vietnamese-only Unicode letters (ă đ ơ ư ạ ế ...) is Unicode: NFC only ("nfd" if that
      changed it); so is text whose Latin-1 letters already read as Vietnamese (cà phê);
    - otherwise each legacy reading counts only if it adds Vietnamese letters, turns at least MIN_CHANGED
      words into syllables with at least THRESHOLD of the words it changes valid, and at least THRESHOLD of
      its counted words (see _score) are valid syllables; VIQR also needs a mark English hardly uses (see
      viqr_decode), so plain ASCII (English, URLs, NCOVI, numbers) is never taken for VIQR;
    - two readings within TIE_MARGIN, or none convincing: the input is returned unchanged (NFC) with a reason.
    Confidence: the share of valid words scaled by n/(n+1) for a conversion; for an unconverted result,
    1 minus the best rejected reading's share (0.5 when ambiguous)."""
    if isinstance(data, bytes):
        raw = data
        try:
            data = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            view = raw.decode("latin-1")
            found = _choose(
                nfc(shown_text(view)), "unicode", {enc: (nfc(decode_table(view, TABLES[enc])), True) for enc in TABLES}
            )
            if found.converted:
                return found
            why = "" if found.reason == NO_READING else f" ({found.reason})"
            return Detection(
                UNKNOWN, 0.0, found.text, False, f"neither UTF-8 (byte {e.start}) nor a legacy Vietnamese encoding{why}"
            )
    composed = nfc(data)
    form = "nfd" if composed != data else "unicode"
    if any(c in VIET_ONLY for c in composed):
        what = "decomposed Vietnamese Unicode, recomposed to NFC" if form == "nfd" else "already Vietnamese Unicode"
        return Detection(form, 1.0, composed, False, f"{what} (it holds letters such as ạ ư đ)")
    readings = {enc: (to_unicode(composed, enc), True) for enc in ("tcvn3", "vni", "viscii", "utf8-as-cp1252")}
    viqr, evidence = viqr_decode(composed)
    readings["viqr"] = (nfc(viqr), evidence)
    return _choose(composed, form, readings)
