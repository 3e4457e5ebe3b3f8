"""The text of a Word (.docx) or PDF letter, read within what a letter is at most: its characters, per PDF page
and in all, the XML a .docx unpacks to, and the time it takes to read. Another library reads these files
(python-docx, pypdf), and a file can be made to stall it: a PDF whose 500 pages share one stream of a million
operators keeps pypdf busy for a day. Every refusal is one `FileProblem` sentence naming what is over.

The budgets are watched from inside the reading wherever the library lets them be; ticker.letters.child reads a
letter in a child process, killed after READ_SECONDS, for the rest (the whole letter's time, a library busy in
one call).
"""

from __future__ import annotations

import io
import logging
import time
import warnings
import zipfile
from typing import Any
from xml.etree import ElementTree

from ticker.errors import FileProblem
from ticker.files import inputs

ZIP_LIMIT = 100_000_000  # bytes a .docx may unpack to, all its parts together (pictures included)
PAGE_LIMIT = 500  # pages of a PDF letter
# What a letter is at most. The real letters in letters/ are a page or two, 2,500 and 3,200 characters; a page
# set as Nghị định 30/2020 sets a letter (13–14 pt) holds some 3,000 characters, a dense page of 10 pt 6,000.
TEXT_LIMIT = 300_000  # characters of a letter: a hundred pages of a letter, 90 times the longest real one
PAGE_TEXT_LIMIT = 20_000  # characters of one PDF page: three dense pages
XML_LIMIT = 8_000_000  # bytes of XML a .docx unpacks to, which python-docx parses whole: a letter's is some 100 KB
PAGE_SECONDS = 10.0  # to read one PDF page: a letter's page takes some hundredths of a second
READ_SECONDS = 30.0  # to read a whole PDF or .docx (its reader is killed then): real letters take well under a second


def too_much_text(name: str) -> FileProblem:
    """The refusal of a letter of more than TEXT_LIMIT characters, whatever kind it is and wherever it is found."""
    return FileProblem(name, f"holds more than {TEXT_LIMIT:,} characters of text, more than a letter may")


# ---- docx ----------------------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TABS = {_W + "tab", _W + "ptab"}
_BREAKS = {_W + "br", _W + "cr"}
# not text: properties, deleted revisions, field codes, and mc:Fallback (a copy of what mc:Choice holds)
_SKIP = {_W + t for t in ("pPr", "rPr", "tblPr", "trPr", "tcPr", "sectPr", "del", "instrText", "delText")}
_SKIP |= {_MC + "Fallback"}


def docx_text(data: bytes, name: str) -> str:
    """The body of a Word document, one paragraph a line in document order; a table's cells row by row,
    cell by cell, each cell paragraph its own line; a manual line break is a line break.

    The body's XML is walked here rather than through python-docx's Paragraph.text or
    Document.iter_inner_content(), which leave out text that letters do hold: tracked insertions (w:ins),
    content controls (w:sdt, at body level too), smart tags, simple fields and text boxes."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise FileProblem(name, f"is a broken zip archive, not a readable Word document ({e})") from None
    with package as z:
        infos = z.infolist()
        names, unpacked = {i.filename for i in infos}, sum(i.file_size for i in infos)
        # zipfile stops at each part's declared size, so the declared sizes bound what it unpacks
        if unpacked > ZIP_LIMIT:
            limit = inputs.size_text(ZIP_LIMIT)
            raise FileProblem(name, f"unpacks to {inputs.size_text(unpacked)}, more than a letter may ({limit})")
        if "word/document.xml" not in names:
            what = "an OpenDocument file: save it as .docx" if "content.xml" in names else "not a Word document"
            raise FileProblem(name, f"is a zip archive but {what}")
        _check_xml(z, infos, name)
    import docx  # a second or so of imports, only for Word letters

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as e:  # whatever a damaged package makes python-docx or lxml raise: one sentence
        raise FileProblem(name, f"is not a readable Word document ({type(e).__name__}: {e})") from None
    out: list[str] = []
    _walk(body, out)
    return "".join(out).removesuffix("\n")


def _check_xml(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuses, before python-docx reads it, a package (`z`, whose parts are `infos`) whose XML parts unpack to
    more than XML_LIMIT: each part of an XML content type ([Content_Types].xml: its override, else its
    extension's default), or of none, which python-docx would parse whole into a tree (some 17 bytes of memory
    a byte)."""
    xml_type = _xml_types(z)
    parts = sorted(((i.file_size, i.filename) for i in infos if xml_type(i.filename)), reverse=True)
    size = sum(n for n, _ in parts)
    if size > XML_LIMIT:
        biggest = f"{parts[0][1]} {inputs.size_text(parts[0][0])}"
        raise FileProblem(
            name,
            f"unpacks to {inputs.size_text(size)} of XML ({biggest}), more than a letter may "
            f"({inputs.size_text(XML_LIMIT)})",
        )


def _xml_types(z: zipfile.ZipFile) -> Any:
    """Whether a part (by its name in the zip) is XML to python-docx: a part of no known type counts as XML."""
    try:
        info = z.getinfo("[Content_Types].xml")
        types = ElementTree.fromstring(z.read(info)) if info.file_size <= XML_LIMIT else None
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        types = None
    defaults, overrides = {}, {}
    for el in types if types is not None else ():
        kind, got = el.tag.rsplit("}", 1)[-1], el.attrib.get("ContentType", "")
        if kind == "Default":
            defaults[el.attrib.get("Extension", "").lower()] = got
        elif kind == "Override":
            overrides[el.attrib.get("PartName", "").lower()] = got

    def is_xml(part: str) -> bool:
        got = overrides.get("/" + part.lower(), defaults.get(part.rsplit(".", 1)[-1].lower()))
        return part == "[Content_Types].xml" or got is None or got.lower().endswith("xml")

    return is_xml


def _walk(el: Any, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag in _TABS:
            out.append("\t")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag in _SKIP or not isinstance(tag, str):  # comments and processing instructions have no text
            continue
        else:
            if tag == _W + "txbxContent":  # a text box anchored in a paragraph: its paragraphs on lines of their own
                out.append("\n")
            _walk(child, out)
            if tag == _W + "p":
                out.append("\n")


# ---- pdf -----------------------------------------------------------------------------------------------
def pdf_text(data: bytes, name: str, notes: list[str]) -> str:
    """Every page's text layer, pages one after another. pypdf's warnings about damaged files are silenced
    while it reads (it recovers, and the reader could do nothing with them)."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _pages(data, name, notes)
    finally:
        log.setLevel(level)


def _pages(data: bytes, name: str, notes: list[str]) -> str:
    import pypdf  # only for PDF letters

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # DependencyError: an encryption pypdf cannot undo without the cryptography package
        locked = reader.is_encrypted and not reader.decrypt("")
        count = 0 if locked else len(reader.pages)
    except pypdf.errors.DependencyError:
        locked = True
    except Exception as e:  # whatever a damaged PDF makes pypdf raise: one sentence
        raise FileProblem(name, f"is not a readable PDF ({type(e).__name__}: {e})") from None
    if locked:
        raise FileProblem(name, "is encrypted: open it with its password and save a copy without one")
    if count > PAGE_LIMIT:
        raise FileProblem(name, f"has {count} pages, more than a letter may ({PAGE_LIMIT})")
    texts: list[str] = []
    empty, broken = [], []
    budget = _Budget(name)
    for n in range(count):
        try:
            text = reader.pages[n].extract_text(visitor_operand_before=budget.page(n + 1)) or ""
        except FileProblem:  # over its budget
            raise
        except Exception:  # one damaged page: the others are still the letter
            text = ""
            broken.append(n + 1)
        budget.read(len(text))
        if not text.strip():
            empty.append(n + 1)
        texts.append(text)
    if len(empty) == count:
        raise FileProblem(name, "has no text layer (a scanned letter): OCR it or paste its text")
    notes.extend(f"page {n} could not be read" for n in broken)
    notes.extend(f"page {n} has no text" for n in empty if n not in broken)
    return "\n".join(text.removesuffix("\n") for text in texts)


class _Budget:
    """The characters a PDF letter may hold, per page and in all, and the time a page may take to read, watched
    from inside pypdf's reading of each page (it calls `page`'s visitor before each operator): a page that shows
    more text than a letter's page, or takes too long, is refused as it is read, not once it has been read whole.
    The whole letter's time, and pypdf's parse of a page's operators before it visits the first, are bounded by
    the child process a letter is read in (ticker.letters.child), killed after READ_SECONDS."""

    TEXT_OPERATORS = (b"Tj", b"TJ", b"'", b'"')

    def __init__(self, name: str):
        self.name = name
        self.page_deadline = time.monotonic() + PAGE_SECONDS
        self.number, self.shown, self.before = 0, 0, 0  # `before`: the characters of the pages read

    def page(self, number: int) -> Any:
        """The visitor for page `number`, read after the pages before it."""
        self.number, self.shown = number, 0
        self.page_deadline = time.monotonic() + PAGE_SECONDS

        def visit(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
            if operator in self.TEXT_OPERATORS:
                shown = operands[0] if operator == b"TJ" and operands and isinstance(operands[0], list) else operands
                self.shown += sum(len(s) for s in shown if isinstance(s, str | bytes))
            # a font shows a character in one byte or two: twice the limit in bytes is over it in characters
            self.check(self.shown // 2)

        return visit

    def read(self, characters: int) -> None:
        """Page `number` read whole, `characters` long: checked, and counted with the pages before it."""
        self.check(characters)
        self.before += characters

    def check(self, characters: int) -> None:
        """Refuses the letter when page `number`, with `characters` so far, is over a budget."""
        now, page = time.monotonic(), f"page {self.number}"
        if characters > PAGE_TEXT_LIMIT:
            self.over(f"{page} holds more than {PAGE_TEXT_LIMIT:,} characters, more than a page of a letter may")
        if self.before + characters > TEXT_LIMIT:
            raise too_much_text(self.name)
        if now > self.page_deadline:
            self.over(f"{page} takes more than {PAGE_SECONDS:g} s to read, longer than a page of a letter may")

    def over(self, reason: str) -> None:
        raise FileProblem(self.name, reason)
