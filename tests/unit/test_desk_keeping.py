"""What a desk with users keeps beside its users file across restarts: the key that signs its cookies and its
live sessions, each this user's alone (0600), the sessions' ids only hashed; a file it cannot trust is refused
(the key) or not read (the sessions: everyone logs in again)."""

from __future__ import annotations

import os

import pytest

from ticker.desk.keeping import key_path, sessions_path, signing_key
from ticker.desk.sessions import SESSION_HOURS, Sessions
from ticker.errors import InputError


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_key_is_made_once_for_this_user_alone_and_read_again(tmp_path):
    users = tmp_path / "users.toml"
    key = signing_key(users)
    assert len(key) >= 43 and signing_key(users) == key
    assert key_path(users).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_key_others_may_read_is_refused(tmp_path, mode):
    users = tmp_path / "users.toml"
    signing_key(users)
    key_path(users).chmod(mode)
    with pytest.raises(InputError, match=rf"users\.toml\.key: the desk's key file .* \(mode 0{mode:o}\)"):
        signing_key(users)


def test_a_key_that_is_a_link_is_refused_and_never_followed(tmp_path):
    users, elsewhere = tmp_path / "users.toml", tmp_path / "elsewhere"
    elsewhere.write_text("x" * 64)
    elsewhere.chmod(0o600)
    key_path(users).symlink_to(elsewhere)
    with pytest.raises(InputError, match="is not a regular file"):
        signing_key(users)


def test_sessions_outlive_the_desk_and_a_logout_outlives_it_too(tmp_path):
    clock, store = Clock(), sessions_path(tmp_path / "users.toml")
    first = Sessions(clock, store)
    lan, minh = first.begin("lan", "s1"), first.begin("minh", "s2")
    again = Sessions(clock, store)  # the desk started again
    assert again.get(lan) is not None and again.get(lan).name == "lan" and again.get(minh).name == "minh"
    again.end(minh)
    third = Sessions(clock, store)
    assert third.get(minh) is None and third.get(lan).stamp == "s1"
    assert store.stat().st_mode & 0o777 == 0o600 and lan not in store.read_text() and minh not in store.read_text()
    clock.now += SESSION_HOURS * 3600
    assert Sessions(clock, store).get(lan) is None  # its hours are over, restart or not


@pytest.mark.parametrize("damage", ["not json", "others", "link"])
def test_a_sessions_file_the_desk_cannot_trust_is_not_read(tmp_path, damage):
    clock, store = Clock(), sessions_path(tmp_path / "users.toml")
    lan = Sessions(clock, store).begin("lan", "s1")
    if damage == "not json":
        store.write_text("{")
    elif damage == "others":
        store.chmod(0o644)
    else:
        kept = tmp_path / "kept"
        os.replace(store, kept)
        store.symlink_to(kept)
    assert Sessions(clock, store).get(lan) is None
