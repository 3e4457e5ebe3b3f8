"""The engine's front door: a campaign (on a day, with the command line's overrides, over a programme) to its
planned outputs, each with its crawl and its survey, and what is said of them (notes and warnings, each once).

Every output's options are checked before any text is drawn, and every output is surveyed before anything is
written, so that a refusal comes before any file: check, then render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ticker.campaign import Campaign, Output, expand, outputs_for
from ticker.engine.caches import Caches
from ticker.engine.programme import probe_programme
from ticker.engine.survey import Survey, survey
from ticker.engine.text_stage import Crawl, prepare
from ticker.errors import InputError, Refused
from ticker.media import Delivery, Fill, check_output
from ticker.media.formats import Programme


@dataclass(frozen=True)
class Overrides:
    """What the command line sets for every output (ticker.campaign.outputs.outputs_for)."""

    profile: str | None = None
    fmt: str | None = None
    loop: bool = False
    seconds: float | None = None
    fill: Fill | None = None
    target: str | None = None


@dataclass(frozen=True)
class Planned:
    """One output as it will be made: the crawl of its style, and its survey."""

    output: Output
    crawl: Crawl
    survey: Survey


@dataclass(frozen=True)
class Plan:
    outputs: tuple[Planned, ...]
    crawls: tuple[Crawl, ...]  # one for each style the outputs use
    programme: Programme | None
    notes: tuple[str, ...]  # the conversions made to the text, each once
    warnings: tuple[str, ...]  # the text's and the readability's, each once

    @property
    def surveys(self) -> tuple[Survey, ...]:
        return tuple(p.survey for p in self.outputs)


def _check_numbered(outputs: list[Output], delivery: Delivery | None, over: Path | None, need_over: bool) -> None:
    """check_output for the campaign's own [[output]] tables, each refusal saying which (`facts["output"]`, from
    1), so that the desk says it at that output's field."""
    for number, output in enumerate(outputs, 1):
        try:
            check_output(output, delivery, over, need_over)
        except Refused as e:
            numbered = [replace(r, facts={**r.facts, "output": number}) for r in e.refusals]
            raise Refused(str(e), numbered) from None


def plan(
    campaign: Campaign,
    *,
    day: dt.date | None = None,
    messages: list[str] | None = None,
    source: str | None = None,
    overrides: Overrides | None = None,
    delivery: Delivery | None = None,
    over: Path | None = None,
    need_over: bool = False,
    speed: float | None = None,
    only: int | None = None,
    outputs: Sequence[Output] | None = None,
    caches: Caches | None = None,
) -> Plan:
    """The campaign's outputs (slots expanded, with the command line's `overrides`; `outputs`: these instead,
    a farm job's one; with `only`, the one of that number, from 0), each checked, with the crawl of its style
    prepared for `day` (or with `messages`, replacements named by `source`) and surveyed over the programme
    `over`. `need_over`: a format that only makes sense over a programme is refused without one. `caches`: the
    owner's (a run's, the desk's); a fresh one by default."""
    caches = caches or Caches()
    if outputs is None:
        listed = outputs_for(campaign, **vars(overrides or Overrides()))
        _check_numbered(listed, delivery, over, need_over)
        outputs = expand(campaign, listed)
    if only is not None:
        if not 0 <= only < len(outputs):
            raise InputError(
                f"{campaign.path}: has no output {only + 1}: it makes {len(outputs)} (count them from 1 in "
                f"[[output]] order, slots expanded)."
            )
        outputs = [outputs[only]]
    for output in outputs:  # every output's options, before the text is drawn
        check_output(output, delivery, over, need_over)
    programme = probe_programme(over) if over is not None else None
    crawls = {
        o.style: prepare(campaign, messages, source, campaign.style_for(o), day, fonts=caches.fonts) for o in outputs
    }
    planned = tuple(
        Planned(
            o,
            crawls[o.style],
            survey(crawls[o.style], o, speed, delivery=delivery, programme=programme, checked=True, caches=caches),
        )
        for o in outputs
    )
    said = crawls.values()
    return Plan(
        outputs=planned,
        crawls=tuple(said),
        programme=programme,
        notes=tuple(dict.fromkeys(n for c in said for n in c.notes)),
        warnings=tuple(
            dict.fromkeys([*(w for c in said for w in c.warnings), *(w for p in planned for w in p.survey.warnings)])
        ),
    )


def plan_output(
    crawl: Crawl,
    output: Output,
    speed: float | None = None,
    *,
    delivery: Delivery | None = None,
    over: Path | None = None,
    need_over: bool = False,
    first: int | None = None,
    caches: Caches | None = None,
) -> Survey:
    """One output of a crawl already prepared (a preview's own profile over its own picture, a render asked
    for without its survey), checked and surveyed; `first`: only the clip's first frames."""
    found = survey(crawl, output, speed, delivery=delivery, over=over, need_over=need_over, caches=caches)
    return found if first is None else replace(found, first=first)
