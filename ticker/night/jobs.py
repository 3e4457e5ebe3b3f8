"""Render jobs that stand alone: a snapshot of the campaign in, a checked file and its checksum out.

A job's key is the SHA-256 of everything its pictures depend on (the recipe): the campaign's name, its messages
with the day's placeholders filled, the style with the contents of its fonts and pictures, the motion, the QR
code, the output (profile, format, timing, fill), the layout engine and ticker's version. Two jobs with the
same key make the same file, so a batch renders each key once, and a file already made for a key is kept.

Jobs run in this process, in a pool of processes, or on a Dask distributed cluster. A job re-derives its key
from its snapshot (ticker.night.snapshot) where it runs; a machine with another ticker, other fonts or another layout
engine refuses the job instead of making a different file. That proves the versions match and authenticates
nothing: who may send jobs is the cluster's TLS. A job publishes only inside a root (the run's OUT here and in
a pool; on a Dask worker the TICKER_PUBLISH_ROOT it was started with), and only while the run that sent it
holds its lease (ticker.night.lease).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import hashlib
import json
import os
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from ticker import __version__
from ticker.campaign import Campaign, Output, load_campaign
from ticker.campaign.placeholders import fill, placeholder_values
from ticker.campaign.style import font_fields
from ticker.errors import InputError, RenderError, TickerError
from ticker.files import Held, remove
from ticker.files.held import shown
from ticker.files.manifest import FileEntry, file_digest, file_entry
from ticker.night.lease import check_lease, hold_lease
from ticker.night.snapshot import Snapshot
from ticker.stopping import stoppable
from ticker.vietnamese import resolve_font
from ticker.vietnamese.text import layout_engine

if TYPE_CHECKING:
    from ticker.render import Result

__all__ = ["Job", "Outcome", "Snapshot", "execute", "recipe_key", "run"]
ROOT_VARIABLE = "TICKER_PUBLISH_ROOT"  # where a Dask worker may publish: the farm's shared folder


def recipe(campaign: Campaign, output: Output, day: dt.date | None) -> dict:
    """Everything an output's pictures depend on, with files by their contents."""
    style = campaign.style_for(output)
    values = placeholder_values(campaign, day) if day is not None else None  # unused when none is named
    files = {
        k: file_digest(resolve_font(v, campaign.base_dir, f"style.{k}")) for k, v in font_fields(style).items() if v
    }
    files |= {
        k: file_digest(v) for k, v in (("logo", style.logo), ("background", style.background)) if isinstance(v, Path)
    }
    return {
        "ticker": __version__,
        "layout_engine": layout_engine(),
        "campaign": campaign.name,
        "messages": [{**asdict(m), "text": fill(m.text, values)} for m in campaign.messages],
        "style": {k: v for k, v in asdict(style).items() if not isinstance(v, Path)},  # pictures: by content
        "files": files,
        "motion": asdict(campaign.motion),
        "qr": asdict(campaign.qr) if campaign.qr else None,
        "output": {
            **{k: v for k, v in asdict(output).items() if k not in ("channels", "slots")},
            "profile": output.profile.id,
            "format": output.format.id,
        },
    }


def recipe_key(
    campaign: Campaign, output: Output, day: dt.date | None, *, ticker: str | None = None, engine: str | None = None
) -> str:
    """The key of the recipe; with `ticker` (a version) or `engine` (a layout engine), the key a run of that ticker
    or on a machine with that layout engine gave it: what a clip published by another version was made from."""
    made = recipe(campaign, output, day)
    made |= {"ticker": ticker} if ticker else {}
    made |= {"layout_engine": engine} if engine else {}
    text = json.dumps(made, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Job:
    """One clip to make: self-contained, so that any machine with ticker can run it."""

    key: str  # recipe_key of what it makes
    snapshot: Snapshot
    output: Output
    day: dt.date | None
    dest: str  # folder the file is published in (shared storage on a farm), inside the worker's root
    source: str  # the campaign file where it was read, for messages
    lease: str | None = None  # the lease file of the run that sent it (ticker.night.lease), set by `execute`
    folder: tuple[int, int] | None = None  # (device, inode) of `dest` as its run holds it, on the run's machine


@dataclass(frozen=True)
class Outcome:
    """What a job sends back: the render's result and its files' manifest entries (path, sha256, bytes), or
    the sentence that says why not, with the exit status it calls for (2: the campaign is at fault, 1: the
    render failed) and, for a fault of ticker's own, the traceback."""

    key: str
    result: Result | None = None
    files: tuple[FileEntry, ...] = ()
    seconds: float = 0.0
    error: str | None = None
    status: int = 0
    trace: str | None = None


def publish_root(job: Job, root: str | None) -> Path:
    """The folder this job may publish in: its `dest`, resolved (links followed, then checked), inside `root`
    (the run's OUT here and in a pool; on a Dask worker the TICKER_PUBLISH_ROOT it was started with); the root,
    resolved. The folder itself is then reached by descriptor (reach)."""
    from_env = root is None
    if root is None:
        root = os.environ.get(ROOT_VARIABLE)
        if not root:
            raise RenderError(
                f"{job.source}: refused: this worker was started without {ROOT_VARIABLE}, the shared folder it "
                f"may publish in (start it as {ROOT_VARIABLE}=/srv/shared/crawls dask worker …)."
            )
    top = Path(root).resolve()
    if not top.is_dir():
        raise RenderError(f"{job.source}: refused: the publishing root {root} is not a folder on this worker.")
    if not isinstance(job.dest, str) or not Path(job.dest).is_absolute() or "\0" in job.dest:
        raise RenderError(f"{job.source}: refused: its folder {job.dest!r} is not an absolute path.")
    dest = Path(job.dest).resolve()
    if job.folder is None and not dest.is_relative_to(top):  # a run here names its folder: `reach` checks it
        raise RenderError(
            f"{job.source}: refused: it would publish in {job.dest}, which is not inside "
            + (f"this worker's publishing root {top} ({ROOT_VARIABLE})." if from_env else f"{top}.")
        )
    return top


def run(job: Job, root: str | None = None) -> Outcome:
    """Make the clip where this runs, publishing it only inside `root` (module docstring), and only while the
    run that sent it holds its lease (where it names one, or on a Dask worker: `root` not given)."""
    began, tmp = time.monotonic(), tempfile.mkdtemp(prefix="ticker-job-")
    try:
        with stoppable():  # SIGTERM in a pool worker: the render cleans up, and the run is told
            return _run(job, root, tmp, began)
    finally:
        remove(Path(tmp), ignore_errors=True)


def _run(job: Job, root: str | None, tmp: str, began: float) -> Outcome:
    from ticker.engine import Caches, plan  # the heavy part, imported where jobs run
    from ticker.render import render

    try:
        top = publish_root(job, root)

        def live() -> None:
            if job.lease is not None or root is None:
                check_lease(job.lease, top, job.source)

        live()
        campaign = load_campaign(job.snapshot.unpack(Path(tmp)))
        if recipe_key(campaign, job.output, job.day) != job.key:
            raise RenderError(
                f"{job.source}: this machine would make a different file (another ticker version, "
                f"layout engine or font), so it did not render it"
            )
        # the output's options refused before the text's problems, as `ticker render` says them
        (planned,) = plan(campaign, day=job.day, outputs=[job.output], need_over=True, caches=Caches()).outputs
        with reach(job, root or os.environ[ROOT_VARIABLE]) as folder:
            result = render(planned.crawl, job.output, folder.path, surveyed=planned.survey, before_publish=live)
            paths = [Path(result.path)] + ([Path(result.key)] if result.key else [])
            files = tuple(file_entry(p) for p in paths)
        return Outcome(job.key, result, files, time.monotonic() - began)
    except TickerError as e:
        return Outcome(job.key, error=shown(str(e)).replace(tmp, job.snapshot.root), status=e.exit_status)
    except Exception as e:  # a fault of ticker's own: say it, with where, and go on with the other jobs
        return Outcome(job.key, error=shown(f"{type(e).__name__}: {e}"), status=1, trace=traceback.format_exc())


def reach(job: Job, root: str) -> Held:
    """The job's folder (publish_root checked it), reached from the root by descriptor one name at a time
    (made where missing), never through a link and only through folders of this user's (ticker.files.held); where
    the job names the folder its run holds (a run on this machine), that very folder, not one put under its
    name since."""
    dest = Path(os.path.normpath(job.dest))
    bases = [b for b in (Path(os.path.normpath(root)), Path(os.path.realpath(root))) if b == dest or b in dest.parents]
    if not bases:
        raise RenderError(f"{job.source}: refused: {job.dest} is reached from {root} only through a link.")
    parts = dest.relative_to(bases[0]).parts
    try:
        folder = Held.open(Path(root), "the publishing root")
        for part in parts:
            with folder:
                folder = folder.sub(part, make=True, then="nothing was published")
    except InputError as e:
        raise RenderError(f"{job.source}: refused: {e}") from None
    if job.folder is not None and folder.identity != job.folder:
        folder.close()
        raise RenderError(f"{job.source}: refused: {job.dest} is not the folder its run holds (it was replaced).")
    return folder


def _die_with_parent() -> None:
    """A pool worker ends when the process that started it does (even by SIGKILL), so no render outlives
    the lock (Linux prctl PR_SET_PDEATHSIG; elsewhere the worker ends on its next job)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def execute(
    jobs: list[Job],
    done: Callable[[Job, Outcome], None],
    workers: int = 1,
    scheduler: str | None = None,
    *,
    out: Held,
) -> None:
    """Run the jobs here, in `workers` processes, or on the Dask cluster at `scheduler`, under a lease in `out`
    (ticker.night.lease) and publishing only inside `out` (here and in a pool: the folder this run holds, through its
    descriptor; a Dask worker: inside its own TICKER_PUBLISH_ROOT); `done` is called here with each outcome as
    it arrives."""
    if not jobs:
        return
    with hold_lease(out) as lease:
        jobs = [replace(job, lease=lease) for job in jobs]
        if scheduler:
            _on_dask(jobs, done, scheduler)
        elif workers > 1 and len(jobs) > 1:
            pool = ProcessPoolExecutor(
                min(workers, len(jobs)), mp_context=get_context("spawn"), initializer=_die_with_parent
            )
            try:
                futures = {pool.submit(run, job, str(out.path)): job for job in jobs}
                for future in as_completed(futures):
                    done(futures[future], _outcome(futures[future], future.result))
            except BaseException:  # stopped (SIGTERM, Ctrl-C): the workers' renders clean up and end too
                for worker in list(getattr(pool, "_processes", {}).values()):
                    with contextlib.suppress(OSError):
                        worker.terminate()
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        else:
            for job in jobs:
                done(job, run(job, str(out.path)))


def _outcome(job: Job, result: Callable[[], Outcome]) -> Outcome:
    try:
        return result()
    except Exception as e:  # the worker itself died (killed, out of memory)
        return Outcome(job.key, error=f"the worker running it was lost ({type(e).__name__}: {e})", status=1)


TLS_SETTINGS = {  # the client's certificates, as Dask's configuration reads them from the environment
    "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": "distributed.comm.tls.ca-file",
    "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": "distributed.comm.tls.client.cert",
}


def _on_dask(jobs: Iterable[Job], done: Callable[[Job, Outcome], None], scheduler: str) -> None:
    """The jobs on the Dask cluster at `scheduler`, an address nightly has taken already (ticker.night.scheduler:
    TLS, or this machine's loopback)."""
    try:
        import dask
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise InputError("--scheduler needs Dask's distributed scheduler: pip install 'ticker-crawl[farm]'.") from None
    from ticker.night.scheduler import TLS_SCHEMES, scheme_of

    tls = scheme_of(scheduler) in TLS_SCHEMES
    if tls and (missing := [e for e, k in TLS_SETTINGS.items() if not dask.config.get(k)]):
        raise InputError(
            f"--scheduler {scheduler}: TLS needs this client's certificates: set {' and '.join(missing)} "
            f"(and DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY where the key is a file of its own)."
        )
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as e:
        raise RenderError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({e}).") from None
    except ValueError as e:  # an address Dask cannot read: a scheme it does not know (TLS://, in capitals)
        raise InputError(f"--scheduler {scheduler}: {e}.") from None
    with client:
        # keyed by what it makes, where, and for which run: the cluster runs each once, another OUT's job is
        # another job, and a killed run's job still running on a worker is never taken for this run's
        futures = {
            client.submit(
                run,
                job,
                retries=1,
                key=f"ticker-{job.key[:32]}-{hashlib.sha256(f'{job.dest} {job.lease}'.encode()).hexdigest()[:16]}",
            ): job
            for job in jobs
        }
        for future in dask_completed(futures):
            done(futures[future], _outcome(futures[future], future.result))
