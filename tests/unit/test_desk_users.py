"""The desk's users file: argon2 hashes written 0600 and checked, roles, and one sentence naming the file and
the key for each thing wrong in it."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import unicodedata

import pytest
from argon2 import PasswordHasher

import ticker.desk.users
from ticker.desk.users import User, UsersFile, add_user, read_password, read_users
from ticker.errors import InputError

AS_IMPORTED = ticker.desk.users.hasher  # before any test puts a cheaper one there


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    """argon2 at its cheapest: the tests check what is stored and compared, not how hard it is to crack."""
    monkeypatch.setattr(ticker.desk.users, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_production_hashes_with_argon2_cffis_defaults():
    defaults = PasswordHasher()
    assert (AS_IMPORTED.time_cost, AS_IMPORTED.memory_cost, AS_IMPORTED.parallelism) == (
        defaults.time_cost,
        defaults.memory_cost,
        defaults.parallelism,
    )


def test_an_added_user_signs_in_with_their_password_and_no_other(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, "Nguyễn Thị Lan", "approver", "mật khẩu dài")
    users = read_users(path)
    assert users.verify("Nguyễn Thị Lan", "mật khẩu dài") == User("Nguyễn Thị Lan", "approver")
    assert users.verify("Nguyễn Thị Lan", "mật khẩu dàI") is None
    assert users.verify("Nguyễn Thị Lan", "") is None
    assert users.verify("nobody", "mật khẩu dài") is None
    assert "mật khẩu" not in path.read_text(encoding="utf-8"), "only the hash is stored"


def test_names_and_passwords_are_compared_in_nfc(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, unicodedata.normalize("NFD", "Lê Văn Đức"), "editor", "Việt Nam 2020")
    users = read_users(path)
    assert [u.name for u in users] == ["Lê Văn Đức"]
    assert users.verify("Lê Văn Đức", unicodedata.normalize("NFD", "Việt Nam 2020")) is not None


def test_roles(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, "lan", "approver", "password-1")
    add_user(path, "minh", "editor", "password-2")
    users = read_users(path)
    assert users.get("lan").may_approve and not users.get("minh").may_approve
    assert users.verify("minh", "password-2").role == "editor"
    with pytest.raises(InputError, match=r"--role 'boss' must be editor or approver\.$"):
        add_user(path, "tuan", "boss", "password-3")


def test_a_second_add_keeps_the_first_user_and_the_comments_and_a_third_replaces_a_password(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, "lan", "approver", "password-1")
    path.write_text("# Phòng kỹ thuật: hỏi anh Minh trước khi thêm người\n" + path.read_text(encoding="utf-8"))
    add_user(path, "minh", "editor", "password-2")
    text = path.read_text(encoding="utf-8")
    assert "# Phòng kỹ thuật: hỏi anh Minh trước khi thêm người" in text
    users = read_users(path)
    assert [u.name for u in users] == ["lan", "minh"]
    assert users.verify("lan", "password-1") and users.verify("minh", "password-2")

    add_user(path, "lan", "editor", "password-new")  # the same name: a new role and password, no second lan
    users = read_users(path)
    assert [(u.name, u.role) for u in users] == [("lan", "editor"), ("minh", "editor")]
    assert users.verify("lan", "password-1") is None and users.verify("lan", "password-new")
    assert "# Phòng kỹ thuật" in path.read_text(encoding="utf-8")


def test_the_file_is_mode_0600_whatever_the_umask_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "users.toml"
    old = os.umask(0o022)
    try:
        add_user(path, "lan", "approver", "password-1")
        path.chmod(0o644)
        add_user(path, "minh", "editor", "password-2")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["users.toml"]


def test_a_short_password_is_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / "users.toml"
    with pytest.raises(InputError, match=r"the password for 'lan' has 7 character\(s\); it must have at least 8\.$"):
        add_user(path, "lan", "approver", "1234567")
    assert not path.exists()


@pytest.mark.parametrize(
    "name, said",
    [
        ("", "a name must not be empty"),
        (" lan", "must not begin or end with a space"),
        ("x" * 81, "at most 80 characters, not 81"),
        ("lan\nminh", "U+000A, a control or invisible character"),
        ("lan\u200bminh", "U+200B, a control or invisible character"),
    ],
)
def test_a_bad_name_is_refused(tmp_path, name, said):
    with pytest.raises(InputError, match=re.escape(said)):
        add_user(tmp_path / "users.toml", name, "editor", "password-1")
    # a JSON string is a TOML basic string: "\n", "\u200b"
    (tmp_path / "users.toml").write_text(f'[[user]]\nname = {json.dumps(name)}\nrole = "editor"\nhash = "x"\n')
    with pytest.raises(InputError) as e:
        read_users(tmp_path / "users.toml")
    assert str(e.value).startswith(f"{tmp_path / 'users.toml'}: user[1].name ") and said in str(e.value)


def _hash() -> str:
    return ticker.desk.users.hasher.hash("password-1")


LAN = '[[user]]\nname = "lan"\nrole = "approver"\nhash = "{h}"\n'


@pytest.mark.parametrize(
    "body, said",
    [
        (
            LAN + '[[user]]\nname = "tuan"\nrole = "boss"\nhash = "{h}"',
            "user[2].role 'boss' must be editor or approver.",
        ),
        (LAN + LAN, "user[2].name 'lan' is already the name of user[1]."),
        ('[[user]]\nname = "lan"\nhash = "{h}"', "user[1] has no role; each [[user]] needs a name, a role and a hash."),
        ('[[user]]\nname = "lan"\nrole = "editor"', "user[1] has no hash;"),
        (LAN.replace("role", "rol"), "user[1].rol is not a key of a user (did you mean role?)"),
        (LAN.replace('"lan"', "7"), "user[1].name must be a string, not int."),
        (LAN.replace('"{h}"', '"secret"'), "user[1].hash is not an argon2 hash"),
        ('[[users]]\nname = "lan"', "users is not a key of a users file (did you mean user?)"),
        ('user = "lan"', "user must be [[user]] tables"),
        ("# nobody yet\n", "names no user; add one with ticker serve --users"),
        ('[[user]]\nname = "lan\nrole = "editor"', "is not valid TOML: "),
    ],
)
def test_each_problem_is_one_sentence_naming_the_file_and_the_key(tmp_path, body, said):
    path = tmp_path / "users.toml"
    path.write_text(body.replace("{h}", _hash()), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_users(path)
    message = str(e.value)
    assert message.startswith(f"{path}: ") and said in message and message.endswith(".")
    assert message.count("\n") == 0


def test_a_broken_file_is_said_by_add_user_not_patched(tmp_path):
    path = tmp_path / "users.toml"
    path.write_text(f'[[user]]\nname = "lan"\nrole = "boss"\nhash = "{_hash()}"\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"user\[1\]\.role 'boss'"):
        add_user(path, "minh", "editor", "password-2")
    assert path.read_bytes() == before


def test_add_user_starts_a_file_that_holds_only_comments(tmp_path):
    path = tmp_path / "users.toml"
    path.write_text("# the desk's users\n", encoding="utf-8")
    add_user(path, "lan", "approver", "password-1")
    assert path.read_text(encoding="utf-8").startswith("# the desk's users\n")
    assert read_users(path).verify("lan", "password-1")


def test_a_symlinked_users_file_is_refused_read_and_written(tmp_path):
    real = tmp_path / "real.toml"
    add_user(real, "lan", "approver", "password-1")
    link = tmp_path / "users.toml"
    link.symlink_to(real)
    before = real.read_bytes()
    for attempt in (lambda: read_users(link), lambda: add_user(link, "minh", "editor", "password-2")):
        with pytest.raises(InputError) as e:
            attempt()
        assert str(e.value).startswith(f"{link}: is a link;")
    assert real.read_bytes() == before and link.is_symlink()


def test_a_users_file_that_is_a_folder_or_too_big_is_one_sentence(tmp_path):
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(InputError, match="is a folder, not a regular file"):
        read_users(tmp_path / "dir.toml")
    with pytest.raises(InputError, match="no such users file"):
        read_users(tmp_path / "missing.toml")
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (ticker.desk.users.LIMIT + 1))
    with pytest.raises(InputError, match="more than a users file may be"):
        read_users(big)


def test_an_unknown_name_costs_a_verify_too(tmp_path, monkeypatch):
    path = tmp_path / "users.toml"
    add_user(path, "lan", "approver", "password-1")
    users = read_users(path)
    checked = []
    real = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, h, p: checked.append(h) or real(self, h, p))
    assert users.verify("nobody", "password-1") is None
    assert users.verify("lan", "password-1") is not None
    assert len(checked) == 2 and checked[0] != checked[1]
    assert checked[0].split("$")[3] == checked[1].split("$")[3], "the dummy hash has the file's own parameters"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_password_is_read_from_a_pipe_as_one_line():
    assert read_password(io.StringIO("mật khẩu dài\nnext line\n"), io.StringIO()) == "mật khẩu dài"
    assert read_password(io.StringIO("  spaces kept  \r\n"), io.StringIO()) == "  spaces kept  "
    assert read_password(io.StringIO("no newline"), io.StringIO()) == "no newline"
    with pytest.raises(InputError, match="no password came"):
        read_password(io.StringIO(""), io.StringIO())
    with pytest.raises(InputError, match="longer than 4096 characters"):
        read_password(io.StringIO("x" * 5000), io.StringIO())


def test_a_password_typed_at_a_terminal_is_asked_twice(monkeypatch):
    answers = iter(["password-1", "password-1", "password-1", "password-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt, stream=None: next(answers))
    assert read_password(Tty(), io.StringIO()) == "password-1"
    with pytest.raises(InputError, match="the two passwords typed are not the same"):
        read_password(Tty(), io.StringIO())
    monkeypatch.setattr("getpass.getpass", lambda prompt, stream=None: "once")
    assert read_password(Tty(), io.StringIO(), confirm=False) == "once"


def test_a_running_desks_users_file_is_read_again_only_when_it_changed(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, "lan", "approver", "password-1")
    users = UsersFile(path)
    first = users.now()
    assert users.now() is first, "an unchanged file is not read again"
    add_user(path, "minh", "editor", "password-2")  # written whole and renamed over it
    assert users.now().get("minh") == User("minh", "editor")
    path.write_text(path.read_text(encoding="utf-8").replace('"approver"', '"editor"'), encoding="utf-8")  # in place
    assert users.now().get("lan") == User("lan", "editor")
    assert users.now().verify("lan", "password-1") is not None


def test_a_users_file_broken_while_the_desk_runs_keeps_the_users_read_last_and_is_said_once(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, "lan", "approver", "password-1")
    said: list[str] = []
    users = UsersFile(path, said.append)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("[[user]]", "[[user]"), encoding="utf-8")
    for _ in range(3):
        assert users.now().get("lan") == User("lan", "approver")
    assert len(said) == 1 and said[0].startswith(f"{path}: is not valid TOML: ") and "\n" not in said[0]
    assert said[0].endswith("The desk keeps the 1 user(s) it read before.")
    path.unlink()
    (tmp_path / "elsewhere.toml").write_text(good.replace("approver", "editor"), encoding="utf-8")
    path.symlink_to(tmp_path / "elsewhere.toml")  # never read through a link
    assert users.now().get("lan") == User("lan", "approver") and len(said) == 2 and "is a link" in said[1]
    path.unlink()
    assert users.now().get("lan") == User("lan", "approver") and "no such users file" in said[2]
    add_user(path, "minh", "editor", "password-2")
    assert [u.name for u in users.now()] == ["minh"] and len(said) == 3


def test_a_session_stamp_changes_with_the_password_and_not_with_the_role(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, "lan", "approver", "password-1")
    before = read_users(path).stamp("lan")
    path.write_text(path.read_text(encoding="utf-8").replace('"approver"', '"editor"'), encoding="utf-8")
    assert read_users(path).stamp("lan") == before
    add_user(path, "lan", "editor", "password-1")  # the same password again: a new salt, a new hash
    assert read_users(path).stamp("lan") not in (before, None)
    assert read_users(path).stamp("nobody") is None
