"""What a desk with users keeps across its restarts, beside its users file: the key that signs its cookies
(`USERS.key`) and its live sessions (`USERS.sessions`), each mode 0600, so that a restart logs nobody out and
breaks no open page, while a session ended at logout stays ended.

Both are the desk's own files, and trusted only as such: read only when they are regular files of this user's
that nobody else can read, never through a link, and with a size limit. The sessions file holds a hash of each
session's id, never the id itself (what the cookie carries), with its user's name, the stamp of their password
and when they logged in; it is written whole at each login and logout (write_atomic). A sessions file that
cannot be read is said once in the desk's log and the desk starts without sessions (everyone logs in again); a
key file that cannot be trusted stops the desk from starting (one sentence)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from ticker.errors import InputError
from ticker.files import read_input, write_atomic

log = logging.getLogger("ticker.desk")

KEY_LIMIT = 1024  # bytes of a key file
SESSIONS_LIMIT = 8 * 1024 * 1024  # bytes of a sessions file: tens of thousands of sessions
KEY_CHARACTERS = 43  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Kept:
    """A live session as the sessions file keeps it."""

    id: str  # sha256 of the session's id, hex
    name: str
    stamp: str
    began: float  # seconds since the epoch


def key_path(users_file: Path) -> Path:
    return users_file.with_name(users_file.name + ".key")


def sessions_path(users_file: Path) -> Path:
    return users_file.with_name(users_file.name + ".sessions")


def hashed(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def signing_key(users_file: Path) -> str:
    """The key that signs the desk's cookies: read from USERS.key, or made there the first time (mode 0600).
    InputError (one sentence) when the file is not one the desk can trust."""
    path = key_path(users_file)
    if not os.path.lexists(path):
        write_atomic(path, secrets.token_urlsafe(32) + "\n", mode=0o600)
    _own(path, "the desk's key file")
    key = read_input(path, "the desk's key file", KEY_LIMIT, follow=False).decode("ascii", "replace").strip()
    if len(key) < KEY_CHARACTERS or not key.isprintable():
        raise InputError(f"{path}: is not a key this desk made; remove it, and the desk makes another.")
    return key


def _own(path: Path, what: str) -> None:
    """The file is a regular file of this user's that nobody else can read or write; InputError if not."""
    try:
        st = os.lstat(path)
    except OSError as e:
        raise InputError(f"{path}: {what} cannot be read ({e.strerror or e}).") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: {what} is not a regular file (a link?); the desk trusts only its own.")
    if st.st_uid != os.geteuid() or st.st_mode & 0o077:
        raise InputError(
            f"{path}: {what} belongs to another user or others may read it (mode {stat.S_IMODE(st.st_mode):04o}); "
            f"it must be this user's alone (chmod 600)."
        )


def read_sessions(path: Path) -> list[Kept]:
    """The sessions kept (none when there is no file; none, said in the log, when it cannot be trusted)."""
    if not os.path.lexists(path):
        return []
    try:
        _own(path, "the desk's sessions file")
        rows = json.loads(read_input(path, "the desk's sessions file", SESSIONS_LIMIT, follow=False))["sessions"]
        return [Kept(str(r["id"]), str(r["name"]), str(r["stamp"]), float(r["began"])) for r in rows]
    except (InputError, ValueError, KeyError, TypeError) as e:
        log.warning("%s: not read, so everyone logs in again (%s)", path, e)
        return []


def write_sessions(path: Path, kept: list[Kept]) -> None:
    write_atomic(path, json.dumps({"v": 1, "sessions": [asdict(k) for k in kept]}) + "\n", mode=0o600)
