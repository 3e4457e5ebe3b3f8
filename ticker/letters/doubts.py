"""What in a letter someone should look at before it airs, pointed out and never changed: the crawl's words that
may be the letter's typos (ticker.vietnamese.lexicon), and web addresses that carry a language or a tracking
parameter (`&hl=en` opens a store in English for Vietnamese viewers; `utm_…` only makes the QR code larger),
with the shorter address offered. The address stays the department's until someone chooses the shorter one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from ticker.letters.source import Found
from ticker.letters.units import Request, Span
from ticker.vietnamese.lexicon import suspects

LOOK_AGAIN = "look again at"  # how the draft's note of a suspect word begins (ticker.letters.draft)
# parameters that say a language or a country, or who sent the visitor: never what the address opens
LANGUAGE = frozenset({"hl", "gl", "lang", "language", "locale", "lr"})
TRACKING = frozenset({"fbclid", "gclid", "dclid", "msclkid", "igshid", "zarsrc", "mc_cid", "mc_eid", "_hsenc", "si"})


@dataclass(frozen=True)
class SuspectWord:
    word: str  # as the letter writes it
    line: int  # the letter's line it is on
    correction: str | None  # the likely word, when one is

    def as_json(self) -> dict:
        return {"word": self.word, "line": self.line, "correction": self.correction}


@dataclass(frozen=True)
class LongAddress:
    url: str  # as the letter writes it
    lines: tuple[int, int]
    parameters: tuple[str, ...]  # "hl=en", "utm_source=zalo"
    shorter: str  # the address without them

    def as_json(self) -> dict:
        lines, parameters = list(self.lines), list(self.parameters)
        return {"url": self.url, "lines": lines, "parameters": parameters, "shorter": self.shorter}

    @property
    def language(self) -> tuple[str, ...]:
        """The parameters that force a language or a country ("hl=en")."""
        return tuple(p for p in self.parameters if p.split("=")[0].lower() in LANGUAGE)

    @property
    def tracking(self) -> tuple[str, ...]:
        """The parameters that say who sent the visitor ("utm_source=zalo")."""
        return tuple(p for p in self.parameters if p.split("=")[0].lower() not in LANGUAGE)


def suspect_words(lines: list[str], crawls: list[Request]) -> list[SuspectWord]:
    """The crawl's words that may be typos, with the letter's line each is on."""
    out: list[SuspectWord] = []
    seen: set[tuple[str, int]] = set()
    for r in crawls:
        first, last = r.cites.get("text", r.lines)
        numbers = list(range(first, last + 1))
        span = Span([lines[n - 1] for n in numbers], numbers)
        for text in r.texts:
            for s in suspects(text):
                pattern = r"\s+".join(map(re.escape, s.word.split()))
                m = re.search(rf"(?<!\w){pattern}(?!\w)", span.text)
                line = span.line_of(m.start()) if m else first
                if (s.word, line) not in seen:
                    seen.add((s.word, line))
                    out.append(SuspectWord(s.word, line, s.correction))
    return out


def long_addresses(urls: list[Found]) -> list[LongAddress]:
    """The addresses with a language or tracking parameter, each with the address without them."""
    return [a for found in urls if (a := long_address(found.value, found.lines)) is not None]


def _dropped(name: str, value: str) -> bool:
    """Whether a parameter is one to point out: tracking, or a language or country other than Vietnamese."""
    name = name.lower()
    if name in LANGUAGE:
        return value.lower().replace("_", "-") not in ("vi", "vi-vn", "vn")
    return name in TRACKING or name.startswith("utm_")


def long_address(url: str, lines: tuple[int, int] = (0, 0)) -> LongAddress | None:
    """The address as a LongAddress when it carries a language or tracking parameter, else None."""
    parts = urlsplit(url if "://" in url else "//" + url)
    dropped, kept = [], []
    for raw in re.split(r"[&;]", parts.query):
        if not raw:
            continue
        name, _, value = raw.partition("=")
        if _dropped(unquote_plus(name), unquote_plus(value)):
            dropped.append(f"{unquote_plus(name)}={unquote_plus(value)}")
        else:
            kept.append(raw)
    if not dropped:
        return None
    shorter = urlunsplit(parts._replace(query="&".join(kept))).removeprefix("//")
    return LongAddress(url, lines, tuple(dropped), shorter)
