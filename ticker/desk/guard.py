"""Who may do what at the desk, and which files a request may name.

Every file a request names is a plain name looked up in one folder (CAMPAIGN_DIR for campaigns, OUT for the
nights' day folders), never a path: a name with a slash, a dot at its start, a link or anything that is not a
regular file is "not found" (404), so a request cannot reach outside the folders the desk was started on.

Sessions are Starlette's signed cookies naming a live session of the desk (ticker.desk.sessions): who is
logged in is checked against that table and the users file as it is now at every request. Every request that
changes something (POST, PUT, DELETE) carries the session's CSRF token, in the X-CSRF-Token header (htmx and
the API) or a `csrf` form field (plain forms), or is refused with 403: a page on another site cannot make the
browser act for the user, even on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import math
import os
import re
import secrets
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ticker.campaign.editing import Changed
from ticker.campaign.tables import invisible
from ticker.desk.sessions import Logins
from ticker.desk.users import User
from ticker.errors import ConfigError, LockedError, Refusal, TickerError
from ticker.station import STATION_FILE

LOCAL_USER = User(name="", role="approver")  # the one user of a desk on 127.0.0.1 without --users
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_LIMIT = 21 * 1024 * 1024  # bytes of a request: a letter of LETTER_LIMIT (20 MiB) and its form
# what a form may hold, read once: the station settings' (ticker.desk.settings) hold 17 fields a channel
FORM = dict(max_files=2, max_fields=4000, max_part_size=BODY_LIMIT)  # the report page sends two files
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)  # the desk's own script (htmx) and nothing else, on every response
TOO_LARGE = f"the request is larger than {BODY_LIMIT // (1024 * 1024)} MB; nothing was read."


class DeskError(TickerError):
    """A request refused at the desk: one sentence and its HTTP status (the class's, or `status` when it is
    made). `refusals`: the fields it is about, in parts, for the page to word at them; `shown`: the sentence
    as a page shows it, (Vietnamese, English), when `sentence` names what a page must not (a path on the
    server, a command)."""

    status = 400
    exit_status = 2

    def __init__(
        self,
        sentence: str,
        status: int | None = None,
        refusals: tuple[Refusal, ...] = (),
        shown: tuple[str, str] | None = None,
    ):
        super().__init__(sentence)
        self.sentence, self.refusals, self.shown = sentence, refusals, shown
        if status is not None:
            self.status = status
        self.headers: dict[str, str] = {}

    def said(self, lang: str) -> str:
        """The sentence as a page in `lang` ("vi", "en") shows it: its own words when it has them."""
        return self.sentence if self.shown is None else self.shown[1 if lang == "en" else 0]


class NotFound(DeskError):
    status = 404


class Forbidden(DeskError):
    status = 403


class Unauthorised(DeskError):
    status = 401


class TooMany(DeskError):
    """A sign-in that must wait (429), with the seconds in Retry-After."""

    status = 429

    def __init__(self, sentence: str, seconds: float, shown: tuple[str, str] | None = None):
        super().__init__(sentence, shown=shown)
        self.headers["Retry-After"] = str(math.ceil(seconds))


def status_of(error: Exception) -> int:
    """The HTTP status of a refusal, decided here only: a DeskError's own; 409 when a file changed since it was
    read or a nightly run holds OUT; 422 for a campaign's text refused; 400 for any other input."""
    if isinstance(error, DeskError):
        return error.status
    if isinstance(error, Changed | LockedError):
        return 409
    if isinstance(error, ConfigError):
        return 422
    return 400


@dataclass(frozen=True)
class Folders:
    campaigns: Path
    out: Path


def _shown(name: str) -> str:
    return repr(name[:80])


def campaign_name_ok(name: str) -> bool:
    """A plain *.toml name of one folder (any letters, as the CLI takes them): no slash, no leading dot, no
    control or invisible character, in NFC; not the station file's (station.toml, which is no campaign)."""
    return (
        name.endswith(".toml")
        and name != STATION_FILE
        and 5 < len(name) <= 200
        and not name.startswith(".")
        and not any(c in name for c in "/\\")
        and unicodedata.normalize("NFC", name) == name
        and invisible(name) is None
    )


def campaign_file(folder: Path, name: str) -> Path:
    """The campaign file `name` in the folder: a plain *.toml name of a regular file there, else NotFound."""
    if not campaign_name_ok(name):
        raise _no_campaign(name)
    path = folder / name
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        raise _no_campaign(name) from None
    if not stat.S_ISREG(mode):
        raise _no_campaign(name, " (it is not a regular file)")
    return path


def _no_campaign(name: str, why: str = "") -> NotFound:
    """A campaign the folder does not hold, said without the folder's path on the server."""
    return NotFound(
        f"{_shown(name)}: no such campaign file in the campaigns' folder{why}.",
        shown=(f"Không có chiến dịch {_shown(name)}.", f"There is no campaign {_shown(name)}."),
    )


def new_campaign_file(folder: Path, name: str) -> Path:
    """Where a new campaign file `name` goes: a plain *.toml name not taken yet."""
    if not campaign_name_ok(name):
        raise NotFound(
            f"{_shown(name)}: not a campaign file's name (a plain name ending .toml).",
            shown=(
                f"«Tên tệp» {_shown(name)} không dùng được: hãy đặt một tên thường, kết thúc bằng .toml.",
                f"File name {_shown(name)} cannot be used: give a plain name ending .toml.",
            ),
        )
    path = folder / name
    if os.path.lexists(path):
        raise DeskError(
            f"{_shown(name)}: exists; choose another name.",
            shown=(
                f"«Tên tệp» {_shown(name)} đã có; hãy chọn tên khác.",
                f"File name {_shown(name)} is taken; choose another.",
            ),
        )
    return path


def day_of(text: str) -> dt.date:
    """A date in a path (YYYY-MM-DD), else NotFound."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise NotFound(
        f"{_shown(text)}: not a day (give it as YYYY-MM-DD).",
        shown=(f"{_shown(text)} không phải là một ngày (ngày/tháng/năm, như 12/3/2020).",
               f"{_shown(text)} is not a day (day/month/year, such as 12/3/2020)."),
    )  # fmt: skip


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    """Refuses (403) a changing request without the session's CSRF token."""
    if request.method not in UNSAFE:
        return
    expected = request.session.get("csrf")
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form(**FORM)).get("csrf")
        given = field if isinstance(field, str) else None
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        refused = Forbidden(
            "the request carries no valid CSRF token (reload the page, or GET /api/session first).",
            shown=(
                "Trang này mở từ trước lần đăng nhập mới nhất; hãy bấm lại một lần nữa (những gì đã gõ vẫn còn).",
                "This page was opened before the latest login; do it once more (what you typed is kept).",
            ),
        )
        # the session's own token, to the page of this same site that asked (the desk's script takes it up, so
        # that a page open across a new login goes on without a reload that would lose what was typed)
        refused.headers["X-CSRF-Renewed"] = csrf_token(request)
        raise refused


def current_user(request: Request) -> User:
    """The logged-in user with the role the users file gives now; on a local desk without users, the one local
    user. A session whose user was removed, or whose password was set anew since the login, is ended."""
    desk = request.app.state.desk
    if desk.users is None:
        return LOCAL_USER
    sid = request.session.get("sid")
    live = desk.sessions.get(sid) if isinstance(sid, str) else None
    if live is not None:
        users = desk.users.now()
        user, stamp = users.get(live.name), users.stamp(live.name)
        if user is not None and stamp is not None and hmac.compare_digest(stamp, live.stamp):
            return user
        desk.sessions.end(sid)
    raise Unauthorised(
        "log in first (POST /api/login, or the login page).",
        shown=(
            "Phiên đăng nhập đã hết. Hãy đăng nhập lại ở thẻ mới, rồi làm lại việc vừa rồi ở trang này: những gì "
            "đã gõ vẫn còn.",
            "Your session has ended. Log in again in a new tab, then do it again on this page: what you typed is kept.",
        ),
    )


async def log_in(request: Request, name: str, password: str) -> User:
    """The user whose name and password these are, and the request's session begun anew as theirs (a new id and
    CSRF token); Unauthorised if they do not match, TooMany while the name or the address must wait."""
    desk = request.app.state.desk
    logins, address = desk.logins, request.client.host if request.client else ""
    _refuse_while_waiting(logins, name, address)  # at once, without queueing for a turn
    async with logins.turn():
        _refuse_while_waiting(logins, name, address)  # again: others may have failed while it queued
        users = await run_in_threadpool(desk.users.now)  # the file as it is now (read again here if it changed)
        user = await run_in_threadpool(users.verify, name, password)
        if user is None:
            logins.failed(name, address)
            raise Unauthorised(
                "that name and password do not match a user of this desk.",
                shown=("tên và mật khẩu này không khớp với người dùng nào.", "that name and password match no user."),
            )
        logins.succeeded(name)
    log_out(request)  # the session it came with, if any, is not carried on
    request.session["sid"] = desk.sessions.begin(user.name, users.stamp(user.name) or "")
    csrf_token(request)
    return user


def _refuse_while_waiting(logins: Logins, name: str, address: str) -> None:
    if found := logins.wait(name, address):
        what, seconds = found
        whose, n = ("under this name" if what == "name" else "from this address"), math.ceil(seconds)
        sentence = f"too many failed logins {whose}; try again in {n} second{'s' * (n != 1)}."
        vi = "với tên này" if what == "name" else "từ địa chỉ này"
        raise TooMany(
            sentence, seconds, shown=(f"đăng nhập sai quá nhiều lần {vi}; hãy thử lại sau {n} giây.", sentence)
        )


def log_out(request: Request) -> None:
    """The session ended for good: its cookie, even kept and sent again, is no one's any more."""
    sid = request.session.get("sid")
    if isinstance(sid, str):
        request.app.state.desk.sessions.end(sid)
    request.session.clear()


Me = Annotated[User, Depends(current_user)]  # the logged-in user (on a local desk, its one user)


def approver(user: User) -> User:
    if not user.may_approve:
        raise Forbidden(
            f"{user.name} is an editor; only an approver may approve or ask for changes.",
            shown=(f"{user.name} là người soạn; chỉ người duyệt mới được duyệt hoặc yêu cầu sửa.",
                   f"{user.name} is an editor; only an approver may approve or ask for changes."),
        )  # fmt: skip
    return user


class BodyLimit:
    """ASGI middleware: a request body longer than BODY_LIMIT is refused (413) as it arrives, whatever its
    Content-Length says, before any of it is parsed or spooled to disk."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if length.isdigit() and int(length) > BODY_LIMIT:
            return await _too_large(send)
        seen = 0

        async def bounded() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > BODY_LIMIT:
                raise DeskError(f"the request is larger than {BODY_LIMIT // (1024 * 1024)} MB; nothing was read.", 413)
            return message

        await self.app(scope, bounded, send)


class SecureCookies:
    """ASGI middleware: the cookies of an answer are marked Secure (the browser sends them back over HTTPS only)
    when the request came over HTTPS, as uvicorn sets the scheme from a trusted proxy's X-Forwarded-Proto (a
    proxy on this machine, unless FORWARDED_ALLOW_IPS names others), or always (`ticker serve --secure-cookies`)."""

    def __init__(self, app: Any, always: bool = False):
        self.app = app
        self.always = always

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not (self.always or scope.get("scheme") == "https"):
            return await self.app(scope, receive, send)

        async def secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (k, v + b"; secure") if k.lower() == b"set-cookie" and b"; secure" not in v.lower() else (k, v)
                    for k, v in message.get("headers") or []
                ]
            await send(message)

        await self.app(scope, receive, secured)


async def _too_large(send: Any) -> None:
    body = json.dumps({"error": TOO_LARGE})
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body.encode()})
