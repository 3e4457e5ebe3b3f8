"""Words that may be a letter's typo, flagged and never changed: "Khai báo ý tế" for "y tế".

The words are pyvi's list (words.txt.gz; MIT, WORDS-LICENSE.txt): 31,000 Vietnamese words, 5,700 of them one
syllable and 22,700 two. Two kinds of suspect are found in a text:

- a syllable the list does not have that carries Vietnamese marks: "nguời", "thôngg";
- two syllables side by side that make no word, neither of which makes a word with its other neighbour, where
  other marks on one of them would make one of the common words of public notices (COMMON, each a word of the
  list): "ý tế" (no word; "báo ý" and "tế ," none either) is "y tế". Both are real syllables, which is why a
  syllable list alone never finds such a typo. Only a common word is offered, and never for a word of grammar
  (FUNCTION: "cấp do vi rút" is "caused by", not "cấp độ"): the list has too many rare words to be trusted alone.

A syllable is looked up whatever the place of its tone mark (khỏe and khoẻ, hóa and hoá, ủy and uỷ are one).
Words in capitals (acronyms) are not looked at, nor Capitalised words inside a sentence (names: the list has
few), nor anything in a web or e-mail address; the first word of a sentence is. A syllable without a mark
is not looked up alone: in ASCII it is as likely an English word ("link", "on").
"""

from __future__ import annotations

import functools
import gzip
import itertools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from ticker.vietnamese.common import ADDED, COMMON, FUNCTION
from ticker.vietnamese.syllables import SPLIT, VIET_ONLY, nfc

_TOKEN = re.compile(r"[^\W\d_]+")
_QUERY = re.compile(r"\w\?\w")  # "details?id=…" (a question's "chưa?" is none)
_CAPITAL_NEXT = re.compile(r" +([^\W\d_])")
_DOMAIN = re.compile(r"[a-z0-9-]\.(?:vn|com|org|net|info|gov|edu)(?![a-z])", re.IGNORECASE)
_SENTENCE = re.compile(r"[.!?…:;“”\"(\[]")  # what may stand between a sentence's end and its first word


@functools.lru_cache(maxsize=1 << 16)
def key(syllable: str) -> str:
    """The syllable as looked up: lower case, its tone taken off its vowel and written after it, so that
    either placement of the mark is the same key ("khoẻ", "khỏe" → "khoe3")."""
    bases, tone = [], 0
    for ch in nfc(syllable).lower():
        base, t = SPLIT.get(ch, (ch, 0))
        bases.append(base)
        tone = tone or t
    return "".join(bases) + str(tone)


@functools.lru_cache(maxsize=1 << 16)
def skeleton(syllable: str) -> str:
    """The letters without any mark: "được" → "duoc"; syllables that differ only in marks share it."""
    plain = unicodedata.normalize("NFD", syllable.lower().replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c))


@dataclass(frozen=True)
class Lexicon:
    syllables: frozenset[str]  # keys
    pairs: frozenset[tuple[str, str]]  # keys of two syllables side by side in a word of the list
    common: frozenset[tuple[str, str]]  # those of COMMON's words
    written: dict[str, tuple[str, ...]]  # skeleton → the list's syllables with it, as written


@functools.cache
def lexicon() -> Lexicon:
    data = resources.files("ticker.vietnamese").joinpath("words.txt.gz").read_bytes()
    syllables: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    written: dict[str, set[str]] = {}
    for entry in [*gzip.decompress(data).decode("utf-8").splitlines(), *(w.replace("-", " ") for w in ADDED)]:
        parts = entry.lower().split()
        keys = [key(p) for p in parts]
        syllables.update(keys)
        pairs.update(itertools.pairwise(keys))
        for p in parts:
            if p.isalpha():
                written.setdefault(skeleton(p), set()).add(p)
    common = {(key(a), key(b)) for w in COMMON | ADDED for a, b in itertools.pairwise(w.replace("-", " ").split())}
    written_ = {k: tuple(sorted(v)) for k, v in written.items()}
    return Lexicon(frozenset(syllables), frozenset(pairs | common), frozenset(common), written_)


@dataclass(frozen=True)
class Suspect:
    word: str  # as the text writes it: one syllable, or the two that make no word
    start: int  # where it is in the text
    end: int
    correction: str | None  # the likely word, in the text's capitals; None when no one word is likely


@dataclass
class _Token:
    text: str
    start: int
    end: int
    joined: bool  # only a space between it and the token before (no punctuation: they may be one word)
    first: bool  # the first word of a sentence (its capital says nothing)
    looked: bool  # Vietnamese to look up: not an acronym, a name, or part of an address

    @property
    def key(self) -> str:
        return key(self.text)


def is_address(word: str) -> bool:
    """Whether a word (a run of text without spaces) is a web or e-mail address, or part of one."""
    return "://" in word or "@" in word or "www." in word.lower() or bool(_DOMAIN.search(word) or _QUERY.search(word))


def _tokens(text: str) -> list[_Token]:
    addresses = [(m.start(), m.end()) for m in re.finditer(r"\S+", text) if is_address(m.group(0))]
    out: list[_Token] = []
    prev_end, k = 0, 0  # k: the first address that does not end before this token (both in the text's order)
    for m in _TOKEN.finditer(text):
        word, between = m.group(0), text[prev_end : m.start()]
        first = not out or bool(_SENTENCE.search(between))
        joined = bool(out) and between.isspace()
        while k < len(addresses) and addresses[k][1] <= m.start():
            k += 1
        inside = k < len(addresses) and addresses[k][0] <= m.start()
        acronym = word.isupper()
        name = word[:1].isupper() and (not first or _capital_next(text, m.end()))
        out.append(_Token(word, m.start(), m.end(), joined, first, not (inside or acronym or name)))
        prev_end = m.end()
    return out


def _capital_next(text: str, at: int) -> bool:
    """Whether a Capitalised word follows after a space: a name's first part ("Nguyễn Văn An")."""
    m = _CAPITAL_NEXT.match(text, at)  # (matched in place: a copy of the rest of the text per name is quadratic)
    return bool(m and m.group(1).isupper())


def _vietnamese(word: str) -> bool:
    """Written with Vietnamese marks (a syllable without one is as likely English: "link", "on")."""
    return any(c in VIET_ONLY or c in "âêô" or (c in SPLIT and SPLIT[c][1]) for c in word.lower())


def _as_written(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def suspects(text: str) -> list[Suspect]:
    """The suspect words of a text, in its order (the module's docstring says which)."""
    lex = lexicon()
    tokens = _tokens(text)
    known = [t.key in lex.syllables for t in tokens]
    marked = [t.looked and _vietnamese(t.text) for t in tokens]

    def pair(i: int, key_i: str | None = None, key_j: str | None = None) -> bool:
        """Whether tokens i and i+1 (or the keys given for them) are side by side in a word."""
        if i < 0 or i + 1 >= len(tokens) or not tokens[i + 1].joined:
            return False
        return (key_i or tokens[i].key, key_j or tokens[i + 1].key) in lex.pairs

    out: list[Suspect] = []
    flagged: set[int] = set()
    for i, t in enumerate(tokens):
        if not marked[i] or known[i] or len(t.text) < 2:
            continue
        choices = lex.written.get(skeleton(t.text), ())
        fits = list({key(c): c for c in choices if pair(i - 1, key_j=key(c)) or pair(i, key_i=key(c))}.values())
        best = fits[0] if len(fits) == 1 else choices[0] if len(choices) == 1 else None
        out.append(Suspect(t.text, t.start, t.end, _as_written(best, t.text) if best else None))
        flagged.add(i)
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if not (b.joined and a.looked and b.looked and known[i] and known[i + 1]) or pair(i):
            continue
        if pair(i - 1) or pair(i + 1) or {i, i + 1} & flagged:
            continue  # each is part of a word with its other neighbour: two words side by side
        fixes = [
            f"{_as_written(c, a.text)} {b.text}"
            for c in lex.written.get(skeleton(a.text), ())
            if key(c) != a.key and (key(c), b.key) in lex.common and a.text.lower() not in FUNCTION
        ] + [
            f"{a.text} {_as_written(c, b.text)}"
            for c in lex.written.get(skeleton(b.text), ())
            if key(c) != b.key and (a.key, key(c)) in lex.common and b.text.lower() not in FUNCTION
        ]
        if len(fixes) == 1:
            out.append(Suspect(text[a.start : b.end], a.start, b.end, fixes[0]))
            flagged |= {i, i + 1}
    return sorted(out, key=lambda s: s.start)
