"""What ticker prints reaches a terminal, and what it prints holds names read from files that others write
(campaign files, channel names, approvers' names and notes, file names): a control character in them would
drive the operator's terminal (ESC sequences set its title, clear it, recolour it; a lone CR overwrites the
line). So every character of Unicode's control and format categories (Cc, Cf) is printed as the escape a
JSON string would hold, `\\u001b`, except the line feed, the tab and the CR of a CRLF: the text stays
readable, and `--json` output stays valid JSON."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TextIO

_C0_C1 = re.compile(r"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:  # as JSON writes it: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def escaped(text: str) -> str:
    """`text` with its control and format characters escaped (line feeds, tabs and CRLF kept)."""
    if text.isprintable():
        return text
    text = _C0_C1.sub(lambda m: _escape(m[0]), text)
    if text.isascii():
        return text
    return "".join(_escape(c) if not c.isprintable() and unicodedata.category(c) == "Cf" else c for c in text)


_BREAKS = {"\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` as one line (of a log: one entry a line), escaped as `escaped` does, its line breaks too, so
    that no name a file holds can forge a line of the log."""
    return escaped("".join(_BREAKS.get(c, c) for c in text))


class Escaping(io.TextIOBase):
    """A text stream that writes to `stream` what it is given, escaped."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escaped(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding

    def writable(self) -> bool:
        return True
