"""The report back as a Word letter, laid out as Nghị định 30/2020/NĐ-CP sets out an administrative document:
the issuer and the national motto side by side, "Số:", the place and date, the title, "Kính gửi:", the body,
the tables, "Nơi nhận:" and the signature block; Times New Roman, 13 and 14 points, on A4. It lays out the
facts of ticker.reports.facts and adds none."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ticker.reports.facts import Facts
from ticker.reports.words import (
    AIRINGS_HEADER,
    FILES_HEADER,
    MOTTO,
    NATION,
    STILL_LINE,
    airing_rows,
    as_run_lines,
    body,
    delivery_lines,
    file_rows,
    heading,
    number_line,
    title_lines,
    total_line,
)

FONT = "Times New Roman"


def _run(p: Paragraph, text: str, size: float = 14, bold: bool = False, italic: bool = False) -> None:
    r = p.add_run(text)
    r.font.name, r.font.size, r.font.bold, r.font.italic = FONT, Pt(size), bold, italic
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(
    where: Any, text: str = "", size: float = 14, bold: bool = False, italic: bool = False, align: Any = None
) -> Paragraph:
    p = where.add_paragraph() if not isinstance(where, _Cell) or where.paragraphs[0].text else where.paragraphs[0]
    if text:
        _run(p, text, size, bold, italic)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    return p


def _body(doc: Any, text: str) -> None:
    p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.paragraph_format.first_line_indent = Cm(1)
    p.paragraph_format.space_after = Pt(6)


def _grid(doc: Any, header: list[str], rows: list[list[str]], size: float = 13) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header):
        _para(cell, text, size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            _para(cell, text, size)


def make_docx(facts: Facts, still: bytes | None = None) -> bytes:
    """The .docx's bytes for one campaign's facts (ticker.reports.facts.campaign_facts)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    top = doc.add_table(rows=1, cols=2)
    left, right = top.rows[0].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, heading(facts), 13, bold=True, align=centre)
    _para(left, number_line(facts), 13, align=centre)
    _para(right, NATION, 13, bold=True, align=centre)
    _para(right, MOTTO, 14, bold=True, align=centre)
    _para(doc)
    _para(doc, facts["date_line"], italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc)
    title, subject = title_lines(facts)
    _para(doc, title, bold=True, align=centre)
    _para(doc, subject, bold=True, align=centre)
    _para(doc)
    if facts["source"] and facts["source"]["issuer"]:
        _para(doc, f"Kính gửi: {facts['source']['issuer']}.", align=centre)
        _para(doc)
    for text in body(facts):
        _body(doc, text)
    _grid(doc, AIRINGS_HEADER, airing_rows(facts))
    _para(doc, total_line(facts), bold=True).paragraph_format.space_before = Pt(6)
    for text in as_run_lines(facts):
        _body(doc, text)
    if still is not None:
        _body(doc, STILL_LINE)
        doc.add_picture(io.BytesIO(still), width=Cm(16))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if facts["delivered"]:
        _body(doc, "Các tệp phát sóng (mã kiểm tra SHA-256 theo bản kê của từng ngày):")
        _grid(doc, FILES_HEADER, file_rows(facts), size=11)
        for text in delivery_lines(facts):
            _body(doc, text)
    _body(doc, "Trên đây là báo cáo kết quả thực hiện, kính báo cáo./.")

    end = doc.add_table(rows=1, cols=2)
    send, sign = end.rows[0].cells
    _para(send, "Nơi nhận:", 12, bold=True, italic=True)
    _para(send, "- Như trên;", 11)
    _para(send, "- Lưu: VT.", 11)
    _para(sign, facts["operator"]["signer_title"], 14, bold=True, align=centre)
    for _ in range(4):
        _para(sign, " ", 14)
    _para(sign, facts["operator"]["signer"] or " ", 14, bold=True, align=centre)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
