"""ticker.engine's front door: a campaign to its planned outputs, and a planned output to its pictures."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import numpy as np

from ticker.campaign.config import load_campaign
from ticker.engine import plan

EXAMPLE = Path(__file__).resolve().parents[2] / "configs" / "hau-giang-ncovi.toml"


def test_a_plan_holds_every_output_with_its_crawl_and_survey_and_says_each_warning_once():
    campaign = load_campaign(EXAMPLE)
    planned = plan(campaign)
    assert [p.output.profile.id for p in planned.outputs] == ["1080i50", "576i50"]
    assert all(p.crawl is planned.crawls[0] for p in planned.outputs)  # one style: one crawl drawn
    assert planned.surveys == tuple(p.survey for p in planned.outputs)
    assert len(set(planned.warnings)) == len(planned.warnings) and len(set(planned.notes)) == len(planned.notes)
    (one,) = plan(campaign, only=1).outputs
    assert one.output == planned.outputs[1].output


def test_the_pictures_of_a_loop_are_its_blitters_frames_and_go_round_when_asked():
    sv = plan(load_campaign(EXAMPLE), only=1).outputs[0].survey  # the 576i50 loop
    blitter = sv.blitter()
    first = [blitter.frame(i).copy() for i in (sv.frames - 1, 0)]
    assert len(list(sv.pictures(sv.frames - 1))) == 1  # not endless: the clip ends with its last frame
    shown = [p.copy() for p in islice(sv.pictures(sv.frames - 1, endless=True), 2)]
    assert len(shown) == 2 and all(np.array_equal(a, b) for a, b in zip(shown, first, strict=True))
    assert not np.array_equal(shown[0], shown[1])  # the crawl moved
