"""Folders held by descriptor (ticker.files.held), on real folders: a folder swapped for a link after it was opened is
still the one worked in, a link or another user's folder is never held, and removal never goes through a link."""

from __future__ import annotations

import os

import pytest

from ticker.errors import InputError, PublishError
from ticker.files.held import Held, remove, remove_in, shown

from support.campaigns import untouched, victim


def test_a_held_folder_swapped_for_a_link_is_still_the_one_written_and_removed_in(tmp_path):
    target, out = victim(tmp_path), tmp_path / "OUT"
    out.mkdir()
    with Held.open(out) as top, top.sub("2020-03-12", make=True) as day:
        (day.path / "stale.mov").write_bytes(b"old")
        os.rename(out / "2020-03-12", out / "moved-away")
        (out / "2020-03-12").symlink_to(target, target_is_directory=True)
        (day.path / "manifest.json").write_text("{}")
        for name in day.names():
            if name != "manifest.json":
                day.remove(name)
    assert untouched(target)
    assert sorted(p.name for p in (out / "moved-away").iterdir()) == ["manifest.json"]


def test_a_day_folder_that_is_a_link_or_a_file_is_never_held(tmp_path):
    target, out = victim(tmp_path), tmp_path / "OUT"
    out.mkdir()
    (out / "link").symlink_to(target, target_is_directory=True)
    (out / "file").write_text("not a folder")
    with Held.open(out) as top:
        with pytest.raises(InputError, match=rf"^{out / 'link'}: is a link \(to {target}\); .* did nothing\.$"):
            top.sub("link", make=True, what="day folder")
        with pytest.raises(InputError, match=rf"^{out / 'file'}: is a file, where the day folder goes; "):
            top.sub("file", make=True, what="day folder")
    assert untouched(target) and (out / "file").read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a folder of another user's needs root")
def test_a_folder_another_user_owns_is_refused_and_left_as_it_is(tmp_path):
    out = tmp_path / "OUT"
    (out / "2020-03-13").mkdir(parents=True)
    (out / "2020-03-13" / "theirs.txt").write_text("theirs")
    os.chown(out / "2020-03-13", 65534, 65534)
    with Held.open(out) as top, pytest.raises(InputError, match=r"belongs to another user \(uid 65534\)"):
        top.sub("2020-03-13", what="day folder")
    assert (out / "2020-03-13" / "theirs.txt").read_text() == "theirs"


def test_removal_takes_a_link_as_a_link_and_a_folder_with_its_links_as_links(tmp_path):
    target = victim(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "inner-link").symlink_to(target, target_is_directory=True)
    (tmp_path / "link").symlink_to(target, target_is_directory=True)
    remove(tmp_path / "link")
    remove(tmp_path / "a")
    remove(tmp_path / "never-there")
    assert untouched(target) and not os.path.lexists(tmp_path / "link") and not (tmp_path / "a").exists()
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with pytest.raises(FileNotFoundError):
            remove_in(fd, "never-there", missing_ok=False)
    finally:
        os.close(fd)


def test_sentences_name_a_held_folder_as_it_was_asked_for(tmp_path):
    out = tmp_path / "OUT"
    out.mkdir()
    with pytest.raises(PublishError) as raised, Held.open(out) as top, top.sub("day", make=True) as day:
        assert (
            shown(f"{day.path / 'x.mov'}: could not be published.")
            == f"{out / 'day' / 'x.mov'}: could not be published."
        )
        raise PublishError(f"{day.path / 'x.mov'}: could not be published.")
    assert str(raised.value) == f"{out / 'day' / 'x.mov'}: could not be published."
    assert "/proc/" not in shown(str(raised.value))
