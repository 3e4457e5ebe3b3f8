"""The day folders as the desk shows them: the days made, a day's manifest with the desk's verdict on each
file, its log, and a file of it fetched only if ticker published it there."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ticker.desk.guard import NotFound
from ticker.files import MANIFEST, read_input, read_manifest
from ticker.files.manifest import foreign, intact
from ticker.files.playout_tree import day_folders

if TYPE_CHECKING:
    from ticker.desk.app import Desk

PREVIEW_WIDTH = 960  # square pixels across of the edit page's picture (as a screen shows the output)
LOG_LIMIT = 2_000_000  # bytes of a night's log shown
NOT_SERVED = (
    "Tệp này không phải tệp ticker đã đăng cho ngày {day}; bàn điều hành không đưa ra.",
    "That is not a file ticker published for {day}; the desk does not serve it.",
)
GONE_WORDS = ("Hồ sơ của ngày {day} không phải do ticker viết; không hiện gì của ngày này.",
              "The record of {day} was not written by ticker; nothing of that day is shown.")  # fmt: skip
REPORT_KINDS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "html": "text/html; charset=utf-8", "json": "application/json"}  # fmt: skip


def night_folder(desk: Desk, day: dt.date) -> Path | None:
    if not desk.out.is_dir():
        return None
    return next((f for d, f in day_folders(desk.out) if d == day), None)


def nights(desk: Desk) -> list[dict[str, Any]]:
    if not desk.out.is_dir():
        return []
    out = []
    for day, folder in reversed(day_folders(desk.out)):
        m = read_manifest(folder)
        out.append({"date": day.isoformat(), "weekday": day.weekday(), "complete": bool(m.get("complete")),
                    "files": len(m["files"]), "failed": len(m.get("failed", []) or [])})  # fmt: skip
    return out


def night(desk: Desk, day: dt.date, verify: bool = False) -> dict[str, Any]:
    """The day's manifest (ticker's own: written by this user), each file with its verdict: "passed" for a
    file of ticker's that is still the one it published (render publishes a file only once it passed its QC:
    the size, and with `verify` the SHA-256, are the manifest's), "changed" when it is not, and "foreign" for
    one ticker did not put there (another user's, or a hard link to a file elsewhere: never served)."""
    folder = night_folder(desk, day)
    if folder is None or not os.path.lexists(folder / MANIFEST):
        raise NotFound(
            f"{day}: no manifest; this day has not been rendered.",
            shown=(f"Ngày {day} chưa được dựng.", f"{day} has not been rendered."),
        )
    if os.lstat(folder / MANIFEST).st_uid != os.geteuid():
        raise NotFound(
            f"{in_day(MANIFEST, day)}: another user wrote it, not ticker; nothing of this day is shown.",
            shown=(GONE_WORDS[0].format(day=day), GONE_WORDS[1].format(day=day)),
        )
    manifest = cast(dict[str, Any], read_manifest(folder))  # each entry gets the desk's verdict on it
    others = [f for d, f in day_folders(desk.out) if d != day]
    for entry in manifest["files"]:
        why = foreign(folder, entry["path"], others)
        entry["intact"] = why is None and intact(folder, [entry], verify=verify)
        entry["qc"] = "foreign" if why else "passed" if entry["intact"] else "changed"
        entry["foreign"] = why
    for failed in manifest.get("failed", []) or []:
        if isinstance(failed, dict):
            failed["qc"] = "failed"
    return manifest


def night_log(desk: Desk, day: dt.date) -> str:
    folder = night_folder(desk, day)
    if folder is None or not os.path.lexists(folder / "nightly.log"):
        raise NotFound(
            f"{day}: no nightly.log.",
            shown=(f"Ngày {day} chưa có nhật ký dựng.", f"{day} has no log of its night."),
        )
    return read_input(folder / "nightly.log", "nightly log", LOG_LIMIT, follow=False).decode("utf-8", "replace")


def in_day(name: str, day: dt.date) -> str:
    """A file of a day folder as the desk's sentences name it: its own name and the day, not its path on the
    server."""
    return f"{name} of {day}"


def night_file(desk: Desk, day: dt.date, name: str) -> tuple[Path, tuple[int, int]]:
    """A file the day's manifest lists, a regular file of the day folder that ticker published there (never
    a link, never elsewhere, never another user's or a hard link to a file outside the day folders), and the
    (device, inode) it was found to be, for the reader to check that it opened that very file."""
    folder = night_folder(desk, day)
    listed = {e["path"] for e in read_manifest(folder)["files"]} if folder else set()
    if folder is None or name not in listed:
        raise NotFound(
            f"{name[:80]!r}: no such file in the manifest of {day}.",
            shown=(NOT_SERVED[0].format(day=day), NOT_SERVED[1].format(day=day)),
        )
    path = folder / name
    try:
        st = os.lstat(path)
    except OSError:
        raise NotFound(
            f"{in_day(name, day)}: is listed but missing.",
            shown=(NOT_SERVED[0].format(day=day), NOT_SERVED[1].format(day=day)),
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise NotFound(
            f"{in_day(name, day)}: is not a regular file (a picture sequence is a folder: fetch it from OUT).",
            shown=("Đây là một thư mục ảnh, không tải về từ bàn điều hành được; hãy lấy từ thư mục phát.",
                   "This is a folder of pictures, which the desk does not download; take it from the playout folder."),
        )  # fmt: skip
    if why := foreign(folder, name, [f for d, f in day_folders(desk.out) if d != day]):
        raise NotFound(
            f"{in_day(name, day)}: {why}; ticker serves only the files it published.",
            shown=(NOT_SERVED[0].format(day=day), NOT_SERVED[1].format(day=day)),
        )
    return path, (st.st_dev, st.st_ino)
