"""The report letter's words from hand-made facts (support.report_facts): the title says "tuyên truyền" once,
"Kính gửi" and the letter cited always there with dotted blanks for what is unknown, the words quoted as they
aired per version and never the desk's title, the table's notes in Vietnamese, one sentence for what the count
stands on, and the annexes numbered from what they hold."""

from __future__ import annotations

import re

import pytest

from ticker.reports import words

from support import report_facts as sample

HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


def _body_text(facts) -> str:
    said, quoted = words.content(facts)
    lines = [
        words.heading(facts),
        words.number_line(facts),
        *words.title_lines(facts),
        words.addressee(facts),
        words.cited(facts),
        words.time_line(facts),
        said,
        *quoted,
        words.result_line(facts),
        *(" | ".join(r) for r in words.airing_rows(facts)),
        words.total_line(facts),
        words.basis_line(facts),
        words.against_schedule_line(facts) or "",
        words.attached_line(facts, True) or "",
        words.closing(facts),
    ]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("subject", "line"),
    [
        ("tuyên truyền cài đặt ứng dụng NCOVI", "Kết quả thực hiện chạy chữ tuyên truyền cài đặt ứng dụng NCOVI"),
        ("Tuyên truyền cài đặt ứng dụng NCOVI.", "Kết quả thực hiện chạy chữ tuyên truyền cài đặt ứng dụng NCOVI"),
        ("V/v tuyên truyền cài đặt ứng dụng NCOVI", "Kết quả thực hiện chạy chữ tuyên truyền cài đặt ứng dụng NCOVI"),
        ("V/v: Đẩy mạnh tuyên truyền phòng dịch", "Kết quả thực hiện chạy chữ về đẩy mạnh tuyên truyền phòng dịch"),
        ("cài đặt ứng dụng PC-Covid", "Kết quả thực hiện chạy chữ tuyên truyền về cài đặt ứng dụng PC-Covid"),
        ("NCOVI", "Kết quả thực hiện chạy chữ tuyên truyền về NCOVI"),
    ],
)
def test_the_title_says_tuyen_truyen_once(subject, line):
    facts = sample.complete()
    assert facts["source"] is not None
    facts["source"]["subject"] = subject
    title, what = words.title_lines(facts)
    assert title == "BÁO CÁO" and what == line
    assert what.lower().count("tuyên truyền") == 1
    assert "tuyên truyền tuyên truyền" not in words.cited(facts).lower()


def test_an_interim_report_is_titled_so_and_says_up_to_when():
    facts = sample.interim()
    assert words.title_lines(facts) == [
        "BÁO CÁO SƠ BỘ",
        "Kết quả thực hiện chạy chữ tuyên truyền cài đặt ứng dụng NCOVI",
        "(đến ngày 13/3/2020)",
    ]
    assert words.time_line(facts) == (
        "1. Thời gian thực hiện: từ ngày 12/3/2020 đến ngày 15/3/2020; báo cáo này tính đến 13:00 ngày 13/3/2020, "
        "các lần phát sau thời điểm đó chưa được tính."
    )
    assert words.result_line(facts) == "3. Kết quả thực hiện (tính đến 13:00 ngày 13/3/2020):"
    assert "báo cáo sơ bộ kết quả thực hiện như sau:" in words.cited(facts)
    assert words.closing(facts).startswith("Trên đây là báo cáo sơ bộ kết quả thực hiện đến ngày 13/3/2020")
    rows = words.airing_rows(facts)
    not_yet = ["00 lần", "chưa đến"]
    assert [r[4:] for r in rows] == [["03 lần", ""], ["02 lần", "chưa đến giờ 19:45"], not_yet, not_yet]
    assert words.against_schedule_line(facts) == "Còn 07 lần phát theo lịch chưa đến giờ, chưa được tính."
    complete = sample.complete()
    assert words.title_lines(complete)[0] == "BÁO CÁO" and words.time_line(complete).endswith("15/3/2020.")


def test_kinh_gui_and_the_letter_cited_with_dots_for_what_is_unknown():
    facts = sample.complete()
    assert words.addressee(facts) == "Kính gửi: Sở Thông tin và Truyền thông Hậu Giang."
    assert words.cited(facts) == (
        "Thực hiện Công văn số 337/STTT-CNTT ngày 10/3/2020 của Sở Thông tin và Truyền thông Hậu Giang về việc "
        "tuyên truyền cài đặt ứng dụng NCOVI, Công ty TNHH Truyền hình cáp Hậu Giang báo cáo kết quả thực hiện "
        "như sau:"
    )
    bare = sample.without_source()
    assert words.addressee(bare) == "Kính gửi: ……………"
    assert words.cited(bare) == (
        "Thực hiện Công văn số ……… ngày ……… của ……… về việc ………, Công ty TNHH Truyền hình cáp Hậu Giang báo cáo "
        "kết quả thực hiện như sau:"
    )
    assert words.title_lines(bare)[1] == "Kết quả thực hiện chạy chữ tuyên truyền về ………"
    part = sample.complete()
    assert part["source"] is not None
    part["source"].update(number="", date=None, issuer="  ")
    assert words.addressee(part) == "Kính gửi: ……………"
    assert words.cited(part).startswith("Thực hiện Công văn số ……… ngày ……… của ……… về việc tuyên truyền cài đặt")


def test_the_number_line_keeps_its_blank():
    facts = sample.complete()
    assert words.number_line(facts) == "Số:        /BC-HGCTV"
    assert words.number_parts(facts) == ("Số:", "/BC-HGCTV")
    facts["station"]["short"] = ""
    assert words.number_line(facts) == "Số:        /BC"
    assert words.heading(facts) == "CÔNG TY TNHH TRUYỀN HÌNH CÁP HẬU GIANG"


def test_the_words_are_quoted_as_they_aired_never_the_desks_title():
    one = sample.complete()
    said, quoted = words.content(one)
    assert said == "2. Nội dung dòng chữ chạy đã phát:" and quoted == [f"«{sample.WORDS[0]}»"]
    two = sample.two_versions()
    said, quoted = words.content(two)
    assert "thay đổi" in said
    assert quoted == [
        f"Từ ngày 12/3/2020 đến ngày 13/3/2020: «{sample.WORDS[0]}»",
        f"Từ ngày 14/3/2020 đến ngày 15/3/2020: «{sample.WORDS[0]}» «{sample.NEW_WORDS[0]}»",
    ]
    none = sample.complete()
    none["versions"] = []
    said, quoted = words.content(none)
    assert "không có hồ sơ nội dung đã phát" in said and quoted == []
    for facts in (one, two, none, sample.interim(), sample.trouble()):
        assert sample.TITLE not in _body_text(facts)


def test_days_are_said_as_runs():
    assert words.days_said(["2020-03-12"]) == "ngày 12/3/2020"
    assert words.days_said(["2020-03-13", "2020-03-12", "2020-03-14"]) == "từ ngày 12/3/2020 đến ngày 14/3/2020"
    assert words.days_said(["2020-03-12", "2020-03-14", "2020-03-15", "2020-03-20"]) == (
        "ngày 12/3/2020, từ ngày 14/3/2020 đến ngày 15/3/2020 và ngày 20/3/2020"
    )
    assert words.days_said(["2020-02-28", "2020-02-29", "2020-03-01"]) == "từ ngày 28/2/2020 đến ngày 1/3/2020"


def test_the_table_rows_and_their_notes():
    rows = words.airing_rows(sample.trouble())
    missed = "không phát lúc 19:45; phát thêm lúc 19:39 (HGTV)"
    assert words.AIRINGS_HEADER == ["Ngày", "Thứ", "Kênh", "Giờ phát", "Số lần", "Ghi chú"]
    assert rows == [
        ["12/3/2020", "thứ Năm", "HGTV", "06:30, 12:00, 19:45", "03 lần", ""],
        ["12/3/2020", "thứ Năm", "tất cả các kênh", "21:00", "01 lần", ""],
        ["13/3/2020", "thứ Sáu", "HGTV", "06:30, 12:00, 19:45", "02 lần", missed],
        ["14/3/2020", "thứ Bảy", "HGTV", "06:30, 12:00, 19:45", "02 lần", "phát không trọn lượt lúc 12:00"],
        ["15/3/2020", "Chủ nhật", "HGTV", "06:30, 12:00, 19:45", "03 lần", ""],
    ]  # fmt: skip
    notes = [r[5] for r in words.airing_rows(sample.states())]
    assert notes == [
        "không có hồ sơ",
        "chưa giao tệp",
        "không phát: lời chưa được duyệt lại sau khi sửa",
        "thiếu tệp: không có tệp cho 19:45",
        "",
    ]


def test_an_extra_on_a_channel_of_no_row_goes_on_the_days_first_row():
    facts = sample.trouble()
    facts["days"][0]["extra"] = [{"time": "22:10", "channel": "THVL1", "file": "x.mov", "source": "csv"}]
    facts["days"][0]["rows"][1]["channel"] = "HGTV2"
    first, second = words.airing_rows(facts)[:2]
    assert first[5] == "phát thêm lúc 22:10 (THVL1)" and second[5] == ""


def test_one_sentence_says_what_the_count_stands_on():
    assert words.total_line(sample.complete()) == "Tổng cộng: 12 lần phát"
    assert words.basis_line(sample.complete()) == "Số lần phát được tính theo nhật ký phát."
    assert words.basis_line(sample.trouble()) == (
        "Số lần phát được tính theo nhật ký phát từ ngày 12/3/2020 đến ngày 14/3/2020; theo tệp đã giao (chưa có "
        "nhật ký phát) ngày 15/3/2020."
    )
    facts = sample.complete()
    facts["bases"] = {"seen": ["2020-03-12"], "inserted": ["2020-03-13"], "played": ["2020-03-14"], "none": ["x"]}
    said = words.basis_line(facts)
    assert said.count(".") == 1 and said.endswith(".")
    assert "theo ghi hình tín hiệu phát sóng ngày 12/3/2020; theo nhật ký chèn chữ ngày 13/3/2020" in said
    facts["bases"] = {"delivered": ["2020-03-12"]}
    assert words.basis_line(facts) == "Số lần phát được tính theo tệp đã giao (chưa có nhật ký phát)."
    facts["bases"] = {"none": ["2020-03-12"]}
    assert words.basis_line(facts) == "Chưa có hồ sơ nào để tính số lần phát."


def test_missed_and_extra_against_the_schedule():
    assert words.against_schedule_line(sample.complete()) is None
    assert words.against_schedule_line(sample.trouble()) == (
        "So với lịch phát: không phát 01 lần; phát thêm ngoài lịch 01 lần (không tính vào tổng cộng)."
    )


def test_the_annexes_are_numbered_from_what_they_hold():
    facts = sample.complete()
    numbered = [(a.number, a.kind) for a in words.annexes(facts, True)]
    assert numbered == [("I", "still"), ("II", "files"), ("III", "seals")]
    assert [(a.number, a.kind) for a in words.annexes(facts, False)] == [("I", "files"), ("II", "seals")]
    assert words.attached_line(facts, False) == (
        "Kèm theo báo cáo: Phụ lục I. Danh sách tệp đã giao; Phụ lục II. Niêm phong hồ sơ phát sóng."
    )
    facts["files"], facts["seals"] = [], []
    assert words.annexes(facts, False) == [] and words.attached_line(facts, False) is None
    facts["problems"] = ["2020-03-12/notes.txt: không phải tệp hồ sơ"]
    assert [(a.number, a.kind) for a in words.annexes(facts, False)] == [("I", "seals")]
    number, title, of = words.annex_lines(facts, words.annexes(facts, False)[0])
    assert (number, title) == ("Phụ lục I", "NIÊM PHONG HỒ SƠ PHÁT SÓNG")
    assert of == "(Kèm theo Báo cáo ngày 16/3/2020 của Công ty TNHH Truyền hình cáp Hậu Giang)"


def test_seals_and_files_in_the_annex_and_no_checksum_in_the_body():
    facts = sample.trouble()
    facts["seals"][1].update(
        state="altered", said=["2020-03-13/nightly-HGTV.jsonl changed after it was sealed", "evidence/x is gone"]
    )
    facts["seals"][2].update(state="unsealed", chain="")
    facts["seals"][3].update(state="no records", chain="")
    rows = words.seal_rows(facts)
    assert rows[0] == ["12/3/2020", "nguyên vẹn", facts["seals"][0]["chain"]]
    assert rows[1][1] == (
        "đã bị sửa sau khi niêm phong: tệp 2020-03-13/nightly-HGTV.jsonl đã thay đổi sau khi niêm phong; "
        "tệp evidence/x không còn"
    )
    assert rows[2][1:] == ["chưa niêm phong", "—"] and rows[3][1:] == ["không có hồ sơ", "—"]
    files = words.file_rows(facts)
    assert files[0] == [
        "ncovi_576i50_qtrle_loop_2020-03-12.mov",
        sample.sha("2020-03-12"),
        "48.211.968 byte",
        "12/3/2020",
    ]
    assert HEX64.search(" ".join(files[0])) and not HEX64.search(_body_text(facts))
    assert words.said_vn("something else") == "something else"


def test_counts_are_written_with_two_digits():
    assert words.count_vn(3) == "03 lần" and words.count_vn(12) == "12 lần"
    assert words.vn(None) == "………" and words.vn("2020-03-05T20:00:00+07:00") == "5/3/2020"
