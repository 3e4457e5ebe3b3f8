"""A refusal worded for the desk's pages from its parts: at the form field its key names, in the page's
language, with the field's label and the value, never the English library sentence with its path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ticker.campaign.editing import apply_fields, check_text
from ticker.campaign.provenance import DRAFT_WORDS
from ticker.desk.fields import form_fields
from ticker.desk.refusals import field_for, said, worded
from ticker.engine import band_frame
from ticker.errors import ConfigError, Refusal, Refused

EXAMPLE = Path(__file__).resolve().parents[2] / "configs" / "hau-giang-ncovi.toml"


@pytest.fixture
def campaign_file(tmp_path: Path) -> Path:
    path = tmp_path / "hau-giang-ncovi.toml"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.mark.parametrize(
    "fields, at, words",
    [
        ({"campaign.end": "2020-03-01"}, "campaign.end", ["Đến ngày", "1/3/2020", "trước ngày bắt đầu 12/3/2020"]),
        ({"motion.crossing_seconds": 500}, "motion.crossing_seconds", ["Thời gian chữ chạy", "từ 2 đến 120", "500"]),
        ({"motion.crossing_seconds": "nhanh"}, "motion.crossing_seconds", ["cần một số", "'nhanh'"]),
        ({"slot[1].at": ["11h30"]}, "slot[1].at", ["Giờ phát", "'11h30'", "không phải là giờ"]),
        ({"slot[2].at": ["06:31"], "slot[2].seconds": 60}, "slot[2].at", ["Giờ phát 2", "06:31", "trùng"]),
        ({"qr.url": "ftp://x.example"}, "qr.url", ["Địa chỉ mã QR", "'ftp://x.example'", "địa chỉ web"]),
        ({"message[1].text": " "}, "message[1].text", ["Nội dung chạy chữ", "trống"]),
        ({"message[1].text": DRAFT_WORDS}, "message[1].text", ["Nội dung chạy chữ", "câu mẫu của bản nháp"]),
        ({"output[1].format": "mp5"}, "output[1].format", ["Định dạng tệp", "'mp5'", "một trong"]),
    ],
)
def test_a_campaign_refused_is_worded_at_its_field(campaign_file, fields, at, words):
    text = apply_fields(campaign_file.read_text(encoding="utf-8"), fields)
    with pytest.raises(ConfigError) as caught:
        check_text(campaign_file, text)
    shown = said(caught.value, form_fields(text), "vi", campaign_file.parent)
    assert list(shown.at) == [at] and shown.general == ""
    for word in words:
        assert word in shown.at[at], (word, shown.at[at])
    assert str(campaign_file.parent) not in shown.at[at] and ".toml" not in shown.at[at]


def test_an_outputs_refusal_named_alone_is_said_at_that_outputs_field(campaign_file):
    fields = form_fields(campaign_file.read_text(encoding="utf-8"))
    refused = Refused(
        "--format vp9 is for progressive profiles; 576i50 is interlaced.",
        [Refusal("format", "vp9", "is for progressive profiles", "progressive", {"output": 2})],
    )
    assert [field_for(r, fields).key for r in refused.refusals] == ["output[2].format"]  # type: ignore[union-attr]
    shown = said(refused, fields, "vi", campaign_file.parent)
    assert list(shown.at) == ["output[2].format"] and "Định dạng tệp 2" in shown.at["output[2].format"]
    assert "'vp9'" in shown.at["output[2].format"] and "--" not in shown.at["output[2].format"]  # generic words
    assert worded(refused.refusals[0], None, "en").startswith("format: the value 'vp9' cannot be used")


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"output[2].format": "vp9"}, ["Định dạng tệp 2", "'vp9'", "quét liên tục", "576i50"]),
        ({"output[1].format": "vp9"}, ["Định dạng tệp", "'vp9'", "1080i50 là hình quét xen kẽ"]),
    ],
)
def test_an_output_the_format_refuses_is_said_at_that_outputs_field(campaign_file, fields, words):
    """A format's refusal (the engine's check of every output, as the desk's still makes it) lands at the output
    it is about, in Vietnamese, with no option of the command line in it."""
    text = campaign_file.read_text(encoding="utf-8")
    profiles = text.count('profile = "')
    text = apply_fields(text, fields)
    with pytest.raises(Refused) as caught:
        band_frame(check_text(campaign_file, text))
    assert profiles >= 2 and str(caught.value).startswith("--format "), "the command line still names its option"
    shown = said(caught.value, form_fields(text), "vi", campaign_file.parent)
    (at,) = [k for k in fields if k.endswith(".format")]
    assert list(shown.at) == [at] and shown.general == "", shown
    for word in words:
        assert word in shown.at[at], (word, shown.at[at])
    assert "--" not in shown.at[at] and "ticker " not in shown.at[at]


def test_a_file_that_is_not_toml_is_said_under_the_form_without_its_folder(campaign_file):
    with pytest.raises(ConfigError) as caught:
        check_text(campaign_file, "[campaign\n")
    shown = said(caught.value, [], "vi", campaign_file.parent)
    assert shown.at == {} and shown.general == "Tệp không đúng cú pháp TOML ở dòng 1, cột 10; hãy sửa trên trang TOML."
