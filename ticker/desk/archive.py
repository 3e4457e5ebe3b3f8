"""Campaigns taken off the desk's list and put back, never deleted: a campaign archived is moved, whole and
unchanged, into `archive/` in the campaigns' folder, which nightly, the schedule and the desk's list do not read
(so it airs no more), and restored from it as it was (its approval with it, still bound to its words).

Each move is one rename between the two folders, each held by descriptor (never through a link, and the archive
only if it is this user's own folder: ticker.files.held). It is refused, with nothing moved, when a file of the
name is already where it goes, or when restoring would give the folder two campaigns of one `campaign.name`.
Who moved it, and when, goes to the audit trail. The letter a draft came from (ticker.letters.kept) goes along
with its campaign; a letter that cannot follow stays where it was, said in the desk's log."""

from __future__ import annotations

import logging
import os
import stat
from typing import TYPE_CHECKING, Any

from ticker.approval import audit
from ticker.campaign import load_campaign
from ticker.desk.actions import approved_on_disk, now
from ticker.desk.guard import DeskError, Forbidden, NotFound, campaign_file, campaign_name_ok
from ticker.desk.users import User
from ticker.errors import InputError, TickerError
from ticker.files import Held
from ticker.letters.kept import move_letter
from ticker.night import load_folder

if TYPE_CHECKING:
    from ticker.desk.app import Desk

ARCHIVE = "archive"
log = logging.getLogger("ticker.desk")


def _kept(folder: Held, make: bool = False) -> Held:
    """The archive folder, held (made first if `make`); said without the server's paths when it cannot be."""
    try:
        return folder.sub(ARCHIVE, make=make, what="archive folder", then="nothing was moved")
    except InputError:
        raise DeskError(
            "the archive folder of the campaigns is not one ticker may use (a link, or another user's); nothing "
            "was moved.",
            shown=("Không dùng được thư mục lưu trữ (là liên kết, hoặc của người dùng khác); chưa chuyển gì.",
                   "The archive folder cannot be used (a link, or another user's); nothing was moved."),
        ) from None  # fmt: skip


def archive(desk: Desk, name: str, user: User) -> dict[str, Any]:
    """Move the campaign into the archive (module docstring)."""
    path = campaign_file(desk.campaigns, name)
    if not user.may_approve and approved_on_disk(path):
        raise Forbidden(
            f"{user.name} is an editor; only an approver may take an approved campaign off the air.",
            shown=("Chỉ người duyệt mới được lưu trữ một chiến dịch đã duyệt.",
                   "Only an approver may archive an approved campaign."),
        )  # fmt: skip
    audit.writable(path)
    with (
        Held.open(desk.campaigns, "the campaigns' folder") as folder,
        _kept(folder, make=True) as kept,
    ):
        if kept.lstat(name) is not None:
            raise DeskError(
                f"{name}: the archive already holds a file of that name; nothing was moved.",
                409,
                shown=(f"Kho lưu trữ đã có tệp {name}; chưa chuyển gì.", f"The archive already holds {name}."),
            )
        os.rename(name, name, src_dir_fd=folder.fd, dst_dir_fd=kept.fd)
        _letter_along(folder, kept, name)
    audit.append(path, {"at": now().isoformat(timespec="seconds"), "action": "archived", "file": name,
                        "by": user.name or "desk"})  # fmt: skip
    return {"file": name, "archived": True}


def restore(desk: Desk, name: str, user: User) -> dict[str, Any]:
    """Move an archived campaign back into the campaigns' folder (module docstring)."""
    missing = NotFound(
        f"{name[:80]}: no such campaign in the archive.",
        shown=(f"Kho lưu trữ không có {name[:80]}.", f"The archive holds no {name[:80]}."),
    )
    if not campaign_name_ok(name):
        raise missing
    path = desk.campaigns / name
    audit.writable(path)
    with Held.open(desk.campaigns, "the campaigns' folder") as folder:
        if not os.path.lexists(desk.campaigns / ARCHIVE):
            raise missing
        with _kept(folder) as kept:
            st = kept.lstat(name)
            if st is None or not stat.S_ISREG(st.st_mode):
                raise missing
            if folder.lstat(name) is not None:
                raise DeskError(
                    f"{name}: the campaigns' folder already holds a file of that name; nothing was moved.",
                    409,
                    shown=(f"Đã có tệp {name} trong danh sách chiến dịch; chưa chuyển gì.",
                           f"The campaigns already hold a file named {name}."),
                )  # fmt: skip
            _name_free(desk, kept.path / name, name)
            os.rename(name, name, src_dir_fd=kept.fd, dst_dir_fd=folder.fd)
            _letter_along(kept, folder, name)
    audit.append(path, {"at": now().isoformat(timespec="seconds"), "action": "restored", "file": name,
                        "by": user.name or "desk"})  # fmt: skip
    return {"file": name, "archived": False}


def _letter_along(source: Held, target: Held, name: str) -> None:
    """The campaign's letter moved after it; one that cannot be is left, and said in the log (the campaign has
    moved: that is what was asked)."""
    try:
        move_letter(source, target, name.removesuffix(".toml"))
    except (InputError, OSError) as e:
        log.warning("%s: its letter stays where it was (%s)", name, e)


def _name_free(desk: Desk, archived: Any, name: str) -> None:
    """Refuses (409) a campaign whose campaign.name another file of the folder has: nightly would keep one."""
    try:
        own = load_campaign(archived).name
        campaigns, _ = load_folder(desk.campaigns)
    except TickerError:
        return  # a file that no longer loads comes back as it is, and is listed with its sentence
    if other := next((c.path.name for c in campaigns if c.name == own), None):
        raise DeskError(
            f"{name}: {other} already has campaign.name {own!r}; nothing was moved.",
            409,
            shown=(f"Tệp {other} đã mang tên chiến dịch {own}; chưa chuyển gì.",
                   f"{other} already has the campaign name {own}."),
        )  # fmt: skip


def archived(desk: Desk) -> list[dict[str, Any]]:
    """The archived campaigns, by file name: each with its title and when it was archived, and by whom."""
    folder = desk.campaigns / ARCHIVE
    if not folder.is_dir() or folder.is_symlink():
        return []
    found, trails = [], audit.by_file(desk.campaigns)  # the trail read once
    for path in sorted(folder.glob("*.toml")):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            title = load_campaign(path).title
        except TickerError:
            title = ""
        trail = trails.get(path.name, [])
        last: dict[str, Any] = next((e for e in reversed(trail) if e["action"] == "archived"), {})
        found.append({"file": path.name, "title": title, "at": last.get("at", ""), "by": last.get("by", "")})
    return found
