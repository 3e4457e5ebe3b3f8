"""Dates as a letter (công văn) writes them: the date line, the window the crawl airs in, how often and at what
hours, in sentences a department would write, with capitals, curly quotes and words run together by a PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ticker.letters.dates import (
    airing_range,
    airing_times,
    find_date_line,
    find_deadline,
    find_frequency,
    find_window,
    find_windows,
    last_day_of_month,
    times_per_day,
)

D = dt.date
LETTER = D(2020, 3, 11)
SEEDS = Path("/work/shared/seeds")

# sentence, letter's date, start, end, until, from_now, as written
# fmt: off
WINDOWS = [
    ("Thời gian thực hiện 01 đợt: từ ngày 12/3/2020 đến 15/3/2020", None, D(2020, 3, 12), D(2020, 3, 15), None,
     False, "từ ngày 12/3/2020 đến 15/3/2020"),
    ("Thời gian nhắn tin: 01 lần/ngày từ 12/3/2020 đến 15/3/2020.", None, D(2020, 3, 12), D(2020, 3, 15), None,
     False, "từ 12/3/2020 đến 15/3/2020"),
    ("Đề nghị chạy chữ từ ngày 12/3/2020 đến ngày 15/3/2020 trên các kênh.", None, D(2020, 3, 12), D(2020, 3, 15),
     None, False, "từ ngày 12/3/2020 đến ngày 15/3/2020"),
    ("Thời gian thực hiện từ 12/3 đến 15/3/2020.", None, D(2020, 3, 12), D(2020, 3, 15), None, False,
     "từ 12/3 đến 15/3/2020"),
    ("Thời gian: từ 20/12 đến 05/01/2017.", None, D(2016, 12, 20), D(2017, 1, 5), None, False,
     "từ 20/12 đến 05/01/2017"),
    ("Thời gian thực hiện từ ngày 12 đến 15/3/2020.", None, D(2020, 3, 12), D(2020, 3, 15), None, False,
     "từ ngày 12 đến 15/3/2020"),
    ("Phát sóng từ 12-15/3/2020 vào các khung giờ cao điểm.", None, D(2020, 3, 12), D(2020, 3, 15), None, False,
     "từ 12-15/3/2020"),
    ("Thực hiện chạy chữ từ ngày 01/12/2016 đến hết ngày 31/12/2016.", None, D(2016, 12, 1), D(2016, 12, 31), None,
     False, "từ ngày 01/12/2016 đến hết ngày 31/12/2016"),
    ("Thời gian: từ 12/3/20 đến 15/3/20.", None, D(2020, 3, 12), D(2020, 3, 15), None, False, "từ 12/3/20 đến 15/3/20"),
    ("Thời gian: từ 12.3.2020 đến 15.3.2020.", None, D(2020, 3, 12), D(2020, 3, 15), None, False,
     "từ 12.3.2020 đến 15.3.2020"),
    ("Thời gian tuyên truyền từ ngày 21 tháng 11 năm 2016 đến ngày 30 tháng 11 năm 2016.", None, D(2016, 11, 21),
     D(2016, 11, 30), None, False, "từ ngày 21 tháng 11 năm 2016 đến ngày 30 tháng 11 năm 2016"),
    ("thực hiện chạy dòng chữ chạy dưới màn hình từ 0 giờ ngày 30/12/2016 đến 24 giờ ngày 02/01/2017", None,
     D(2016, 12, 30), D(2017, 1, 2), "2017-01-03 00:00", False,
     "từ 0 giờ ngày 30/12/2016 đến 24 giờ ngày 02/01/2017"),
    ("Thời gian thực hiện từ 00 giờ ngày 30/12/2016.", None, D(2016, 12, 30), None, None, False,
     "từ 00 giờ ngày 30/12/2016"),
    ("Chạy chữ từ 0h00 ngày 10/8/2017 đến 24h ngày 15/8/2017.", None, D(2017, 8, 10), D(2017, 8, 15),
     "2017-08-16 00:00", False, "từ 0h00 ngày 10/8/2017 đến 24h ngày 15/8/2017"),
    ("Chạy chữ từ 7 giờ 30 ngày 10/8/2017 đến 24h00 ngày 15/8/2017.", None, D(2017, 8, 10), D(2017, 8, 15),
     "2017-08-16 00:00", False, "từ 7 giờ 30 ngày 10/8/2017 đến 24h00 ngày 15/8/2017"),
    ("Các đơn vị thực hiện đến 17 giờ ngày 20/8/2017.", None, None, D(2017, 8, 20), "2017-08-20 17:00", False,
     "đến 17 giờ ngày 20/8/2017"),
    ("Chạy chữ từ 6 giờ ngày 14/8/2017 đến 0 giờ ngày 16/8/2017.", None, D(2017, 8, 14), D(2017, 8, 15),
     "2017-08-16 00:00", False, "từ 6 giờ ngày 14/8/2017 đến 0 giờ ngày 16/8/2017"),
    ("Thời gian thực hiện: từ nay đến hết tháng 4.", LETTER, None, D(2020, 4, 30), None, True,
     "từ nay đến hết tháng 4"),
    ("Thời gian thực hiện: từ nay đến hết tháng 2.", LETTER, None, D(2021, 2, 28), None, True,
     "từ nay đến hết tháng 2"),
    ("Thời gian thực hiện: từ nay đến hết tháng 3.", LETTER, None, D(2020, 3, 31), None, True,
     "từ nay đến hết tháng 3"),
    ("Duy trì tuyên truyền đến hết năm 2021.", None, None, D(2021, 12, 31), None, False, "đến hết năm 2021"),
    ("Đề nghị chạy chữ đến hết ngày 15/3/2020.", None, None, D(2020, 3, 15), None, False, "đến hết ngày 15/3/2020"),
    ("Thực hiện tuyên truyền trong tháng 12/2021 trên các kênh.", None, D(2021, 12, 1), D(2021, 12, 31), None, False,
     "trong tháng 12/2021"),
    ("Thực hiện tuyên truyền trong tháng 02 năm 2020.", None, D(2020, 2, 1), D(2020, 2, 29), None, False,
     "trong tháng 02 năm 2020"),
    ("Phát sóng trong các ngày 12, 13 và 14/3/2020.", None, D(2020, 3, 12), D(2020, 3, 14), None, False,
     "trong các ngày 12, 13 và 14/3/2020"),
    ("Phát sóng trong ngày 12/3/2020.", None, D(2020, 3, 12), D(2020, 3, 12), None, False, "trong ngày 12/3/2020"),
    ("Đề nghị thực hiện chạy chữ từ ngày 12/3/2020 cho đến khi có thông báo mới.", None, D(2020, 3, 12), None, None,
     False, "từ ngày 12/3/2020"),
    ("Văn bản này có hiệu lực kể từ ngày ký.", None, None, None, None, True, "kể từ ngày ký"),
    ("Đề nghị triển khai ngay khi nhận được công văn này, đến hết ngày 15/3/2020.", None, None, D(2020, 3, 15), None,
     True, "triển khai ngay khi nhận được công văn này, đến hết ngày 15/3/2020"),
    ("THỜI GIAN THỰC HIỆN: TỪ NGÀY 12/3/2020 ĐẾN NGÀY 15/3/2020", None, D(2020, 3, 12), D(2020, 3, 15), None, False,
     "TỪ NGÀY 12/3/2020 ĐẾN NGÀY 15/3/2020"),
    ("Thời gian thực hiệntừngày12/3/2020đếnhếtngày15/3/2020.", None, D(2020, 3, 12), D(2020, 3, 15), None, False,
     "từngày12/3/2020đếnhếtngày15/3/2020"),
    ("Thời gian thực hiện từ ngày\n12/3/2020 đến\nngày 15/3/2020", None, D(2020, 3, 12), D(2020, 3, 15), None, False,
     "từ ngày\n12/3/2020 đến\nngày 15/3/2020"),
    ("Thời gian: 7 giờ ngày 12/3/2020.", None, D(2020, 3, 12), None, None, False, "Thời gian: 7 giờ ngày 12/3/2020"),
    # a date without a year takes the letter's; an end before the start is the next year's
    ("Chạy chữ từ 12/3 đến 15/3.", LETTER, D(2020, 3, 12), D(2020, 3, 15), None, False, "từ 12/3 đến 15/3"),
    ("Chạy chữ từ 30/12 đến 2/1.", D(2016, 12, 28), D(2016, 12, 30), D(2017, 1, 2), None, False, "từ 30/12 đến 2/1"),
    ("Chạy chữ từ 2/1 đến 5/1.", D(2016, 12, 28), D(2017, 1, 2), D(2017, 1, 5), None, False, "từ 2/1 đến 5/1"),
    ("Chạy chữ đến hết ngày 5/1.", D(2016, 12, 28), None, D(2017, 1, 5), None, False, "đến hết ngày 5/1"),
    # without a letter's date and without a year there is no date, and none is invented
    ("Chạy chữ từ 12/3 đến 15/3.", None, None, None, None, False, "từ 12/3 đến 15/3"),
    ("Thời gian từ nay đến hết tháng 4.", None, None, None, None, True, "từ nay đến hết tháng 4"),
]
# fmt: on


@pytest.mark.parametrize(("text", "letter", "start", "end", "until", "from_now", "written"), WINDOWS)
def test_a_window_is_read_as_written(text, letter, start, end, until, from_now, written):
    w = find_window(text, letter)
    assert w is not None
    assert (w.start, w.end, w.until, w.from_now, w.as_written) == (start, end, until, from_now, written)
    assert text[w.start_at : w.end_at] == written


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện ý kiến chỉ đạo tại Thông báo kết luận số 241/TB-VPCP ngày 12/9/2021 của Văn phòng Chính phủ.",
        "Theo khuyến nghị ngày 10 tháng 3 năm 2020 trên Cổng thông tin điện tử của Bộ Thông tin và Truyền thông,",
        "đã báo cáo Thủ tướng Chính phủ tại cuộc họp của Ban Chỉ đạo ngày 25/9/2021.",
        "Hậu Giang, ngày 11 tháng 3 năm 2020",
        "Chạy chữ từ ngày 31/2/2020 đến 5/3/2020.",  # no 31 February: neither the window nor its end alone
        "Chạy chữ từ ngày 32/3/2020.",
        "Chạy chữ từ ngày 12/13/2020.",
        "Chạy chữ từ 25 giờ ngày 12/3/2020.",
        "để được hỗ trợ nhanh nhất từ cơ quan y tế",
        "hướng dẫn đến toàn thể cán bộ, công chức trong tình hình mới",
        "Phát từ 19h45 đến 23h00 hằng ngày.",  # hours of the day, not days
        "Chạy chữ từ ngày 12 cho đến khi có thông báo mới.",  # a day of no month
        "",
    ],
)
def test_a_reference_or_an_impossible_date_is_no_window(text):
    assert find_window(text, LETTER) is None


def test_every_window_in_order_and_the_first_one():
    text = (
        "Thời gian nhắn tin: 01 lần/ngày từ 12/3/2020 đến 15/3/2020.\n"
        "Thời gian chạy chữ: từ ngày 16/3/2020 đến hết ngày 20/3/2020; nhắc lại trong tháng 4/2020."
    )
    windows = find_windows(text, LETTER)
    assert [(w.start, w.end) for w in windows] == [
        (D(2020, 3, 12), D(2020, 3, 15)),
        (D(2020, 3, 16), D(2020, 3, 20)),
        (D(2020, 4, 1), D(2020, 4, 30)),
    ]
    assert find_window(text, LETTER) == windows[0]


def test_the_seed_letters():
    hau_giang = (SEEDS / "hau-giang-337-STTT-2020-ncovi.txt").read_text(encoding="utf-8")
    line = find_date_line(hau_giang)
    assert line is not None and (line.place, line.date) == ("Hậu Giang", D(2020, 3, 11))
    assert [(w.start, w.end) for w in find_windows(hau_giang, line.date)] == [(D(2020, 3, 12), D(2020, 3, 15))] * 2
    assert find_frequency(hau_giang)[0] == "01 lần/ngày"  # type: ignore[index]
    thh = (SEEDS / "thh-2021-pc-covid.txt").read_text(encoding="utf-8")
    line = find_date_line(thh)
    assert line is not None and (line.place, line.date, line.year, line.month) == ("Hà Nội", None, 2021, 11)
    assert find_windows(thh) == []  # every date in it is a reference to a meeting or a notice


# text, place, date, year, month, as written
# fmt: off
DATE_LINES = [
    ("Hậu Giang, ngày 11 tháng 3 năm 2020", "Hậu Giang", D(2020, 3, 11), 2020, 3,
     "Hậu Giang, ngày 11 tháng 3 năm 2020"),
    ("Hà Nội, ngày 21 tháng 11 năm 2016", "Hà Nội", D(2016, 11, 21), 2016, 11, "Hà Nội, ngày 21 tháng 11 năm 2016"),
    ("Hà Nội, ngày   tháng 11 năm 2021", "Hà Nội", None, 2021, 11, "Hà Nội, ngày   tháng 11 năm 2021"),
    ("Hà Nội, ngày tháng 11 năm 2021", "Hà Nội", None, 2021, 11, "Hà Nội, ngày tháng 11 năm 2021"),
    ("Hà Nội, ngày ... tháng ... năm 2021", "Hà Nội", None, 2021, None, "Hà Nội, ngày ... tháng ... năm 2021"),
    ("TP. Hồ Chí Minh, ngày 05 tháng 4 năm 2021", "TP. Hồ Chí Minh", D(2021, 4, 5), 2021, 4,
     "TP. Hồ Chí Minh, ngày 05 tháng 4 năm 2021"),
    ("Thành phố Hồ Chí Minh, ngày 05/4/2021", "Thành phố Hồ Chí Minh", D(2021, 4, 5), 2021, 4,
     "Thành phố Hồ Chí Minh, ngày 05/4/2021"),
    ("Hậu Giang, ngày 11/3/2020", "Hậu Giang", D(2020, 3, 11), 2020, 3, "Hậu Giang, ngày 11/3/2020"),
    ("Số: 337/STTT-CNTT Hậu Giang, ngày 11 tháng 3 năm 2020", "Hậu Giang", D(2020, 3, 11), 2020, 3,
     "Hậu Giang, ngày 11 tháng 3 năm 2020"),
    ("Số: 337/STTT- CN TT Hậu Giang, ngày 11 tháng 3 năm 2020", "Hậu Giang", D(2020, 3, 11), 2020, 3,
     "Hậu Giang, ngày 11 tháng 3 năm 2020"),
    ("Độc lập - Tự do - Hạnh phúc Cần Thơ, ngày 2 tháng 9 năm 2021", "Cần Thơ", D(2021, 9, 2), 2021, 9,
     "Cần Thơ, ngày 2 tháng 9 năm 2021"),
    ("HÀ NỘI, NGÀY 21 THÁNG 11 NĂM 2016", "HÀ NỘI", D(2016, 11, 21), 2016, 11, "HÀ NỘI, NGÀY 21 THÁNG 11 NĂM 2016"),
    ("Hậu Giang,ngày11tháng3năm2020", "Hậu Giang", D(2020, 3, 11), 2020, 3, "Hậu Giang,ngày11tháng3năm2020"),
    ("V/v tuyên truyền\nngày 11 tháng 3 năm 2020\nKính gửi:", None, D(2020, 3, 11), 2020, 3,
     "ngày 11 tháng 3 năm 2020"),
    ("Hậu Giang, ngày 31 tháng 2 năm 2020", "Hậu Giang", None, 2020, 2, "Hậu Giang, ngày 31 tháng 2 năm 2020"),
]
# fmt: on


@pytest.mark.parametrize(("text", "place", "date", "year", "month", "written"), DATE_LINES)
def test_a_date_line(text, place, date, year, month, written):
    line = find_date_line(text)
    assert line is not None
    assert (line.place, line.date, line.year, line.month, line.as_written) == (place, date, year, month, written)
    assert text[line.start : line.end] == written


@pytest.mark.parametrize(
    "text",
    ["Theo khuyến nghị ngày 10 tháng 3 năm 2020 trên Cổng thông tin", "Theo Công văn số 12, ngày 3/4/2020 của Sở", ""],
)
def test_a_date_inside_a_sentence_is_no_date_line(text):
    assert find_date_line(text) is None


# text, as written, times a day
# fmt: off
FREQUENCIES = [
    ("Thời gian nhắn tin: 01 lần/ngày từ 12/3/2020 đến 15/3/2020.", "01 lần/ngày", 1),
    ("Phát 3 lần/ngày trên kênh HGTV.", "3 lần/ngày", 3),
    ("Chạy chữ mỗi ngày 02 lần vào buổi sáng và buổi tối.", "mỗi ngày 02 lần", 2),
    ("Phát sóng tối thiểu 2 lần/tuần.", "tối thiểu 2 lần/tuần", None),
    ("Phát sóng ít nhất 01 lần/ngày trong thời gian cao điểm.", "ít nhất 01 lần/ngày", 1),
    ("Chạy chữ hai lần mỗi ngày.", "hai lần mỗi ngày", 2),
    ("Đề nghị chạy chữ thường xuyên trên các kênh truyền hình cáp.", "thường xuyên", None),
    ("Chạy chữ liên tục trên các kênh.", "liên tục", None),
    ("Phát định kỳ hằng tuần trên Đài.", "định kỳ hằng tuần", None),
    ("Chạy chữ từ 19h45 đến 23h00 hằng ngày.", "từ 19h45 đến 23h00", None),
    ("Chạy chữ vào các khung giờ 6h30, 11h30 và 19h45.", "vào các khung giờ 6h30, 11h30 và 19h45", 3),
    ("Ưu tiên phát trong khung giờ vàng.", "trong khung giờ vàng", None),
    ("THƯỜNG XUYÊN CẬP NHẬT, PHÁT 01 LẦN/NGÀY.", "01 LẦN/NGÀY", 1),  # a count before a word that says little
]
# fmt: on


@pytest.mark.parametrize(("text", "written", "per_day"), FREQUENCIES)
def test_a_frequency(text, written, per_day):
    found = find_frequency(text)
    assert found is not None
    assert found[0] == written and text[found[1] : found[2]] == written
    assert times_per_day(found[0]) == per_day


@pytest.mark.parametrize(
    "text",
    ["thực hiện chạy dòng chữ chạy dưới màn hình từ 0 giờ ngày 30/12/2016 đến 24 giờ ngày 02/01/2017", "", "Kính gửi:"],
)
def test_a_window_s_hours_are_no_frequency(text):
    assert find_frequency(text) is None
    assert airing_times(text) == [] and airing_range(text) is None


T = dt.time


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("Chạy chữ vào lúc 6h30, 11h30 và 19h45 hằng ngày.", [T(6, 30), T(11, 30), T(19, 45)]),
        ("Phát vào các khung giờ: 06 giờ 30, 12 giờ", [T(6, 30), T(12, 0)]),
        ("Phát vào các khung giờ 06:30; 12:00 hoặc 18 giờ 30 phút.", [T(6, 30), T(12, 0), T(18, 30)]),
        ("Phát lúc 6h30 và lúc 6h30 (phát lại).", [T(6, 30)]),
        ("Thời gian phát lúc 7 giờ ngày 12/3/2020.", []),  # a moment, not an hour of every day
        ("Phát trong khung giờ 19h45 - 23h00.", []),  # a range
        ("Phát lúc 25h00.", []),
    ],
)
def test_airing_times(text, times):
    assert airing_times(text) == times


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Chạy chữ từ 19h45 đến 23h00.", (T(19, 45), T(23, 0))),
        ("Chạy chữ từ 19 giờ 45 đến 23 giờ hằng ngày.", (T(19, 45), T(23, 0))),
        ("Phát trong khung giờ 19h45 - 23h00.", (T(19, 45), T(23, 0))),
        ("Chạy chữ từ 20h đến 24h.", (T(20, 0), T(23, 59, 59))),  # to the end of the day
        ("Chạy chữ từ 22h đến 2h.", (T(22, 0), T(2, 0))),  # past midnight
        ("Chạy chữ từ 8 đến 10 giờ.", (T(8, 0), T(10, 0))),
        ("Chạy chữ từ 12-15/3/2020.", None),
        ("Chạy chữ từ 19h45 đến 23h00 ngày 12/3/2020.", None),
        ("Chạy chữ từ 24h đến 2h.", None),
    ],
)
def test_airing_range(text, hours):
    assert airing_range(text) == hours


@pytest.mark.parametrize(
    ("frequency", "per_day"),
    [("01 lần/ngày", 1), ("3 lần / 01 ngày", 3), ("mỗi ngày 02 lần", 2), ("02 lần/tuần", None), ("", None)],
)
def test_times_per_day(frequency, per_day):
    assert times_per_day(frequency) == per_day


@pytest.mark.parametrize(("year", "month", "day"), [(2020, 2, 29), (2021, 2, 28), (2016, 12, 31), (2017, 4, 30)])
def test_last_day_of_month(year, month, day):
    assert last_day_of_month(year, month) == D(year, month, day)


WORDS = [
    "từ",
    "kể từ",
    "ngày",
    "đến",
    "hết",
    "tháng",
    "năm",
    "giờ",
    "h",
    "trong",
    "các",
    "ký",
    "nay",
    "thời gian",
    ":",
    "lúc",
    "khung giờ",
    "lần",
    "/",
    ".",
    "-",
    ",",
    " ",
    "\n",
    "“",
    "”",
    "TỪ",
    "ĐẾN",
    "Hà Nội",
    "0",
    "1",
    "2",
    "12",
    "24",
    "29",
    "31",
    "32",
    "2020",
    "20",
    "ngay",
    "khi nhận được",
    "mỗi",
    "và",
    "phút",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS)).map("".join))
def test_nothing_raises_on_letter_like_text(text):
    find_windows(text, LETTER)
    find_date_line(text)
    find_frequency(text)
    airing_times(text)
    airing_range(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_nothing_raises_on_any_text(text):
    find_windows(text)
    find_date_line(text)
    times_per_day(text)
    find_frequency(text)


DATES = st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31))


@settings(max_examples=300, deadline=None)
@given(DATES, DATES, st.booleans(), st.sampled_from(["", "Thời gian thực hiện: ", "Chạy chữ "]))
def test_every_date_written_comes_back(start, end, padded, lead):
    def written(d: dt.date) -> str:
        return f"{d.day:02}/{d.month:02}/{d.year}" if padded else f"{d.day}/{d.month}/{d.year}"

    w = find_window(f"{lead}từ ngày {written(start)} đến {written(end)}.", LETTER)
    assert w is not None and (w.start, w.end, w.until, w.from_now) == (start, end, None, False)


@pytest.mark.parametrize(
    "text",
    [
        "Hà Nội, ngày" + " ." * 3000 + " tháng",  # a form's dotted blank
        "Chạy chữ từ 7 giờ" + " " * 3000 + "x",
        "vào lúc 6h30" + "\n" * 3000 + ", ngày",
        "Hà Nội 1, ngày 1/1/2020 " * 2000,
    ],
)
def test_a_long_run_of_blanks_is_read_at_once(text):
    """No pattern tries every split of a run of blanks: each of these would take minutes if one did."""
    find_windows(text, LETTER)
    find_date_line(text)
    find_frequency(text)
    airing_times(text)
    airing_range(text)


# The moment an event the crawl's words announce happens, as the end of a crawl that runs until it: "24 giờ ngày
# X" is the end of X; an event that begins on a day ("từ ngày 16/8", "trước ngày 16/8") ends the crawl the day
# before; "đến hết ngày X" on X. A period inside the words ("từ 1/9 đến 30/9") is no moment.
# fmt: off
DEADLINES = [
    ("sẽ bị khóa chiều gọi đi từ 24 giờ ngày 15/8/2017", D(2017, 8, 15), "2017-08-16 00:00"),
    ("thuê bao sẽ bị thu hồi từ 0 giờ ngày 1/1/2018", D(2017, 12, 31), "2018-01-01 00:00"),
    ("hoàn thành trước ngày 30/9", D(2020, 9, 29), "2020-09-30 00:00"),
    ("nộp hồ sơ đến hết ngày 31/12", D(2020, 12, 31), None),
    ("Tháng hành động từ 1/9 đến 30/9", None, None),
    ("không có ngày nào", None, None),
]
# fmt: on


@pytest.mark.parametrize(("words", "end", "until"), DEADLINES)
def test_an_events_moment_in_the_words(words, end, until):
    got = find_deadline(words, LETTER)
    assert ((got.end, got.until, got.start) if got else (None, None, None)) == (end, until, None)
