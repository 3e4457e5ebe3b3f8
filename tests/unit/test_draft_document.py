"""The draft campaign made from a letter's findings: the window's rules, the slots fitted to what the letter
says of how often and when, and the comments citing the letter's lines."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from ticker.letters.draft import draft_document
from ticker.letters.findings import read_findings
from ticker.letters.read import letter_from_bytes

HEAD = """\
UBND TỈNH TIỀN GIANG
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 88/STTTT-TTBCXB
V/v tuyên truyền phòng, chống bệnh sốt xuất huyết
Tiền Giang, ngày 02 tháng 6 năm 2022

Kính gửi: Các doanh nghiệp cung cấp dịch vụ truyền hình cáp trên địa bàn tỉnh.

Sở Thông tin và Truyền thông đề nghị các doanh nghiệp thực hiện chạy chữ với nội dung: “Diệt lăng quăng, \
bọ gậy để phòng, chống bệnh sốt xuất huyết. Hãy bảo vệ gia đình bạn.”
"""


def draft(when: str, received: dt.date | None = None) -> tuple[dict, str, str]:
    findings = read_findings(letter_from_bytes((HEAD + when + "\n").encode(), "cv-88.txt"))
    text, status = draft_document(findings, received=received, today=dt.date(2022, 6, 3))
    return tomllib.loads(text), text, status


@pytest.mark.parametrize(
    "when, at, seconds",
    [
        (
            "Thời gian: từ ngày 06/6/2022 đến 30/6/2022, vào lúc 6h30, 11h30 và 19h45 hằng ngày.",
            ["06:30", "11:30", "19:45"],
            120,
        ),
        ("Thời gian: từ ngày 06/6/2022 đến 30/6/2022, 02 lần/ngày.", ["11:30", "19:45"], 120),
        ("Thời gian: từ ngày 06/6/2022 đến 30/6/2022, từ 19h45 đến 23h00 hằng ngày.", ["19:45"], 11700),
        ("Thời gian: từ ngày 06/6/2022 đến 30/6/2022.", ["06:30", "11:30", "19:45"], 120),
    ],
)
def test_slots_follow_what_the_letter_says(when, at, seconds):
    data, text, status = draft(when)
    assert data["slot"] == [{"at": at, "seconds": seconds}]
    assert status == "ready" and "status" not in data["campaign"]
    assert (data["campaign"]["start"], data["campaign"]["end"]) == (dt.date(2022, 6, 6), dt.date(2022, 6, 30))
    assert "# the letter, line 10" in text.split("[[slot]]")[1] or "house's" in text.split("[[slot]]")[1]


def test_a_window_with_no_start_begins_on_the_letters_date_or_the_day_after_it_arrived():
    data, text, _ = draft("Thời gian: đến hết ngày 30/6/2022.")
    assert data["campaign"]["start"] == dt.date(2022, 6, 2) and data["campaign"]["end"] == dt.date(2022, 6, 30)
    assert "the letter's date" in text.split("start = ")[1].split("\n")[0]
    data, text, _ = draft("Thời gian: đến hết ngày 30/6/2022.", received=dt.date(2022, 6, 4))
    assert data["campaign"]["start"] == dt.date(2022, 6, 5)
    assert "the day after it was received (4/6/2022)" in text


def test_an_event_deadline_at_24_hours_ends_the_day_before():
    data, text, _ = draft("Thời gian: từ 0 giờ ngày 06/6/2022 đến 24 giờ ngày 15/6/2022.")
    assert (data["campaign"]["start"], data["campaign"]["end"]) == (dt.date(2022, 6, 6), dt.date(2022, 6, 15))
    assert '"2022-06-16 00:00" is the moment it stops' in text


def test_no_end_keeps_it_a_draft_with_a_stand_in():
    data, text, status = draft("Thời gian: từ ngày 06/6/2022.")
    assert status == "draft" and data["campaign"]["status"] == "draft"
    assert data["campaign"]["end"] == data["campaign"]["start"] == dt.date(2022, 6, 6)
    assert "window end" in data["source"]["missing"] and "a stand-in" in text


def test_the_message_is_the_letters_words_and_the_source_cites_its_lines():
    data, text, _ = draft("Thời gian: từ ngày 06/6/2022 đến 30/6/2022.")
    (message,) = data["message"]
    assert message["text"] == ("Diệt lăng quăng, bọ gậy để phòng, chống bệnh sốt xuất huyết. Hãy bảo vệ gia đình bạn.")
    assert data["source"] == {
        "issuer": "Sở Thông tin và Truyền thông tỉnh Tiền Giang",
        "number": "88/STTTT-TTBCXB",
        "date": dt.date(2022, 6, 2),
        "place": "Tiền Giang",
        "subject": "tuyên truyền phòng, chống bệnh sốt xuất huyết",
        "letter": "cv-88.txt",
        "missing": ["airing times", "web address"],
    }
    assert 'number = "88/STTTT-TTBCXB" # line 3' in text and "date = 2022-06-02 # line 5" in text
    assert "qr" not in data  # no web address: no QR code


def test_the_crawl_never_takes_another_requests_window():
    findings = read_findings(
        letter_from_bytes(
            (
                HEAD.replace("thực hiện chạy chữ", "thực hiện nhắn tin")
                + "Thời gian nhắn tin: từ ngày 06/6/2022 đến 10/6/2022.\n\n"
                + "- Các doanh nghiệp truyền hình cáp: chạy chữ với nội dung: “Diệt lăng quăng, bọ gậy.”\n"
            ).encode(),
            "cv.txt",
        )
    )
    assert [r.medium for r in findings.requests] == ["sms", "crawl"]
    text, status = draft_document(findings, received=dt.date(2022, 6, 3))
    data = tomllib.loads(text)
    assert status == "draft" and {"window start", "window end"} <= set(data["source"]["missing"])
    assert data["campaign"]["start"] == dt.date(2022, 6, 4)  # the day after it arrived, not the SMS's 6/6


def test_a_window_over_before_the_letter_arrived_is_a_draft():
    _, _, status = draft("Thời gian: từ ngày 06/6/2022 đến 10/6/2022.", received=dt.date(2022, 7, 1))
    assert status == "ready"  # a window with its start: what the letter says is kept
    data, _, status = draft("Thời gian: đến hết ngày 10/6/2022.", received=dt.date(2022, 7, 1))
    assert status == "draft" and "window over" in data["source"]["missing"]
    assert data["campaign"]["start"] == data["campaign"]["end"] == dt.date(2022, 6, 10)


@pytest.mark.parametrize(
    "when, key, quoted",
    [
        ("Thời gian: từ ngày 06/6/2022\nđến ngày 30/6/2022.", "end", "“từ ngày 06/6/2022 đến ngày 30/6/2022”"),
        ("Thời gian: từ ngày 06/6/2022\r\nđến ngày 30/6/2022.", "end", "“từ ngày 06/6/2022 đến ngày 30/6/2022”"),
        ("Thời gian: từ ngày 06/6/2022\u2028đến ngày 30/6/2022.", "end", "“từ ngày 06/6/2022 đến ngày 30/6/2022”"),
        ("Thời gian: từ ngày 06/6/2022 đến 30/6/2022, mỗi ngày\n3 lần vào các giờ 6h30, 11h30, 19h45.", "at", "“"),
    ],
    ids=["window-lf", "window-crlf", "window-u2028", "slot-line"],
)
def test_words_the_letter_wrapped_onto_its_next_line_are_quoted_on_one_comment_line(when, key, quoted):
    data, text, _ = draft(when)
    assert data["campaign"]["end"] == dt.date(2022, 6, 30)
    (line,) = [line for line in text.splitlines() if line.startswith(f"{key} = ")]
    assert quoted in line.split(" # ", 1)[1]
