"""Render jobs that stand alone: a snapshot of the campaign in, a checked file and its checksum out.

A job's key is the SHA-256 of everything its pictures depend on (the recipe): the campaign's name, its messages
with the day's placeholders filled, the style with the contents of its fonts and pictures, the motion, the QR
code, the output (profile, format, timing, fill), the layout engine and ticker's version. Two jobs with the
same key make the same file, so a batch renders each key once, and a file already made for a key is kept.

Jobs run in this process, in a pool of processes, or on a Dask distributed cluster. A job re-derives its key
from its snapshot where it runs; a machine with another ticker, other fonts or another layout engine refuses the
job instead of making a different file.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from ticker import __version__
from ticker.config import Campaign, Output, load_campaign
from ticker.errors import ConfigError, InputError, RenderError, TickerError
from ticker.manifest import file_digest, file_entry
from ticker.schedule import fill, placeholder_values
from ticker.style import Style
from ticker.text import bundled_fonts_dir, layout_engine, resolve_font

if TYPE_CHECKING:
    from ticker.render import Result


def _font_fields(style: Style) -> dict[str, str | None]:
    fonts = {"font": style.font, "fallback_font": style.fallback_font, "label_font": style.label_font}
    return {**fonts, **{f"fonts.{w}": f for w, f in style.fonts}}


def recipe(campaign: Campaign, output: Output, day: dt.date | None) -> dict:
    """Everything an output's pictures depend on, with files by their contents."""
    style = campaign.style_for(output)
    values = placeholder_values(campaign, day) if day is not None else None  # unused when none is named
    files = {
        k: file_digest(resolve_font(v, campaign.base_dir, f"style.{k}")) for k, v in _font_fields(style).items() if v
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


def recipe_key(campaign: Campaign, output: Output, day: dt.date | None) -> str:
    text = json.dumps(recipe(campaign, output, day), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _assets(campaign: Campaign) -> set[Path]:
    """Files the campaign names that do not come with ticker: fonts, logos, background pictures."""
    bundled = bundled_fonts_dir().resolve()
    found = set()
    for style in {campaign.style, *dict(campaign.presets).values()}:
        for key, name in _font_fields(style).items():
            try:
                path = resolve_font(name, campaign.base_dir, f"style.{key}") if name else bundled
            except ConfigError:  # a font no output uses (one that is used fails the job's key where it runs)
                continue
            if not path.is_relative_to(bundled):
                found.add(path.resolve())
        found |= {v.resolve() for v in (style.logo, style.background) if isinstance(v, Path)}
    return found


@dataclass(frozen=True)
class Snapshot:
    """A campaign file and the files it names, as bytes, laid out as they are beside each other."""

    campaign: str  # the campaign file's path inside the snapshot
    files: tuple[tuple[str, bytes], ...]
    root: str  # where the files were: messages name them there

    @classmethod
    def of(cls, campaign: Campaign) -> Snapshot:
        paths = sorted({campaign.path.resolve(), *_assets(campaign)})
        root = Path(os.path.commonpath([p.parent for p in paths]))
        return cls(
            campaign=str(campaign.path.resolve().relative_to(root)),
            files=tuple((str(p.relative_to(root)), p.read_bytes()) for p in paths),
            root=str(root),
        )

    def unpack(self, into: Path) -> Path:
        for name, data in self.files:
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            (into / name).write_bytes(data)
        return into / self.campaign


@dataclass(frozen=True)
class Job:
    """One clip to make: self-contained, so that any machine with ticker can run it."""

    key: str  # recipe_key of what it makes
    snapshot: Snapshot
    output: Output
    day: dt.date | None
    dest: str  # folder the file is published in (shared storage on a farm)
    source: str  # the campaign file where it was read, for messages


@dataclass(frozen=True)
class Outcome:
    """What a job sends back: the render's result and its files' manifest entries (path, sha256, bytes), or
    the sentence that says why not, with the exit status it calls for (2: the campaign is at fault, 1: the
    render failed) and, for a fault of ticker's own, the traceback."""

    key: str
    result: Result | None = None
    files: tuple[dict, ...] = ()
    seconds: float = 0.0
    error: str | None = None
    status: int = 0
    trace: str | None = None


def run(job: Job) -> Outcome:
    """Make the clip where this runs."""
    from ticker.crawl import prepare  # the heavy part, imported where jobs run
    from ticker.formats import check_output
    from ticker.render import render, survey

    began, tmp = time.monotonic(), tempfile.mkdtemp(prefix="ticker-job-")
    try:
        campaign = load_campaign(job.snapshot.unpack(Path(tmp)))
        if recipe_key(campaign, job.output, job.day) != job.key:
            raise RenderError(
                f"{job.source}: this machine would make a different file (another ticker version, "
                f"layout engine or font), so it did not render it"
            )
        check_output(job.output)  # a refusal before the text's problems, as `ticker render` says them
        crawl = prepare(campaign, style=campaign.style_for(job.output), day=job.day)
        result = render(crawl, job.output, Path(job.dest), surveyed=survey(crawl, job.output, checked=True))
        paths = [Path(result.path)] + ([Path(result.key)] if result.key else [])
        return Outcome(job.key, result, tuple(file_entry(p) for p in paths), time.monotonic() - began)
    except TickerError as e:
        return Outcome(job.key, error=str(e).replace(tmp, job.snapshot.root), status=e.exit_status)
    except Exception as e:  # a fault of ticker's own: say it, with where, and go on with the other jobs
        return Outcome(job.key, error=f"{type(e).__name__}: {e}", status=1, trace=traceback.format_exc())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _die_with_parent() -> None:
    """A pool worker ends when the process that started it does (even by SIGKILL), so no render outlives
    the lock (Linux prctl PR_SET_PDEATHSIG; elsewhere the worker ends on its next job)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def execute(
    jobs: list[Job], done: Callable[[Job, Outcome], None], workers: int = 1, scheduler: str | None = None
) -> None:
    """Run the jobs here, in `workers` processes, or on the Dask cluster at `scheduler`; `done` is called here
    with each outcome as it arrives."""
    if scheduler:
        _on_dask(jobs, done, scheduler)
    elif workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(
            min(workers, len(jobs)), mp_context=get_context("spawn"), initializer=_die_with_parent
        ) as pool:
            futures = {pool.submit(run, job): job for job in jobs}
            for future in as_completed(futures):
                done(futures[future], _outcome(futures[future], future.result))
    else:
        for job in jobs:
            done(job, run(job))


def _outcome(job: Job, result: Callable[[], Outcome]) -> Outcome:
    try:
        return result()
    except Exception as e:  # the worker itself died (killed, out of memory)
        return Outcome(job.key, error=f"the worker running it was lost ({type(e).__name__}: {e})", status=1)


def _on_dask(jobs: Iterable[Job], done: Callable[[Job, Outcome], None], scheduler: str) -> None:
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise InputError("--scheduler needs Dask's distributed scheduler: pip install 'ticker-crawl[farm]'.") from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as e:
        raise RenderError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({e}).") from None
    with client:
        # keyed by what it makes and where: the cluster runs each once, and another OUT's job is another job
        futures = {
            client.submit(
                run, job, retries=1, key=f"ticker-{job.key[:32]}-{hashlib.sha256(job.dest.encode()).hexdigest()[:16]}"
            ): job
            for job in jobs
        }
        for future in dask_completed(futures):
            done(futures[future], _outcome(futures[future], future.result))
