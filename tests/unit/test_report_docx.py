"""The report as a Word letter, read back with python-docx: A4 with the margins of Nghị định 30/2020, the motto's
column wide enough, every table row kept whole and the header row repeated, each Phụ lục on a new page, "Kính
gửi" with dots when there is no [source], the words quoted per version, and no checksum before the annexes."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from ticker.reports.docx import make_docx

from support import report_facts as sample

HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


def _doc(facts, still: bytes | None = None):
    return Document(io.BytesIO(make_docx(facts, still)))


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 46, 107)).save(out, "PNG")
    return out.getvalue()


def _blocks(doc) -> list[tuple[str, object]]:
    """The body in order: ("p", paragraph element) and ("tbl", table element)."""
    kinds = (qn("w:p"), qn("w:tbl"))
    return [(el.tag.rsplit("}", 1)[1], el) for el in doc.element.body.iterchildren() if el.tag in kinds]


def _text(el) -> str:
    """A paragraph's text, or a table's with a line for each of its paragraphs."""
    paragraphs = [el] if el.tag == qn("w:p") else list(el.iter(qn("w:p")))
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs)


def _annex_starts(doc) -> list[int]:
    """The indexes (in _blocks) of the paragraphs "Phụ lục N"."""
    blocks = _blocks(doc)
    return [i for i, (kind, el) in enumerate(blocks) if kind == "p" and re.fullmatch(r"Phụ lục [IVX]+", _text(el))]


def test_a4_with_the_margins_of_the_decree_in_times_new_roman():
    doc = _doc(sample.complete())
    (section,) = doc.sections
    mm = [round(x.mm) for x in (section.page_width, section.page_height, section.top_margin, section.bottom_margin)]
    assert mm == [210, 297, 20, 20]
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    sizes = {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.font.size}
    assert {13, 14} <= sizes


def test_the_heading_block():
    doc = _doc(sample.complete())
    head = doc.tables[0]
    (station, nation), (number, date) = (list(r.cells) for r in head.rows)
    assert station.paragraphs[0].text == "CÔNG TY TNHH TRUYỀN HÌNH CÁP HẬU GIANG" and station.paragraphs[0].runs[0].bold
    assert [p.text for p in nation.paragraphs] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert nation.paragraphs[0].runs[0].font.size.pt == 13 and all(p.runs[0].bold for p in nation.paragraphs)
    # 88 mm at 13 points bold: the motto's column is wider than half the 165 mm the margins leave
    assert nation.width >= Cm(9.5) and round((station.width + nation.width) / Cm(1), 1) <= 16.5
    assert number.paragraphs[0].text == "Số:        /BC-HGCTV"
    assert date.paragraphs[0].text == "Hậu Giang, ngày 16 tháng 3 năm 2020" and date.paragraphs[0].runs[0].italic
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("BÁO CÁO") < texts.index("Kính gửi: Sở Thông tin và Truyền thông Hậu Giang.")


def test_every_row_stays_whole_and_the_header_row_repeats():
    doc = _doc(sample.long_window(), _png(800, 200))
    grids = [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(grids) == 3  # the airings, the files, the seals
    for table in grids:
        for k, row in enumerate(table.rows):
            props = row._tr.trPr
            assert props is not None and props.find(qn("w:cantSplit")) is not None
            assert (props.find(qn("w:tblHeader")) is not None) == (k == 0)
    assert len(grids[0].rows) == 1 + 80 and [c.text for c in grids[0].rows[0].cells][-1] == "Ghi chú"
    end = doc.tables[-1].rows[0]
    assert end._tr.trPr.find(qn("w:cantSplit")) is not None  # the signature block on one page


def test_each_annex_starts_a_page():
    doc = _doc(sample.complete(), _png(800, 200))
    blocks = _blocks(doc)
    starts = _annex_starts(doc)
    assert [_text(blocks[i][1]) for i in starts] == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]
    for i in starts:
        props = blocks[i][1].pPr
        assert props is not None and props.find(qn("w:pageBreakBefore")) is not None
    assert [_text(blocks[i + 1][1]) for i in starts] == [
        "HÌNH ẢNH DÒNG CHỮ CHẠY TRÊN SÓNG",
        "DANH SÁCH TỆP ĐÃ GIAO",
        "NIÊM PHONG HỒ SƠ PHÁT SÓNG",
    ]
    before = f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}"
    breaks = [el for kind, el in blocks if kind == "p" and el.find(before) is not None]
    assert len(breaks) == 3  # nowhere else
    (picture,) = doc.inline_shapes
    assert picture.width == Cm(16)
    after = [p.text for p in doc.paragraphs]
    assert after[after.index("HÌNH ẢNH DÒNG CHỮ CHẠY TRÊN SÓNG") + 3] == "Hình ảnh dòng chữ chạy trên sóng"


def test_an_empty_annex_is_left_out_and_a_tall_picture_fits_the_page():
    facts = sample.complete()
    facts["files"] = []
    doc = _doc(facts, _png(700, 900))
    assert [_text(_blocks(doc)[i][1]) for i in _annex_starts(doc)] == ["Phụ lục I", "Phụ lục II"]
    assert "DANH SÁCH TỆP ĐÃ GIAO" not in [p.text for p in doc.paragraphs]
    (picture,) = doc.inline_shapes
    assert picture.height == Cm(20) and picture.width < Cm(16)
    facts["seals"] = []
    assert _annex_starts(_doc(facts)) == []


def test_kinh_gui_with_dots_when_there_is_no_source():
    texts = [p.text for p in _doc(sample.without_source()).paragraphs]
    assert "Kính gửi: ……………" in texts
    cited = next(t for t in texts if t.startswith("Thực hiện Công văn"))
    assert cited.startswith("Thực hiện Công văn số ……… ngày ……… của ……… về việc ………, ")


def _all_text(doc) -> str:
    return "\n".join(_text(el) for _, el in _blocks(doc))


def test_tuyen_truyen_never_twice_and_the_words_quoted_per_version():
    facts = sample.two_versions()
    assert facts["source"] is not None
    for subject in ("tuyên truyền cài đặt ứng dụng NCOVI", "V/v Tuyên truyền cài đặt ứng dụng NCOVI"):
        facts["source"]["subject"] = subject
        text = _all_text(_doc(facts))
        assert "tuyên truyền tuyên truyền" not in text.lower()
        assert "Kết quả thực hiện chạy chữ tuyên truyền cài đặt ứng dụng NCOVI" in text
    texts = [p.text for p in _doc(facts).paragraphs]
    assert f"Từ ngày 12/3/2020 đến ngày 13/3/2020: «{sample.WORDS[0]}»" in texts
    assert f"Từ ngày 14/3/2020 đến ngày 15/3/2020: «{sample.WORDS[0]}» «{sample.NEW_WORDS[0]}»" in texts
    assert sample.TITLE not in _all_text(_doc(facts))


def test_no_checksum_before_the_annexes():
    doc = _doc(sample.trouble(), _png(800, 200))
    blocks = _blocks(doc)
    first = _annex_starts(doc)[0]
    body = "\n".join(_text(el) for _, el in blocks[:first])
    annexes = "\n".join(_text(el) for _, el in blocks[first:])
    assert "Tổng cộng: 11 lần phát" in body and "Nơi nhận:" in body
    assert not HEX64.search(body)
    assert HEX64.search(annexes)  # the checksums are there, in the annexes


def test_the_interim_letter():
    texts = [p.text for p in _doc(sample.interim()).paragraphs]
    at = texts.index("BÁO CÁO SƠ BỘ")
    assert texts[at + 2] == "(đến ngày 13/3/2020)"
    assert "Còn 07 lần phát theo lịch chưa đến giờ, chưa được tính." in texts
