"""A day folder's manifest.json: the files a nightly run published there, each with its size and SHA-256, the
recipe key it was made for (ticker.jobs), and the airings it serves. Read back by the next run (to keep or link
a file instead of rendering it again) and by the inserter's side.

The digest of a folder of pictures is the digest of its `sha256sum` listing (a line "DIGEST  NAME" per
picture, in name order), so `sha256sum * | sha256sum` in the folder gives it too.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from ticker.publish import write_atomic

MANIFEST = "manifest.json"
# what every entry ticker wrote has, and its type: an entry without them is not ticker's
ENTRY_FIELDS = {"path": str, "sha256": str, "bytes": int, "inputs": str}


@functools.lru_cache(maxsize=4096)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file (remembered while its size and time are the same)."""
    st = path.stat()
    return _digest(str(path), st.st_size, st.st_mtime_ns)


def _pictures(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def tree_size(path: Path) -> int:
    """Bytes of a file, or of the pictures in a folder."""
    return sum(p.stat().st_size for p in _pictures(path)) if path.is_dir() else path.stat().st_size


def tree_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, or of a folder of pictures."""
    if not path.is_dir():
        return file_digest(path), tree_size(path)
    listing = "".join(f"{file_digest(p)}  {p.name}\n" for p in _pictures(path))
    return hashlib.sha256(listing.encode()).hexdigest(), tree_size(path)


def file_entry(path: Path) -> dict[str, Any]:
    """A published file's name, SHA-256 and size, as its manifest entry starts."""
    digest, size = tree_digest(path)
    return {"path": path.name, "sha256": digest, "bytes": size}


def read_manifest(folder: Path) -> dict[str, Any]:
    """A day's manifest as the last run left it; entries that are not ticker's (a path that is not a plain
    name, a missing field) are left out, and an unreadable manifest counts as none."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
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
    return manifest


def intact(folder: Path, entries: list[dict], verify: bool) -> bool:
    """The files are there, as large as when they were made (and with the same checksum, when verifying)."""
    if not entries:
        return False
    for e in entries:
        path = folder / e["path"]
        if not path.exists():
            return False
        digest, size = tree_digest(path) if verify else (None, tree_size(path))
        if size != e["bytes"] or (verify and digest != e["sha256"]):
            return False
    return True


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """OUT/DAY/manifest.json, replaced whole; left as it is when nothing in it but the time would change."""
    old = read_manifest(folder)
    if {**old, "written": None} == {**manifest, "written": None}:
        return
    manifest = {**manifest, "written": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
