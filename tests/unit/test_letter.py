"""What `ticker draft` finds in a letter, field by field: the two real letters in letters/ and letters
the tests write the way departments do (tests/letters.py), with the noise pasted letters carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from ticker.letters.findings import read_findings
from ticker.letters.read import letter_from_bytes
from ticker.letters.source import org_case

from support import letter_texts as letters

SEEDS = Path(__file__).resolve().parents[2] / "letters"  # the real letters the example campaigns answer
HAU_GIANG = SEEDS / "hau-giang-337-STTT-2020-ncovi.txt"
PC_COVID = SEEDS / "thh-2021-pc-covid.txt"
PLAY_STORE = "https://play.google.com/store/apps/details?id=com.vnptit.innovation.ncovi&hl=en"


def found(text: str, name: str = "letter.txt") -> dict:
    return read_findings(letter_from_bytes(text.encode("utf-8"), name)).as_json()


def seed(path: Path) -> dict:
    return found(path.read_text(encoding="utf-8"), path.name)


def test_hau_giang_letter_source():
    source = seed(HAU_GIANG)["source"]
    assert source["issuer"] == "Sở Thông tin và Truyền thông tỉnh Hậu Giang"
    assert source["number"] == "337/STTT-CNTT"  # "337/STTT- CN TT" in the scan
    assert source["date"] == "2020-03-11"
    assert source["place"] == "Hậu Giang"
    assert source["subject"] == (
        "tuyên truyền ứng dụng khai báo sức khỏe toàn dân để kiểm soát dịch bệnh COVID-19 trên địa bàn tỉnh Hậu Giang"
    )
    assert source["lines"] == {"issuer": [3, 4], "number": [7, 7], "subject": [9, 11], "date": [17, 17]}
    assert "Các Doanh nghiệp Viễn thông và Truyền hình cáp" in source["addressees"]


def test_hau_giang_letter_tells_the_sms_from_the_crawl():
    f = seed(HAU_GIANG)
    media = [(r["medium"], r["audience"]) for r in f["requests"]]
    assert media == [
        ("other", "Đài Phát thanh và truyền hình Hậu Giang, Báo Hậu Giang"),
        ("sms", "Các Doanh nghiệp Viễn thông"),
        ("crawl", "Các doanh nghiệp truyền hình cáp"),
    ]
    other, sms, crawl = f["requests"]
    assert other["lines"] == [43, 47] and other["text"] is None
    assert sms["lines"] == [51, 55] and sms["frequency"] == "01 lần/ngày"
    assert sms["text"].startswith("đề nghị thuê bao tải ứng dụng")
    assert sms["window"]["start"] == "2020-03-12" and sms["window"]["end"] == "2020-03-15"
    assert crawl["text"] == (
        f"đề nghị người dân tải ứng dụng Khai báo ý tế phòng dịch NCOVI tại địa chỉ: {PLAY_STORE} "
        "để được hỗ trợ nhanh nhất từ cơ quan y tế"
    )
    assert crawl["needs_wording"] is False and crawl["topics"] == []
    assert crawl["window"] == {
        "start": "2020-03-12",
        "end": "2020-03-15",
        "until": None,
        "as_written": "từ ngày 12/3/2020 đến 15/3/2020",
    }
    assert crawl["lines"] == [57, 61] and crawl["frequency"] is None
    assert f["urls"] == [PLAY_STORE]
    assert f["phones"] == []
    assert f["missing"] == ["airing times"]


def test_pc_covid_letter_asks_for_a_clip_and_gives_no_crawl_words():
    f = seed(PC_COVID)
    assert [r["medium"] for r in f["requests"]] == ["other", "clip"]
    clip = f["requests"][1]
    assert clip["lines"] == [30, 30] and clip["needs_wording"] is False
    assert "crawl request" in f["missing"] and "crawl words" in f["missing"]
    source = f["source"]
    assert source["number"] == "/THH-VP" and "letter number" in f["missing"]
    assert source["date"] is None and source["place"] == "Hà Nội" and "letter date" in f["missing"]
    assert source["issuer"] == "Cục Tin học hoá - Bộ Thông tin và Truyền thông"  # named in the body; signed CỤC TRƯỞNG
    assert source["subject"] == "tổ chức hướng dẫn và truyền thông về ứng dụng PC-Covid, quét mã QR tại địa phương"


def test_a_quoted_crawl_with_an_event_deadline_through_page_furniture():
    f = found(letters.DA_NANG)
    s = f["source"]
    assert s["issuer"] == "Sở Thông tin và Truyền thông thành phố Đà Nẵng"  # not the site's "THƯ VIỆN VĂN BẢN"
    assert s["number"] == "2156/STTTT-BCVT" and s["date"] == "2016-12-21" and s["place"] == "Đà Nẵng"
    assert s["subject"].endswith("đốt pháo nổ dịp Tết Dương lịch 2017")
    (crawl,) = f["requests"]
    assert crawl["medium"] == "crawl" and crawl["lines"] == [21, 23]
    assert crawl["text"].startswith("Nghiêm cấm sản xuất, buôn bán") and crawl["text"].endswith("danang.gov.vn")
    assert "“" not in crawl["text"] and "”" not in crawl["text"]
    assert crawl["window"]["start"] == "2016-12-30"
    assert crawl["window"]["end"] == "2017-01-02"  # "đến 24 giờ ngày 02/01/2017": the last day is the 2nd
    assert crawl["window"]["until"] == "2017-01-03 00:00"
    assert crawl["frequency"] == "thường xuyên"
    assert f["phones"] == ["0511.1022"]
    assert f["urls"] == ["danang.gov.vn"]
    assert "window end" not in f["missing"] and "airing times" not in f["missing"]


def test_topics_for_the_station_to_word_a_slate_and_a_blank_day():
    f = found(letters.BINH_DUONG)
    s = f["source"]
    assert s["issuer"] == "Sở Thông tin và Truyền thông tỉnh Bình Dương"
    assert s["date"] is None and s["place"] == "Bình Dương" and s["number"] == "/STTTT-TTBCXB"
    crawl, slate = f["requests"]
    assert crawl["medium"] == "crawl" and crawl["needs_wording"] is True and crawl["text"] is None
    assert crawl["topics"] == [
        "Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam năm 2021",
        "Khuyến khích người dân đọc sách, xây dựng văn hóa đọc trong gia đình",
        "Giới thiệu các hoạt động của Hội sách tỉnh tại Công viên Thanh Lễ",
    ]
    assert crawl["audience"] == "Đài Phát thanh và Truyền hình Bình Dương"
    assert crawl["frequency"] == "tối thiểu 2 lần/tuần"
    assert crawl["window"]["start"] is None and crawl["window"]["end"] == "2021-04-30"  # "từ nay đến hết tháng 4"
    assert slate["medium"] == "slate" and slate["lines"] == [23, 23]
    assert f["missing"][:1] == ["crawl words"] and "window end" not in f["missing"]


def test_a_flattened_header_hours_and_a_paste_cut_off():
    f = found(letters.QUANG_NAM)
    s = f["source"]
    assert s["issuer"] == "Sở Thông tin và Truyền thông tỉnh Quảng Nam"
    assert s["number"] == "1234/STTTT-TTBCXB" and s["date"] == "2017-08-05" and s["place"] == "Quảng Nam"
    (crawl,) = f["requests"]
    assert crawl["text"] == (
        "Hãy lựa chọn thực phẩm an toàn, có nguồn gốc rõ ràng vì sức khỏe của bạn và gia đình. "
        "Mọi thông tin phản ánh xin gọi tổng đài 1900 1559."
    )
    assert crawl["window"]["start"] == "2017-08-08" and crawl["window"]["end"] == "2017-08-15"
    assert crawl["window"]["until"] == "2017-08-16 00:00"  # "24h ngày 15/8/2017"
    assert crawl["frequency"] == "từ 19h45 đến 23h00"
    assert f["phones"] == ["1900 1559"]
    assert any("cut off" in n for n in f["letter"]["notes"])


def test_words_run_together_and_lines_wrapped_by_pdf_extraction():
    f = found(letters.PDF_WRAPPED)
    (crawl,) = f["requests"]
    assert crawl["medium"] == "crawl" and crawl["audience"] == "Các doanh nghiệp truyền hình cáp"
    assert crawl["text"] == (
        "đề nghị người dân tải ứng dụng NCOVI tại địa chỉ: https://ncovi.vnpt.vn "
        "để được hỗ trợ nhanh nhất từ cơ quan y tế"
    )
    assert crawl["lines"] == [9, 12]
    assert f["source"]["subject"] == "tuyên truyền ứng dụng khai báo sức khỏe toàn dân"


@pytest.mark.parametrize(
    "sentence, medium",
    [
        ("- Đài PT-TH tỉnh: thực hiện dòng chữ chạy (dưới màn hình) trong các chương trình thời sự.", "crawl"),
        ("- Các doanh nghiệp truyền hình cáp: chạy băng chữ chạy trên các kênh thiết yếu.", "crawl"),
        ("- Đài PT-TH tỉnh: xây dựng phóng sự về hoạt động phòng, chống dịch.", "clip"),
        ("- Các doanh nghiệp viễn thông: gửi tin nhắn SMS đến các thuê bao trên địa bàn.", "sms"),
        ("- Đài PT-TH tỉnh: phát bảng thông báo trước chương trình thời sự.", "slate"),
        ("- Báo Bình Dương: đưa tin về các hoạt động hưởng ứng.", "other"),
    ],
)
def test_each_medium_as_letters_name_it(sentence, medium):
    letter = f"Kính gửi: Đài Phát thanh và Truyền hình tỉnh.\n\nSở đề nghị các đơn vị thực hiện:\n\n{sentence}\n"
    (request,) = found(letter)["requests"]
    assert request["medium"] == medium
    assert request["lines"] == [5, 5]


def test_a_crawl_in_parentheses_is_not_its_explanation():
    letter = (
        "Kính gửi: Trung tâm Truyền hình cáp tỉnh.\n"
        "Đề nghị thực hiện chạy chữ (dòng chữ chạy dưới màn hình) với nội dung: “Toàn dân tham gia bầu cử "
        "đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp.”\n"
    )
    (crawl,) = found(letter)["requests"]
    assert crawl["text"] == "Toàn dân tham gia bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp."


def test_a_letter_with_no_broadcast_request_is_a_finding():
    letter = "Kính gửi: Các Sở, ban, ngành.\n\nĐề nghị các đơn vị cử cán bộ tham dự hội nghị tập huấn.\n"
    f = found(letter)
    assert f["requests"] == [] and "crawl request" in f["missing"]


@pytest.mark.parametrize(
    "upper, name",
    [
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Sở Thông tin và Truyền thông"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("UBND TỈNH HẬU GIANG", "Ủy ban nhân dân tỉnh Hậu Giang"),
        ("ĐÀI PHÁT THANH VÀ TRUYỀN HÌNH TỈNH BÌNH DƯƠNG", "Đài Phát thanh và Truyền hình tỉnh Bình Dương"),
        ("CỤC TIN HỌC HÓA", "Cục Tin học hóa"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
    ],
)
def test_issuer_capitals_as_running_text_writes_them(upper, name):
    assert org_case(upper) == name


BEN_TRE = """\
UBND TỈNH BẾN TRE
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 100/STTTT-TTBC
V/v tuyên truyền
Bến Tre, ngày 10 tháng 11 năm 2021

Kính gửi: Các doanh nghiệp truyền hình cáp trên địa bàn tỉnh.

{body}

Nơi nhận:
- Như trên;
GIÁM ĐỐC
"""


def requests_of(body: str) -> list[dict]:
    return found(BEN_TRE.format(body=body))["requests"]


@pytest.mark.parametrize(
    "body, texts, topics",
    [
        (  # the words on the line after "với nội dung:"
            "Đề nghị các doanh nghiệp thực hiện chạy chữ với nội dung:\n"
            "Hãy tiêm vắc xin phòng COVID-19 đầy đủ, đúng lịch để bảo vệ bản thân và cộng đồng.\n"
            "Thời gian: từ ngày 15/11/2021 đến hết ngày 30/11/2021.",
            ["Hãy tiêm vắc xin phòng COVID-19 đầy đủ, đúng lịch để bảo vệ bản thân và cộng đồng."],
            [],
        ),
        (  # under "cụ thể:", a "- Nội dung:" line
            "Đề nghị các doanh nghiệp thực hiện chạy chữ trên các kênh truyền hình địa phương, cụ thể:\n"
            "- Nội dung: “Mỗi người dân hãy là một tuyên truyền viên phòng, chống dịch COVID-19”.\n"
            "- Thời gian: từ ngày 15/11/2021 đến ngày 25/11/2021, 03 lần/ngày.",
            ["Mỗi người dân hãy là một tuyên truyền viên phòng, chống dịch COVID-19"],
            [],
        ),
        (  # the sentence goes on about when: not part of the words
            "Đề nghị các doanh nghiệp chạy chữ với nội dung: vận động người dân tham gia Ngày hội toàn dân bảo "
            "vệ an ninh Tổ quốc; thời gian từ nay đến hết tháng 12/2021.",
            ["vận động người dân tham gia Ngày hội toàn dân bảo vệ an ninh Tổ quốc"],
            [],
        ),
        (  # a), b), c): the points of the list
            "Đề nghị các doanh nghiệp chạy chữ tuyên truyền các nội dung sau:\n"
            "a) Lợi ích của việc tiêm vắc xin phòng COVID-19;\n"
            "b) Các biện pháp phòng, chống dịch theo thông điệp 5K;\n"
            "c) Cách khai báo y tế trên ứng dụng PC-COVID.\n"
            "Thời gian: trong tháng 12/2021.",
            [],
            [
                "Lợi ích của việc tiêm vắc xin phòng COVID-19",
                "Các biện pháp phòng, chống dịch theo thông điệp 5K",
                "Cách khai báo y tế trên ứng dụng PC-COVID",
            ],
        ),
        (  # the heading of a list, and the words under its next number
            "1. Hình thức: chạy chữ trên sóng truyền hình.\n"
            '2. Nội dung chạy chữ: "Hưởng ứng Tháng hành động vì bình đẳng giới năm 2021".\n'
            "3. Thời gian: từ ngày 15/11/2021 đến ngày 15/12/2021.",
            ["Hưởng ứng Tháng hành động vì bình đẳng giới năm 2021"],
            [],
        ),
        ("Đề nghị các doanh nghiệp chạy chữ với nội dung: “”.", [], []),  # nothing in the quotes
    ],
)
def test_words_and_points_as_letters_lay_them_out(body, texts, topics):
    (crawl,) = requests_of(body)
    assert crawl["medium"] == "crawl" and crawl["texts"] == texts and crawl["topics"] == topics
    assert crawl["needs_wording"] is (not texts)


def test_dates_and_frequencies_inside_the_words_are_not_the_window():
    (crawl,) = requests_of(
        "Đề nghị các doanh nghiệp chạy chữ với nội dung: “Thường xuyên rửa tay. Từ ngày 01/12/2021, người dân "
        "đến cơ sở khám chữa bệnh phải xuất trình mã QR”. Thời gian: từ ngày 25/11/2021 đến 24 giờ ngày "
        "30/11/2021, 02 lần/ngày."
    )
    assert (crawl["window"]["start"], crawl["window"]["end"]) == ("2021-11-25", "2021-11-30")
    assert crawl["frequency"] == "02 lần/ngày"


def test_one_sentence_asking_telecoms_and_cable_operators():
    sms, crawl = requests_of(
        "Đề nghị các doanh nghiệp viễn thông nhắn tin và các doanh nghiệp truyền hình cáp chạy chữ với cùng nội "
        "dung: “Tiêm vắc xin là biện pháp phòng bệnh hiệu quả nhất”, từ ngày 15/11/2021 đến 20/11/2021."
    )
    assert (sms["medium"], sms["audience"]) == ("sms", "các doanh nghiệp viễn thông")
    assert (crawl["medium"], crawl["audience"]) == ("crawl", "các doanh nghiệp truyền hình cáp")
    assert sms["texts"] == crawl["texts"] == ["Tiêm vắc xin là biện pháp phòng bệnh hiệu quả nhất"]
    crawl, sms = requests_of(
        "Đề nghị các doanh nghiệp chạy chữ với nội dung: “Chuyển đổi số vì người dân”, đồng thời phối hợp nhắn "
        "tin đến thuê bao với nội dung: “Truy cập dichvucong.bentre.gov.vn để dùng dịch vụ công trực tuyến”."
    )
    assert crawl["texts"] == ["Chuyển đổi số vì người dân"]
    assert sms["texts"] == ["Truy cập dichvucong.bentre.gov.vn để dùng dịch vụ công trực tuyến"]


def test_place_names_in_unicode_are_not_taken_for_a_legacy_encoding():
    f = found(BEN_TRE.format(body="- Viettel Thanh Hóa, VNPT Hòa Bình: nhắn tin đến các thuê bao trên địa bàn tỉnh."))
    assert f["letter"]["encoding"] == "utf-8" and f["requests"][0]["audience"] == "Viettel Thanh Hóa, VNPT Hòa Bình"


def test_a_long_list_is_read_whole():
    items = "\n".join(f"- Biện pháp số {k} phòng, chống dịch bệnh;" for k in range(3000))
    (crawl,) = requests_of(f"Đề nghị các doanh nghiệp chạy chữ tuyên truyền:\n{items}")
    assert len(crawl["topics"]) == 3000 and crawl["lines"] == [9, 3009]
