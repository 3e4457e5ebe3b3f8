"""The publication rules of ticker.files.publish, on real files in a temporary folder: temporaries no watch folder picks
up, one rename to the final name, a pair's key before its fill, cleanup of what could not be published, hard links
for another day's copy, and every OSError as one sentence."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

import ticker.files.publish
from ticker.errors import InputError, PublishError
from ticker.files.publish import (
    Workspace,
    discard,
    leftovers,
    link_or_copy,
    make_room,
    publish,
    publish_all,
    publish_copy,
    segment,
    segment_list,
    stem_of,
    sweep,
    write_atomic,
)
from ticker.media.formats import key_path


def one_sentence(message: str) -> bool:
    return "\n" not in message and message.endswith(".") and message.count(". ") == 0


def pictures_in(temp: Path, count: int, content: bytes = b"png") -> list[str]:
    """A folder of pictures as the encoder writes it: each named after the temporary's stem."""
    temp.mkdir()
    names = [f"{stem_of(temp)}_{n:06d}.png" for n in range(count)]
    for name in names:
        (temp / name).write_bytes(content)
    return names


def test_a_workspace_is_hidden_private_unguessable_and_its_temporaries_keep_the_final_name(tmp_path):
    names = set()
    for name in ("clip_1080i50_prores4444_loop.mov", "clip_576i50_png_20s", "manifest.json", "a" * 250):
        with Workspace(tmp_path / name) as work:
            assert work.path.parent == tmp_path and work.path.is_dir() and not work.path.is_symlink()
            assert work.path.name.startswith(".") and work.path.name.endswith(".partial")
            assert work.path.name.startswith(f".{name[:40]}.") and len(work.path.name) < 70
            assert work.path.stat().st_mode & 0o777 == 0o700  # nobody else can plant anything inside
            assert work.temp(tmp_path / name) == work.path / name
            names.add(work.path.name.split(".")[-2])
        assert not work.path.exists()
    assert len(names) == 4  # a random part each time: nothing to plant a link under in advance


def test_the_runs_of_a_parallel_encode_and_their_list_are_temporaries_too(tmp_path):
    with Workspace(tmp_path / "clip.mov") as work:
        temp = work.temp(tmp_path / "clip.mov")
        for k in (0, 1, 12):
            run = segment(temp, k)
            assert run.name == f"{temp.name}.seg{k}" and run.parent == work.path and run.suffix != ".mov"
        assert segment_list(temp).parent == work.path and segment_list(temp).suffix != ".mov"
        assert stem_of(temp) == "clip.mov"


def test_a_workspace_that_a_living_run_holds_is_not_a_leftover_and_one_no_run_holds_is(tmp_path):
    held = Workspace(tmp_path / "a.mov")
    held.temp(tmp_path / "a.mov").write_bytes(b"being written")
    dead = tmp_path / ".b.mov.x1y2z3.partial"  # a killed run's: nobody holds its flock
    dead.mkdir()
    (dead / "b.mov").write_bytes(b"torn")
    os.utime(dead, (0, 0))
    assert leftovers(tmp_path) == [dead]
    assert sweep(tmp_path) == [dead.name] and held.path.is_dir()
    held.close()
    assert leftovers(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_a_workspace_swept_away_before_its_maker_locked_it_is_made_again(tmp_path, monkeypatch):
    made, real = [], ticker.files.publish.fcntl.flock

    def late(fd: int, how: int) -> None:  # another run's sweep gets in between the making and the locking
        if not made:
            made.append(os.readlink(f"/proc/self/fd/{fd}"))
            sweep(tmp_path)
        real(fd, how)

    monkeypatch.setattr(ticker.files.publish.fcntl, "flock", late)
    with Workspace(tmp_path / "a.mov") as work:
        assert work.path.is_dir() and str(work.path) != made[0] and not Path(made[0]).exists()


def test_a_workspace_swept_away_before_its_maker_opened_it_is_made_again(tmp_path, monkeypatch):
    made, real = [], ticker.files.publish.tempfile.mkdtemp

    def early(**kwargs: str) -> str:  # another run's sweep gets in between the making and the opening
        path = real(**kwargs)
        if not made:
            made.append(path)
            sweep(tmp_path)
        return path

    monkeypatch.setattr(ticker.files.publish.tempfile, "mkdtemp", early)
    with Workspace(tmp_path / "a.mov") as work:
        assert work.path.is_dir() and str(work.path) != made[0] and not Path(made[0]).exists()


def test_publishing_a_file_replaces_the_final_name_in_one_rename_and_leaves_no_temporary(tmp_path):
    final = tmp_path / "clip.mov"
    final.write_bytes(b"yesterday")
    with Workspace(final) as work:
        temp = work.temp(final)
        temp.write_bytes(b"today")
        inode = temp.stat().st_ino
        publish(temp, final)
    assert final.read_bytes() == b"today"
    assert final.stat().st_ino == inode  # renamed, not copied
    assert not temp.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["clip.mov"]


def test_publishing_over_a_planted_link_replaces_the_link_and_leaves_its_target(tmp_path):
    target = tmp_path / "precious.conf"
    target.write_bytes(b"keep me")
    final = tmp_path / "out" / "clip.mov"
    final.parent.mkdir()
    final.symlink_to(target)
    make_room(final.parent, [final], sequence=False)
    with Workspace(final) as work:
        work.temp(final).write_bytes(b"clip")
        publish(work.temp(final), final)
    assert not final.is_symlink() and final.read_bytes() == b"clip" and target.read_bytes() == b"keep me"


def test_publishing_a_missing_temporary_is_one_sentence_naming_the_final_file(tmp_path):
    final = tmp_path / "clip.mov"
    with pytest.raises(PublishError) as e, Workspace(final) as work:
        publish(work.temp(final), final)
    assert str(final) in str(e.value) and one_sentence(str(e.value))
    assert not final.exists()


def test_publishing_a_folder_renames_its_pictures_to_the_final_stem(tmp_path):
    final = tmp_path / "clip_576i50_png_20s"
    temp = tmp_path / ".clip_576i50_png_20s.1.partial"  # an older ticker's temporary: its pictures renamed
    pictures_in(temp, 3)
    publish(temp, final)
    assert sorted(p.name for p in final.iterdir()) == [f"{final.name}_{n:06d}.png" for n in range(3)]
    assert not temp.exists() and leftovers(tmp_path) == []


def test_publishing_a_folder_replaces_an_old_folder_and_leaves_no_old_one_aside(tmp_path):
    final = tmp_path / "clip_576i50_png_20s"
    final.mkdir()
    for n in range(5):  # yesterday's was longer: none of its pictures may survive
        (final / f"{final.name}_{n:06d}.png").write_bytes(b"old")
    with Workspace(final) as work:
        temp = work.temp(final)
        pictures_in(temp, 2, b"new")
        publish(temp, final)
    assert sorted(p.name for p in final.iterdir()) == [f"{final.name}_{n:06d}.png" for n in range(2)]
    assert all(p.read_bytes() == b"new" for p in final.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == [final.name]  # no .old, no .partial


def test_files_that_go_together_are_published_last_first_so_a_key_comes_before_its_fill(tmp_path, monkeypatch):
    fill = tmp_path / "clip_1080i50_prores4444pair_loop.mov"
    finals = [fill, key_path(fill)]
    work = Workspace(fill)
    temps = [work.temp(f) for f in finals]
    for t in temps:
        t.write_bytes(t.name.encode())
    seen: list[tuple[str, list[str]]] = []
    real = ticker.files.publish.publish

    def recording(temp: Path, final: Path) -> None:
        real(temp, final)
        seen.append((final.name, sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))))

    monkeypatch.setattr(ticker.files.publish, "publish", recording)
    publish_all(temps, finals)
    key = key_path(fill).name
    assert seen == [(key, [key]), (fill.name, sorted([fill.name, key]))]  # the fill's name appears last
    assert fill.read_bytes() == temps[0].name.encode() and key_path(fill).read_bytes() == temps[1].name.encode()
    work.close()
    assert leftovers(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == sorted([fill.name, key])


def test_discarding_removes_a_file_and_the_runs_of_its_parallel_encode(tmp_path):
    temp = tmp_path / ".clip.mov.1.partial"
    temp.write_bytes(b"x")
    for k in range(3):
        segment(temp, k).write_bytes(b"run")
    segment_list(temp).write_text("file 'a'\n")
    keep = tmp_path / "clip.mov"
    keep.write_bytes(b"published")
    discard(temp)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mov"]
    assert keep.read_bytes() == b"published"


def test_discarding_removes_a_folder_of_pictures_and_its_runs_of_pictures(tmp_path):
    temp = tmp_path / ".clip_png.1.partial"
    pictures_in(temp, 3)
    pictures_in(segment(temp, 0), 2)
    (tmp_path / "clip_png").mkdir()  # the published one, a different name
    discard(temp)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip_png"]


def test_discarding_what_is_not_there_does_nothing(tmp_path):
    (tmp_path / "other.mov").write_bytes(b"x")
    discard(tmp_path / ".gone.1.partial")
    assert [p.name for p in tmp_path.iterdir()] == ["other.mov"]


def test_discarding_a_symlink_removes_the_link_and_leaves_its_target(tmp_path):
    target_file = tmp_path / "target.mov"
    target_file.write_bytes(b"kept")
    target_dir = tmp_path / "target_png"
    target_dir.mkdir()
    (target_dir / "target_png_000000.png").write_bytes(b"kept")
    to_file, to_dir, dangling = tmp_path / "to_file", tmp_path / "to_dir", tmp_path / "dangling"
    to_file.symlink_to(target_file)
    to_dir.symlink_to(target_dir, target_is_directory=True)
    dangling.symlink_to(tmp_path / "nowhere")
    for link in (to_file, to_dir, dangling):
        discard(link)
        assert not link.is_symlink() and not link.exists()
    assert target_file.read_bytes() == b"kept"
    assert (target_dir / "target_png_000000.png").read_bytes() == b"kept"


def test_leftovers_are_the_temporaries_of_a_killed_run_and_never_a_final_name(tmp_path):
    found = [".x.123.partial", ".x.123.partial.seg0", ".x.123.partial.seglist", ".x.123.old", ".y_png.9.partial"]
    final = ["x", "x.mov", "x_A.mov", "notes.partial", "y_png", "manifest.json", ".hidden"]
    for name in found + final:
        if name.endswith("_png") or name == ".y_png.9.partial":
            (tmp_path / name).mkdir()
            os.utime(tmp_path / name, (0, 0))
        else:
            (tmp_path / name).write_bytes(b"")
    assert [p.name for p in leftovers(tmp_path)] == sorted(found)


def test_make_room_creates_the_output_folder(tmp_path):
    out = tmp_path / "a" / "b"
    make_room(out, [out / "clip.mov"], sequence=False)
    assert out.is_dir() and list(out.iterdir()) == []


def test_make_room_refuses_a_folder_where_a_file_goes_in_one_sentence_naming_the_folder(tmp_path):
    (tmp_path / "clip.mov").mkdir()
    with pytest.raises(InputError) as e:
        make_room(tmp_path, [tmp_path / "clip.mov"], sequence=False)
    message = str(e.value)
    assert str(tmp_path) in message and "clip.mov" in message and one_sentence(message)
    assert (tmp_path / "clip.mov").is_dir()  # nothing removed


def test_make_room_refuses_a_file_where_a_folder_of_pictures_goes(tmp_path):
    (tmp_path / "clip_png").write_bytes(b"x")
    with pytest.raises(InputError) as e:
        make_room(tmp_path, [tmp_path / "clip_png"], sequence=True)
    assert str(tmp_path) in str(e.value) and one_sentence(str(e.value))
    assert (tmp_path / "clip_png").read_bytes() == b"x"


def test_make_room_lets_an_old_output_of_the_same_kind_be_replaced(tmp_path):
    (tmp_path / "clip.mov").write_bytes(b"x")
    (tmp_path / "clip_png").mkdir()
    make_room(tmp_path, [tmp_path / "clip.mov"], sequence=False)
    make_room(tmp_path, [tmp_path / "clip_png"], sequence=True)


def test_make_room_says_in_one_sentence_when_the_output_folder_cannot_be_made(tmp_path):
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(InputError) as e:
        make_room(tmp_path / "file" / "out", [tmp_path / "file" / "out" / "clip.mov"], sequence=False)
    assert str(tmp_path / "file" / "out") in str(e.value) and one_sentence(str(e.value))


def test_write_atomic_writes_text_as_utf8_and_bytes_as_they_are_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "manifest.json"
    write_atomic(path, "Thông báo\n")
    assert path.read_bytes() == "Thông báo\n".encode()
    write_atomic(path, b"\x00\xff")
    assert path.read_bytes() == b"\x00\xff"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_write_atomic_with_a_mode_sets_it_whatever_the_umask_and_replaces_a_wider_file(tmp_path):
    path = tmp_path / "users.toml"
    path.write_text("old")
    path.chmod(0o644)
    old = os.umask(0)
    try:
        write_atomic(path, "secret", mode=0o600)
    finally:
        os.umask(old)
    assert path.read_text() == "secret" and stat.S_IMODE(path.stat().st_mode) == 0o600
    write_atomic(path, "plain")  # without a mode: the umask's, as before
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~old


def test_write_atomic_over_a_folder_is_one_sentence_and_leaves_nothing(tmp_path):
    path = tmp_path / "manifest.json"
    path.mkdir()
    (path / "inside").write_bytes(b"x")
    with pytest.raises(PublishError) as e:
        write_atomic(path, "{}")
    assert str(path) in str(e.value) and one_sentence(str(e.value))
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"] and path.is_dir()
    assert (path / "inside").read_bytes() == b"x"


def test_write_atomic_into_a_read_only_folder_is_one_sentence_and_leaves_nothing(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: a read-only folder can still be written")
        with pytest.raises(PublishError) as e:
            write_atomic(folder / "manifest.json", "{}")
        assert str(folder / "manifest.json") in str(e.value) and one_sentence(str(e.value))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_write_atomic_under_a_regular_file_is_one_sentence_and_leaves_nothing(tmp_path):
    parent = tmp_path / "not-a-folder"
    parent.write_bytes(b"x")
    with pytest.raises(PublishError) as e:
        write_atomic(parent / "manifest.json", "{}")
    assert str(parent / "manifest.json") in str(e.value) and one_sentence(str(e.value))
    assert parent.read_bytes() == b"x" and [p.name for p in tmp_path.iterdir()] == [parent.name]


def test_another_days_file_is_published_as_a_hard_link(tmp_path):
    source = tmp_path / "day1" / "clip.mov"
    source.parent.mkdir()
    source.write_bytes(b"clip")
    final = tmp_path / "day2" / "clip.mov"
    final.parent.mkdir()
    assert publish_copy(source, final, lambda p: True)
    assert final.read_bytes() == b"clip"
    assert final.stat().st_ino == source.stat().st_ino and source.stat().st_nlink == 2
    assert [p.name for p in final.parent.iterdir()] == ["clip.mov"]


def test_another_days_folder_of_pictures_is_published_with_every_picture_hard_linked(tmp_path):
    source = tmp_path / "day1" / "clip_png"
    source.mkdir(parents=True)
    names = [f"clip_png_{n:06d}.png" for n in range(3)]
    for name in names:
        (source / name).write_bytes(name.encode())
    final = tmp_path / "day2" / "clip_png"
    final.parent.mkdir()
    assert publish_copy(source, final, lambda p: True)
    assert sorted(p.name for p in final.iterdir()) == names
    for name in names:
        assert (final / name).stat().st_ino == (source / name).stat().st_ino
    assert [p.name for p in final.parent.iterdir()] == ["clip_png"]


def test_a_copy_that_cannot_be_made_is_one_sentence_and_leaves_no_temporary(tmp_path):
    final = tmp_path / "day2" / "clip.mov"
    final.parent.mkdir()
    with pytest.raises(PublishError) as e:
        publish_copy(tmp_path / "day1" / "missing.mov", final, lambda p: True)
    assert str(final) in str(e.value) and one_sentence(str(e.value))
    assert list(final.parent.iterdir()) == []


def test_another_days_file_that_is_not_the_one_described_is_not_published(tmp_path):
    source = tmp_path / "day1" / "clip.mov"
    source.parent.mkdir()
    source.write_bytes(b"forged")
    final = tmp_path / "day2" / "clip.mov"
    final.parent.mkdir()
    seen = []
    assert not publish_copy(source, final, lambda p: seen.append(p.parent) or False)
    assert seen[0].parent == final.parent and seen[0].name.endswith(".partial")  # checked where it was linked to
    assert list(final.parent.iterdir()) == [] and source.read_bytes() == b"forged"


def test_a_link_is_hard_linked_as_a_link_never_as_what_it_points_to(tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"root:*:")
    link = tmp_path / "clip.mov"
    link.symlink_to(secret)
    link_or_copy(link, tmp_path / "linked.mov")
    assert (tmp_path / "linked.mov").is_symlink() and secret.stat().st_nlink == 1


def test_where_hard_links_fail_the_file_is_copied(tmp_path, monkeypatch):
    source = tmp_path / "a.mov"
    source.write_bytes(b"clip")
    os.utime(source, (1_000_000_000, 1_000_000_000))

    def no_links(*_, **__):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(ticker.files.publish.os, "link", no_links)
    target = tmp_path / "b.mov"
    link_or_copy(source, target)
    assert target.read_bytes() == b"clip"
    assert target.stat().st_ino != source.stat().st_ino and source.stat().st_nlink == 1
    assert target.stat().st_mtime == source.stat().st_mtime  # a copy keeps its time, as a link would


def test_where_hard_links_work_link_or_copy_links(tmp_path):
    source = tmp_path / "a.mov"
    source.write_bytes(b"clip")
    link_or_copy(source, tmp_path / "b.mov")
    assert (tmp_path / "b.mov").stat().st_ino == source.stat().st_ino


def test_a_file_being_written_whole_survives_another_runs_sweep(tmp_path, monkeypatch):
    """A farm worker's render sweeps the day folder while the run writes the manifest there."""
    real = os.fsync

    def swept_meanwhile(fd: int) -> None:
        assert sweep(tmp_path) == []  # its workspace is held: not a leftover
        real(fd)

    monkeypatch.setattr(ticker.files.publish.os, "fsync", swept_meanwhile)
    write_atomic(tmp_path / "manifest.json", "{}")
    assert (tmp_path / "manifest.json").read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
