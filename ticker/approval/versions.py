"""The campaign files as they were approved, kept beside them so that an approved version can be looked at and
restored after the file has been changed: `.ticker-versions/<sha256>.toml` in the campaigns' folder, each the
bytes the approval wrote (its [approval] table included), named by their SHA-256. The approval's line in the
audit trail names its version ("version"); a version is written once and, being named by its bytes, never
differs from another copy of itself, so two campaigns, or two approvals of one text, share it.

The folder is held by descriptor (never through a link, and only if it is this user's own: ticker.files.held);
a version is written whole (write_atomic) and read back with a size limit, never through a link, and believed
only when its bytes hash to its name."""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path

from ticker.errors import InputError
from ticker.files import CAMPAIGN_LIMIT, Held, read_input, write_atomic

VERSIONS = ".ticker-versions"
VERSION = re.compile(r"[0-9a-f]{64}")  # a version's name: the SHA-256 of its bytes, in lower-case hex
WHAT = "approved version"


def version_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def keep(folder: Path, data: bytes, then: str = "nothing was approved") -> str:
    """The bytes kept as a version in the campaigns' `folder` (its versions folder made if need be); their id.
    InputError (one sentence, ending in what `then` says) when the versions folder is not one ticker may use,
    PublishError when the version cannot be written."""
    vid = version_id(data)
    name = f"{vid}.toml"
    with (
        Held.open(folder, "the campaigns' folder") as held,
        held.sub(VERSIONS, make=True, what="folder of approved versions", then=then) as kept,
    ):
        st = kept.lstat(name)
        if st is not None and stat.S_ISREG(st.st_mode) and _read(kept, name) == data:
            return vid  # kept already (the same text approved before, or by another campaign)
        write_atomic(kept.path / name, data)  # over whatever else stands there (a link is replaced, not followed)
    return vid


def read(folder: Path, vid: str) -> bytes | None:
    """The bytes of version `vid` of the campaigns' `folder`; None when there is no such version, or when what
    is kept under its name is not it (not a regular file of ticker's, or other bytes)."""
    if not VERSION.fullmatch(vid):
        return None
    try:
        with (
            Held.open(folder, "the campaigns' folder") as held,
            held.sub(VERSIONS, what="folder of approved versions", then="no version is read") as kept,
        ):
            data = _read(kept, f"{vid}.toml")
    except InputError:
        return None
    return data if data is not None and version_id(data) == vid else None


def _read(kept: Held, name: str) -> bytes | None:
    try:
        return read_input(kept.path / name, WHAT, CAMPAIGN_LIMIT, follow=False)
    except InputError:
        return None
