"""Motion arithmetic: whole steps, exact loop periods, passes that leave before the end."""

from __future__ import annotations

import pytest

from ticker.engine.motion import plan_motion
from ticker.errors import InputError
from ticker.media.profiles import PROFILES


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("text_px, speed_s", [(5300, 12), (300, 8), (40000, 20), (2000, 5)])
def test_a_loop_is_a_whole_number_of_frames_and_steps(profile, text_px, speed_s):
    p = PROFILES[profile]
    speed = p.width / speed_s
    plan = plan_motion(p, text_units=text_px * 8, phases=8, speed=speed, gap_px=0.5 * p.width, loop=True, seconds=None)
    per_frame = 2 if p.interlaced else 1
    assert plan.pictures == plan.frames * per_frame
    assert plan.period == plan.pictures * plan.step  # the seam is one more identical step
    assert plan.period > plan.text
    assert abs(plan.speed / speed - 1) < 0.05, "the step moves the speed by a few per cent at most"
    assert abs(plan.gap - 0.5 * p.width) <= plan.step * per_frame / 8


@pytest.mark.parametrize("profile", ["1080i50", "1080p50", "576i50"])
@pytest.mark.parametrize("seconds", [60, 61, 300])
@pytest.mark.parametrize("text_factor", [1.5, 1.5 + 1 / 7, 3.3])
def test_timed_clip_starts_and_ends_empty_with_whole_passes(profile, seconds, text_factor):
    p = PROFILES[profile]
    plan = plan_motion(
        p,
        text_units=round(text_factor * p.width * 8),
        phases=8,
        speed=p.width / 12,
        gap_px=p.width / 2,
        loop=False,
        seconds=seconds,
    )
    assert plan.frames == seconds * 25 * (2 if p.rate == 50 else 1)
    per_frame = plan.pictures // plan.frames
    lo, hi = plan.active
    # every field of the first frame: the text has not entered; of the last frame: the last pass has left
    assert plan.offset(per_frame - 1) + plan.window * plan.phases <= lo
    assert plan.offset(plan.pictures - per_frame) >= hi
    # one more pass would not have left in time
    assert plan.offset(plan.pictures - per_frame) < hi + plan.period


@pytest.mark.parametrize(
    "profile, speed, phases",
    [("1080i50", 160, 8), ("1080i50", 16, 16), ("576i50", 23.5, 32), ("576i50", 6, 8), ("720p50", 1280 / 60, 16)],
)
def test_slow_crawls_use_finer_steps_to_keep_their_speed(profile, speed, phases):
    p = PROFILES[profile]
    plan = plan_motion(p, text_units=2000 * 8, phases=8, speed=speed, gap_px=p.width / 2, loop=True, seconds=None)
    assert plan.phases == phases and plan.text == 2000 * phases
    assert abs(plan.speed / speed - 1) <= 0.05


def test_a_speed_that_cannot_move_uniformly_is_refused():
    with pytest.raises(InputError, match="cannot move uniformly at 1080i50"):
        plan_motion(PROFILES["1080i50"], text_units=800, phases=8, speed=1, gap_px=10, loop=True, seconds=None)


def test_too_short_a_clip_is_refused():
    p = PROFILES["1080p50"]
    with pytest.raises(InputError, match="too short for one pass"):
        plan_motion(p, text_units=5000 * 8, phases=8, speed=160, gap_px=960, loop=False, seconds=10)
    with pytest.raises(InputError, match="whole number of frames"):
        plan_motion(p, text_units=100 * 8, phases=8, speed=1600, gap_px=960, loop=False, seconds=10.01)
