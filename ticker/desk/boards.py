"""The desk's week, day and month: the schedule's week with the calendar's filters, the "Hôm nay / Tối nay"
board per channel (ticker.desk.tonight) and the pictures the watch kept of what aired, the calendar's month
(ticker.desk.calendar), and the failed nights waiting on the first page (ticker.desk.alarms)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ticker.air.switch import switch
from ticker.desk import actions, alarms, calendar, tonight
from ticker.desk.fields import date_given
from ticker.desk.guard import CSP, Me, NotFound, User, approver, check_csrf, day_of
from ticker.desk.rendering import render
from ticker.records import Records

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


@router.get("/schedule")
def schedule(request: Request, user: Me, channel: str = "", campaign: str = "", shown: str = "") -> Response:
    """A week from `from` (a day of the file, or as typed day first: 12/3/2020), with the calendar's filters."""
    given = request.query_params.get("from")
    first = day_of(date_given(given)) if given else actions.today()
    chosen = calendar.Filters.of(f"{first:%Y-%m}", channel, campaign, shown, first)
    s = calendar.week_shown(calendar.schedule(request.app.state.desk, first, first + dt.timedelta(days=6)), chosen)
    week = dt.timedelta(days=7)
    return render(request, "schedule.html", page="schedule", s=s, f=chosen, first=first, earlier=first - week,
                  later=first + week, channels=actions.channels(request.app.state.desk))  # fmt: skip


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


def _switch(request: Request, channel: str, user: User, off: bool) -> None:
    """The crawl of a channel `ticker air` inserts into, off now (anyone signed in: a safety switch) or on again
    (an approver: it puts the approved crawl back on air); in the audit trail with who."""
    desk = request.app.state.desk
    station = actions.station_of(desk)
    found = station.channel(channel) if station else None
    if found is None or found.network is None:
        said = ("Kênh này không do ticker chèn chữ chạy.", "ticker does not insert into this channel.")
        raise NotFound(f"{channel[:40]!r}: not a channel ticker air inserts into.", shown=said)
    if not off:
        approver(user)
    with Records.open(desk.records) as records:  # (made when it is not there yet, as the CLI's switch makes it)
        switch(records.held.path, desk.campaigns, found.name, user.name or "desk", off)


@router.post("/tonight/{channel}/off")
def crawl_off(request: Request, channel: str, user: Me) -> Response:
    _switch(request, channel, user, off=True)
    return _back(request)


@router.post("/tonight/{channel}/on")
def crawl_on(request: Request, channel: str, user: Me) -> Response:
    _switch(request, channel, user, off=False)
    return _back(request)


def _back(request: Request) -> Response:
    """To the board again: htmx told to go there (the button asked first), a plain form redirected."""
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": "/tonight"})
    return RedirectResponse("/tonight", status_code=303)


@router.post("/nights/{day}/acknowledge")
def acknowledge_night(request: Request, day: str, user: Me) -> Response:
    """A failed night seen: off the first page for everyone (ticker.desk.alarms)."""
    alarms.acknowledge(request.app.state.desk, day_of(day), user)
    return RedirectResponse("/", status_code=303)


@router.post("/api/nights/{day}/acknowledge")
def acknowledge_night_api(request: Request, day: str, user: Me) -> JSONResponse:
    alarms.acknowledge(request.app.state.desk, day_of(day), user)
    return JSONResponse({"acknowledged": day})


@router.get("/api/alarms")
def alarms_api(request: Request, user: Me) -> JSONResponse:
    """What waits for someone on the first page: the failed nights not acknowledged yet."""
    return JSONResponse({"failed_nights": _json(alarms.failed_nights(request.app.state.desk))})


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
