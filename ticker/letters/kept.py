"""The letter a draft was made from, kept beside it: in the draft's folder, `.ticker-letters/STEM.KIND` holds the
letter's bytes as they came (KIND: txt, docx or pdf, as read from the bytes) and `.ticker-letters/STEM.json` the
letter as it was read (its name as given, its lines, its notes), so that the lines shown are the very ones the
draft's "line N" cites, whatever a later reader would make of the file. STEM is the draft file's stem.

Both are written whole (write_atomic), mode 0600 (a letter may name people), into a folder held by descriptor
(ticker.files.held: never through a link, only this user's own), and never over a letter kept already unless
asked to (`replace`, for `ticker draft --force` writing over its own draft); they are read back with size limits,
never through a link. A campaign archived or restored takes its letter along (`move_letter`)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ticker.errors import FileProblem, InputError
from ticker.files import Held, read_input, write_atomic
from ticker.letters.formats import TEXT_LIMIT
from ticker.letters.read import LETTER_LIMIT, Letter, LetterKind

LETTERS = ".ticker-letters"
SUFFIXES: dict[LetterKind, str] = {"text": ".txt", "docx": ".docx", "pdf": ".pdf"}
READ_LIMIT = 8 * TEXT_LIMIT  # bytes of a letter as read (JSON): TEXT_LIMIT characters, escaped at worst
MODE = 0o600


@dataclass(frozen=True)
class KeptLetter:
    """A draft's letter as it was read: `lines[N-1]` is what the draft's "line N" cites."""

    name: str  # the file's name as it was given ("cong-van.txt" for a pasted letter)
    kind: LetterKind
    lines: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.kind]

    @property
    def download_name(self) -> str:
        """The name it is downloaded under: its own, with the suffix of what it holds."""
        return Path(self.name).stem + self.suffix


def names(stem: str) -> tuple[str, ...]:
    """Every name a letter kept for the draft `stem` may have in the letters' folder."""
    return (f"{stem}.json", *(stem + s for s in SUFFIXES.values()))


def kept_any(folder: Path, stem: str) -> bool:
    """Whether a letter is kept under `stem` in the drafts' `folder` (a new draft of that stem would find it)."""
    return any(os.path.lexists(folder / LETTERS / n) for n in names(stem))


@contextmanager
def _letters(folder: Path, make: bool = False, then: str = "nothing was made") -> Iterator[Held]:
    with (
        Held.open(folder, "the campaigns' folder") as held,
        held.sub(LETTERS, make=make, what="folder of letters", then=then) as kept,
    ):
        yield kept


def keep_letter(draft: Path, data: bytes, letter: Letter, *, replace: bool = False) -> None:
    """The letter kept beside the draft file `draft` (module docstring); InputError (one sentence) when the
    letters' folder is not one ticker may use, or, unless `replace`, a letter is kept under the draft's stem."""
    facts = {"v": 1, "name": letter.name, "kind": letter.kind, "lines": list(letter.lines), "notes": list(letter.notes)}
    with _letters(draft.parent, make=True) as kept:
        if not replace and (taken := next((n for n in names(draft.stem) if kept.lstat(n) is not None), None)):
            raise InputError(f"{kept.shown / taken}: a letter is kept there already; nothing was made.")
        original = draft.stem + SUFFIXES[letter.kind]
        write_atomic(kept.path / original, data, mode=MODE)
        write_atomic(kept.path / f"{draft.stem}.json", json.dumps(facts, ensure_ascii=False) + "\n", mode=MODE)
        for older in names(draft.stem)[1:]:  # the replaced letter's original, had it been of another kind
            if older != original and kept.lstat(older) is not None:
                kept.remove(older)


def kept_letter(draft: Path) -> KeptLetter | None:
    """The letter kept for the draft file `draft`, as it was read; None when none is. A letter that is not
    ticker's (not JSON of its own, a link, another user's folder) is a FileProblem, never believed."""
    if not os.path.lexists(draft.parent / LETTERS / f"{draft.stem}.json"):
        return None
    with _letters(draft.parent, then="the letter is not read") as kept:
        raw = read_input(kept.path / f"{draft.stem}.json", "kept letter", READ_LIMIT, follow=False)
    try:
        facts = json.loads(raw)
        found = KeptLetter(facts["name"], facts["kind"], tuple(facts["lines"]), tuple(facts["notes"]))
    except (ValueError, KeyError, TypeError):
        raise FileProblem(f"{LETTERS}/{draft.stem}.json", "is not a letter ticker kept") from None
    texts = [found.name, *found.lines, *found.notes]
    if found.kind not in SUFFIXES or not all(isinstance(t, str) for t in texts):
        raise FileProblem(f"{LETTERS}/{draft.stem}.json", "is not a letter ticker kept")
    return found


def letter_bytes(draft: Path, letter: KeptLetter) -> bytes:
    """The bytes of the letter kept for `draft` (kept_letter), as they came; a FileProblem if they are gone."""
    with _letters(draft.parent, then="the letter is not read") as kept:
        return read_input(kept.path / (draft.stem + letter.suffix), "kept letter", LETTER_LIMIT, follow=False)


def move_letter(source: Held, target: Held, stem: str) -> list[str]:
    """The letter kept for the draft `stem` in the folder `source` moved to the folder `target` (its letters'
    folder made if need be), as the campaign it came with was; a name `target` holds already is left where it
    is. The names moved. InputError or OSError when a letters' folder cannot be used."""
    if source.lstat(LETTERS) is None:
        return []
    with source.sub(LETTERS, what="folder of letters", then="the letter was not moved") as there:
        found = [n for n in names(stem) if (st := there.lstat(n)) is not None and stat.S_ISREG(st.st_mode)]
        if not found:
            return []
        with target.sub(LETTERS, make=True, what="folder of letters", then="the letter was not moved") as here:
            moved = [n for n in found if here.lstat(n) is None]
            for n in moved:
                os.rename(n, n, src_dir_fd=there.fd, dst_dir_fd=here.fd)
    return moved
