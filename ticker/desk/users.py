"""The desk's users file (`ticker serve --users FILE`, written by `ticker serve --add-user NAME --role ROLE`):

    # who may sign in to the desk
    [[user]]
    name = "Nguyễn Thị Lan"
    role = "approver"          # editor: writes and previews crawls; approver: may also approve what airs
    hash = "$argon2id$v=19$m=65536,t=3,p=4$…"

A password is never stored, only its argon2 hash (argon2-cffi's PasswordHasher, with its defaults). The file
is written atomically, mode 0600, and never read or written through a link. Names and passwords are compared
in NFC, so that a name typed on a Mac (NFD) is the same name. Every problem in the file is one sentence naming
the file and the key. A running desk reads the file again whenever it changes (UsersFile).
"""

from __future__ import annotations

import difflib
import getpass
import hashlib
import logging
import os
import secrets
import threading
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import tomlkit
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, UnsupportedParametersError, VerificationError
from tomlkit.items import AoT

from ticker.campaign.signoff import name_problem
from ticker.errors import InputError
from ticker.files import read_input, write_atomic

LIMIT = 1_000_000  # bytes of a users file: some thousands of users
ROLES = ("editor", "approver")
KEYS = ("name", "role", "hash")
SHORTEST_PASSWORD = 8
LONGEST_PASSWORD = 4096  # characters read from a pipe: a password, not a file
MODE = 0o600
HEADER = "who may sign in to ticker serve (ticker serve --users FILE --add-user NAME --role editor|approver)"

# argon2-cffi's defaults (RFC 9106's low-memory choice); tests put a cheaper hasher here
hasher = PasswordHasher()
log = logging.getLogger("ticker.desk")


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def may_approve(self) -> bool:
        return self.role == "approver"


class Users:
    """The users of a users file, and their hashes (never shown)."""

    def __init__(self, path: Path, users: dict[str, tuple[User, str]]):
        self.path = path
        self._users = users
        self._dummy = _dummy_like(next(iter(users.values()))[1]) if users else hasher.hash(secrets.token_urlsafe(16))

    def __len__(self) -> int:
        return len(self._users)

    def __iter__(self) -> Iterator[User]:
        return iter(user for user, _ in self._users.values())

    def get(self, name: str) -> User | None:
        found = self._users.get(unicodedata.normalize("NFC", name))
        return found[0] if found else None

    def verify(self, name: str, password: str) -> User | None:
        """The user if the password is theirs; None if not, or if nobody has the name. An unknown name is
        checked against a dummy hash of the file's own parameters all the same, so that how long the answer
        takes does not tell which names exist."""
        found = self._users.get(unicodedata.normalize("NFC", name))
        stored = found[1] if found else self._dummy
        try:
            hasher.verify(stored, unicodedata.normalize("NFC", password))
        except (VerificationError, InvalidHashError):
            return None
        return found[0] if found else None

    def stamp(self, name: str) -> str | None:
        """What a session keeps of its user's hash: a password set anew is a new hash (a new salt each time),
        so the sessions begun under the old one no longer match. None if nobody has the name."""
        found = self._users.get(unicodedata.normalize("NFC", name))
        return hashlib.sha256(found[1].encode()).hexdigest() if found else None


class UsersFile:
    """The users file of a running desk, as it is now: read again whenever it changed, so that a user removed,
    a role changed or a password set anew (`ticker serve --add-user`) holds from the next request on.

    Whether it changed is told by its lstat (device, inode, size, times; never through a link), taken before
    each reading, so that a change made while it is read is read at the next request. A file that cannot be
    read (a mistake in a hand edit, a link, a file gone for a moment while an editor saves it) keeps the users
    read last and is said once in the desk's log, until it changes again: refusing everyone, or ending every
    session, because of a half-saved file would take the desk from all its users, while `ticker serve
    --add-user` never writes a broken file. A desk does not start on a broken file (read_users)."""

    def __init__(self, path: Path, said: Callable[[str], None] = log.warning):
        self.path = path
        self._said = said
        self._seen = _state(path)
        self._users = read_users(path)
        self._lock = threading.Lock()

    def now(self) -> Users:
        state = _state(self.path)
        if state != self._seen:
            with self._lock:  # one reading at a time; the others then find it read
                if state != self._seen:
                    self._seen = state
                    try:
                        self._users = read_users(self.path)
                    except InputError as e:
                        self._said(f"{e} The desk keeps the {len(self._users)} user(s) it read before.")
        return self._users


def _state(path: Path) -> tuple[int, ...] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _dummy_like(stored: str) -> str:
    """A hash of a random password, made with the parameters of one the file holds: made once, when the file
    is read, so that not even the first sign-in under an unknown name takes longer than one under a known."""
    try:
        made_like = PasswordHasher.from_parameters(extract_parameters(stored))
    except (InvalidHashError, UnsupportedParametersError):
        made_like = hasher
    return made_like.hash(secrets.token_urlsafe(16))


def read_users(path: Path) -> Users:
    """The users file read and checked: InputError (one sentence naming the file and the key) if it is not a
    regular file of its own, is not TOML, or a [[user]] is not right; a file with no user is refused too."""
    users = _check(path, _parse(path, _read_text(path)))
    if not users:
        raise InputError(
            f"{path}: names no user; add one with ticker serve --users {path} --add-user NAME --role approver."
        )
    return Users(path, users)


def add_user(path: Path, name: str, role: str, password: str) -> None:
    """Add a user to the users file, or give one already there a new role and password; the file is made if
    need be. Comments and the other users are kept; it is written whole (atomically), mode 0600."""
    name = unicodedata.normalize("NFC", name)
    if problem := name_problem(name):
        raise InputError(f"--add-user {name!r}: {problem}.")
    if role not in ROLES:
        raise InputError(f"--role {role!r} must be editor or approver.")
    if len(password) < SHORTEST_PASSWORD:
        raise InputError(
            f"the password for {name!r} has {len(password)} character(s); it must have at least {SHORTEST_PASSWORD}."
        )
    if os.path.lexists(path):
        text = _read_text(path)
        _check(path, _parse(path, text))  # a broken file is said, not patched
        doc = tomlkit.parse(text)
    else:
        doc = tomlkit.document()
        doc.add(tomlkit.comment(HEADER))
        doc.add(tomlkit.nl())
    if "user" not in doc:
        doc.append("user", tomlkit.aot())
    digest = hasher.hash(unicodedata.normalize("NFC", password))
    tables: Any = doc["user"]
    for table in tables:
        if unicodedata.normalize("NFC", table["name"]) == name:
            table["role"], table["hash"] = role, digest
            break
    else:
        table = tomlkit.table() if isinstance(tables, AoT) else tomlkit.inline_table()  # user = [{…}] kept so
        table.update({"name": name, "role": role, "hash": digest})
        tables.append(table)
    write_atomic(path, tomlkit.dumps(doc), mode=MODE)


def read_password(stream_in: TextIO, stream_err: TextIO, *, confirm: bool = True) -> str:
    """A password typed at the terminal (twice, if `confirm`: both must match), or the first line piped in
    (`echo PASSWORD | ticker serve --users F --add-user NAME --role approver`), without its line ending."""
    if stream_in.isatty():
        password = getpass.getpass("Password: ", stream=stream_err)
        if confirm and getpass.getpass("The same password again: ", stream=stream_err) != password:
            raise InputError("the two passwords typed are not the same; nothing was written.")
        return password
    line = stream_in.readline(LONGEST_PASSWORD + 1)
    password = line.removesuffix("\n").removesuffix("\r")
    if len(password) > LONGEST_PASSWORD:
        raise InputError(f"standard input: the password is longer than {LONGEST_PASSWORD} characters.")
    if not line:
        raise InputError("standard input: no password came (pipe it in one line: echo PASSWORD | ticker serve …).")
    return password


def _read_text(path: Path) -> str:
    if path.is_symlink():  # refused by read_input too (O_NOFOLLOW); this says why in words
        raise InputError(f"{path}: is a link; the users file must be a file of its own, never followed through a link.")
    data = read_input(path, "users file", LIMIT, follow=False)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: is not UTF-8 text (byte {e.start}).") from None


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:  # its message says the line and column
        raise InputError(f"{path}: is not valid TOML: {e}.") from None


def _check(path: Path, doc: dict[str, Any]) -> dict[str, tuple[User, str]]:
    """The users of a parsed users file, by name (NFC), each with its hash; one sentence for the first problem."""
    for key in doc:
        if key != "user":
            raise InputError(f"{path}: {key} is not a key of a users file{_close(key, ['user'])}; it holds [[user]].")
    tables = doc.get("user", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise InputError(f"{path}: user must be [[user]] tables, each with a name, a role and a hash.")
    users: dict[str, tuple[User, str]] = {}
    where: dict[str, int] = {}
    for i, table in enumerate(tables, 1):
        for key in table:
            if key not in KEYS:
                said = f"is not a key of a user{_close(key, KEYS)}: a user has a name, a role and a hash"
                raise InputError(f"{path}: user[{i}].{key} {said}.")
        for key in KEYS:
            if key not in table:
                raise InputError(f"{path}: user[{i}] has no {key}; each [[user]] needs a name, a role and a hash.")
            if not isinstance(table[key], str):
                raise InputError(f"{path}: user[{i}].{key} must be a string, not {type(table[key]).__name__}.")
        name = unicodedata.normalize("NFC", table["name"])
        if problem := name_problem(name):
            raise InputError(f"{path}: user[{i}].name {name!r}: {problem}.")
        if name in where:
            raise InputError(f"{path}: user[{i}].name {name!r} is already the name of user[{where[name]}].")
        if table["role"] not in ROLES:
            raise InputError(f"{path}: user[{i}].role {table['role']!r} must be editor or approver.")
        try:
            extract_parameters(table["hash"])
        except InvalidHashError:
            raise InputError(
                f"{path}: user[{i}].hash is not an argon2 hash (set the password with ticker serve --add-user)."
            ) from None
        where[name] = i
        users[name] = (User(name, table["role"]), table["hash"])
    return users


def _close(key: str, keys: tuple[str, ...] | list[str]) -> str:
    found = difflib.get_close_matches(key, keys, n=1)
    return f" (did you mean {found[0]}?)" if found else ""
