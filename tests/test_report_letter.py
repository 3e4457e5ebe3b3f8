"""The report's printable page in a real browser (Chromium) and printed to PDF, from hand-made facts
(support.report_facts): the blank after "Số:" keeps its width, the national motto holds one line in its column,
a long table repeats its header row on each page and never splits a row, each Phụ lục starts a page, and what a
user typed is escaped and nothing is loaded."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from ticker.reports.html import make_html
from ticker.reports.words import AIRINGS_HEADER, ANNEX_TITLES

from support import report_facts as sample

PX_PER_MM = 96 / 25.4
HEADER = "".join(AIRINGS_HEADER).replace(" ", "")
# a note long enough to take three lines of its cell, with a mark at each end
LONG_REASON = "E42 máy dựng dừng giữa chừng, đêm sau dựng lại nhưng vẫn thiếu tệp của buổi tối E43"


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 46, 107)).save(out, "PNG")
    return out.getvalue()


def _open(chromium, tmp_path, facts, still: bytes | None = None):
    path = tmp_path / "bc.html"
    path.write_text(make_html(facts, still), encoding="utf-8")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return context, page, requests


def _pages(page) -> list[str]:
    """The printed PDF's pages as text without white space (the extracted text of a line breaks around the
    letters a fallback font draws)."""
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    for p in reader.pages:
        assert (round(float(p.mediabox.width) / 72 * 25.4), round(float(p.mediabox.height) / 72 * 25.4)) == (210, 297)
    return [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages]


@pytest.mark.xdist_group("chromium")
def test_the_blank_after_so_keeps_its_width_on_screen_and_in_print(chromium, tmp_path):
    context, page, _ = _open(chromium, tmp_path, sample.complete())
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        width = page.evaluate("document.getElementById('blank').getBoundingClientRect().width")
        assert width >= 25 * PX_PER_MM, f"{media}: the blank is {width / PX_PER_MM:.1f} mm"
    number = page.inner_text("#number")
    assert number.startswith("Số:") and number.endswith("/BC-HGCTV") and number.count("\u00a0") >= 8
    context.close()


LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
  return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"""


@pytest.mark.xdist_group("chromium")
def test_the_motto_holds_one_line_in_its_column(chromium, tmp_path):
    context, page, _ = _open(chromium, tmp_path, sample.complete())
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        nation = page.locator("#nation")
        assert nation.evaluate("el => getComputedStyle(el).fontSize") == f"{13 * 96 / 72:g}px"  # 13 points
        assert nation.evaluate(LINES) == 1
        # and within its cell, not spilling over the margin
        inner = nation.evaluate("el => el.scrollWidth")
        cell = nation.evaluate("el => el.parentElement.clientWidth")
        assert inner <= cell, f"{media}: the motto's line is {inner} px in a cell of {cell} px"
        assert page.locator(".motto span").evaluate(LINES) == 1
    context.close()


@pytest.mark.xdist_group("chromium")
def test_printed_a_long_table_repeats_its_header_and_each_annex_starts_a_page(chromium, tmp_path):
    facts = sample.long_window(40)
    for d in facts["days"][::3]:  # rows three lines high
        d["rows"][0].update(state="incomplete", reason=LONG_REASON)
    context, page, requests = _open(chromium, tmp_path, facts, _png(900, 300))
    pages = _pages(page)
    table_pages = [k for k, text in enumerate(pages) if re.search(r"\d+/[34]/2020thứ|Chủnhật", text)]
    assert len(table_pages) >= 3  # the table runs over pages
    for k in table_pages[1:]:
        assert pages[k].startswith(HEADER), f"page {k + 1} does not start with the header row"
    for k in table_pages:  # a note is on the page its row starts on, whole
        assert pages[k].count("E42") == pages[k].count("E43"), f"page {k + 1} splits a row"
    assert sum(p.count("E42") for p in pages) == len(facts["days"][::3])
    numbered = zip(("I", "II", "III"), ANNEX_TITLES.values())
    headings = [re.sub(r"\s+", "", f"Phụ lục {n} {t.upper()}") for n, t in numbered]
    starts = [k for k, text in enumerate(pages) if text.startswith("Phụlục")]
    assert [next(h for h in headings if pages[k].startswith(h)) for k in starts] == headings
    assert starts[0] > table_pages[-1] and not any(h in p for h in headings for p in pages[: starts[0]])
    assert "Nơinhận" in pages[starts[0] - 1]  # the letter ends before the first annex
    assert not [u for u in requests if not u.startswith("file:")]
    context.close()


@pytest.mark.xdist_group("chromium")
def test_an_interim_letter_and_one_without_source_printed(chromium, tmp_path):
    context, page, _ = _open(chromium, tmp_path, sample.interim())
    first = _pages(page)[0]
    assert "BÁOCÁOSƠBỘ" in first and "(đếnngày13/3/2020)" in first
    context.close()
    context, page, _ = _open(chromium, tmp_path, sample.without_source())
    assert page.inner_text("#to") == "Kính gửi: ……………"
    context.close()


@pytest.mark.xdist_group("chromium")
def test_what_a_user_typed_is_escaped_and_nothing_is_loaded(chromium, tmp_path):
    facts = sample.complete()
    assert facts["source"] is not None
    facts["source"]["issuer"] = '<img src="https://example.com/x.png">Sở <b>TT&TT</b>'
    facts["station"]["name"] = "Đài <script>alert(1)</script>"
    facts["versions"][0]["words"] = ['<a href="https://example.com">bấm</a> & xem']
    html = make_html(facts)
    assert "&lt;script&gt;" in html and "<script>" not in html and 'src="https://' not in html
    assert "default-src 'none'" in html
    context, page, requests = _open(chromium, tmp_path, facts)
    assert page.locator("script, a, img").count() == 0
    assert page.inner_text("#to") == 'Kính gửi: <img src="https://example.com/x.png">Sở <b>TT&TT</b>.'
    assert not [u for u in requests if not u.startswith("file:")]
    context.close()
