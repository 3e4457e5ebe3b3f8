"""Opening, checking and saving a campaign's text from an editor (ticker.campaign.editing)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ticker.campaign.config import load_campaign
from ticker.campaign.editing import Conflict, apply_fields, check_text, file_key, open_text, save_text
from ticker.errors import ConfigError, FileProblem

EXAMPLE = Path(__file__).resolve().parents[2] / "configs" / "hau-giang-ncovi.toml"


@pytest.fixture
def campaign_file(tmp_path: Path) -> Path:
    path = tmp_path / "hau-giang-ncovi.toml"
    shutil.copy(EXAMPLE, path)
    return path


def test_a_round_trip_keeps_every_comment(campaign_file):
    opened = open_text(campaign_file)
    assert opened.key == file_key(campaign_file.read_bytes())
    text = apply_fields(opened.text, {"campaign.title": "Tiêu đề mới", "motion.crossing_seconds": "14"})
    saved = save_text(campaign_file, text, opened.key)
    on_disk = campaign_file.read_text(encoding="utf-8")
    assert saved.key == file_key(campaign_file.read_bytes()) and saved.text == on_disk
    comments = [line[line.index("#") :] for line in opened.text.splitlines() if "#" in line]
    assert comments and all(c in on_disk for c in comments)
    assert load_campaign(campaign_file).title == "Tiêu đề mới"
    assert load_campaign(campaign_file).motion.crossing_seconds == 14
    # nothing changed but what was set
    assert apply_fields(opened.text, {}) == opened.text


def test_a_file_changed_since_it_was_opened_is_a_conflict_with_both_texts(campaign_file):
    opened = open_text(campaign_file)
    theirs = opened.text.replace("crossing_seconds = 12", "crossing_seconds = 13")
    campaign_file.write_text(theirs, encoding="utf-8")
    yours = apply_fields(opened.text, {"campaign.title": "Của tôi"})
    with pytest.raises(Conflict) as caught:
        save_text(campaign_file, yours, opened.key)
    e = caught.value
    assert e.theirs == theirs and e.yours == yours and e.theirs_key == file_key(theirs.encode())
    assert str(e) == f"{campaign_file}: someone else changed this file since it was opened; nothing was saved."
    assert campaign_file.read_text(encoding="utf-8") == theirs
    save_text(campaign_file, yours, e.theirs_key)  # saved again over what is there now
    assert load_campaign(campaign_file).title == "Của tôi"


def test_an_existing_file_saved_without_a_key_is_a_conflict_and_a_new_one_is_made(campaign_file, tmp_path):
    text = campaign_file.read_text(encoding="utf-8")
    with pytest.raises(Conflict):
        save_text(campaign_file, text, None)
    new = tmp_path / "new.toml"
    text = text.replace('name = "haugiang-ncovi"', 'name = "new"')  # two files of one name: refused (below)
    with pytest.raises(Conflict):  # it was opened, and is gone
        save_text(new, text, "sha256:00")
    assert not new.exists()
    assert save_text(new, text, None).key == file_key(new.read_bytes())


def test_invalid_text_names_the_key_and_leaves_the_file_as_it_was(campaign_file):
    before = campaign_file.read_bytes()
    opened = open_text(campaign_file)
    bad = apply_fields(opened.text, {"motion.crossing_seconds": "200"})
    with pytest.raises(ConfigError) as caught:
        save_text(campaign_file, bad, opened.key)
    assert str(caught.value).startswith(f"{campaign_file}: motion.crossing_seconds must be between 2 and 120")
    assert campaign_file.read_bytes() == before
    with pytest.raises(ConfigError, match="not valid TOML"):
        save_text(campaign_file, opened.text + "\n[campaign\n", opened.key)
    assert campaign_file.read_bytes() == before


def test_a_link_is_refused_and_its_target_left_alone(campaign_file, tmp_path):
    link = tmp_path / "link.toml"
    link.symlink_to(campaign_file)
    before = campaign_file.read_bytes()
    with pytest.raises(FileProblem, match="is a link"):
        open_text(link)
    text = campaign_file.read_text(encoding="utf-8")
    with pytest.raises(FileProblem, match="is a link"):
        save_text(link, text.replace("Hậu Giang —", "Sửa —"), file_key(before))
    assert campaign_file.read_bytes() == before and link.is_symlink()


def test_check_text_says_what_ticker_check_says(campaign_file):
    text = campaign_file.read_text(encoding="utf-8")
    assert check_text(campaign_file, text) == load_campaign(campaign_file)
    with pytest.raises(FileProblem, match="more than a campaign file may be"):
        check_text(campaign_file, text + "#" * 1_000_001)
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        check_text(campaign_file, text + "\ud800")


@pytest.mark.parametrize(
    "fields, key",
    [
        ({"message[1].text": " "}, "message[1].text"),
        ({"message[2].encoding": "auto"}, "message[2].text"),
        ({"motion.crossing_seconds": "nhanh"}, "motion.crossing_seconds"),
        ({"campaign.end": "2020-03-01"}, "campaign.end"),
        ({"campaign.start": "12/3/2020"}, "campaign.start"),
        ({"output[1].format": "mp5"}, "output[1].format"),
        ({"qr.url": "ftp://example.com"}, "qr.url"),
        ({"style.label": 3}, "style.label"),
        ({"slot[1].at": ["25:00"]}, "slot[1].at"),
        ({"campaign.titel": "x"}, "campaign.titel"),
        ({"slot[2].at": ["06:31"], "slot[2].seconds": 60}, "slot[2]"),
        ({"messages": []}, "message"),
    ],
)
def test_a_refusal_names_the_key_of_the_file(campaign_file, fields, key):
    text = apply_fields(campaign_file.read_text(encoding="utf-8"), fields)
    with pytest.raises(ConfigError) as caught:
        check_text(campaign_file, text)
    assert [r.key for r in caught.value.refusals] == [key]
    assert caught.value.file == str(campaign_file) and str(caught.value).startswith(f"{campaign_file}: ")


def test_a_file_that_is_not_toml_or_not_utf8_names_no_key(campaign_file):
    with pytest.raises(ConfigError) as caught:
        check_text(campaign_file, "[campaign\nname = 1\n")
    assert "not valid TOML" in str(caught.value)
    assert [(r.key, r.why, r.facts) for r in caught.value.refusals] == [("", "toml", {"line": 1, "column": 10})]
    campaign_file.write_bytes(b"[campaign]\nname = '\xff'\n")
    with pytest.raises(ConfigError) as caught:
        open_text(campaign_file)
    assert "is not UTF-8 text" in str(caught.value) and caught.value.refusals == ()


def test_fields_applied_give_the_campaign_with_the_new_values(campaign_file):
    text = apply_fields(
        campaign_file.read_text(encoding="utf-8"),
        {
            "campaign.title": "Chiến dịch",
            "campaign.start": "2020-03-13",
            "campaign.end": "2020-03-20",
            "message[1].text": "Đề nghị người dân tải ứng dụng NCOVI.",
            "message[2].text": "Tin thứ hai,\ntrên hai dòng.",
            "motion.crossing_seconds": 15,
            "qr.url": "https://ncovi.vn",
            "style.label": "",
            "slot[1].at": ["07:00", "19:30"],
            "slot[1].seconds": "90",
            "output[2].profile": "1080p25",
            "output[2].loop": "false",
            "output[2].seconds": "20",
        },
    )
    c = check_text(campaign_file, text)
    assert (c.title, c.start, c.end) == ("Chiến dịch", dt.date(2020, 3, 13), dt.date(2020, 3, 20))
    assert [m.text for m in c.messages] == ["Đề nghị người dân tải ứng dụng NCOVI.", "Tin thứ hai,\ntrên hai dòng."]
    assert c.motion.crossing_seconds == 15 and c.qr is not None and c.qr.url == "https://ncovi.vn"
    assert c.style.label == ""  # removed: the style's own default
    assert c.slots[0].times == (dt.time(7), dt.time(19, 30)) and c.slots[0].seconds == 90
    assert c.outputs[1].profile.id == "1080p25" and not c.outputs[1].loop and c.outputs[1].seconds == 20
    assert "# a point of the text crosses the picture" in text
    assert check_text(campaign_file, apply_fields(text, {"qr.url": ""})).qr is None
