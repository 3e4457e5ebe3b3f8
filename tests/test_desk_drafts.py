"""Drafts at the desk (a real desk on 127.0.0.1): a letter uploaded or pasted becomes a campaign file whose
campaign.name no other file of the folder has, whatever the upload is called and however the letter wraps."""

from __future__ import annotations

import re
import shutil
import tomllib

import pytest

from ticker.night.nightly import load_folder

from support.campaigns import HAU_GIANG, ROOT
from support.desk_server import desk_server

LETTER = ROOT / "letters" / "hau-giang-337-STTT-2020-ncovi.txt"
WRAPPED = """\
UBND TỈNH HẬU GIANG
Số: 337/STTT-CNTT
V/v chạy chữ tuyên truyền
Kính gửi: Đài Phát thanh và Truyền hình
Đề nghị chạy chữ trên sóng từ ngày 12/3/2020
đến ngày 15/3/2020, mỗi ngày
3 lần vào các giờ 6h30, 11h30, 19h45.
"""


@pytest.fixture
def folders(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    shutil.copy(HAU_GIANG, campaigns / "hau-giang.toml")
    return campaigns, out


@pytest.fixture
def desk(folders):
    with desk_server(*folders) as running:
        yield running


def _multipart(filename: bytes, data: bytes) -> tuple[bytes, dict[str, str]]:
    """A form with the letter's part written as a client may write it, its file name sent as it is."""
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="letter"; filename="' + filename + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n--b0undary--\r\n"
    )
    return body, {"Content-Type": "multipart/form-data; boundary=b0undary"}


def test_an_upload_name_holding_name_equals_never_gives_a_taken_campaign_name(desk, folders):
    c = desk.client()
    first = c.post("/api/drafts", files={"letter": (LETTER.name, LETTER.read_bytes(), "text/plain")})
    assert first.status_code == 201 and first.json()["file"] == "cv-337-sttt-cntt.toml"
    body, headers = _multipart(b'name = \\"zz\\".txt', LETTER.read_bytes())
    second = c.post("/api/drafts", content=body, headers=headers)
    assert second.status_code == 201, second.text
    made = second.json()["file"]
    name = tomllib.loads((folders[0] / made).read_text(encoding="utf-8"))["campaign"]["name"]
    assert name == made.removesuffix(".toml") and name != "cv-337-sttt-cntt"
    campaigns, errors = load_folder(folders[0])
    assert errors == [] and len({c.name for c in campaigns}) == 3


def test_a_file_the_folder_cannot_read_still_keeps_its_campaign_name(desk, folders):
    (folders[0] / "on-air.toml").write_text(
        '[campaign]\nname = "cv-337-sttt-cntt"\nstart = 2020-03-01\n', encoding="utf-8"
    )  # no end and no message: not a campaign today, but its name is its own
    got = desk.client().post("/api/drafts", files={"letter": (LETTER.name, LETTER.read_bytes(), "text/plain")})
    assert got.status_code == 201 and got.json()["file"] == "cv-337-sttt-cntt-2.toml"


@pytest.mark.parametrize("how", ["upload", "paste"])
def test_a_letter_wrapped_where_it_gives_its_window_and_times_is_drafted(desk, folders, how):
    c = desk.client()
    if how == "upload":
        got = c.post("/api/drafts", files={"letter": ("wrapped.txt", WRAPPED.encode(), "text/plain")})
        assert got.status_code == 201, got.text
        made = got.json()["file"]
    else:
        got = c.post("/new", data={"pasted": WRAPPED})
        assert got.status_code == 303, got.text
        made = got.headers["location"].split("/edit/", 1)[1].split("?", 1)[0]
    data = tomllib.loads((folders[0] / made).read_text(encoding="utf-8"))
    assert (str(data["campaign"]["start"]), str(data["campaign"]["end"])) == ("2020-03-12", "2020-03-15")
    assert data["slot"][0]["at"] == ["06:30", "11:30", "19:45"]


def test_a_letter_form_sent_empty_or_with_another_kind_of_file_is_said_in_the_pages_words(desk, folders):
    c = desk.client()
    empty = c.post("/new", data={"pasted": "  "})
    assert empty.status_code == 400 and "hãy dán nội dung hoặc chọn tệp công văn" in empty.text
    other = c.post("/new", files={"letter": ("thu.exe", b"MZ", "application/octet-stream")})
    assert other.status_code == 415 and "hãy chọn tệp .txt, .docx hoặc .pdf" in other.text
    for got in (empty, other):
        assert str(folders[0]) not in got.text and "letter:" not in got.text
    api = c.post("/api/drafts", data={"pasted": "  "})  # the API answers in the library's English, as before
    assert api.status_code == 400 and api.json()["error"] == "letter: paste the letter or choose its file."


def test_the_edit_page_flags_a_typo_and_a_long_address_beside_them_in_the_pages_language(desk, folders):
    from support.letter_shapes import MINISTRY

    c = desk.client()
    got = c.post("/api/drafts", files={"letter": ("2878.txt", MINISTRY.encode(), "text/plain")})
    assert got.status_code == 201, got.text
    made = got.json()["file"]
    data = tomllib.loads((folders[0] / made).read_text(encoding="utf-8"))
    assert "di đông" in data["message"][0]["text"]  # flagged, never changed
    page = c.get(f"/edit/{made}").text
    assert "Xem lại “di đông”: có phải “di động”?" in page
    assert "mã QR dày hơn" in page and "<code data-shorter>https://mic.gov.vn/chuan-hoa</code>" in page
    cites = re.findall(r'<p class="cite">(.*?)</p>', page, re.S)
    assert cites and not any("look again" in cite for cite in cites)  # the file's English note is not the form's
    assert str(folders[0]) not in page
    c.get("/lang/en")
    page = c.get(f"/edit/{made}").text
    assert "Look again at “di đông”: is it “di động”?" in page and "carries tracking" in page
    (folders[0] / made).write_text(
        (folders[0] / made).read_text(encoding="utf-8").replace("di đông", "di động"), encoding="utf-8"
    )
    assert "Look again at" not in c.get(f"/edit/{made}").text  # said of the words as they are now
    (folders[0] / made).write_text(
        (folders[0] / made).read_text(encoding="utf-8").replace("di động", "di đông"), encoding="utf-8"
    )
    assert "Look again at “di đông”" in c.get(f"/approve/{made}").text  # and where it is approved
