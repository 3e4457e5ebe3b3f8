"""The JSON API under /api, which the pages use and automation can call. Errors are {"error": sentence} with
the CLI's sentence and the status: 400 bad input, 401 not logged in, 403 no CSRF token or not allowed, 404 no
such file, 409 changed on disk (with both texts) or a night already running, 422 a campaign that does not
check, 429 a login that must wait (Retry-After: its seconds). Every changing call needs the session's CSRF
token (GET /api/session gives it)."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import os
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ticker.desk import actions, calendar, days, reporting, settings
from ticker.desk import archive as archiving
from ticker.desk.guard import (
    FORM,
    DeskError,
    Me,
    NotFound,
    Unauthorised,
    approver,
    check_csrf,
    csrf_token,
    current_user,
    day_of,
    log_in,
    log_out,
)
from ticker.files.publish import open_regular
from ticker.letters import LETTER_LIMIT
from ticker.station import ChannelFields, StationFields, load_station
from ticker.station.file import NAME_KEYS

if TYPE_CHECKING:
    from ticker.desk.app import Desk

router = APIRouter(prefix="/api", dependencies=[Depends(check_csrf)])
LETTER_TYPES = (".txt", ".docx", ".pdf")
TEXT_TYPES = ("text/plain", "application/toml", "application/octet-stream", "")


def _desk(request: Request) -> Desk:
    return request.app.state.desk


class Login(BaseModel):
    name: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class Verdict(BaseModel):
    by: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)
    key: str | None = Field(None, max_length=200)  # the content key the approver saw (409 if it changed)


class Night(BaseModel):
    date: dt.date | None = None
    urgent: bool = False  # today, at once: what today needs and is not made yet (a campaign starting today)


@router.get("/session")
def session(request: Request) -> dict:
    """The session's CSRF token (to send as X-CSRF-Token) and who is logged in."""
    desk = _desk(request)
    try:
        user = current_user(request).name if desk.users is not None else None
    except Unauthorised:
        user = None
    return {"csrf": csrf_token(request), "user": user, "users": desk.users is not None}


@router.post("/login")
async def login(request: Request, body: Login) -> dict:
    """Log in (a new session and CSRF token); 401 if the name and password do not match, 429 after too many
    failures under the name or from the address, until Retry-After's seconds have passed."""
    if _desk(request).users is None:
        return {"user": None, "role": "approver"}
    user = await log_in(request, body.name, body.password)
    return {"user": user.name, "role": user.role}


@router.post("/logout")
def logout(request: Request) -> dict:
    """End the session: its cookie, kept and sent again, is refused (401)."""
    log_out(request)
    return {"user": None}


@router.get("/campaigns")
def list_campaigns(request: Request, user: Me) -> dict:
    """Every campaign file: file, name, title, start, end, state, errors, warnings, next_airing."""
    return {"campaigns": actions.campaigns(_desk(request))}


@router.get("/campaigns/{file}")
def get_campaign(request: Request, file: str, user: Me) -> JSONResponse:
    """The file's fields, its text and key (send it back as If-Match), its approval."""
    found = actions.detail(_desk(request), file)
    found.pop("form")
    return JSONResponse(found, headers={"ETag": f'"{found["key"]}"'})


async def _text(request: Request) -> str:
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind not in TEXT_TYPES:
        raise DeskError(f"send the campaign's TOML text as text/plain, not {kind[:60]}.", 415)
    body = await request.body()
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DeskError(f"the text is not UTF-8 (byte {e.start}); nothing was saved.") from None


@router.put("/campaigns/{file}")
async def put_campaign(
    request: Request, file: str, user: Me, if_match: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Save the TOML text (If-Match: the key it was loaded with). A new file needs no If-Match."""
    desk, text = _desk(request), await _text(request)
    key = if_match.strip().strip('"') if if_match else None
    try:
        saved = await run_in_threadpool(actions.save, desk, user, file, text, key)
        created = False
    except NotFound:
        if key is not None:
            raise
        saved, created = await run_in_threadpool(actions.create, desk, user, file, text), True
    return JSONResponse({"file": saved.path.name, "key": saved.key}, status_code=201 if created else 200)


@router.post("/campaigns/{file}/check")
async def check_campaign(request: Request, file: str, user: Me) -> dict:
    """What the CLI says of a text not saved yet, and its band's picture (PNG, base64)."""
    return await run_in_threadpool(actions.check, _desk(request), file, await _text(request), None)


@router.get("/campaigns/{file}/frame.png")
def frame(
    request: Request,
    file: str,
    user: Me,
    output: Annotated[int, Query(ge=0, le=999)] = 0,
    date: dt.date | None = None,
    width: Annotated[int | None, Query(ge=64, le=3840)] = None,
) -> Response:
    """A picture of the band at the output's size (the first output unless asked), drawn as it airs; with
    `width`, scaled to that many square pixels across at the output's display aspect."""
    png = actions.frame_png(_desk(request), file, output, date, width)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/campaigns/{file}/approve")
def approve(request: Request, file: str, body: Verdict, user: Me) -> dict:
    """Approve what the file airs now: by the logged-in approver (on a local desk, by the name given)."""
    by = approver(user).name or body.by
    if not by.strip():
        raise DeskError("by: give the approver's name.")
    return actions.do_approve(_desk(request), file, by, body.note, body.key)


@router.post("/campaigns/{file}/changes")
def changes(request: Request, file: str, body: Verdict, user: Me) -> dict:
    """Ask for changes, with a comment (the audit trail keeps it)."""
    by = approver(user).name or body.by
    return actions.request_changes(_desk(request), file, by, body.note)


@router.post("/campaigns/{file}/archive")
def archive(request: Request, file: str, user: Me) -> dict:
    """Take the campaign off the list and the air, into the archive (ticker.desk.archive); never deleted."""
    return archiving.archive(_desk(request), file, user)


@router.get("/archive")
def archived(request: Request, user: Me) -> dict:
    return {"archived": archiving.archived(_desk(request))}


@router.post("/archive/{file}/restore")
def restore(request: Request, file: str, user: Me) -> dict:
    """Put an archived campaign back, as it was (its approval with it)."""
    return archiving.restore(_desk(request), file, user)


@router.get("/campaigns/{file}/report.{kind}")
def report(request: Request, file: str, kind: str, user: Me) -> Response:
    """`ticker report` for the campaign: kind is docx, html or json."""
    data, name = actions.report(_desk(request), file, kind)
    return Response(data, media_type=reporting.REPORT_KINDS[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.post("/drafts")
async def draft(request: Request, user: Me) -> JSONResponse:
    """A letter (multipart field `letter`: .txt, .docx or .pdf) read into a draft campaign file."""
    return JSONResponse(await drafted(request), status_code=201)


async def drafted(request: Request) -> dict[str, Any]:
    """The request's letter read into a draft file (actions.draft_from). A Word or PDF letter is read in a child
    process, given up (the child killed) as soon as the request ends (its client gone, the desk stopping):
    nobody waits for it then, and it must not go on taking a core."""
    data, name = await letter_upload(request)
    desk, ended = _desk(request), threading.Event()

    def abandon() -> None:
        if desk.stopping.is_set():
            raise DeskError("the desk is stopping; send the letter again once it is back.", 503,
                            shown=("Bàn điều hành đang dừng; hãy gửi lại công văn khi nó chạy lại.",
                                   "The desk is stopping; send the letter again once it is back."))  # fmt: skip
        if ended.is_set():
            raise DeskError(f"{name}: the request ended before the letter was read.",
                            shown=("Yêu cầu đã dừng trước khi đọc xong công văn; hãy gửi lại.",
                                   "The request ended before the letter was read; send it again."))  # fmt: skip

    gone = asyncio.ensure_future(_disconnected(request, ended))
    try:
        return await run_in_threadpool(actions.draft_from, desk, data, name, abandon)
    finally:
        ended.set()  # cancelled too (the desk's grace at its stop is over): the reading ends with the request
        gone.cancel()


async def _disconnected(request: Request, ended: threading.Event) -> None:
    """Sets `ended` when the client has gone: its body read, all that a request receives after is the disconnect."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
    ended.set()


async def letter_upload(request: Request) -> tuple[bytes, str]:
    """The uploaded letter's bytes and name, or the pasted text as a .txt; bounded before it is read."""
    form = await request.form(**FORM)  # BodyLimit bounds the whole body
    upload = form.get("letter")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:120]
        if not name.lower().endswith(LETTER_TYPES):
            raise DeskError(
                f"{name}: a letter is a .txt, .docx or .pdf file.",
                415,
                shown=(
                    f"«Công văn» {name}: hãy chọn tệp .txt, .docx hoặc .pdf.",
                    f"Letter {name}: choose a .txt, .docx or .pdf file.",
                ),
            )
        data = await upload.read(LETTER_LIMIT + 1)
        return data, name
    pasted = form.get("pasted") if upload is None or not isinstance(upload, str) else upload
    if isinstance(pasted, str) and pasted.strip():
        return pasted.encode("utf-8"), "cong-van.txt"
    raise DeskError(
        "letter: paste the letter or choose its file.",
        shown=("«Công văn»: hãy dán nội dung hoặc chọn tệp công văn.", "Letter: paste the letter or choose its file."),
    )


@router.get("/schedule")
def schedule(
    request: Request,
    user: Me,
    first: Annotated[dt.date | None, Query(alias="from")] = None,
    last: Annotated[dt.date | None, Query(alias="to")] = None,
) -> dict:
    """What airs when on each channel, from one day to another (a week from today unless given)."""
    first = first or actions.today()
    return calendar.schedule(_desk(request), first, last or first + dt.timedelta(days=6))


@router.post("/nights", status_code=202)
def start_night(request: Request, body: Night, user: Me) -> dict:
    """Render a day now, in the background (the nightly timer's lock: one run at a time); a job id."""
    desk = _desk(request)
    if body.date is None and not body.urgent:
        raise DeskError("date: give the day to render (YYYY-MM-DD), or urgent: true for today.")
    day = actions.today() if body.urgent or body.date is None else body.date
    actions.lock_free(desk)  # 409 now, naming who holds it, rather than a job that fails
    return {"job": desk.jobs.start(desk.campaigns, desk.out, day, records=desk.records), "date": day.isoformat()}


@router.get("/jobs/{job}")
def job(request: Request, job: str, user: Me) -> dict:
    found = _desk(request).jobs.get(job)
    if found is None:
        raise NotFound(f"{job[:40]!r}: no such job (jobs are kept while the desk runs).")
    return found


@router.get("/nights")
def list_nights(request: Request, user: Me) -> dict:
    return {"nights": days.nights(_desk(request))}


@router.get("/nights/{date}")
def night(request: Request, date: str, user: Me, verify: bool = False) -> dict:
    """The day's manifest, every file with its QC verdict, size and SHA-256 (verify=true hashes them again)."""
    return days.night(_desk(request), day_of(date), verify)


@router.get("/nights/{date}/log")
def night_log(request: Request, date: str, user: Me) -> PlainTextResponse:
    return PlainTextResponse(days.night_log(_desk(request), day_of(date)))


@router.get("/nights/{date}/files/{name}")
def night_file(request: Request, date: str, name: str, user: Me) -> StreamingResponse:
    day = day_of(date)
    path, checked = days.night_file(_desk(request), day, name)
    try:
        f = open_regular(path)  # never through a link, even one made since it was looked at
    except OSError:
        raise NotFound(f"{days.in_day(path.name, day)}: is not a regular file of the day folder.") from None
    st = os.fstat(f.fileno())
    if (st.st_dev, st.st_ino) != checked:  # another file put under its name since it was checked
        f.close()
        raise NotFound(f"{days.in_day(path.name, day)}: changed while it was being fetched; try again.")
    size = st.st_size

    def chunks() -> Iterator[bytes]:
        with f:
            while block := f.read(1 << 20):
                yield block

    headers = {"Content-Length": str(size), "Content-Disposition": f'attachment; filename="{path.name}"'}
    return StreamingResponse(chunks(), media_type="application/octet-stream", headers=headers)


Number = int | Annotated[str, Field(max_length=40)]  # a number, or a text the station file takes ("0x0100", "4M")


class NetworkBody(BaseModel):
    """A channel's [channel.network], as the station file writes it (ticker.station.Network)."""

    model_config = ConfigDict(extra="forbid")
    original_network_id: Number | None = None
    transport_stream_id: Number | None = None
    service_id: Number | None = None
    pmt_pid: Number | None = None
    video_pid: Number | None = None
    audio_pid: Number | None = None
    service_type: Number | None = None  # none: from the encoder and the picture format
    encoder: str | None = Field(None, max_length=20)
    preset: str | None = Field(None, max_length=100)
    bitrate: Number | None = None
    ttl: Number | None = None
    interface: str | None = Field(None, max_length=100)


class ChannelBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200)
    picture: str | None = Field(None, max_length=40)  # a profile's id
    essential: bool = True
    must_carry: bool = False  # relayed intact: nothing is inserted into it
    network: NetworkBody | None = None  # none: no transport stream


class StationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=500)
    short: str = Field("", max_length=200)
    place: str = Field("", max_length=200)
    signer_title: str = Field("", max_length=200)  # empty: GIÁM ĐỐC
    signer: str = Field("", max_length=200)
    channels: list[ChannelBody] = Field(default_factory=list, max_length=settings.MOST_CHANNELS)


@router.get("/station")
def get_station(request: Request, user: Me) -> JSONResponse:
    """The station settings: its names, time zone and channels (null when there is no station file yet), and
    the key to send back as If-Match; `error` when the file cannot be read as it is."""
    desk = _desk(request)
    current = settings.opened(desk)
    station = None
    if current.exists and current.error is None:
        station = settings.station_json(load_station(desk.station))
    error = None if current.error is None else str(current.error)
    headers = {"ETag": f'"{current.key}"'} if current.key else {}
    return JSONResponse({"station": station, "key": current.key or None, "error": error}, headers=headers)


@router.put("/station")
def put_station(
    request: Request, body: StationBody, user: Me, if_match: Annotated[str | None, Header()] = None
) -> dict:
    """Save the station settings (an approver; If-Match: the key they were read with, none for a file not made
    yet): 409 if the file changed since, 422 naming the key refused. A channel keeps the comments of the
    channel of its name in the file."""
    desk = _desk(request)
    current = settings.opened(desk)
    sources = {c.name: c.source for c in current.fields.channels}
    fields = StationFields(
        {k: getattr(body, k) for k in NAME_KEYS},
        tuple(
            ChannelFields(
                c.name,
                c.picture or "",
                c.essential,
                {k: "" if v is None else str(v) for k, v in (c.network.model_dump() if c.network else {}).items()},
                sources.get(c.name),
                c.must_carry,
            )
            for c in body.channels
        ),
    )
    key = if_match.strip().strip('"') if if_match else None
    written, station = settings.save(desk, user, fields, key)
    return {"key": written, "station": settings.station_json(station)}


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    """The OpenAPI description as a page (the desk loads nothing from the internet)."""
    spec = request.app.openapi()
    rows = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            what = html.escape(op.get("description") or op.get("summary") or "")
            rows.append(f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}</code></td>"
                        f"<td>{what}</td></tr>")  # fmt: skip
    page = (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>ticker desk API</title>"
        "<link rel='stylesheet' href='/static/desk.css'><main><h1>ticker desk API</h1>"
        f"<p>{html.escape(__doc__ or '')}</p><p><a href='/api/openapi.json'>openapi.json</a></p>"
        f"<table>{''.join(rows)}</table></main></html>"
    )
    return HTMLResponse(page)
