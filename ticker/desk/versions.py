"""What the desk keeps so that nothing is lost, shown and given back: a campaign's approved versions (each
approval's file as it was written, ticker.approval.versions), viewable from the history and restorable by an
editor, and the letter a draft came from (ticker.letters.kept), its lines as the draft cites them and the
original file to download. Pages and API alike; the pages are in the desk's words.

Restoring an approved version is a save like any other (the key the page was opened with, the audit trail's
line with its diff: "restored version"), of the version's text with the file's [approval] table as it is now:
an editor writes no approval, and no approval withdrawn or replaced since comes back with it. The approval key
binds what airs, not the bytes (ticker.approval.key): restored under the approval that approved it, the words
are again what was approved and the campaign is approved again (as long as its fonts and pictures are the
files they were); under another approval, or none, it waits for an approver like any edit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

import tomlkit
from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from tomlkit.exceptions import TOMLKitError

from ticker.approval import audit, versions
from ticker.approval.key import state as approval_state
from ticker.campaign import load_campaign
from ticker.campaign.config import utf8_text
from ticker.campaign.editing import Conflict, Opened, approval_table, open_text, text_toml
from ticker.desk import actions
from ticker.desk.diffs import difference
from ticker.desk.guard import FORM, DeskError, Me, NotFound, campaign_file, check_csrf
from ticker.desk.rendering import render
from ticker.desk.users import User
from ticker.desk.words import LANGS, WORDS, words
from ticker.errors import ConfigError, InputError
from ticker.letters.kept import KeptLetter, kept_letter, letter_bytes

if TYPE_CHECKING:
    from ticker.desk.app import Desk

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)  # the pages
api = APIRouter(prefix="/api", dependencies=[Depends(check_csrf)])
RESTORED = "restored version"
MEDIA = {"text": "text/plain", "pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}  # fmt: skip


@dataclass(frozen=True)
class Version:
    """An approved version of a campaign file: the trail's line of its approval, and its text."""

    path: Path
    approval: dict[str, Any]
    text: str

    def as_json(self) -> dict[str, Any]:
        a = self.approval
        return {"version": a["version"], "by": a.get("by"), "at": a.get("at"), "note": a.get("note"), "text": self.text}


def _desk(request: Request) -> Desk:
    return request.app.state.desk


def approvals(path: Path) -> list[dict[str, Any]]:
    """The approvals of the file that name a kept version, newest first (the trail's lines)."""
    found = [e for e in audit.entries(path) if e["action"] == "approved" and isinstance(e.get("version"), str)]
    return found[::-1]


def version_of(desk: Desk, name: str, vid: str) -> Version:
    """The approved version `vid` of the campaign `name`: only a version one of its own approvals wrote."""
    path = campaign_file(desk.campaigns, name)
    approval = next((e for e in approvals(path) if e["version"] == vid), None)
    data = versions.read(desk.campaigns, vid) if approval else None
    if approval is None or data is None:
        raise NotFound(f"{name}: no approved version {vid[:16]!r} of it is kept.", shown=WORDS["no_version"])
    try:
        return Version(path, approval, utf8_text(data, path))
    except ConfigError:
        raise NotFound(f"{name}: no approved version {vid[:16]!r} of it is kept.", shown=WORDS["no_version"]) from None


def restored_text(version: Version, now: Opened) -> str:
    """What restoring writes: the version's text, with the file's [approval] table as it is now (none if the
    file has none, or cannot be read)."""
    try:
        current = text_toml(now.path, now.text)
    except InputError:
        current = None
    if approval_table(current) == approval_table(text_toml(version.path, version.text)):
        return version.text  # the same approval: the very bytes that were approved
    try:
        doc = tomlkit.parse(version.text)
        doc.pop("approval", None)
        if current is not None and "approval" in current:
            doc["approval"] = tomlkit.parse(now.text)["approval"]
        return tomlkit.dumps(doc)
    except (TOMLKitError, RecursionError):
        raise DeskError(
            f"{version.path.name}: the approved version cannot be written back keeping its layout.",
            shown=("Không ghi lại được bản đã duyệt mà giữ nguyên bố cục tệp; chưa khôi phục gì.",
                   "The approved version cannot be written back keeping the file's layout; nothing was restored."),
        ) from None  # fmt: skip


def restore(desk: Desk, user: User, name: str, vid: str, if_match: str | None) -> dict[str, Any]:
    """The approved version written back as a save (module docstring), if the file is still the one opened
    (`if_match`; None: as it is now); the file's key and its approval after."""
    version = version_of(desk, name, vid)
    now = open_text(version.path)
    text = restored_text(version, now)
    saved = actions.save(desk, user, name, text, if_match or now.key, said={"action": RESTORED, "version": vid})
    campaign = load_campaign(saved.path)
    return {"file": name, "key": saved.key, "approval": approval_state(campaign).as_json(campaign)}


def _lang(request: Request) -> str:
    lang = request.session.get("lang")
    return lang if lang in LANGS else "vi"


def _version_page(request: Request, file: str, vid: str, status: int = 200, sentence: str = "") -> Response:
    version = version_of(_desk(request), file, vid)
    now = open_text(version.path)
    diff = difference(now.text, restored_text(version, now))
    return render(request, "version.html", status, page="", file=file, v=version.approval, text=version.text,
                  diff=diff, key=now.key, sentence=sentence)  # fmt: skip


@router.get("/edit/{file}/versions/{vid}")
def version_page(request: Request, file: str, vid: str, user: Me) -> Response:
    return _version_page(request, file, vid)


@router.post("/edit/{file}/versions/{vid}/restore")
async def restore_page_action(request: Request, file: str, vid: str, user: Me) -> Response:
    """Restored: the edit page, on what was written; changed since the page was opened: the page again, saying
    so, with the difference as it is now."""
    key = (await request.form(**FORM)).get("key")
    try:
        await run_in_threadpool(restore, _desk(request), user, file, vid, key if isinstance(key, str) else None)
    except Conflict:
        return _version_page(request, file, vid, 409, words(_lang(request))["restore_changed"])
    return RedirectResponse(f"/edit/{quote(file)}?saved=1", status_code=303)


@api.get("/campaigns/{file}/versions")
def list_versions(request: Request, file: str, user: Me) -> dict:
    """The campaign's approved versions kept (newest first): version, by, at, note."""
    path = campaign_file(_desk(request).campaigns, file)
    keys = ("version", "by", "at", "note")
    return {"versions": [{k: e.get(k) for k in keys} for e in approvals(path)]}


@api.get("/campaigns/{file}/versions/{vid}")
def get_version(request: Request, file: str, vid: str, user: Me) -> dict:
    """An approved version: the campaign file's text as it was approved, who approved it and when."""
    return version_of(_desk(request), file, vid).as_json()


@api.post("/campaigns/{file}/versions/{vid}/restore")
def restore_version(
    request: Request, file: str, vid: str, user: Me, if_match: Annotated[str | None, Header()] = None
) -> dict:
    """Write an approved version back as a save (If-Match: the key the file was loaded with, else as it is now;
    409 if it changed): its words again, under the file's approval as it is now."""
    key = if_match.strip().strip('"') if if_match else None
    return restore(_desk(request), user, file, vid, key)


def letter_of(desk: Desk, name: str) -> tuple[Path, KeptLetter]:
    """The campaign file and the letter it was drafted from, kept beside it; NotFound if none is."""
    path = campaign_file(desk.campaigns, name)
    try:
        letter = kept_letter(path)
    except InputError:
        raise DeskError(f"{name}: the letter kept with it cannot be read.", shown=WORDS["letter_unread"]) from None
    if letter is None:
        raise NotFound(f"{name}: no letter is kept with it.", shown=WORDS["no_letter"])
    return path, letter


def _original(desk: Desk, name: str) -> Response:
    """The letter's file as it came, to download (never shown in the page: a name safe for any browser)."""
    path, letter = letter_of(desk, name)
    try:
        data = letter_bytes(path, letter)
    except InputError:
        raise DeskError(f"{name}: the letter kept with it cannot be read.", shown=WORDS["letter_unread"]) from None
    given = letter.download_name
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", given).strip("._") or f"letter{letter.suffix}"
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(given, safe='')}"
    return Response(data, media_type=MEDIA[letter.kind], headers={"Content-Disposition": disposition})


@router.get("/edit/{file}/letter")
def letter_page(request: Request, file: str, user: Me) -> Response:
    _, letter = letter_of(_desk(request), file)
    return render(request, "letter.html", page="", file=file, letter=letter)


@router.get("/edit/{file}/letter/original")
def letter_original_page(request: Request, file: str, user: Me) -> Response:
    return _original(_desk(request), file)


@api.get("/campaigns/{file}/letter")
def get_letter(request: Request, file: str, user: Me) -> dict:
    """The letter the campaign was drafted from, as it was read: name, kind, lines (line N is lines[N-1], as
    the draft cites it), notes."""
    _, letter = letter_of(_desk(request), file)
    return {"name": letter.name, "kind": letter.kind, "lines": list(letter.lines), "notes": list(letter.notes)}


@api.get("/campaigns/{file}/letter/original")
def get_letter_original(request: Request, file: str, user: Me) -> Response:
    """The letter's file as it was given (.txt, .docx or .pdf), as a download."""
    return _original(_desk(request), file)
