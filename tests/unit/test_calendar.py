"""The campaign calendar without a command: the clips each day's airing slots and channels need, one clip
for two channels, and a clip timed by passes as long as they take."""

from __future__ import annotations

import datetime as dt

import pytest

from ticker.campaign.calendar import airings, clips, expand
from ticker.campaign.config import Output, load_campaign
from ticker.campaign.outputs import file_name, outputs_for
from ticker.engine.survey import survey
from ticker.engine.text_stage import prepare
from ticker.errors import InputError

from support.campaigns import write_campaign

SLOTS = """
[[slot]]
at = ["06:30", "19:00"]
passes = 2
[[slot]]
at = 12:00:00
seconds = 30
channels = ["HG1"]
[[output]]
profile = "576i50"
format = "prores4444"
slots = true
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
channels = ["HG2"]
"""


def test_slots_channels_and_outputs_give_each_day_its_clips(tmp_path):
    campaign = load_campaign(write_campaign(tmp_path, SLOTS))
    day = dt.date(2020, 3, 13)
    assert [(a.label, a.slot.length) for a in airings(campaign, day)] == [
        ("06:30", "2 passes"),
        ("12:00", "30 s"),
        ("19:00", "2 passes"),
    ]
    assert (
        airings(campaign, dt.date(2020, 3, 16)) == []
        and clips(campaign, dt.date(2020, 3, 16), outputs_for(campaign)) == []
    )
    found = {
        file_name(campaign, c.output): (tuple(c.airs), c.channels) for c in clips(campaign, day, outputs_for(campaign))
    }
    assert found == {
        "test_576i50_prores4444_2passes.mov": (("06:30", "19:00"), ()),
        "test_576i50_prores4444_30s.mov": (("12:00",), ()),
        # the loop is for HG2, which does not air the 12:00 slot (HG1 only)
        "test_576i50_qtrle_loop.mov": (("06:30", "19:00"), ("HG2",)),
    }
    assert [o.passes or o.seconds for o in expand(campaign, outputs_for(campaign))] == [2, 30.0, None]


def test_the_same_clip_for_two_channels_is_one_clip(tmp_path):
    two = """
[[output]]
profile = "576i50"
format = "fillkey"
loop = true
channels = ["HG1"]
[[output]]
profile = "576i50"
format = "fillkey"
loop = true
channels = ["HG2", "HG1"]
"""
    campaign = load_campaign(write_campaign(tmp_path, two))
    (clip,) = clips(campaign, dt.date(2020, 3, 12), outputs_for(campaign))
    assert clip.channels == ("HG1", "HG2")


@pytest.mark.parametrize("passes", [1, 2, 3])
def test_a_slot_of_passes_lasts_exactly_what_they_take(tmp_path, passes):
    campaign = load_campaign(write_campaign(tmp_path))
    crawl = prepare(campaign)
    output = Output("576i50", "prores4444", loop=False, seconds=None, passes=passes)
    plan = survey(crawl, output).plan
    assert plan.passes == passes
    assert plan.seconds == int(plan.seconds), "whole seconds when rounding up adds no pass"
    shorter = Output("576i50", "prores4444", loop=False, seconds=plan.seconds - 1)
    if passes == 1:
        with pytest.raises(InputError, match="too short for one pass"):
            survey(crawl, shorter)
    else:
        assert survey(crawl, shorter).plan.passes == passes - 1, "a second less holds one pass less"
