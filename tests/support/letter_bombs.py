"""Letters made to cost their reader far more than they weigh, built here for the tests: a PDF whose pages all
draw one content stream of many operators, and a .docx whose XML unpacks to far more than it weighs."""

from __future__ import annotations

import io
import zipfile

import docx
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

SHOWN = b"(aaaaaaaaaa) Tj\n"  # ten characters of text shown
EMPTY = b"() Tj\n"  # a text operator that shows nothing: pypdf works through it all the same
PARAGRAPH = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"


def shared_stream_pdf(pages: int, operator: bytes, times: int) -> bytes:
    """A PDF of `pages` pages that all draw one deflated content stream: `operator`, `times` times, in BT … ET."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 700 Td\n" + operator * times + b"ET\n")
    contents = writer._add_object(stream.flate_encode())
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        fonts = DictionaryObject({NameObject("/F1"): font})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        page[NameObject("/Contents")] = contents
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def small_docx(text: str = "Kính gửi: các đơn vị.") -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def docx_bomb(size: int, part: str = "word/document.xml", content_type: str | None = None) -> bytes:
    """A Word document whose `part` is XML of paragraphs that unpacks to at least `size` bytes, deflated into a
    few tens of KB (with `content_type`, the part is declared so in [Content_Types].xml)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small_docx())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml" and content_type:
                override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
                body = body.replace(b"</Types>", override + b"</Types>")
            if info.filename == part:
                start, end = body.split(b"<w:body>", 1)[0] + b"<w:body>", b"</w:body></w:document>"
                body = start + PARAGRAPH * (size // len(PARAGRAPH) + 1) + end
            dst.writestr(info, body)
        if part not in src.namelist():
            dst.writestr(part, b"<x>" + PARAGRAPH * (size // len(PARAGRAPH) + 1) + b"</x>")
    return out.getvalue()
