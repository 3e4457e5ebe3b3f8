"""Letters in the shapes the ministry, the news and legal-document sites give them (tests/support/letter_shapes.py):
a heading wrapped in a narrow column, table debris, hotlines in pairs and short numbers, an event's moment
inside the crawl's words, the letter's own typos, addresses carrying a language or tracking, and topics instead
of words. Each class was read wrong before ticker read it this way."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from ticker.letters.draft import PLACEHOLDER, SUGGESTED, draft_document
from ticker.letters.findings import Findings, read_findings
from ticker.letters.read import letter_from_bytes
from ticker.letters.source import tidy, unframe
from ticker.vietnamese.common import COMMON
from ticker.vietnamese.lexicon import key, lexicon, suspects

from support import letter_shapes as shapes
from support import letter_texts as letters
from support.campaigns import ROOT

HAU_GIANG = ROOT / "letters" / "hau-giang-337-STTT-2020-ncovi.txt"


def findings(text: str) -> Findings:
    return read_findings(letter_from_bytes(text.encode("utf-8"), "letter.txt"))


def found(text: str) -> dict:
    return findings(text).as_json()


def seed(path: Path) -> dict:
    return found(path.read_text(encoding="utf-8"))


# ---- the heading, wrapped ----------------------------------------------------------------------------------
def test_the_ministrys_issuer_number_and_date_wrapped_in_a_narrow_column_are_read_whole():
    s = found(shapes.MINISTRY)["source"]
    assert s["issuer"] == "Bộ Thông tin và Truyền thông"  # not "Bộ Thông tin và"
    assert s["number"] == "2878/BTTTT-VNCERT"  # "Số: 2878/BTTTT-" / "VNCERT"
    assert (s["date"], s["place"]) == ("2017-08-10", "Hà Nội")  # "ngày 10 tháng 8" / "năm 2017"
    assert s["subject"] == "tuyên truyền chuẩn hóa thông tin thuê bao di động"
    assert s["lines"]["issuer"] == [1, 2] and s["lines"]["number"] == [4, 5]


def test_a_long_department_name_wrapped_in_one_column_keeps_its_province():
    s = found(shapes.LONG_NAME)["source"]
    assert s["issuer"] == "Sở Văn hóa, Thể thao và Du lịch tỉnh Thừa Thiên Huế"
    assert s["lines"]["issuer"] == [1, 4]
    assert s["number"] == "1502/SVHTTDL-QLVH" and s["date"] == "2024-05-20"


def test_a_heading_run_into_one_line_with_its_rules_is_read_cell_by_cell():
    s = found(shapes.ONE_LINE_HEADING)["source"]
    assert (s["issuer"], s["number"], s["date"]) == ("Bộ Thông tin và Truyền thông", "09/2015/TT-BTTTT", "2015-04-24")
    assert s["lines"]["issuer"] == [1, 1]  # the block's, not the body's "Bộ trưởng Bộ …"


def test_a_news_report_names_the_ministry_not_its_sentence():
    assert found(shapes.NEWS)["source"]["issuer"] == "Bộ Thông tin và Truyền thông"  # "… vừa có công văn"


# ---- table debris --------------------------------------------------------------------------------------------
def test_addressees_pasted_in_a_table_come_without_its_borders_and_doubled_separators():
    s = found(shapes.MINISTRY)["source"]
    assert s["addressees"] == [
        "Các đài phát thanh, truyền hình",
        "Các doanh nghiệp cung cấp dịch vụ truyền hình trả tiền",
        "Sở Thông tin và Truyền thông các tỉnh, thành phố trực thuộc Trung ương",
    ]
    assert not any("|" in a or ";" in a for a in s["addressees"])


def test_a_flattened_row_of_addressees_is_one_addressee_a_cell():
    text = "Kính gửi: | - Ủy ban nhân dân tỉnh Hậu Giang; | - Sở Y tế;; |\nNội dung.\n"
    assert found(text)["source"]["addressees"] == ["Ủy ban nhân dân tỉnh Hậu Giang", "Sở Y tế"]


def test_unframe_and_tidy():
    assert unframe("+-----+------+") == "" and unframe("|----|----|") == "" and unframe("│ a │ b │") == "a | b"
    assert unframe("| - Sở Y tế; |") == "- Sở Y tế;" and unframe("UBND | CỘNG HÒA") == "UBND | CỘNG HÒA"
    assert unframe("---------") == "---------"  # the rule under an issuer is no table
    assert tidy("| - Các đài;; ,") == "Các đài" and tidy("a |  b") == "a b"


# ---- telephone numbers ---------------------------------------------------------------------------------------
def test_hotlines_in_pairs_short_and_service_numbers_with_their_labels():
    f = found(shapes.MINISTRY)
    assert f["phones"] == ["18001091", "9123"]  # "18001091 hoặc 9123"
    assert {h["label"] for h in f["hotlines"]} == {"Tổng đài chăm sóc khách hàng"}
    news = found(shapes.NEWS)
    assert [(h["number"], h["label"]) for h in news["hotlines"]] == [("1800 1091", "Tổng đài"), ("9123", "Tổng đài")]
    hue = found(shapes.LONG_NAME)
    assert [(h["number"], h["label"], h["lines"]) for h in hue["hotlines"]] == [
        ("0234.3822.123", "Đường dây nóng", [22, 22]),
        ("1022", "Đường dây nóng", [22, 22]),  # "0234.3822.123 hoặc 1022"
        ("0912 345 678", "Điện thoại", [23, 23]),
    ]


def test_dotted_numbers_a_service_number_alone_and_what_is_no_telephone():
    f = found(letters.DA_NANG)
    assert f["phones"] == ["0511.1022"]
    text = (
        "Kính gửi: Các đài.\nNgày 15/8/2017, công văn số 337/STTT năm 2021 giao 1.000.000 đồng cho Covid-19.\n"
        "Khi cần, gọi 113, 114 hoặc 115; đường dây nóng 0912.345.678 / 0987 654 321 và (0236) 3822 123.\n"
        "Hotline: +84 912 345 678.\n"
    )
    got = found(text)
    assert got["phones"] == [
        "113", "114", "115", "0912.345.678", "0987 654 321", "(0236) 3822 123", "+84 912 345 678",
    ]  # fmt: skip
    labels = {h["number"]: h["label"] for h in got["hotlines"]}
    assert labels["113"] is None and labels["0987 654 321"] == "Đường dây nóng"
    assert labels["+84 912 345 678"] == "Hotline"


# ---- the event's moment in the words -------------------------------------------------------------------------
def test_the_moment_inside_the_words_ends_the_window_and_the_headline_gives_way():
    (crawl,) = found(shapes.NEWS)["requests"]
    assert crawl["window"] == {
        "start": None,
        "end": "2017-08-15",  # "24 giờ ngày 15/8/2017" is the end of the 15th
        "until": "2017-08-16 00:00",
        "as_written": "từ 24 giờ ngày 15/8/2017",
    }  # not the headline's "Từ 16/8", nor the lead's "từ ngày 16/8/2017"
    assert crawl["frequency"] == "thường xuyên"
    (crawl,) = found(shapes.MINISTRY)["requests"]
    assert crawl["window"]["end"] == "2017-08-15" and crawl["window"]["until"] == "2017-08-16 00:00"
    assert crawl["frequency"] == "thường xuyên" and crawl["window"]["start"] is None


def test_a_window_the_letter_states_is_kept_over_a_moment_in_the_words():
    (crawl,) = found(letters.DA_NANG)["requests"]
    assert (crawl["window"]["start"], crawl["window"]["end"]) == ("2016-12-30", "2017-01-02")
    (crawl,) = found(shapes.LONG_NAME)["requests"]
    assert (crawl["window"]["start"], crawl["window"]["end"]) == ("2024-06-01", "2024-08-31")


def test_the_draft_of_a_moment_in_the_words_runs_until_it():
    toml, status = draft_document(findings(shapes.NEWS), today=dt.date(2017, 8, 11))
    data = tomllib.loads(toml)
    assert str(data["campaign"]["end"]) == "2017-08-15" and status == "ready"


# ---- the letter's typos and long addresses -------------------------------------------------------------------
def test_the_letters_typo_in_the_crawl_words_is_flagged_with_its_line_and_never_changed():
    hau_giang = seed(HAU_GIANG)
    assert hau_giang["suspect_words"] == [{"word": "ý tế", "line": 57, "correction": "y tế"}]
    assert "Khai báo ý tế" in hau_giang["requests"][2]["text"]  # the letter's words, as written
    assert found(shapes.MINISTRY)["suspect_words"] == [{"word": "di đông", "line": 17, "correction": "di động"}]
    assert found(shapes.NEWS)["suspect_words"] == []  # the same words spelt right


def test_suspects_in_text():
    def said(text: str) -> list[tuple[str, str | None]]:
        return [(s.word, s.correction) for s in suspects(text)]

    assert said("Khai báo ý tế trên ứng dụng NCOVI.") == [("ý tế", "y tế")]
    assert said("Hãy đeo khẩu trang, rủa tay bằng xà phòng.") == [("rủa tay", "rửa tay")]
    assert said("Người dân nguời dân") == [("nguời", "người")]  # no such syllable
    assert said("Đề nghị người dân tải ứng dụng PC-Covid để khai báo y tế tại https://pc-covid.vn?hl=vi.") == []
    assert said("viêm đường hô hấp cấp do vi rút Corona, cho người dân ở cấp tỉnh") == []  # words of grammar
    assert said("Ông Nguyễn Văn An, TP. Đà Nẵng; sức khoẻ và sức khỏe; thuỷ lợi, thủy lợi") == []  # names, marks
    assert said("KHAI BÁO Ý TẾ") == []  # capitals: an acronym's, or a heading's


def test_every_common_word_is_a_word_of_the_dictionary():
    lex = lexicon()
    assert len(COMMON) > 150
    assert [w for w in COMMON for s in w.split() if key(s) not in lex.syllables] == []
    assert key("khoẻ") == key("khỏe") and key("hoá") == key("hóa") and key("uỷ") == key("ủy")


def test_an_address_with_a_language_or_tracking_is_pointed_out_and_kept():
    hau_giang = seed(HAU_GIANG)
    (long,) = hau_giang["long_urls"]
    assert long["parameters"] == ["hl=en"] and long["lines"] == [47, 47]
    assert long["shorter"] == "https://play.google.com/store/apps/details?id=com.vnptit.innovation.ncovi"
    assert hau_giang["urls"][0].endswith("&hl=en")  # the department's address is still what it wrote
    (ministry,) = found(shapes.MINISTRY)["long_urls"]
    assert ministry["shorter"] == "https://mic.gov.vn/chuan-hoa"
    assert ministry["parameters"] == ["utm_source=zalo", "utm_campaign=tb2017"]
    toml, _ = draft_document(findings(HAU_GIANG.read_text(encoding="utf-8")), today=dt.date(2020, 3, 12))
    assert tomllib.loads(toml)["qr"]["url"].endswith("&hl=en")
    assert "“https://play.google.com/store/apps/details?id=com.vnptit.innovation.ncovi” opens the same page" in toml
    assert "look again at “ý tế” (line 57), perhaps “y tế”" in toml


# ---- a suggested wording -----------------------------------------------------------------------------------
def test_topics_give_a_suggestion_of_the_letters_own_points_and_the_draft_stays_a_draft():
    f = findings(shapes.LONG_NAME)
    assert f.suggestion is not None and f.suggestion.lines == (17, 20)
    assert f.suggestion.text == (
        "Hè an toàn, không để trẻ em bị đuối nước. "
        "Cha mẹ hãy luôn để mắt tới con khi trẻ chơi gần ao hồ, sông suối. "  # not the instructions to the station
        "Đường dây nóng: 0234.3822.123 hoặc 1022. "  # not the officer's own telephone
        "Chi tiết tại: https://svhtt.thuathienhue.gov.vn/he-an-toan?fbclid=IwAR0abc"
    )
    toml, status = draft_document(f, today=dt.date(2024, 5, 21))
    data = tomllib.loads(toml)
    assert status == "draft" and data["campaign"]["status"] == "draft"
    assert data["message"][0]["text"] == f.suggestion.text and SUGGESTED in toml
    assert found(letters.BINH_DUONG)["suggestion"] == {
        "text": "Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam năm 2021.",
        "lines": [18, 20],
    }


def test_no_suggestion_where_the_letter_gives_words_or_nothing_airable():
    assert found(shapes.MINISTRY)["suggestion"] is None  # it gives the words
    text = "Kính gửi: Đài.\n1. Chạy chữ trên sóng với các nội dung sau:\n- Giới thiệu các hoạt động của Sở;\n"
    f = findings(text)
    assert f.crawls[0].needs_wording and f.suggestion is None
    toml, status = draft_document(f, today=dt.date(2024, 5, 21))
    assert status == "draft" and tomllib.loads(toml)["message"][0]["text"] == PLACEHOLDER


# ---- what a read-over found ---------------------------------------------------------------------------------
def test_numbers_that_are_no_telephone_and_hotlines_written_other_ways():
    def phones(text: str) -> list[tuple[str, str | None]]:
        return [(h["number"], h["label"]) for h in found("Kính gửi: Đài.\n" + text + "\n")["hotlines"]]

    for text in (
        "Năm 2023, tổng đài tiếp nhận 1500 cuộc gọi, đến hết 2024.",
        "Số cuộc gọi tới tổng đài đạt 2.500.",
        "Tổng đài viên 123 người.",
        "Liên hệ: 123 Nguyễn Huệ.",
        "Fax: 0236 3822 124; Mã số thuế 0301234567; Số tài khoản 0123456789012.",
    ):
        assert phones(text) == [], text
    assert phones("Đường dây nóng (24/7): 1022.") == [("1022", "Đường dây nóng (24/7)")]
    assert phones("Hotline 24/7: 1022.") == [("1022", "Hotline 24/7")]
    assert phones("hotline: 0912345678/0987654321.") == [("0912345678", "Hotline"), ("0987654321", "Hotline")]
    assert phones("ĐT: 0912-345-678; Tel.: 0236 3822 123.") == [("0912-345-678", "ĐT"), ("0236 3822 123", "Tel.")]
    assert phones("Số điện thoại (Zalo): 0912 345 678.") == [("0912 345 678", "Số điện thoại (Zalo)")]
    assert phones("Gọi điện 115.") == [("115", None)]  # a verb says to call it, and names nothing
    assert phones("Đường dây nóng 1022, 1022 và 1022.") == [("1022", "Đường dây nóng")]  # once


def test_a_window_the_request_states_and_a_rule_taking_effect_are_no_deadline():
    def window(text: str) -> tuple[str | None, str | None]:
        (crawl,) = found(text)["requests"]
        return crawl["window"]["start"], crawl["window"]["end"]

    dated = "Hà Nội, ngày 5 tháng 7 năm 2024\nKính gửi: Đài.\n"
    own = 'Đề nghị Đài chạy chữ từ ngày 01/7/2024 nội dung: "Từ ngày 01/7/2024, người dân nộp hồ sơ trực tuyến."'
    assert window(dated + own) == ("2024-07-01", None)  # the request's own window, not ended by its words
    rule = 'Đề nghị Đài chạy chữ nội dung: "Kể từ ngày 01/01/2025, người tham gia giao thông phải đội mũ."'
    assert window(dated + rule) == (None, None)  # a rule taking effect: the crawl may go on announcing it
    past = 'Đề nghị Đài chạy chữ nội dung: "Thuê bao sẽ bị khóa từ 24 giờ ngày 15/8/2017."'
    assert window(dated + past) == (None, None)  # a moment before the letter: no deadline


def test_a_heading_line_in_capitals_that_is_no_part_of_the_name():
    def issuer(heading: str) -> str:
        return found(heading + "\nKính gửi: Đài.\nNội dung.\n")["source"]["issuer"]

    assert issuer("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\nCÔNG ĐIỆN\nSố: 12/CĐ-UBND") == "Ủy ban nhân dân tỉnh Quảng Nam"
    assert issuer("BỘ Y TẾ\nCỤC Y TẾ DỰ PHÒNG\nTHƯỢNG KHẨN\nSố: 12/DP-VP").startswith("Cục Y tế dự phòng")
    assert issuer("BỘ CÔNG AN\nCÔNG AN TỈNH BÌNH DƯƠNG\nSố: 12/CAT") == "Công an tỉnh Bình Dương"
    wrapped = issuer("UBND TỈNH AN GIANG\nSỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN\nNÔNG THÔN\nSố: 1/SNN")
    assert wrapped == "Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang"  # the name's line was full


def test_emphasis_goes_and_an_addresss_underscores_stay():
    words = "**Ngày 15/8/2024**, thuê bao _nên_ tra cứu tại **thuedientu.gdt.gov.vn/tra_cuu**."
    f = found(f'Kính gửi: Đài.\nĐề nghị Đài chạy chữ nội dung: "{words}"\n')
    assert f["requests"][0]["text"] == "Ngày 15/8/2024, thuê bao nên tra cứu tại thuedientu.gdt.gov.vn/tra_cuu."


def test_a_vietnamese_language_is_no_extra_and_an_encoded_name_is_read():
    def extras(url: str) -> list[dict]:
        return found(f"Kính gửi: Đài.\nXem tại {url} nhé.\n")["long_urls"]

    assert extras("https://play.google.com/store/apps/details?id=a&hl=vi") == []
    (encoded,) = extras("https://a.vn/x?utm%5Fsource=zalo&id=1")
    assert encoded["parameters"] == ["utm_source=zalo"] and encoded["shorter"] == "https://a.vn/x?id=1"


def test_a_hotline_is_left_out_of_a_suggestion_only_when_a_statement_gives_it():
    text = (
        "Kính gửi: Đài.\n1. Chạy chữ trên sóng với các nội dung sau:\n- Năm 2021, 13 xã đã đạt chuẩn nông thôn mới;\n"
        "- Đường dây nóng 1022 luôn sẵn sàng.\nGọi đường dây nóng 113 hoặc 1022.\n"
    )
    suggestion = findings(text).suggestion
    assert suggestion is not None and "Đường dây nóng: 113." in suggestion.text  # not "202113"'s 113
    assert suggestion.text.count("1022") == 1


def test_the_reader_never_raises_on_what_a_letter_may_hold():
    for words in (
        "Thuê bao sẽ bị khóa trước ngày 1/1/0001",
        "khóa đến hết ngày 31/12/9999",
        "từ 24 giờ ngày 31/12/9999",
        "Số tài khoản " + "1" * 40 + "abc",
        "?ref=" + "1" * 40 + "abc",
        "ễ" * 5000,
        "a" * 5000,
    ):
        findings(f'Kính gửi: Đài.\nĐề nghị Đài chạy chữ từ ngày 1/1/9999 nội dung: "{words}"\n').as_json()
    findings("|" * 5000 + "a\n| " + " " * 5000 + "x\n" + "; " * 5000 + "\n").as_json()
