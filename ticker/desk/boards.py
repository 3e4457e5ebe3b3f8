"""The desk's day and month: the "Hôm nay / Tối nay" board per channel (ticker.desk.tonight), the pictures the
watch kept of what aired, and the calendar's month (ticker.desk.calendar); each a page and its API twin."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from ticker.desk import actions, calendar, tonight
from ticker.desk.guard import CSP, Me, check_csrf, day_of
from ticker.desk.pages import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)


def _day(given: str | None) -> dt.date:
    return day_of(given) if given else actions.today()


def _json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _json(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for extra in ("ready",):
            if hasattr(type(value), extra):
                out[extra] = getattr(value, extra)
        return out
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@router.get("/tonight")
async def tonight_page(request: Request, user: Me, day: str | None = None) -> Response:
    shown = _day(day)
    board = await run_in_threadpool(tonight.tonight, request.app.state.desk, shown)
    one = dt.timedelta(days=1)
    return render(request, "tonight.html", page="tonight", t=board, earlier=shown - one, later=shown + one,
                  today=actions.today())  # fmt: skip


@router.get("/api/tonight")
async def tonight_api(request: Request, user: Me, day: str | None = None) -> JSONResponse:
    board = await run_in_threadpool(tonight.tonight, request.app.state.desk, _day(day))
    return JSONResponse(_json(board))


@router.get("/tonight/{day}/frame")
def tonight_frame(request: Request, day: str, cited: str, user: Me) -> Response:
    data = tonight.frame(request.app.state.desk, day_of(day), cited)
    return Response(data, media_type="image/png", headers={"Content-Security-Policy": CSP,
                                                           "Cache-Control": "private, max-age=3600"})  # fmt: skip


@router.get("/calendar")
async def calendar_page(
    request: Request, user: Me, month: str | None = None, channel: str = "", campaign: str = "", shown: str = ""
) -> Response:
    chosen = calendar.Filters.of(month, channel, campaign, shown, actions.today())
    view = await run_in_threadpool(calendar.month, request.app.state.desk, chosen)
    return render(request, "calendar.html", page="calendar", m=view, f=chosen, today=actions.today())


@router.get("/api/calendar")
async def calendar_api(
    request: Request, user: Me, month: str | None = None, channel: str = "", campaign: str = "", shown: str = ""
) -> JSONResponse:
    chosen = calendar.Filters.of(month, channel, campaign, shown, actions.today())
    view = await run_in_threadpool(calendar.month, request.app.state.desk, chosen)
    return JSONResponse(_json(view))
