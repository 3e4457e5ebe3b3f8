"""What the desk does, for its pages and its API alike: each function reads the files afresh, calls the
library and returns plain data; a refusal is the library's one sentence (a TickerError) or a DeskError."""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import hashlib
import logging
import os
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ticker.approval import approve, audit, content_key
from ticker.approval.key import state as approval_state
from ticker.campaign import Campaign, load_campaign
from ticker.campaign import lock as campaign_lock
from ticker.campaign.config import DEFAULT_TIMEZONE
from ticker.campaign.editing import (
    ApprovalChanged,
    Conflict,
    Opened,
    apply_fields,
    check_text,
    named_files,
    open_text,
    save_text,
)
from ticker.campaign.signoff import approval_note, approver_name
from ticker.desk import reporting
from ticker.desk.assets import check_assets
from ticker.desk.fields import Field, answers, form_fields
from ticker.desk.guard import (
    DeskError,
    Forbidden,
    NotFound,
    campaign_file,
    campaign_name_ok,
    new_campaign_file,
    status_of,
)
from ticker.desk.overview import campaign_row, folder_rows
from ticker.desk.refusal_words import STATION_WORDS
from ticker.desk.refusals import Said, field_for, said
from ticker.desk.users import User
from ticker.desk.verdicts import Readability
from ticker.desk.words import WORDS
from ticker.engine import band_frame, plan
from ticker.errors import InputError, LockedError, Remark, TickerError
from ticker.files import hold_lock, remove
from ticker.letters import draft_document, read_findings, write_draft
from ticker.letters.child import letter_apart
from ticker.letters.draft import draft_name
from ticker.letters.kept import kept_any
from ticker.night import load_folder
from ticker.review import make_proof
from ticker.review.proof import PreviewFacts
from ticker.station import Station, load_station

if TYPE_CHECKING:
    from ticker.desk.app import Desk

PREVIEW_WIDTH = 960  # square pixels across of the edit page's picture (as a screen shows the output)
LOG_LIMIT = 2_000_000  # bytes of a night's log shown
log = logging.getLogger("ticker.desk")
DIFF_LINES = 200  # lines of a save's diff kept in the audit trail


def now() -> dt.datetime:
    return dt.datetime.now(zoneinfo.ZoneInfo(DEFAULT_TIMEZONE))


def today() -> dt.date:
    return now().date()


def campaigns(desk: Desk, verdicts: bool = True) -> list[dict[str, Any]]:
    """Every file of the folder, as the campaigns list shows it (unread files with their sentence)."""
    rows = folder_rows(desk.campaigns, now())
    if verdicts:
        for row in rows:
            row |= verdict(desk, row).as_json()
    return rows


def verdict(desk: Desk, row: dict[str, Any]) -> Readability:
    if row["errors"]:
        return Readability.refused()
    try:
        path = campaign_file(desk.campaigns, row["file"])
    except TickerError as e:
        return Readability.refused(str(e))
    return desk.verdicts.of(path, desk.caches)


def detail(desk: Desk, name: str, lang: str | None = None) -> dict[str, Any]:
    """A campaign file as the editor opens it: its text and key, its fields, and what the CLI says of it (with
    `lang`, as a page in that language says it: ticker.desk.refusals)."""
    path = campaign_file(desk.campaigns, name)
    opened = open_text(path)
    out: dict[str, Any] = {"file": name, "key": opened.key, "text": opened.text, "errors": [], "fields": {}}
    out["form"] = form_fields(opened.text, channels(desk))
    try:
        campaign = check_text(path, opened.text)
    except TickerError as e:
        refused = _said(e, out["form"], lang, desk.campaigns)
        worded = [*refused.at.values(), *([refused.general] if refused.general else [])]
        out["errors"] = [str(e)] if lang is None else worded
        out["error_at"] = refused.at
        return out
    st = approval_state(campaign)
    history = audit.entries(path)
    asked = audit.open_request(history) if not st.approved else None
    out |= {
        "name": campaign.name,
        "title": campaign.title,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "status": campaign.status,
        "row": campaign_row(campaign, now(), asked is not None),
        "approval": st.as_json(campaign),
        "content_key": content_key(campaign),
        "fields": {f.key: f.value for f in out["form"]},
        "history": history,
        "letter": kept_any(path.parent, path.stem),  # the letter it was drafted from is kept (ticker.letters.kept)
        # the approver's open request for changes, and whether the words changed since it was made
        "requested": {**asked, "changed": asked.get("key") != content_key(campaign)} if asked else None,
    }
    return out


def edited(desk: Desk, name: str, text: str, form: dict[str, Any] | None) -> tuple[Path, str]:
    """The text an edit makes: the form's fields written into the text as loaded (comments kept)."""
    path = campaign_file(desk.campaigns, name)
    if form is not None:
        text = apply_fields(text, answers(form, form_fields(text, channels(desk))))
    return path, text


def _said(error: TickerError, fields: list[Field], lang: str | None, folder: Path) -> Said:
    """A refusal at its fields: the CLI's sentence at each (`lang` None: the API's), or worded for a page."""
    if lang is not None:
        return said(error, fields, lang, folder)
    at = {f.key: str(error) for r in error.refusals if (f := field_for(r, fields)) is not None}
    return Said(at, "" if at else str(error))


def check(desk: Desk, name: str, text: str, form: dict[str, Any] | None, lang: str | None = None) -> dict:
    """What the CLI says of an edit not saved yet, with the band's picture at the first output's size:
    {"errors": {field: sentence}, "error", "warnings", "notes", "figures", "png" (base64), "text"}; with
    `lang`, the refusal worded for a page in that language at its fields, the rest in "error", and what is
    said of a message at its field without the file's path."""
    out: dict[str, Any] = {"errors": {}, "error": None, "warnings": [], "notes": [], "figures": [], "png": None}
    out["text"] = text
    try:
        path, text = edited(desk, name, text, form)
        out["text"] = text
        check_assets(path, text, desk.campaigns)
        campaign = check_text(path, text)
        still = band_frame(campaign, shown=PREVIEW_WIDTH, caches=desk.caches)
        every = plan(campaign, caches=desk.caches) if len(campaign.outputs) + len(campaign.slots) > 1 else None
    except TickerError as e:
        if isinstance(e, NotFound):
            raise
        refused = _said(e, form_fields(out["text"], channels(desk)), lang, desk.campaigns)
        out["error"] = str(e) if lang is None else refused.general or None
        out["errors"] = refused.at
        return out
    # every output's warnings and notes, as `ticker check` says them: the picture is the first output's
    warnings = list(dict.fromkeys([*still.warnings, *(every.warnings if every else ())]))
    notes = list(dict.fromkeys([*still.notes, *(every.notes if every else ())]))
    remarks = [n for n in [*notes, *warnings] if isinstance(n, Remark) and n.key]
    plain = (lambda n: n) if lang is None else (lambda n: n.said if isinstance(n, Remark) else n)
    out["voids"] = approved_on_disk(path) and not approval_state(campaign).approved
    out |= {
        "warnings": [plain(w) for w in warnings],
        "notes": [plain(n) for n in notes],
        "said_at": {n.key: plain(n) for n in remarks},
        "figures": [still.figures],
        "png": base64.b64encode(still.png).decode("ascii"),
        "output": still.output,
    }
    return out


def approved_on_disk(path: Path) -> bool:
    """Whether the file as it is saved now airs with an approval (an edit that changes what airs voids it)."""
    try:
        return approval_state(load_campaign(path)).approved
    except TickerError:
        return False


def save(
    desk: Desk,
    user: User,
    name: str,
    text: str,
    if_match: str | None,
    form: dict[str, Any] | None = None,
    said: dict[str, str] | None = None,
) -> Opened:
    """The edit saved if the file is still the one opened (else Conflict, with both texts), by a user who may
    write what it changes: only an approver may change its [approval]. `said`: the audit trail's line says this
    instead ({"action": "restored version", "version": …}) of a plain "saved"."""
    path = desk.campaigns / name
    if if_match is not None and not os.path.lexists(path) and campaign_name_ok(name):
        raise Conflict(path, None, None, text)  # removed since it was opened
    path, text = edited(desk, name, text, form)
    check_assets(path, text, desk.campaigns)
    return _saved(user, path, text, if_match, said)


def create(desk: Desk, user: User, name: str, text: str) -> Opened:
    path = new_campaign_file(desk.campaigns, name)
    check_assets(path, text, desk.campaigns)
    return _saved(user, path, text, None)


def _saved(user: User, path: Path, text: str, if_match: str | None, said: dict[str, str] | None = None) -> Opened:
    """save_text, which decides on the very bytes it writes; an editor's text may not write, change or remove
    an approval (that is an approver's yes). Each save goes to the audit trail: who, when, and what changed (a
    unified diff of the file, at most DIFF_LINES lines)."""
    before = open_text(path).text if os.path.lexists(path) else ""
    try:
        saved = save_text(path, text, if_match, keep_approval=not user.may_approve)
    except ApprovalChanged:
        raise Forbidden(
            f"{path.name}: {user.name} is an editor; only an approver may change its [approval] table.",
            shown=(
                f"{user.name} là người soạn; chỉ người duyệt mới được sửa phần duyệt của tệp. Chưa lưu gì.",
                f"{user.name} is an editor; only an approver may change the file's approval. Nothing was saved.",
            ),
        ) from None
    diff = list(difflib.unified_diff(before.splitlines(), saved.text.splitlines(), "trước", "sau", n=1, lineterm=""))
    if len(diff) > DIFF_LINES:
        diff = [*diff[:DIFF_LINES], f"… ({len(diff) - DIFF_LINES} dòng nữa)"]
    entry = {"at": now().isoformat(timespec="seconds"), "action": "saved", "file": path.name,
             "by": user.name or "desk", "diff": "\n".join(diff[2:])} | (said or {})  # fmt: skip
    try:  # the file is saved: a trail that cannot take the line is said in the log, not as a failed save
        audit.append(path, entry)
    except TickerError as e:
        log.warning("%s", e)
    return saved


def frame_png(desk: Desk, name: str, output: int = 0, day: dt.date | None = None, shown: int | None = None) -> bytes:
    campaign = load_campaign(campaign_file(desk.campaigns, name))
    return band_frame(campaign, output, day, shown, desk.caches).png


def _preview_dir(desk: Desk, name: str, which: str) -> Path:
    """Where a file's previews go: one folder per file and kind ("proof": the saved file, for the approver;
    "moving": an edit not saved, for its editor), so that neither is ever shown as the other."""
    return desk.proofs / which / hashlib.sha256(name.encode("utf-8")).hexdigest()[:24]


def _proof_dir(desk: Desk, name: str, campaign: Campaign) -> Path:
    """Where the approver's proof of the file is while what it airs is `campaign`'s: a folder per content key,
    so that a proof is only ever served as the proof of what it was made from."""
    return _preview_dir(desk, name, "proof") / content_key(campaign).removeprefix("sha256:")


def preview(desk: Desk, user: User, name: str, text: str | None, form: dict[str, Any] | None, which: str) -> str:
    """Start making the proof page, its clip and contact sheet (`ticker preview`) of the file, or of an edit of
    it, in the background; its id in desk.previews, whose "made" is, once done, what the page says of the clip
    (PreviewFacts: its "seconds" and the "loop_seconds" it is cut from). The clip is of its loop's first
    seconds at most, one at a time for the file and the user (ticker.desk.previews). An edit that does not
    check is refused here, at once. The approver's proof of the saved file is kept by the content key of what
    it airs (_proof_dir), the older ones removed."""
    path = campaign_file(desk.campaigns, name)
    if text is not None:
        path, text = edited(desk, name, text, form)
        check_assets(path, text, desk.campaigns)
        campaign = check_text(path, text)
        folder = _preview_dir(desk, name, which)
    else:
        campaign = load_campaign(path)
        folder = _proof_dir(desk, name, campaign)

    def make(counted: Callable[[int, int], None]) -> PreviewFacts:
        data, _ = make_proof(campaign, folder, seconds=desk.previews.seconds, counted=counted)
        if text is None:
            for older in folder.parent.iterdir():  # the proofs of what the file aired before are not shown again
                if older != folder:
                    remove(older, ignore_errors=True)
        return data["preview"]

    return desk.previews.start(name, user.name, which, make)


def preview_file(desk: Desk, name: str, which: str, part: str) -> Path:
    """A part of the file's preview. The approver's proof is served only while the file airs what it was made
    from: one of an earlier version is refused (409), never shown as the file's."""
    campaign = load_campaign(campaign_file(desk.campaigns, name))
    folder = _preview_dir(desk, name, which) if which == "moving" else _proof_dir(desk, name, campaign)
    path = folder / f"{campaign.name}_{part}"
    if path.is_file() and not path.is_symlink():
        return path
    if which == "proof" and folder.parent.is_dir() and any(folder.parent.iterdir()):
        raise DeskError(
            f"{name}: the proof page was made from an earlier version of the file, not from what it airs now; "
            "make it again.",
            409,
            shown=("Trang duyệt này làm từ một bản cũ của tệp, không phải bản sẽ phát; hãy làm lại trang duyệt.",
                   "This proof was made from an earlier version of the file, not what airs now; make it again."),
        )  # fmt: skip
    raise NotFound(
        f"{name}: no preview made yet (make it on the page).",
        shown=("Chưa có bản xem trước; hãy tạo trên trang.", "No preview made yet; make it on the page."),
    )


def draft_from(desk: Desk, data: bytes, letter_name: str, abandon: Callable[[], None] | None = None) -> dict[str, Any]:
    """A letter read as `ticker draft` reads it (a Word or PDF letter in a child process, given up when `abandon`
    raises) and its draft saved as a new campaign file of the folder, the letter kept beside it."""
    channels = tuple(c.name for c in station.channels) if (station := station_of(desk)) else ()
    letter = letter_apart(data, Path(letter_name).name or "letter.txt", abandon)
    findings = read_findings(letter)
    with campaign_lock.hold(desk.campaigns):  # two drafts at once, or a save: never one name for two files
        path = _free_name(desk.campaigns, draft_name(findings), _names(desk))
        toml, status = draft_document(findings, desk.house, None, name=path.stem, channels=channels)
        try:  # the letter kept beside it first (ticker.letters.kept): a draft is never without its letter
            write_draft(path, toml, letter=(data, letter))
        except InputError:
            raise DeskError(f"{path.name}: the letter cannot be kept beside its draft; nothing was made.",
                            shown=WORDS["letter_not_kept"]) from None  # fmt: skip
    found = findings.as_json()
    return {"file": path.name, "status": status, "findings": found, "notes": list(letter.notes)}


def station_of(desk: Desk) -> Station | None:
    """The station file (None when there is none yet); one that cannot be read is refused, pointing to the
    settings page rather than naming the file on the server."""
    try:
        return load_station(desk.station)
    except TickerError as e:
        raise DeskError(f"{desk.station.name}: {str(e).split(': ', 1)[-1]}", shown=STATION_WORDS["broken"]) from None


def _names(desk: Desk) -> set[str]:
    """Every campaign.name the folder's files give, read or not (a file with a fault today may be fixed
    tomorrow): two files of one name, and nightly keeps only one of them."""
    return {name for _, name in named_files(desk.campaigns)}


def _free_name(folder: Path, base: str, taken: set[str]) -> Path:
    for n in range(1, 1000):
        path = folder / (f"{base}.toml" if n == 1 else f"{base}-{n}.toml")
        if not os.path.lexists(path) and path.stem not in taken and not kept_any(folder, path.stem):
            return path
    raise DeskError(
        f"a thousand drafts are named {base}; tidy the campaigns' folder first.",
        shown=(
            f"Đã có một nghìn bản nháp tên {base}; hãy dọn thư mục chiến dịch trước.",
            f"A thousand drafts are named {base}; tidy the campaigns' folder first.",
        ),
    )


def do_approve(desk: Desk, name: str, by: str, note: str, seen: str | None = None) -> dict[str, Any]:
    """`ticker approve` of the file, if what airs is still what the approver saw (`seen`: its content key) and
    the file does not change while it is approved (else Conflict, 409)."""
    path = campaign_file(desk.campaigns, name)
    approve(path, by, note, seen)
    campaign = load_campaign(path)
    return approval_state(campaign).as_json(campaign)


def request_changes(desk: Desk, name: str, by: str, note: str) -> dict[str, Any]:
    """An approver's "not like this": written to the audit trail with the comment; the file is unchanged."""
    path = campaign_file(desk.campaigns, name)
    campaign = load_campaign(path)
    if not note.strip():
        raise DeskError(
            "note: say what must change.",
            shown=("«Ghi chú»: hãy nói cần sửa gì.", "Note: say what must change."),
        )
    by, note = approver_name(by) if by.strip() else "desk", approval_note(note)
    entry = {"at": now().isoformat(timespec="seconds"), "action": "changes requested", "file": path.name,
             "by": by, "key": content_key(campaign), "note": note}  # fmt: skip
    audit.append(path, entry)
    return entry


def channels(desk: Desk) -> tuple[str, ...]:
    """The station's channels, as the edit form offers them (none when the station file is missing or has a
    mistake: the settings page says that)."""
    try:
        station = station_of(desk)
    except TickerError:
        return ()
    return tuple(c.name for c in station.channels) if station else ()


def folder_of(desk: Desk) -> tuple[list[Campaign], list[str]]:
    try:
        return load_folder(desk.campaigns)
    except TickerError:
        if desk.campaigns.is_dir():
            return [], []
        raise


def lock_free(desk: Desk) -> None:
    """LockedError (naming the holder) when a nightly run holds OUT's lock now; a lock that cannot be taken at
    all (a full disk, a link) is the CLI's sentence, and for a page the machine's administrator's to mend."""
    if desk.out.is_dir():
        try:
            with hold_lock(desk.out):
                pass
        except LockedError:
            raise
        except TickerError as e:
            raise DeskError(str(e), status_of(e), shown=(
                "Không bắt đầu được đêm dựng: thư mục phát không dùng được (ổ đĩa đầy, hoặc khóa không ghi được); "
                "hãy báo người quản trị máy.",
                "The night cannot start: the playout folder cannot be used (a full disk, or a lock it cannot "
                "write); tell the machine's administrator.")) from None  # fmt: skip


def report(desk: Desk, name: str, kind: str) -> tuple[bytes, str]:
    """`ticker report` for one campaign over its window, as bytes of the kind asked for (docx, html, json)."""
    return reporting.make(desk, name, reporting.ReportForm(kind=kind))
