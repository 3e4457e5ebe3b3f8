"""The letter a draft came from, kept beside it (ticker.letters.kept): its bytes and its lines as read, mode
0600, never over another draft's letter, read back only from ticker's own folder, and moved with its draft."""

from __future__ import annotations

import stat

import pytest

from ticker.errors import InputError
from ticker.files import Held
from ticker.letters.draft import check_target, write_draft
from ticker.letters.kept import LETTERS, kept_letter, letter_bytes, move_letter
from ticker.letters.read import Letter, letter_from_bytes

DATA = "UBND TỈNH HẬU GIANG\nSố: 337/STTT-CNTT\n\nĐề nghị chạy chữ từ ngày 12/3/2020.\n".encode()
LETTER = letter_from_bytes(DATA, "337 STTT.txt")
DRAFT = '[campaign]\nname = "cv-337"\n'


def test_a_draft_written_with_its_letter_keeps_the_bytes_and_the_lines_it_cites(tmp_path):
    path = tmp_path / "cv-337.toml"
    write_draft(path, DRAFT, letter=(DATA, LETTER))
    assert path.read_text(encoding="utf-8") == DRAFT
    kept = kept_letter(path)
    assert kept is not None and kept.name == "337 STTT.txt" and kept.kind == "text"
    assert kept.lines == LETTER.lines and kept.lines[3] == "Đề nghị chạy chữ từ ngày 12/3/2020."  # line 4
    assert letter_bytes(path, kept) == DATA and kept.download_name == "337 STTT.txt"
    for name in ("cv-337.txt", "cv-337.json"):
        assert stat.S_IMODE((tmp_path / LETTERS / name).stat().st_mode) == 0o600
    assert kept_letter(tmp_path / "other.toml") is None


def test_a_letter_kept_under_a_drafts_name_is_never_written_over_unless_forced(tmp_path):
    path = tmp_path / "cv-337.toml"
    write_draft(path, DRAFT, letter=(DATA, LETTER))
    path.unlink()  # the draft removed by hand: its letter stays
    with pytest.raises(InputError, match="a letter is kept for a draft of this name already"):
        check_target(path)
    pdf = Letter("337.pdf", "pdf", ("Số: 337",), "utf-8", ())
    write_draft(path, DRAFT, force=True, letter=(b"%PDF-1.4 ...", pdf))
    kept = kept_letter(path)
    assert kept is not None and kept.kind == "pdf" and letter_bytes(path, kept) == b"%PDF-1.4 ..."
    assert sorted(p.name for p in (tmp_path / LETTERS).iterdir()) == ["cv-337.json", "cv-337.pdf"]


def test_a_letters_folder_that_is_a_link_is_never_written_or_read_through(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / LETTERS).symlink_to(elsewhere)
    with pytest.raises(InputError, match="is a link"):
        write_draft(campaigns / "cv-337.toml", DRAFT, letter=(DATA, LETTER))
    assert list(elsewhere.iterdir()) == [] and not (campaigns / "cv-337.toml").exists()
    (elsewhere / "cv-337.json").write_text('{"name": "x", "kind": "text", "lines": [], "notes": []}')
    with pytest.raises(InputError):
        kept_letter(campaigns / "cv-337.toml")


def test_a_letter_moves_with_its_draft_and_never_over_another(tmp_path):
    (tmp_path / "archive").mkdir()
    write_draft(tmp_path / "cv-337.toml", DRAFT, letter=(DATA, LETTER))
    with Held.open(tmp_path) as folder, folder.sub("archive") as archive:
        (tmp_path / "cv-337.toml").rename(tmp_path / "archive" / "cv-337.toml")  # as the desk archives it
        assert move_letter(folder, archive, "cv-337") == ["cv-337.json", "cv-337.txt"]
        kept = kept_letter(tmp_path / "archive" / "cv-337.toml")
        assert kept is not None and kept.lines == LETTER.lines and kept_letter(tmp_path / "cv-337.toml") is None
        assert move_letter(folder, archive, "cv-337") == []  # nothing left to move
        write_draft(tmp_path / "cv-337.toml", DRAFT, letter=(b"another", letter_from_bytes(b"another", "b.txt")))
        assert move_letter(archive, folder, "cv-337") == []  # the folder's own letter stays; the archive's too
    assert (tmp_path / LETTERS / "cv-337.txt").read_bytes() == b"another"
    assert (tmp_path / "archive" / LETTERS / "cv-337.txt").read_bytes() == DATA
