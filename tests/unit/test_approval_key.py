"""The key an approval is bound to: what airs, not the file's bytes. A comment, a key moved or an output added
keeps it; a word, a colour, the logo's pixels, the QR address, the window or a slot changes it, and the change
is said in words."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ticker.approval.key import changes, content_key, part_digests
from ticker.campaign.config import load_campaign
from ticker.vietnamese.legacy import from_unicode

BASE = """\
[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15

[[slot]]
at = ["06:30", "19:45"]
seconds = 120

[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI ngày {date}."

[[message]]
text = "Khai báo y tế tại https://ncovi.vnpt.vn"

[style]
band_color = "#0B2E6B"
logo = "logo.png"

[qr]
url = "auto"
hide_url = true
replace_with = "(quét mã QR bên cạnh)"

[[output]]
profile = "576i50"
format = "prores4444"
loop = true
"""


def campaign(folder: Path, text: str, name: str = "c.toml"):
    if not (folder / "logo.png").exists():
        Image.new("RGBA", (32, 32), (200, 0, 0, 255)).save(folder / "logo.png")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return load_campaign(path)


def test_the_files_layout_does_not_change_the_key(tmp_path):
    key = content_key(campaign(tmp_path, BASE))
    style = '[style]\nband_color = "#0B2E6B"\nlogo = "logo.png"\n'
    moved = "# Hậu Giang, công văn 337\n" + BASE.replace(
        style, '[style]\nlogo = "logo.png"  # ours\nband_color = "#0B2E6B"\n'
    )
    assert moved != BASE and content_key(campaign(tmp_path, moved, "moved.toml")) == key
    more = BASE + '\n[[output]]\nprofile = "1080i50"\nformat = "fillkey"\nloop = true\n'
    assert content_key(campaign(tmp_path, more, "more.toml")) == key  # another file of the same crawl


def test_a_message_typed_in_tcvn3_is_the_same_message(tmp_path):
    words = "Đề nghị người dân tải ứng dụng NCOVI ngày {date}."
    legacy = BASE.replace(words, str(from_unicode(words, "tcvn3")))
    assert content_key(campaign(tmp_path, legacy, "legacy.toml")) == content_key(campaign(tmp_path, BASE))


def test_each_change_to_what_airs_changes_the_key_and_is_said(tmp_path):
    before = part_digests(campaign(tmp_path, BASE))
    edits = {
        "message 1 changed": BASE.replace("tải ứng dụng", "cài ứng dụng"),
        "message 3 added": BASE + '\n[[message]]\ntext = "Cảm ơn."\n',
        "the look changed": BASE.replace("#0B2E6B", "#8B0000"),
        "the QR code changed": BASE.replace("hide_url = true", "hide_url = false"),
        "the window changed": BASE.replace("end = 2020-03-15", "end = 2020-03-16"),
        "the airing times changed": BASE.replace('"19:45"', '"20:00"'),
    }
    for said, text in edits.items():
        c = campaign(tmp_path, text, "edited.toml")
        assert changes(before, part_digests(c)) == [said]
        assert content_key(c) != content_key(campaign(tmp_path, BASE))


def test_a_new_logo_under_the_old_name_is_a_new_look(tmp_path):
    first = content_key(campaign(tmp_path, BASE))
    Image.new("RGBA", (32, 32), (0, 200, 0, 255)).save(tmp_path / "logo.png")
    assert content_key(campaign(tmp_path, BASE)) != first
