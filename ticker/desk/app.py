"""The desk's ASGI application: the pages (ticker.desk.pages), the JSON API (ticker.desk.api), the package's
own static files, signed sessions, and every refusal turned into one sentence with its status.

The desk holds nothing of its own beyond sessions (ticker.desk.sessions) and a memo of readability verdicts
keyed by the bytes of each file and of what it is drawn with (ticker.desk.verdicts): the campaign files, the
users file and the day folders are the truth, read afresh on every request."""

from __future__ import annotations

import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ticker.campaign.editing import Conflict
from ticker.desk.diffs import unified
from ticker.desk.guard import CSP, LOCAL_HOSTS, BodyLimit, DeskError, SecureCookies, status_of
from ticker.desk.nights import Jobs
from ticker.desk.previews import Previews
from ticker.desk.refusals import page_sentence
from ticker.desk.sessions import SESSION_HOURS, Logins, Sessions
from ticker.desk.users import UsersFile
from ticker.desk.verdicts import Verdicts
from ticker.engine import Caches
from ticker.errors import TickerError

HERE = Path(__file__).parent


@dataclass
class Desk:
    campaigns: Path
    out: Path
    station: Path  # the station file, which the settings page writes (ticker.station; it need not be there yet)
    records: Path  # the records folder (ticker.station.records_folder)
    users: UsersFile | None = None  # None: a desk on 127.0.0.1 for the one person at the machine
    house: Path | None = None  # the campaign whose look, slots and outputs drafts reuse
    jobs: Jobs = field(default_factory=Jobs)
    sessions: Sessions = field(default_factory=Sessions)
    logins: Logins = field(default_factory=Logins)
    proofs_dir: Path | None = None  # where proof pages are made; by default a private folder made when needed
    stopping: threading.Event = field(default_factory=threading.Event)  # set when the desk is asked to stop

    @property
    def proofs(self) -> Path:
        if self.proofs_dir is None:
            self.proofs_dir = Path(tempfile.mkdtemp(prefix="ticker-desk-proofs-"))
        return self.proofs_dir

    verdicts: Verdicts = field(default_factory=Verdicts)  # kept in memory; ticker serve's also in a store
    previews: Previews = field(default_factory=Previews)  # the moving previews being made, and their limits
    caches: Caches = field(default_factory=Caches)  # the crawls drawn and the fonts read, kept by their files


def error_body(error: Exception) -> dict:
    body: dict = {"error": str(error)}
    if isinstance(error, Conflict):
        body |= {"theirs": error.theirs, "theirs_key": error.theirs_key, "yours": error.yours}
        body["diff"] = unified(error.theirs or "", error.yours)  # from theirs to yours, unified
    return body


def _answer(request: Request, status: int, body: dict, error: Exception | None = None) -> Response:
    """A refusal as the asker takes it: JSON for the API (the CLI's sentence), a fragment for htmx, a page for a
    browser (each in the page's language, ticker.desk.refusals.page_sentence)."""
    from ticker.desk.pages import error_fragment, error_page

    if request.url.path.startswith("/api"):
        return JSONResponse(body, status_code=status)
    lang = request.session.get("lang") if "session" in request.scope else None
    shown = page_sentence(error, status, lang or "vi", request.app.state.desk.campaigns)
    if request.headers.get("hx-request"):
        return error_fragment(request, status, shown)
    if "text/html" in request.headers.get("accept", ""):
        return error_page(request, status, shown)
    return JSONResponse({**body, "error": shown}, status_code=status)  # a page's address asked by a script


def create_app(
    desk: Desk,
    *,
    secret: str | None = None,
    secure_cookies: bool = False,
    hosts: tuple[str, ...] | None = LOCAL_HOSTS,
) -> FastAPI:
    """The desk's application. `hosts`: the Host headers it answers (a desk on 127.0.0.1 answers only its own
    names, so a page of another site that rebinds its name to 127.0.0.1 is refused); None for any.
    `secure_cookies`: the session cookie is always Secure, not only when the request came over HTTPS."""
    app = FastAPI(
        title="ticker desk",
        description="The operator's desk of ticker: campaigns, drafts from letters, approval, schedule, nights.",
        docs_url=None,  # FastAPI's pages load Swagger UI from a CDN; the desk serves its own (ticker.desk.api)
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.desk = desk
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or secrets.token_urlsafe(32),
        session_cookie="ticker_desk",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
    )
    app.add_middleware(SecureCookies, always=secure_cookies)
    if hosts is not None:
        allowed = [h.strip("[]") for h in hosts]
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*allowed, *(f"[{h}]" for h in allowed if ":" in h)])
    app.add_middleware(BodyLimit)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    async def refused(request: Request, error: Exception) -> Response:
        response = _answer(request, status_of(error), error_body(error), error)
        if isinstance(error, DeskError):
            response.headers.update(error.headers)
        return response

    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "the request"
        return JSONResponse({"error": f"{where}: {first.get('msg', 'is not valid')}."}, status_code=422)

    async def http(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        said = {404: "no such page or file", 405: "that method is not allowed here"}.get(error.status_code)
        return _answer(request, error.status_code, {"error": f"{request.url.path[:200]}: {said or error.detail}."})

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(TickerError, refused)  # the desk's own refusals (DeskError) are TickerErrors
    app.add_exception_handler(RequestValidationError, invalid)

    from ticker.desk import api, background, boards, pages, versions

    app.include_router(api.router)
    app.include_router(versions.api)
    app.include_router(background.api)
    app.include_router(pages.router)
    app.include_router(boards.router)
    app.include_router(versions.router)
    app.include_router(background.router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz", include_in_schema=False)
    def health() -> HTMLResponse:
        return HTMLResponse("ok")

    return app
