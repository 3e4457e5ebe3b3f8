"""ticker.letters.read: letters written here as a provincial department writes them (lines of the Hậu Giang
letter 337/STTT-CNTT of 2020), as text in every encoding they arrive in, as .docx and as PDF, read back line
for line; and every file that is not a readable letter refused in one sentence naming it."""

from __future__ import annotations

import io
import logging
import os
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from ticker.errors import FileProblem, InputError
from ticker.letters import child as letter_child
from ticker.letters import formats as letter_formats
from ticker.letters import read as letter_read
from ticker.letters.child import read_letter
from ticker.letters.read import Letter, clean, letter_from_bytes
from ticker.vietnamese.legacy import from_unicode

FONT = Path(__file__).resolve().parents[2] / "ticker" / "fonts" / "NotoSans-Regular.ttf"

LETTER = """\
UBND TỈNH HẬU GIANG
SỞ THÔNG TIN VÀ TRUYỀN THÔNG

Số: 337/STTT-CNTT
V/v tuyên truyền ứng dụng khai báo sức khỏe toàn dân
Hậu Giang, ngày 11 tháng 3 năm 2020

Kính gửi: Các Doanh nghiệp Viễn thông và Truyền hình cáp.

Sở Thông tin và Truyền thông đề nghị các đơn vị phối hợp triển khai các nội dung sau:
- Các doanh nghiệp truyền hình cáp: thực hiện chạy chữ tuyên truyền với nội dung: (đề nghị người dân tải \
ứng dụng Khai báo y tế phòng dịch NCOVI để được hỗ trợ nhanh nhất từ cơ quan y tế)
Thời gian thực hiện 01 đợt: từ ngày 12/3/2020 đến 15/3/2020

Nơi nhận:
- Như trên;
- Lưu: VT, CNTT.
GIÁM ĐỐC"""
LINES = tuple(LETTER.split("\n"))
# TCVN3 has no capitals with tone marks (they came from a capitals-only font): its round trip is lowercase there
LOWER_TONED = tuple(line.lower() for line in LINES)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _problem(data: bytes, name: str) -> str:
    with pytest.raises(FileProblem) as e:
        letter_from_bytes(data, name)
    assert str(e.value).startswith(f"{name}: ")
    assert "\n" not in str(e.value) and str(e.value).endswith(".")
    return str(e.value)


# ---- text ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, encoding",
    [
        (LETTER.encode(), "utf-8"),
        (b"\xef\xbb\xbf" + LETTER.encode(), "utf-8"),
        (LETTER.encode("utf-16"), "utf-16"),
        (LETTER.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
        (LETTER.encode("utf-32"), "utf-32"),
        (LETTER.replace("\n", "\r\n").encode(), "utf-8"),
        (LETTER.replace("\n", "\r").encode(), "utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-32", "crlf", "cr"],
)
def test_a_text_letter_is_read_line_for_line(tmp_path, data, encoding):
    letter = read_letter(_write(tmp_path, "337-STTT.txt", data))
    assert letter == Letter(str(tmp_path / "337-STTT.txt"), "text", LINES, encoding, ())


def test_line_n_of_the_file_is_lines_n_minus_1(tmp_path):
    path = _write(tmp_path, "cv.txt", LETTER.encode())
    letter = read_letter(path)
    file_lines = path.read_text(encoding="utf-8").splitlines()
    assert letter.lines[6] == file_lines[6] == "" and letter.lines[7] == file_lines[7]
    assert letter.lines[6 - 1] == "Hậu Giang, ngày 11 tháng 3 năm 2020"
    assert len(letter.lines) == len(file_lines)


def test_blank_lines_at_the_start_and_a_final_newline_keep_the_numbering():
    letter = letter_from_bytes(b"\n\n" + LETTER.encode() + b"\n", "cv.txt")
    assert letter.lines[:3] == ("", "", LINES[0]) and letter.lines[-1] == ""  # the line after the last break


def test_noise_of_pasted_text_is_cleaned():
    noisy = (
        "\ufeffKính\u00a0gửi:\u202fCác\u2009Doanh\u200b nghiệp\u200d\t\n"
        "thực hiện chạy chữ\u00ad tuyên truyền với nội dung: «đề nghị người dân» „tải ứng dụng‟\x07   \n"
        "\u3000Thời\u2007gian\u2028từ ngày 12/3/2020\u2029đến 15/3/2020\x0bNơi nhận:\x0c- Như trên;"
    )
    letter = letter_from_bytes(noisy.encode(), "dán.txt")
    assert letter.lines == (
        "Kính gửi: Các Doanh nghiệp",
        "thực hiện chạy chữ tuyên truyền với nội dung: “đề nghị người dân” “tải ứng dụng”",
        " Thời gian",  # leading spaces are kept
        "từ ngày 12/3/2020",
        "đến 15/3/2020",
        "Nơi nhận:",
        "- Như trên;",
    )


def test_curly_quotes_are_kept_and_french_ones_made_curly():
    assert clean("với nội dung: “Đề nghị” ‘tải’ ‹NCOVI›") == "với nội dung: “Đề nghị” ‘tải’ ‘NCOVI’"


def test_decomposed_letters_are_recomposed_and_said():
    letter = letter_from_bytes(unicodedata.normalize("NFD", LETTER).encode(), "nfd.txt")
    assert letter.lines == LINES and letter.encoding == "utf-8"
    assert letter.notes == ("decomposed letters (NFD) were recomposed to NFC",)


@pytest.mark.parametrize("encoding, label, expected", [("tcvn3", "TCVN3", None), ("vni", "VNI", LINES)])
def test_legacy_bytes_are_converted(encoding, label, expected):
    data = from_unicode(LETTER, encoding, as_bytes=True)
    assert isinstance(data, bytes)
    letter = letter_from_bytes(data, "cv.txt")
    assert tuple(line.lower() for line in letter.lines) == LOWER_TONED and letter.encoding == encoding
    assert expected is None or letter.lines == expected
    (note,) = letter.notes
    assert note.startswith(f"converted from {label} (") and "Vietnamese syllables" in note


@pytest.mark.parametrize("encoding, label", [("tcvn3", "TCVN3"), ("vni", "VNI")])
def test_legacy_text_pasted_as_unicode_is_converted(encoding, label):
    pasted = from_unicode(LETTER, encoding)
    assert isinstance(pasted, str)
    if encoding == "tcvn3":
        assert "Së Th«ng tin vµ TruyÒn th«ng" in pasted
    letter = letter_from_bytes(pasted.encode(), "dán.txt")
    assert tuple(line.lower() for line in letter.lines) == LOWER_TONED and letter.encoding == encoding
    (note,) = letter.notes
    assert note.startswith(f"converted from {label} pasted as Unicode characters (")


def test_a_few_tcvn3_lines_pasted_into_a_unicode_letter_are_converted():
    lines = list(LINES)
    lines[9] = str(from_unicode(LINES[9], "tcvn3"))
    letter = letter_from_bytes("\n".join(lines).encode(), "cv.txt")
    assert letter.lines[9] == LINES[9] and letter.lines[:9] == LINES[:9]
    assert letter.encoding == "tcvn3" and letter.notes == ("line 10 converted from TCVN3 pasted as Unicode characters",)


def test_a_long_legacy_letter_is_judged_by_its_start_and_converted_whole(monkeypatch):
    monkeypatch.setattr(letter_read, "SAMPLE", 1000)
    long = "\n".join([LETTER] * 5)
    for data in (from_unicode(long, "vni", as_bytes=True), str(from_unicode(long, "vni")).encode()):
        assert isinstance(data, bytes)
        letter = letter_from_bytes(data, "dài.txt")
        assert letter.lines == tuple(long.split("\n")) and letter.encoding == "vni"


def test_windows_1258_is_converted():
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in LETTER:  # Windows-1258 has â ơ ư … whole and the five tones as combining marks
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)))
        out.append("".join(c for c in parts if c in tones))
    letter = letter_from_bytes("".join(out).encode("cp1258"), "cv.txt")
    assert letter.lines == LINES and letter.encoding == "cp1258"
    assert letter.notes == ("converted from Windows-1258 (Vietnamese Windows text)",)


def test_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(LETTER.encode("utf-16"))))
    assert read_letter("-") == Letter("standard input", "text", LINES, "utf-16", ())


# ---- docx ------------------------------------------------------------------------------------------------
def _docx() -> bytes:
    """A letter laid out as Nghị định 30 has it: issuer | motto, number | place and date in a 2-column table."""
    d = docx.Document()
    head = d.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "UBND TỈNH HẬU GIANG"
    head.cell(0, 0).add_paragraph("SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    head.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    head.cell(1, 0).text = "Số: 337/STTT-CNTT"
    head.cell(1, 1).text = "Hậu Giang, ngày 11 tháng 3 năm 2020"
    subject = d.add_paragraph("V/v tuyên truyền ứng dụng khai báo sức")
    subject.add_run().add_break()  # a soft line break (Shift+Enter)
    subject.add_run("khỏe toàn dân")
    d.add_paragraph("Kính gửi:\u00a0Các Doanh nghiệp Viễn thông và Truyền hình cáp.")
    d.add_paragraph("")
    body = d.add_paragraph("thực hiện chạy chữ tuyên truyền với nội dung: ")
    body.add_run("“đề nghị người dân tải ứng dụng NCOVI”").bold = True
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


DOCX_LINES = (
    "UBND TỈNH HẬU GIANG",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 337/STTT-CNTT",
    "Hậu Giang, ngày 11 tháng 3 năm 2020",
    "V/v tuyên truyền ứng dụng khai báo sức",
    "khỏe toàn dân",
    "Kính gửi: Các Doanh nghiệp Viễn thông và Truyền hình cáp.",
    "",
    "thực hiện chạy chữ tuyên truyền với nội dung: “đề nghị người dân tải ứng dụng NCOVI”",
)


def test_a_docx_letter_is_read_in_reading_order(tmp_path):
    letter = read_letter(_write(tmp_path, "337.docx", _docx()))
    assert letter == Letter(str(tmp_path / "337.docx"), "docx", DOCX_LINES, "utf-8", ())


def test_a_docx_is_known_by_its_bytes_whatever_its_name():
    assert letter_from_bytes(_docx(), "upload.bin").kind == "docx"


def _rezip(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, change(info.filename, body))
    return out.getvalue()


def test_docx_text_in_tracked_insertions_and_content_controls_is_read():
    def change(name, body):
        if name != "word/document.xml":
            return body
        extra = (  # the document's root declares the w: namespace
            "<w:sdt><w:sdtContent><w:p><w:r><w:t>Thời gian: từ ngày 12/3/2020</w:t></w:r>"
            '<w:ins w:id="1" w:author="VT"><w:r><w:t xml:space="preserve"> đến 15/3/2020</w:t></w:r></w:ins>'
            '<w:del w:id="2" w:author="VT"><w:r><w:delText> đến 14/3/2020</w:delText></w:r></w:del>'
            "</w:p></w:sdtContent></w:sdt>"
        ).encode()
        return body.replace(b"<w:sectPr", extra + b"<w:sectPr", 1)

    letter = letter_from_bytes(_rezip(_docx(), change), "337.docx")
    assert letter.lines == (*DOCX_LINES, "Thời gian: từ ngày 12/3/2020 đến 15/3/2020")


def test_a_text_box_is_read_once_on_lines_of_its_own():
    box = "<w:p><w:r><w:t>Số: 337/STTT-CNTT</w:t></w:r></w:p>"

    def change(name, body):
        if name != "word/document.xml":
            return body
        mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
        shape = (  # Word writes a text box twice: as a drawing, and as VML for older readers (mc:Fallback)
            f'<w:p><w:r><w:t>Kính gửi:</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps">'
            f"<w:drawing><w:txbxContent>{box}</w:txbxContent></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><w:txbxContent>{box}</w:txbxContent></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r><w:r><w:t> Các Sở, ban, ngành tỉnh;</w:t></w:r></w:p>"
        )
        return body.replace(b"<w:sectPr", shape.encode() + b"<w:sectPr", 1)

    letter = letter_from_bytes(_rezip(_docx(), change), "337.docx")
    assert letter.lines == (*DOCX_LINES, "Kính gửi:", "Số: 337/STTT-CNTT", " Các Sở, ban, ngành tỉnh;")


def test_a_docx_written_in_tcvn3_fonts_is_converted():
    d = docx.Document()
    for line in LINES:
        d.add_paragraph(str(from_unicode(line, "tcvn3")))  # what a .VnTime document holds
    out = io.BytesIO()
    d.save(out)
    letter = letter_from_bytes(out.getvalue(), "cũ.docx")
    assert tuple(line.lower() for line in letter.lines) == LOWER_TONED and letter.encoding == "tcvn3"


def test_a_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(letter_formats, "ZIP_LIMIT", 100_000)
    data = _rezip(_docx(), lambda name, body: body + b" " * 200_000 if name == "word/document.xml" else body)
    assert len(data) < 100_000
    assert "unpacks to" in _problem(data, "bom.docx")


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    assert "is a zip archive but an OpenDocument file: save it as .docx" in _problem(out.getvalue(), "cv.docx")


def test_a_broken_docx_is_refused():
    assert "is a broken zip archive" in _problem(_docx()[:2000], "cv.docx")
    broken = _rezip(_docx(), lambda name, body: body[:100] if name == "word/document.xml" else body)
    assert "is not a readable Word document" in _problem(broken, "cv.docx")


def test_a_docx_name_holding_plain_text_is_refused():
    assert _problem(LETTER.encode(), "337.docx") == (
        "337.docx: is named .docx but is not a Word document (.docx): it holds text or other bytes."
    )


# ---- pdf -------------------------------------------------------------------------------------------------
def _pdf(*pages: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_font("Noto", "", str(FONT))
    pdf.set_font("Noto", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(w=0, text=line, new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


def _words(lines) -> list[str]:
    return " ".join(lines).split()


def test_a_pdf_letter_is_read_page_after_page(tmp_path):
    first, second = list(LINES[:9]), list(LINES[9:])
    letter = read_letter(_write(tmp_path, "337.pdf", _pdf(first, second)))
    assert letter.kind == "pdf" and letter.encoding == "utf-8" and letter.notes == ()
    assert _words(letter.lines) == _words(LINES)  # PDF extraction may space words its own way
    assert letter.lines[0] == "UBND TỈNH HẬU GIANG"


def test_a_pdf_page_with_no_text_is_noted():
    letter = letter_from_bytes(_pdf(list(LINES[:3]), [], list(LINES[3:6])), "cv.pdf")
    assert _words(letter.lines) == _words(LINES[:6]) and letter.notes == ("page 2 has no text",)


def test_a_scanned_pdf_is_refused():
    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (60, 80), "white"), x=10, y=10, w=60)
    message = _problem(bytes(pdf.output()), "scan.pdf")
    assert message == "scan.pdf: has no text layer (a scanned letter): OCR it or paste its text."


def _encrypt(data: bytes, user: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password="chủ sở hữu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_is_refused_and_one_with_an_empty_password_read():
    data = _pdf(list(LINES))
    assert "is encrypted" in _problem(_encrypt(data, "mật khẩu"), "khoá.pdf")
    assert _words(letter_from_bytes(_encrypt(data, ""), "cv.pdf").lines) == _words(LINES)


def test_a_damaged_pdf_is_read_without_a_word_from_pypdf(caplog):
    caplog.set_level(logging.DEBUG)
    letter = letter_from_bytes(b"junk\n" + _pdf(list(LINES)), "cv.pdf")  # pypdf warns, then finds the pages
    assert _words(letter.lines) == _words(LINES)
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert "is not a readable PDF" in _problem(_pdf(list(LINES))[:400], "cut.pdf")
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_a_pdf_of_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(letter_formats, "PAGE_LIMIT", 2)
    assert "has 3 pages" in _problem(_pdf(["a"], ["b"], ["c"]), "dày.pdf")


def test_a_pdf_name_holding_a_docx_is_refused():
    assert "is named .pdf but is not a PDF: it holds a zip archive" in _problem(_docx(), "cv.pdf")


# ---- files that are not letters --------------------------------------------------------------------------
def test_a_fifo_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "cv.txt")
    with pytest.raises(FileProblem, match="FIFO"):
        read_letter(tmp_path / "cv.txt")


def test_a_folder_and_a_missing_file_are_refused(tmp_path):
    with pytest.raises(FileProblem, match="is a folder"):
        read_letter(tmp_path)
    with pytest.raises(FileProblem, match="no such letter"):
        read_letter(tmp_path / "không có.txt")


def test_a_letter_too_big_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(letter_read, "LETTER_LIMIT", 100)
    monkeypatch.setattr(letter_child, "LETTER_LIMIT", 100)
    with pytest.raises(FileProblem, match="more than a letter may be"):
        read_letter(_write(tmp_path, "cv.txt", LETTER.encode()))
    assert "more than a letter may be" in _problem(LETTER.encode(), "upload.txt")


def test_bytes_nobody_can_read_are_refused():
    message = _problem(bytes(range(128, 256)) * 4, "cv.txt")
    assert "neither UTF-8" in message and "save it as UTF-8 text" in message
    assert "is not UTF-16" in _problem(b"\xff\xfe\x00\xd8", "cv.txt")  # a lone surrogate


@pytest.mark.parametrize(
    "data, what",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old Word (.doc)"),
        (b"\x89PNG\r\n\x1a\n", "a picture (a scanned letter?)"),
    ],
)
def test_a_letter_sent_as_a_kind_ticker_cannot_read_is_named(data, what):
    assert f"is {what}" in _problem(data, "cv.doc")


@pytest.mark.parametrize("data", [b"", b"\n\n \r\n", "\ufeff\u00a0\n".encode()], ids=["empty", "blank", "noise"])
def test_a_letter_with_no_text_is_refused(data):
    assert _problem(data, "cv.txt") == "cv.txt: holds no text."


def test_every_refusal_is_an_input_error():
    assert issubclass(FileProblem, InputError)


# ---- letter_from_bytes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["text", "docx", "pdf"])
def test_letter_from_bytes_takes_the_kind_from_the_bytes(kind):
    data = {"text": LETTER.encode(), "docx": _docx(), "pdf": _pdf(list(LINES))}[kind]
    letter = letter_from_bytes(data, "tải lên")
    assert letter.kind == kind and letter.name == "tải lên" and "UBND TỈNH HẬU GIANG" in letter.lines


def test_tcvn3_capitals_come_back_as_capitals():
    """TCVN3 drew capitals with a second font: its bytes convert to small accented letters inside capitals."""
    text = "UBND TỈNH HẬU GIANG\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSở Thông tin và Truyền thông đề nghị"
    data = from_unicode(text, "tcvn3", as_bytes=True)
    assert isinstance(data, bytes)
    letter = letter_from_bytes(data, "cv.txt")
    assert letter.encoding == "tcvn3" and letter.lines == tuple(text.split("\n"))
