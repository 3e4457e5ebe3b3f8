"""What a person reads on a page of the desk, and what must not be there: the text of an HTML page or fragment
(its elements' text, and the attributes a browser shows: title, placeholder, aria-label, alt, hx-confirm),
without what is not the desk's sentences: the file's own text and comments (textarea, pre, code, q[data-own]),
options of a select, scripts. Then, of that text: a path on the server, an option of the command line, a
command of ticker's, and in Vietnamese mode an English sentence (two or more English words no Vietnamese
sentence has)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED = {"code", "pre", "textarea", "script", "style", "option", "q"}  # q: only with data-own
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "hx-confirm")
ENGLISH = frozenset(
    {
        "the",
        "is",
        "are",
        "not",
        "of",
        "and",
        "this",
        "that",
        "cannot",
        "must",
        "was",
        "has",
        "have",
        "its",
        "for",
        "with",
        "from",
        "by",
        "or",
        "be",
        "been",
        "which",
        "when",
        "there",
        "what",
        "your",
        "you",
        "will",
        "does",
        "should",
        "could",
        "would",
        "only",
    }
)  # words of English that no Vietnamese sentence has
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
COMMAND = re.compile(r"\bticker (draft|check|approve|nightly|render|serve|report|records|schedule|qc|watch|air)\b")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: set[str] = set()
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("href", "hx-get", "src", "action"):
            if a.get(key, "").startswith("/") and not a[key].startswith("//"):
                self.links.add(a[key])
        if tag in SKIPPED and (tag != "q" or "data-own" in a):
            self._skipping.append(tag)
        if not self._skipping:
            self.texts += [a[k] for k in SHOWN_ATTRIBUTES if a.get(k)]

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def read(html: str) -> tuple[list[str], set[str]]:
    """The texts a person reads on the page, and the desk's own addresses it links to or loads."""
    reader = _Reader()
    reader.feed(html)
    return reader.texts, reader.links


def faults(text: str, server_paths: list[str], vietnamese: bool) -> list[str]:
    found = [f"a path ({p})" for p in server_paths if p in text]
    if FLAG.search(text):
        found.append("an option of the command line")
    if COMMAND.search(text):
        found.append("a command")
    if vietnamese and sum(w in ENGLISH for w in re.findall(r"[A-Za-z]+", text.lower())) >= 2:
        found.append("English")
    return found
