"""The report back as a Word letter, laid out as Nghị định 30/2020/NĐ-CP sets out an administrative document:
on A4 with margins of 20 mm top and bottom, 30 mm left and 15 mm right, in Times New Roman 13 and 14 points;
the station and the national motto side by side, "Số:" level with the place and date, the title, "Kính gửi:",
the body, "Nơi nhận:" and the signature block; then the annexes (Phụ lục), each on a new page. A table's rows
never split across pages and its header row is repeated on each. It lays out the facts of
ticker.reports.shape with the words of ticker.reports.words and adds none."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from PIL import Image

from ticker.reports.shape import Facts
from ticker.reports.words import (
    AIRINGS_HEADER,
    FILES_HEADER,
    FILES_LINE,
    MOTTO,
    NATION,
    PROBLEMS_LINE,
    SEALS_HEADER,
    SEALS_LINE,
    STILL_CAPTION,
    Annex,
    addressee,
    against_schedule_line,
    airing_rows,
    annex_lines,
    annexes,
    attached_line,
    basis_line,
    cited,
    closing,
    content,
    file_rows,
    heading,
    number_line,
    result_line,
    seal_rows,
    time_line,
    title_lines,
    total_line,
)

FONT = "Times New Roman"
WIDTH = Cm(16.5)  # A4's 21 cm less the margins
HEAD_COLUMNS = (Cm(6.3), Cm(10.2))  # the motto's line, 88 mm at 13 points, fits the right one
AIRINGS_COLUMNS = (Cm(2.4), Cm(2.3), Cm(2.5), Cm(2.9), Cm(1.7), Cm(4.7))
FILES_COLUMNS = (Cm(5.2), Cm(5.6), Cm(2.6), Cm(3.1))
SEALS_COLUMNS = (Cm(2.4), Cm(6.6), Cm(7.5))
STILL_MOST = (Cm(16), Cm(20))  # a picture's largest width and height on an annex's page
AFTER_BORDERS = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")  # w:pPr's children that follow w:pBdr
CENTRE, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def _run(p: Paragraph, text: str, size: float = 14, bold: bool = False, italic: bool = False) -> None:
    r = p.add_run(text)
    r.font.name, r.font.size, r.font.bold, r.font.italic = FONT, Pt(size), bold, italic
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(
    where: Any, text: str = "", size: float = 14, bold: bool = False, italic: bool = False, align: Any = None
) -> Paragraph:
    """A paragraph at the end of the document or of a cell (a cell's first, empty one used first)."""
    fresh = isinstance(where, _Cell) and len(where.paragraphs) == 1 and not where.paragraphs[0].runs
    p = where.paragraphs[0] if fresh else where.add_paragraph()
    if text:
        _run(p, text, size, bold, italic)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    return p


def _body(doc: Any, text: str, bold: bool = False, italic: bool = False) -> Paragraph:
    p = _para(doc, text, bold=bold, italic=italic, align=JUSTIFY)
    p.paragraph_format.first_line_indent = Cm(1)
    p.paragraph_format.space_after = Pt(6)
    return p


def _rule(p: Paragraph, side: str, indent: Length) -> None:
    """A line under (or over) a paragraph, as long as the cell less `indent` on each side: the short lines under
    the station's name and the motto."""
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = indent
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        line.set(qn(key), value)
    borders.append(line)
    p._p.get_or_add_pPr().insert_element_before(borders, *AFTER_BORDERS)


def _widths(table: Table, widths: tuple[Length, ...]) -> None:
    """Each column's width, in the table's grid (which LibreOffice reads) and in each cell (which Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _row_stays_whole(row: Any, header: bool = False) -> None:
    """w:cantSplit: the row is never split across pages; w:tblHeader: repeated at the top of each page."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _grid(doc: Any, header: list[str], rows: list[list[str]], widths: tuple[Length, ...], size: float = 13) -> Table:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header):
        _para(cell, text, size, bold=True, align=CENTRE)
    _row_stays_whole(table.rows[0], header=True)
    for row in rows:
        added = table.add_row()
        for cell, text in zip(added.cells, row):
            _para(cell, text, size)
        _row_stays_whole(added)
    _widths(table, widths)
    return table


def _page(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _head(doc: Any, facts: Facts) -> None:
    """The station and "Số:" on the left, the national motto and the place and date on the right."""
    top = doc.add_table(rows=2, cols=2)
    (station, nation), (number, date) = (r.cells for r in top.rows)
    _para(station, heading(facts), 13, bold=True, align=CENTRE)
    _rule(_para(station, size=4, align=CENTRE), "top", Cm(2.2))
    _para(nation, NATION, 13, bold=True, align=CENTRE)
    _rule(_para(nation, MOTTO, 14, bold=True, align=CENTRE), "bottom", Cm(1.6))
    _para(number, number_line(facts), 13, align=CENTRE).paragraph_format.space_before = Pt(6)
    _para(date, facts["date_line"], 14, italic=True, align=CENTRE).paragraph_format.space_before = Pt(6)
    _widths(top, HEAD_COLUMNS)
    _no_side_margins(top)


def _no_side_margins(table: Table) -> None:
    """No room left and right inside the cells: the whole column for the motto's line."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _letter(doc: Any, facts: Facts, still: bool) -> None:
    _head(doc, facts)
    _para(doc)
    title, *more = title_lines(facts)
    _para(doc, title, bold=True, align=CENTRE).paragraph_format.space_before = Pt(12)
    for line in more:
        _para(doc, line, bold=not line.startswith("("), italic=line.startswith("("), align=CENTRE)
    _para(doc, addressee(facts), align=CENTRE).paragraph_format.space_before = Pt(12)
    _para(doc)
    _body(doc, cited(facts))
    _body(doc, time_line(facts))
    said, quoted = content(facts)
    _body(doc, said)
    for line in quoted:
        _body(doc, line, italic=True)
    _body(doc, result_line(facts))
    _grid(doc, AIRINGS_HEADER, airing_rows(facts), AIRINGS_COLUMNS, size=12)
    _para(doc, total_line(facts), bold=True).paragraph_format.space_before = Pt(6)
    for text in (basis_line(facts), against_schedule_line(facts), attached_line(facts, still)):
        if text:
            _body(doc, text)
    _body(doc, closing(facts)).paragraph_format.keep_with_next = True  # never a page for the signature alone


def _end(doc: Any, facts: Facts) -> None:
    """Nơi nhận on the left, the signer's title, room to sign and name on the right."""
    end = doc.add_table(rows=1, cols=2)
    send, sign = end.rows[0].cells
    _para(send, "Nơi nhận:", 12, bold=True, italic=True)
    _para(send, "- Như trên;", 11)
    _para(send, "- Lưu: VT.", 11)
    station = facts["station"]
    _para(sign, station.get("signer_title", "").upper(), 14, bold=True, align=CENTRE)
    for _ in range(4):
        _para(sign, " ", 14)
    _para(sign, station.get("signer") or " ", 14, bold=True, align=CENTRE)
    _widths(end, (Cm(7), Cm(9.5)))
    _row_stays_whole(end.rows[0])


def _picture(doc: Any, still: bytes) -> None:
    with Image.open(io.BytesIO(still)) as picture:
        width, height = picture.size
    most_w, most_h = STILL_MOST
    if height * most_w > width * most_h:  # taller than the page's room: as high as it may be
        doc.add_picture(io.BytesIO(still), height=most_h)
    else:
        doc.add_picture(io.BytesIO(still), width=most_w)
    doc.paragraphs[-1].alignment = CENTRE


def _annex(doc: Any, facts: Facts, annex: Annex, still: bytes | None) -> None:
    number, title, of = annex_lines(facts, annex)
    _para(doc, number, bold=True, align=CENTRE).paragraph_format.page_break_before = True
    _para(doc, title, bold=True, align=CENTRE)
    _para(doc, of, 13, italic=True, align=CENTRE).paragraph_format.space_after = Pt(12)
    if annex.kind == "still" and still is not None:
        _picture(doc, still)
        _para(doc, STILL_CAPTION, 13, italic=True, align=CENTRE)
    elif annex.kind == "files":
        _body(doc, FILES_LINE)
        _grid(doc, FILES_HEADER, file_rows(facts), FILES_COLUMNS, size=10)
    elif annex.kind == "seals":
        if facts["seals"]:
            _body(doc, SEALS_LINE)
            _grid(doc, SEALS_HEADER, seal_rows(facts), SEALS_COLUMNS, size=10)
        if facts["problems"]:
            _body(doc, PROBLEMS_LINE).paragraph_format.space_before = Pt(6)
            for problem in facts["problems"]:
                _para(doc, f"- {problem}", 11)


def make_docx(facts: Facts, still: bytes | None = None) -> bytes:
    """The .docx's bytes for one campaign's facts."""
    doc = Document()
    _page(doc)
    _letter(doc, facts, still is not None)
    _end(doc, facts)
    for annex in annexes(facts, still is not None):
        _annex(doc, facts, annex, still)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
