"""Vietnamese letters and syllables: the tone marks, the letters they make, and the spelling rules that say
whether a word is a Vietnamese syllable (onset, medial, nucleus, coda, and the tones an entering coda allows).
What decides, in ticker.vietnamese.detection, whether a reading of legacy bytes is Vietnamese."""

from __future__ import annotations

import unicodedata


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


BASES = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # ngang sắc huyền hỏi ngã nặng
SPLIT = {nfc(b + t): (b, i) for b in BASES for i, t in enumerate(TONES)}  # lowercase letter -> (base, tone)
LETTERS = tuple(sorted({c for lc in [*SPLIT, "đ"] for c in (lc, lc.upper())} - set("aeiouyAEIOUY")))
assert len(LETTERS) == 134
VIET_ONLY = frozenset(c for c in LETTERS if ord(c) > 0xFF)  # ă đ ơ ư ạ ế ...: never in Latin-1 text
VIET_LETTERS = frozenset(LETTERS)


_ONSETS = sorted("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split(), key=len, reverse=True)  # noqa: SIM905
# (medial, nucleus) -> codas ("-" = none; i y o u are semivowel codas). Nuclei iê uô ươ are spelled ia/ya,
# ua, ưa without a coda, and iê as yê with no onset or after u.
_RIMES = {
    (m, n): frozenset(c.replace("-", "") for c in codas.split())
    for (m, n), codas in {
        ("", "a"): "- c ch m n ng nh p t i y o u",
        ("", "ă"): "c m n ng p t",
        ("", "â"): "c m n ng p t u y",
        ("", "e"): "- c m n ng p t o",
        ("", "ê"): "- ch m n nh p t u",
        ("", "i"): "- ch m n nh p t u",
        ("", "y"): "-",
        ("", "o"): "- c m n ng p t i",
        ("", "ô"): "- c m n ng p t i",
        ("", "ơ"): "- m n p t i",
        ("", "u"): "- c m n ng p t i",
        ("", "ư"): "- c m n ng t i u",
        ("", "iê"): "c m n ng p t u",
        ("", "ia"): "-",
        ("", "uô"): "c m n ng p t i",
        ("", "ua"): "-",
        ("", "ươ"): "c m n ng p t i u",
        ("", "ưa"): "-",
        ("", "oo"): "c ng",
        ("o", "a"): "- c ch m n ng nh p t i y",
        ("o", "ă"): "c m n ng t",
        ("o", "e"): "- n t o",
        ("u", "â"): "n ng t y",
        ("u", "ê"): "- ch n nh",
        ("u", "y"): "- ch n nh p t u",
        ("u", "ơ"): "-",
        ("u", "iê"): "n t",
        ("u", "ia"): "-",
    }.items()
}
_SPELLED = {
    "iê": "iê",
    "yê": "iê",
    "ia": "ia",
    "ya": "ia",
    "uô": "uô",
    "ua": "ua",
    "ươ": "ươ",
    "ưa": "ưa",
    "oo": "oo",
    **{b: b for b in BASES},
}
_SPELLINGS = sorted(_SPELLED, key=len, reverse=True)
_AFTER_QU = ("a", "ă", "â", "e", "ê", "i", "y", "ơ", "ô", "iê")
_FRONT = "ieêy"
_ENTERING = ("c", "ch", "p", "t")


def _rime_ok(s: str, onset: str, tone: int, tpos: int) -> bool:
    rest = s[len(onset) :]
    if not rest or rest[0] not in BASES:
        return False
    front = rest[0] in _FRONT
    if (
        (onset in ("k", "gh", "ngh") and not front)
        or (onset in ("c", "ng") and front)
        or (onset == "g" and rest[0] in "eê")
    ):  # g before i is gi + i: gì, gìn
        return False
    for medial in ("", "o", "u"):
        if medial and (onset == "qu" or not rest.startswith(medial)):
            continue
        r = rest[len(medial) :]
        for sp in _SPELLINGS:
            if not r.startswith(sp):
                continue
            nuc, coda = _SPELLED[sp], r[len(sp) :]
            if (
                (sp in ("yê", "ya") and not (medial == "u" or onset in ("", "qu")))
                or (sp == "ya" and medial != "u")
                or (sp in ("iê", "ia") and (medial or onset == "qu"))
            ):
                continue  # iê is spelled yê with no onset or after u, ia is spelled ya after u
            if onset == "qu":
                codas = (
                    _RIMES.get(("u", nuc), frozenset()) | _RIMES.get(("", nuc), frozenset())
                    if nuc in _AFTER_QU
                    else frozenset()
                )
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
    for i, ch in enumerate(nfc(word).lower()):
        if ch in SPLIT:
            base, t = SPLIT[ch]
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
