"""A day folder's manifest.json: the files a nightly run published there, each with its size and SHA-256, the
recipe key it was made for (ticker.night.jobs), and the airings it serves. Read back by the next run (to keep or link
a file instead of rendering it again) and by the inserter's side.

The digest of a folder of pictures is the digest of its `sha256sum` listing (a line "DIGEST  NAME" per
picture, in name order), so `sha256sum * | sha256sum` in the folder gives it too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal, NotRequired, TypedDict, cast

from ticker.files.memo import Memo, file_key
from ticker.files.publish import open_regular, write_atomic

MANIFEST = "manifest.json"
MANIFEST_LIMIT = 64 << 20  # bytes: far more than a day of clips lists; a larger one is not ticker's
# what every entry ticker wrote has, and its type: an entry without them is not ticker's
ENTRY_FIELDS = {"path": str, "sha256": str, "bytes": int, "inputs": str}


class FileEntry(TypedDict):
    """A published file (or folder of pictures): its name, SHA-256 and size, as its manifest entry starts."""

    path: str
    sha256: str
    bytes: int


class Entry(FileEntry):
    """A manifest's entry for one file. Only ENTRY_FIELDS are sure to be there in a manifest read back (the
    rest may be missing from one ticker did not write)."""

    inputs: str  # the recipe key it was made for (ticker.night.jobs)
    campaign: NotRequired[str]
    profile: NotRequired[str]
    format: NotRequired[str]
    frames: NotRequired[int]
    duration: NotRequired[float]
    loop: NotRequired[bool]
    slot: NotRequired[list[str]]  # the local times of the airings it serves; [] for the whole day
    channels: NotRequired[list[str]]  # [] for every channel
    key: NotRequired[str]  # a fill's key file
    fill: NotRequired[str | None]  # a fill's kind: premultiplied or straight
    key_of: NotRequired[str]  # a key's fill file


class Airing(TypedDict):
    """An airing of the day and the files that serve it."""

    campaign: str
    start: str  # ISO 8601, with its offset
    seconds: float | None
    passes: int | None
    channels: list[str]
    files: list[str]


class Failed(TypedDict):
    campaign: str
    file: str
    error: str


class LeftOut(TypedDict):
    """A campaign active on the day that may not air (a draft, or not approved), and why."""

    campaign: str
    file: str
    reason: str
    why: NotRequired[Literal["draft", "not approved", "voided"]]


class Manifest(TypedDict):
    """A day's manifest.json. Read back, only `files` is sure to be there (read_manifest checks each entry)."""

    files: list[Entry]
    ticker: NotRequired[str]
    date: NotRequired[str]
    complete: NotRequired[bool]
    airings: NotRequired[list[Airing]]
    failed: NotRequired[list[Failed]]
    errors: NotRequired[list[str]]
    unapproved: NotRequired[list[LeftOut]]
    written: NotRequired[str]


# files' digests for a caller that owns no memo of its own; a run (ticker.engine Caches) passes its own
DIGESTS: Memo[str] = Memo(4096)


def _digest(path: Path, follow: bool) -> str:
    with open(path, "rb") if follow else open_regular(path) as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def file_digest(path: Path, follow: bool = True, digests: Memo[str] | None = None) -> str:
    """SHA-256 of a file (kept in `digests` while it is the same file: ticker.files.memo); in the output tree
    (`follow` False) only of a regular file, never through a link."""
    st = path.stat() if follow else path.lstat()
    if not follow and not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    key = file_key(path, follow)
    if key is None:  # gone since: opening it says why
        return _digest(path, follow)
    return (DIGESTS if digests is None else digests).get((key, follow), lambda: _digest(path, follow))


def _pictures(folder: Path) -> list[Path]:
    """A folder of pictures' files; anything else in it (a link, a folder) makes it not ticker's."""
    found = sorted(folder.iterdir())
    if any(not stat.S_ISREG(p.lstat().st_mode) for p in found):
        raise OSError(errno.EINVAL, "holds something that is not a regular file", str(folder))
    return found


def _is_dir(path: Path) -> bool:
    return stat.S_ISDIR(path.lstat().st_mode)


def tree_size(path: Path) -> int:
    """Bytes of a file, or of the pictures in a folder (never through a link: a link is an OSError)."""
    if _is_dir(path):
        return sum(p.lstat().st_size for p in _pictures(path))
    st = path.lstat()
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return st.st_size


def tree_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, or of a folder of pictures (regular files only, never through a link)."""
    if not _is_dir(path):
        return file_digest(path, follow=False), tree_size(path)
    listing = "".join(f"{file_digest(p, follow=False)}  {p.name}\n" for p in _pictures(path))
    return hashlib.sha256(listing.encode()).hexdigest(), tree_size(path)


def file_entry(path: Path) -> FileEntry:
    """A published file's name, SHA-256 and size, as its manifest entry starts."""
    digest, size = tree_digest(path)
    return {"path": path.name, "sha256": digest, "bytes": size}


def read_manifest(folder: Path) -> Manifest:
    """A day's manifest as the last run left it; entries that are not ticker's (a path that is not a plain
    name, a missing field) are left out, and an unreadable manifest counts as none, as does one this user did
    not write (whoever else can write to the share could have put it there)."""
    try:
        with open_regular(folder / MANIFEST) as f:
            st = os.fstat(f.fileno())
            mine = st.st_uid == os.geteuid() and st.st_size <= MANIFEST_LIMIT
            manifest = json.loads(f.read(MANIFEST_LIMIT + 1)) if mine else {}
    except (OSError, ValueError, RecursionError):
        manifest = {}
    if not isinstance(manifest, dict):
        manifest = {}
    files = manifest.get("files")
    if not isinstance(files, list):
        files = []
    manifest["files"] = [
        e
        for e in files
        if isinstance(e, dict)
        and all(isinstance(e.get(k), t) for k, t in ENTRY_FIELDS.items())
        and e["path"] == Path(e["path"]).name
        and not e["path"].startswith(".")
    ]
    return cast(Manifest, manifest)


def intact(folder: Path, entries: list[Entry], verify: bool) -> bool:
    """The files are there, regular files (not links), as large as when they were made (and with the same
    checksum, when verifying)."""
    if not entries:
        return False
    for e in entries:
        path = folder / e["path"]
        try:
            digest, size = tree_digest(path) if verify else (None, tree_size(path))
        except OSError:  # not there, or a link or something else ticker did not make
            return False
        if size != e["bytes"] or (verify and digest != e["sha256"]):
            return False
    return True


def same_as(entry: Entry) -> Callable[[Path], bool]:
    """Whether a file (or folder of pictures) is the one a manifest entry describes (its size and SHA-256), and
    ticker's own (made by this user)."""

    def check(path: Path) -> bool:
        try:
            mine = path.lstat().st_uid == os.geteuid()  # a file someone else put there is not ticker's
        except OSError:
            return False
        return mine and intact(path.parent, [{**entry, "path": path.name}], verify=True)

    return check


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """OUT/DAY/manifest.json, replaced whole; left as it is when nothing in it but the time would change."""
    if _untimed(read_manifest(folder)) == _untimed(manifest):
        return
    manifest = {**manifest, "written": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def _untimed(manifest: Mapping[str, object]) -> dict[str, object]:
    return {**manifest, "written": None}


def foreign(folder: Path, name: str, days: list[Path]) -> str | None:
    """Why the file (or folder of pictures) `name` that a day's manifest lists is not one ticker published in
    the day folder, or None. Ticker's are regular files of this user's, each with one name, or with more only
    where the others are the same file under the same name in other day folders (`days`: a clip linked from
    another day). A hard link to a file elsewhere (which whoever can write to the share could make) is not."""
    path = folder / name
    try:
        st = path.lstat()
        pictures = [] if stat.S_ISREG(st.st_mode) else [(p, p.lstat()) for p in _pictures(path)]
    except OSError:
        return "is missing, or not a regular file"
    if st.st_uid != os.geteuid() or any(s.st_uid != os.geteuid() for _, s in pictures):
        return "belongs to another user"
    for p, s in pictures or [(path, st)]:
        if s.st_nlink > 1 and _twins(p.relative_to(folder), s, days) < s.st_nlink - 1:
            return "has another name outside the day folders (a hard link ticker did not make)"
    return None


def _twins(relative: Path, st: os.stat_result, days: list[Path]) -> int:
    """How many of the other day folders hold this very file under the same name."""
    found = 0
    for day in days:
        with contextlib.suppress(OSError):
            other = (day / relative).lstat()
            found += (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)
    return found
