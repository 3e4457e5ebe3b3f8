"""The desk's pages, server-rendered (Jinja2, every value escaped) with htmx for the parts that change in
place: the campaigns' readability, the edit form's preview and errors, the approval, the night's progress.
Each page only calls ticker.desk.actions; a refusal is shown as its one sentence."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response

from ticker.campaign.editing import Conflict, open_text
from ticker.desk import actions, alarms, days, diffs, reporting, settings
from ticker.desk import archive as archiving
from ticker.desk.api import drafted
from ticker.desk.fields import date_given, form_fields
from ticker.desk.guard import (
    CSP,
    FORM,
    DeskError,
    Me,
    NotFound,
    approver,
    campaign_file,
    check_csrf,
    day_of,
    log_in,
    log_out,
    status_of,
)
from ticker.desk.overview import STATES
from ticker.desk.refusals import Said, page_sentence
from ticker.desk.rendering import page_lang, render, when
from ticker.desk.users import User
from ticker.desk.words import LANGS, words
from ticker.errors import InputError, TickerError
from ticker.files.inputs import size_text

if TYPE_CHECKING:
    from ticker.desk.app import Desk

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


def error_page(request: Request, status: int, sentence: str) -> Response:
    if status == 401:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return render(request, "error.html", status, sentence=sentence, page="")


def error_fragment(request: Request, status: int, sentence: str) -> Response:
    """A refusal where htmx swaps it in (the page's place for it), with its status."""
    return render(request, "saved.html", status, sentence=sentence, login=status == 401)


def _desk(request: Request) -> Desk:
    return request.app.state.desk


def _local_next(value: Any) -> str:
    """Where to go after: a path of this desk only (never another site)."""
    text = value if isinstance(value, str) else "/"
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", page="", next=_local_next(next), sentence="")


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    users = _desk(request).users
    target = _local_next(form.get("next"))
    if users is None:
        return RedirectResponse(target, status_code=303)
    name, password = str(form.get("name", ""))[:200], str(form.get("password", ""))[:1000]
    lang = page_lang(request)
    try:
        await log_in(request, name, password)
    except DeskError as e:  # 401, or 429 while the name or the address must wait
        sentence = words(lang)["login"] + ": " + e.said(lang)
        page = render(request, "login.html", e.status, page="", next=target, sentence=sentence)
        page.headers.update(e.headers)
        return page
    request.session["lang"] = lang
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    log_out(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{lang}")
def language(request: Request, lang: str, next: str = "/") -> Response:
    if lang not in LANGS:
        raise NotFound(
            f"{lang[:10]!r}: the desk speaks vi and en.",
            shown=("Bàn điều hành nói tiếng Việt và tiếng Anh.", "The desk speaks Vietnamese and English."),
        )
    request.session["lang"] = lang
    return RedirectResponse(_local_next(next), status_code=303)


INBOX = ("pending", "changes", "draft")  # the states a person has work in: to approve, to change, to finish


@router.get("/")
def campaigns(request: Request, user: Me, state: str = "") -> Response:
    """Every campaign, or those of one state (`state`); above them what waits for someone, with a link each: to
    approve (an approver's first), to change, to finish."""
    desk = _desk(request)
    rows = actions.campaigns(desk, verdicts=False)
    for r in rows:
        r["next_airing_shown"] = when(r["next_airing"]) if r.get("next_airing") else ""
    waiting = {k: sum(r.get("state") == k for r in rows) for k in INBOX}
    waiting["voided"] = sum(bool(r.get("voided")) for r in rows)  # to approve again: a change voided it
    order = ("voided", *INBOX) if user.may_approve else ("changes", "draft", "pending")
    shown = [r for r in rows if r.get("state") == state or (state == "voided" and r.get("voided"))]
    shown = shown if state in (*STATES, "voided") else rows
    return render(request, "campaigns.html", page="campaigns", rows=shown, waiting=waiting, order=order,
                  chosen=state if state in (*STATES, "voided") else "", failed=alarms.failed_nights(desk))  # fmt: skip


@router.get("/campaigns/{file}/verdict")
def verdict(request: Request, file: str, user: Me) -> Response:
    campaign_file(_desk(request).campaigns, file)
    row = {"file": file, "errors": []}
    return render(request, "verdict.html", v=actions.verdict(_desk(request), row))


@router.get("/new")
def new_page(request: Request, user: Me) -> Response:
    return render(request, "new.html", page="new", sentence="")


@router.post("/new")
async def new(request: Request, user: Me) -> Response:
    try:
        made = await drafted(request)
    except TickerError as e:
        lang = page_lang(request)
        if isinstance(e, DeskError) or not isinstance(e, InputError):
            said = page_sentence(e, status_of(e), lang, _desk(request).campaigns)
        else:  # the letter itself: not one ticker can read
            said = words(lang)["letter_unread"]
        return render(request, "new.html", status_of(e), page="new", sentence=said)
    return RedirectResponse(f"/edit/{quote(made['file'])}?drafted=1", status_code=303)


@router.get("/edit/{file}")
def edit(request: Request, file: str, user: Me, saved: bool = False) -> Response:
    d = actions.detail(_desk(request), file, page_lang(request))
    return render(request, "edit.html", page="", file=file, d=d, saved=saved)


async def _form(request: Request) -> dict[str, Any]:
    """The posted form, a value a key; a slot's or output's channels (a box each) as one comma-joined value."""
    form = await request.form(**FORM)
    found = {k: v for k, v in form.items() if isinstance(v, str)}
    for key in {k for k in form if k.endswith("].channels")}:
        found[key] = ", ".join(v for v in form.getlist(key) if isinstance(v, str) and v.strip())
    return found


@router.post("/edit/{file}/check")
async def edit_check(request: Request, file: str, user: Me) -> Response:
    campaign_file(_desk(request).campaigns, file)
    form = await _form(request)
    base = form.get("base", "")
    c = await run_in_threadpool(actions.check, _desk(request), file, base, form, page_lang(request))
    fields = form_fields(base, actions.channels(_desk(request)))
    return render(request, "check.html", c=c, fields=fields, file=file, typed=form)


async def _save(request: Request, file: str, user: User, text: str, form: dict[str, Any] | None) -> Response:
    """Saved, and the edit page opened again on what was written; or the conflict: how the two differ, beside
    the form (its text kept to save over theirs)."""
    key = (await _form(request)).get("key") or None
    try:
        await run_in_threadpool(actions.save, _desk(request), user, file, text, key, form)
    except Conflict as e:
        page = render(request, "conflict.html", file=file, **diffs.conflict(e))
        page.headers.update(diffs.RETARGET)
        return page
    return Response(status_code=204, headers={"HX-Redirect": f"/edit/{quote(file)}?saved=1"})


@router.post("/edit/{file}/save")
async def edit_save(request: Request, file: str, user: Me) -> Response:
    form = await _form(request)
    return await _save(request, file, user, form.get("base", ""), form)


@router.get("/edit/{file}/toml")
def toml_page(request: Request, file: str, user: Me) -> Response:
    opened = open_text(campaign_file(_desk(request).campaigns, file))
    return render(request, "toml.html", page="", file=file, text=opened.text, key=opened.key)


@router.post("/edit/{file}/archive")
def archive_page_action(request: Request, file: str, user: Me) -> Response:
    """Archive from the edit page (htmx, after its question): back to the list, which no longer shows it."""
    archiving.archive(_desk(request), file, user)
    return Response(status_code=204, headers={"HX-Redirect": "/"})


@router.get("/archive")
def archive_page(request: Request, user: Me) -> Response:
    return render(request, "archive.html", page="", rows=archiving.archived(_desk(request)))


@router.post("/archive/{file}/restore")
def restore_page_action(request: Request, file: str, user: Me) -> Response:
    archiving.restore(_desk(request), file, user)
    return RedirectResponse(f"/edit/{quote(file)}", status_code=303)


@router.post("/edit/{file}/toml")
async def toml_save(request: Request, file: str, user: Me) -> Response:
    form = await _form(request)
    return await _save(request, file, user, form.get("text", ""), None)


@router.get("/approve/{file}")
def approve_page(request: Request, file: str, user: Me) -> Response:
    d = actions.detail(_desk(request), file, page_lang(request))
    return render(request, "approve.html", page="", file=file, d=d)


@router.post("/approve/{file}")
async def approve(request: Request, file: str, user: Me) -> Response:
    """Approve or ask for changes; a refusal (not an approver, changed since seen) is shown where the answer goes."""
    form = await _form(request)
    by = approver(user).name or str(form.get("by", ""))
    note = str(form.get("note", ""))[:4000]
    if form.get("action") == "changes":
        actions.request_changes(_desk(request), file, by, note)
        said = words(page_lang(request))["request_changes"] + ": " + note
    else:
        done = actions.do_approve(_desk(request), file, by, note, str(form.get("seen", "")) or None)
        at = dt.datetime.fromisoformat(done["at"]).strftime("%H:%M %d/%m/%Y")  # the campaign's own time
        said = words(page_lang(request))["approval_ok"].format(by=done["by"], at=at)  # no path, no command
    return render(request, "verdict_done.html", sentence="", said=said)


PROOF_PARTS = {"": ("proof.html", "text/html; charset=utf-8"), "preview.webp": ("preview.webp", "image/webp"),
               "preview.mp4": ("preview.mp4", "video/mp4"), "contact.png": ("contact.png", "image/png")}  # fmt: skip


@router.get("/proof/{file}")
@router.get("/proof/{file}/{part}")
@router.get("/moving/{file}")
@router.get("/moving/{file}/{part}")
def proof_file(request: Request, file: str, user: Me, part: str = "") -> Response:
    which = request.url.path.split("/")[1]
    if part not in PROOF_PARTS:
        raise NotFound(f"{request.url.path[:120]}: no such page or file.")
    name, kind = PROOF_PARTS[part]
    path = actions.preview_file(_desk(request), file, which, name)
    return FileResponse(path, media_type=kind, headers={"Content-Security-Policy": CSP})


@router.get("/nights")
def nights(request: Request, user: Me) -> Response:
    tomorrow = actions.today() + dt.timedelta(days=1)
    desk = _desk(request)
    runs = desk.jobs.shown()  # the runs this desk started: those queued or underway, and the last few ended
    windows = [r for r in actions.campaigns(desk, verdicts=False) if r.get("state") in ("approved", "airing")]
    return render(request, "nights.html", page="nights", nights=days.nights(desk), tomorrow=tomorrow, runs=runs,
                  windows=windows)  # fmt: skip


@router.post("/nights")
async def start_night(request: Request, user: Me) -> Response:
    form = await _form(request)
    desk = _desk(request)
    day = actions.today() if form.get("urgent") else day_of(date_given(str(form.get("date", ""))))
    actions.lock_free(desk)  # a run holds OUT: its holder named, where the progress bar would be
    job = desk.jobs.start(desk.campaigns, desk.out, day, records=desk.records)
    return render(request, "job.html", j=desk.jobs.get(job))


@router.get("/jobs/{job}")
def job(request: Request, job: str, user: Me) -> Response:
    found = _desk(request).jobs.get(job)
    if found is None:
        raise NotFound(
            f"{job[:40]!r}: no such job.",
            shown=(
                "Không có lượt dựng này (bàn điều hành đã khởi động lại?).",
                "No such run (the desk was started again?).",
            ),
        )
    page = render(request, "job.html", j=found)
    if found["state"] in ("done", "failed"):  # polled while it ran: the nights table loads again
        page.headers["HX-Trigger"] = "night-ended"
    return page


@router.get("/nights/{date}")
def night(request: Request, date: str, user: Me) -> Response:
    desk, day = _desk(request), day_of(date)
    try:
        m = days.night(desk, day)
    except NotFound as e:
        return render(request, "night.html", page="nights", date=day.isoformat(), sentence=e.said(page_lang(request)))
    for f in m["files"]:
        f["size_shown"] = size_text(f["bytes"])
    try:
        log = days.night_log(desk, day)
    except (NotFound, TickerError):
        log = ""
    return render(request, "night.html", page="nights", date=day.isoformat(), m=m, log=log, sentence="")


@router.get("/reports")
def reports(request: Request, user: Me) -> Response:
    return render(request, "reports.html", page="reports", rows=actions.campaigns(_desk(request), verdicts=False))


@router.get("/reports/{file}")
def report_page(request: Request, file: str, user: Me) -> Response:
    return render(request, "report.html", page="reports", p=reporting.page(_desk(request), file, actions.today()),
                  form=reporting.ReportForm(), sentence="")  # fmt: skip


async def _upload(form: Any, key: str) -> reporting.Upload | None:
    part = form.get(key)
    if part is None or isinstance(part, str) or not part.filename:
        return None
    return reporting.Upload(part.filename[-120:], await part.read(reporting.UPLOAD_LIMIT + 1))


@router.post("/reports/{file}")
async def report_make(request: Request, file: str, user: Me) -> Response:
    """The report as a download; or the page again with what is refused, in its language."""
    form = await request.form(**FORM)
    kind = str(form.get("kind", "docx"))
    asked = reporting.ReportForm(
        kind=kind,
        first=str(form.get("from", "")),
        last=str(form.get("to", "")),
        as_run=await _upload(form, "as_run"),
        as_run_kind="casparcg" if form.get("as_run_kind") == "casparcg" else "csv",
        channel=str(form.get("channel", "")),
        still=await _upload(form, "still"),
    )
    desk = _desk(request)
    try:
        data, name = await run_in_threadpool(reporting.make, desk, file, asked)
    except DeskError as e:
        p = reporting.page(desk, file, actions.today())
        return render(
            request, "report.html", e.status, page="reports", p=p, form=asked, sentence=e.said(page_lang(request))
        )
    return Response(data, media_type=reporting.REPORT_KINDS[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _settings(request: Request, user: User, fields: Any, key: str, status: int = 200, **values: Any) -> Response:
    """The settings page over `fields`, with what it says of them (`error`: a refusal, said at its fields)."""
    form = settings.sheet(fields)
    error = values.pop("error", None)
    said, open_rows = settings.said(error, form, page_lang(request)) if error is not None else (Said(), set())
    return render(request, "settings.html", status, page="settings", sheet=form, key=key, said=said,
                  open_rows=open_rows, may_save=user.may_approve, hints=settings.HINTS, options=settings.OPTIONS,
                  **{"exists": True, **values})  # fmt: skip


@router.get("/settings")
def settings_page(request: Request, user: Me, saved: bool = False) -> Response:
    current = settings.opened(_desk(request))
    return _settings(request, user, current.fields, current.key, exists=current.exists, error=current.error,
                     saved=saved)  # fmt: skip


@router.post("/settings")
async def settings_save(request: Request, user: Me) -> Response:
    """Saved by an approver (and the page opened again on what was written); a row added or removed (not saved
    yet); or the page again with what is refused, at its field."""
    form = await _form(request)
    fields, key, action = settings.from_form(form), str(form.get("key", "")), str(form.get("action", "save"))
    if action == "add" and user.may_approve:
        return _settings(request, user, settings.added(fields), key, unsaved=True)
    if action.startswith("remove-") and action[7:].isdigit() and user.may_approve:
        return _settings(request, user, settings.removed(fields, int(action[7:])), key, unsaved=True)
    try:
        await run_in_threadpool(settings.save, _desk(request), user, fields, key)
    except DeskError as e:
        return _settings(request, user, fields, key, e.status, error=e)
    return RedirectResponse("/settings?saved=1", status_code=303)
