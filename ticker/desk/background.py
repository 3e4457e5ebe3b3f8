"""The desk's work in the background, as its pages and its API ask for it and follow it: the moving previews
and proof pages, made while the page shows how far they are (ticker.desk.previews); the nights' table, loaded
again when a run ends; and one action that queues a nightly run for every day of a campaign's window not built
yet (ticker.desk.remaining). Each route only calls the desk's library."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ticker.desk import actions, days, remaining
from ticker.desk.guard import Me, NotFound, check_csrf
from ticker.desk.pages import _desk, _form
from ticker.desk.rendering import page_lang, render
from ticker.desk.words import words

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
api = APIRouter(prefix="/api", dependencies=[Depends(check_csrf)])


@router.post("/edit/{file}/moving")
async def moving(request: Request, file: str, user: Me) -> Response:
    """The moving preview of the edit as it stands (not saved): the proof page's clip, for the editor only."""
    form = await _form(request)
    desk = _desk(request)
    job = await run_in_threadpool(actions.preview, desk, user, file, form.get("base", ""), form, "moving")
    return render(request, "preview_job.html", p=desk.previews.get(job, user.name, page_lang(request)))


@router.post("/approve/{file}/proof")
def proof(request: Request, file: str, user: Me) -> Response:
    """The proof page of the file as saved, for the approver."""
    desk = _desk(request)
    job = actions.preview(desk, user, file, None, None, "proof")
    return render(request, "preview_job.html", p=desk.previews.get(job, user.name, page_lang(request)))


@router.get("/previews/{job}")
def preview(request: Request, job: str, user: Me) -> Response:
    """How far the preview is (the page asks every second), and once it is made, the preview."""
    found = _desk(request).previews.get(job, user.name, page_lang(request))
    if found is None:
        raise NotFound(f"{job[:40]!r}: no such preview (previews are kept while the desk runs).")
    if found["state"] == "done":
        return render(request, "proof_done.html", file=found["file"], which=found["which"], clip=found["made"])
    return render(request, "preview_job.html", p=found)


@router.get("/nights-table")
def nights_table(request: Request, user: Me) -> Response:
    """The nights page's table of days made, alone: what the page loads again when a run ends."""
    return render(request, "nights_table.html", nights=days.nights(_desk(request)))


@router.post("/nights/remaining")
async def build_remaining(request: Request, user: Me) -> Response:
    """Every remaining day of a campaign's window not built yet, queued (the form's `file`), each with its
    progress; or the sentence that nothing is left to build."""
    form = await _form(request)
    desk = _desk(request)
    queued = await run_in_threadpool(remaining.build_remaining, desk, str(form.get("file", "")))
    w = words(page_lang(request))
    said = (
        w["window_queued"].format(n=len(queued["days"]))
        if queued["days"]
        else w["window_waiting"]
        if queued["waiting"]
        else w["window_built"]
    )
    if queued["more"]:
        said += " " + w["window_more"].format(n=queued["more"])
    runs = [found for job in queued["jobs"] if (found := desk.jobs.get(job)) is not None]
    return render(request, "window.html", sentence=said, runs=runs)


@api.post("/campaigns/{file}/nights", status_code=202)
def build_remaining_api(request: Request, file: str, user: Me) -> dict:
    """Queue a nightly run for every remaining day of the campaign's window not built yet (those a complete
    manifest lists the campaign's clips for, as nightly would keep them), one after another, the nearest
    first: {"days", "jobs" (ids, GET /api/jobs/{job} for each), "more" (days beyond the month queued), "waiting"
    (days not built yet that the desk is making or has queued already)}."""
    return remaining.build_remaining(_desk(request), file)
