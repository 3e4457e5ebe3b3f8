"""ticker.letters.formats: Word and PDF letters read within what a letter is at most. Bombs made here (a PDF whose
pages share one stream of text operators, a .docx whose XML unpacks to megabytes) are refused in one sentence
naming the file and what is over, long before the reader has done what they ask of it; real letters pass."""

from __future__ import annotations

import re

import pytest

from ticker.errors import FileProblem
from ticker.letters import formats as letter_formats
from ticker.letters.formats import PAGE_TEXT_LIMIT, TEXT_LIMIT, XML_LIMIT
from ticker.letters.read import letter_from_bytes

from support.letter_bombs import EMPTY, SHOWN, docx_bomb, shared_stream_pdf, small_docx


def _refusal(data: bytes, name: str) -> str:
    with pytest.raises(FileProblem) as e:
        letter_from_bytes(data, name)
    sentence = str(e.value)
    assert sentence.startswith(f"{name}: ") and sentence.endswith(".") and "\n" not in sentence
    return sentence


def test_a_pdf_page_showing_more_text_than_a_letters_page_is_refused_as_it_is_read():
    # 50 pages of 60,000 characters each, every page the same stream: read whole, 3 million characters
    bomb = shared_stream_pdf(50, SHOWN, 6_000)
    assert len(bomb) < 10_000
    assert _refusal(bomb, "bomb.pdf") == (
        f"bomb.pdf: page 1 holds more than {PAGE_TEXT_LIMIT:,} characters, more than a page of a letter may."
    )


def test_a_pdf_of_more_text_than_a_letter_is_refused():
    pages = TEXT_LIMIT // (PAGE_TEXT_LIMIT - 5_000) + 2  # each page under its own limit, all of them over
    bomb = shared_stream_pdf(pages, SHOWN, (PAGE_TEXT_LIMIT - 5_000) // 10)
    assert (
        _refusal(bomb, "dày.pdf")
        == f"dày.pdf: holds more than {TEXT_LIMIT:,} characters of text, more than a letter may."
    )


def test_a_pdf_page_that_takes_longer_than_a_pages_time_is_refused(monkeypatch):
    monkeypatch.setattr(letter_formats, "PAGE_SECONDS", 0.0)
    sentence = _refusal(shared_stream_pdf(2, EMPTY, 100), "chậm.pdf")
    assert sentence == "chậm.pdf: page 1 takes more than 0 s to read, longer than a page of a letter may."


def test_a_text_letter_of_more_characters_than_a_letter_is_refused():
    sentence = _refusal(b"a " * (TEXT_LIMIT // 2 + 1), "dài.txt")
    assert sentence == f"dài.txt: holds more than {TEXT_LIMIT:,} characters of text, more than a letter may."


@pytest.mark.parametrize(
    "part, content_type",
    [
        ("word/document.xml", None),
        # XML wherever it is and whatever it is called: python-docx parses a part by its declared type
        ("word/media/image9.png", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"),
    ],
    ids=["document.xml", "xml-named-as-a-picture"],
)
def test_a_docx_whose_xml_unpacks_past_a_letters_is_refused_before_it_is_parsed(part, content_type):
    bomb = docx_bomb(XML_LIMIT, part, content_type)  # paragraphs of one letter: with the others' XML, over
    assert len(bomb) < 100_000
    said = re.fullmatch(
        r"bom\.docx: unpacks to ([\d.]+) MB of XML \((.+) ([\d.]+) MB\), more than a letter may \(8 MB\)\.",
        _refusal(bomb, "bom.docx"),
    )
    assert said and said[2] == part and 8 < float(said[1]) < 10 and said[3] == "8"


def test_a_letter_sized_docx_and_its_pictures_are_read():
    picture = docx_bomb(XML_LIMIT, "word/media/image9.png", "image/png")  # a picture's bytes are not XML
    assert letter_from_bytes(picture, "cv.docx").lines == ("Kính gửi: các đơn vị.",)
    assert letter_from_bytes(small_docx(), "cv.docx").lines == ("Kính gửi: các đơn vị.",)
