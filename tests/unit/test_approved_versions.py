"""The campaign file as it was approved, kept beside it (ticker.approval.versions): written by the approval and
named in its line of the audit trail, read back only as the bytes its name is the hash of, never through a link
and never from a folder that is not ticker's own."""

from __future__ import annotations

import os

from ticker.approval import approve, audit, versions
from ticker.campaign.editing import open_text, save_text

TEXT = """\
[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15

[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."
"""


def test_an_approval_keeps_the_file_it_wrote_and_names_it_in_the_trail(tmp_path):
    path = tmp_path / "ncovi.toml"
    path.write_text(TEXT, encoding="utf-8")
    approve(path, "Lan")
    approved = path.read_bytes()
    (line,) = audit.entries(path)
    assert line["version"] == versions.version_id(approved)
    assert (tmp_path / versions.VERSIONS / f"{line['version']}.toml").read_bytes() == approved
    assert versions.read(tmp_path, line["version"]) == approved
    opened = open_text(path)
    save_text(path, opened.text.replace("NCOVI", "Bluezone"), opened.key)
    assert versions.read(tmp_path, line["version"]) == approved  # an edit leaves it as it was


def test_one_text_is_kept_once_and_a_version_that_is_not_its_bytes_is_not_believed(tmp_path):
    data = TEXT.encode()
    vid = versions.keep(tmp_path, data)
    assert versions.keep(tmp_path, data) == vid and len(os.listdir(tmp_path / versions.VERSIONS)) == 1
    kept = tmp_path / versions.VERSIONS / f"{vid}.toml"
    kept.write_bytes(data.replace(b"NCOVI", b"XXXXX"))  # changed behind ticker's back
    assert versions.read(tmp_path, vid) is None
    assert versions.keep(tmp_path, data) == vid and versions.read(tmp_path, vid) == data  # written again, whole
    for bad in ("../ncovi", vid.upper(), vid[:-1], f"{vid}.toml"):
        assert versions.read(tmp_path, bad) is None


def test_a_version_or_a_versions_folder_that_is_a_link_is_never_read_through(tmp_path):
    data = TEXT.encode()
    vid = versions.version_id(data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / f"{vid}.toml").write_bytes(data)
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / versions.VERSIONS).symlink_to(elsewhere)
    assert versions.read(campaigns, vid) is None
    (campaigns / versions.VERSIONS).unlink()
    (campaigns / versions.VERSIONS).mkdir()
    (campaigns / versions.VERSIONS / f"{vid}.toml").symlink_to(elsewhere / f"{vid}.toml")
    assert versions.read(campaigns, vid) is None
    assert versions.keep(campaigns, data) == vid  # the link is replaced by ticker's own file, never written through
    assert not (campaigns / versions.VERSIONS / f"{vid}.toml").is_symlink() and versions.read(campaigns, vid) == data
    assert (elsewhere / f"{vid}.toml").read_bytes() == data
