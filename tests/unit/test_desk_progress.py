"""The time a job of the desk has left: from its own rate so far, none before there is one, a preview's part
after its pictures counted in; and how a page says it in each language."""

from __future__ import annotations

import itertools

import pytest

from ticker.desk.progress import FINISHING, preview_left, said_elapsed, said_left, time_left


def test_the_time_left_is_what_is_left_at_the_rate_so_far():
    assert time_left(1, 4, 10.0) == 30.0  # a clip in 10 s: three more in 30
    assert time_left(3, 4, 12.0) == 4.0
    assert time_left(4, 4, 12.0) == 0.0


@pytest.mark.parametrize("done, total, elapsed", [(0, 4, 10.0), (0, 0, 0.0), (2, 0, 5.0), (1, 4, 0.0)])
def test_no_estimate_before_there_is_a_rate(done, total, elapsed):
    assert time_left(done, total, elapsed) is None
    assert preview_left(done, total, elapsed) is None


def test_a_preview_counts_the_part_after_its_pictures():
    # 250 of 1000 pictures in 2 s: 6 s more of pictures, then FINISHING of the 8 s they take in all
    assert preview_left(250, 1000, 2.0) == pytest.approx(6.0 + FINISHING * 8.0)
    # every picture encoded in 8 s; 1 s since: what is left of the part after them
    assert preview_left(1000, 1000, 8.0, since_last=1.0) == pytest.approx(FINISHING * 8.0 - 1.0)
    assert preview_left(1000, 1000, 8.0, since_last=FINISHING * 8.0 + 0.5) is None, "past its estimate: none"


def test_the_estimate_falls_as_the_work_goes_at_a_steady_rate():
    rate = 100.0  # pictures a second
    lefts = [preview_left(done, 1500, done / rate) for done in range(100, 1501, 100)]
    assert all(a is not None and b is not None and a > b for a, b in itertools.pairwise(lefts))
    assert lefts[0] == pytest.approx(14.0 + FINISHING * 15.0)


@pytest.mark.parametrize(
    "seconds, vi, en",
    [
        (None, "", ""),
        (0.0, "còn vài giây", "a few seconds left"),
        (9.9, "còn vài giây", "a few seconds left"),
        (10.0, "còn khoảng 10 giây", "about 10 s left"),
        (37.2, "còn khoảng 40 giây", "about 40 s left"),
        (58.0, "còn khoảng 55 giây", "about 55 s left"),
        (61.0, "còn khoảng 1 phút", "about 1 min left"),
        (200.0, "còn khoảng 3 phút", "about 3 min left"),
        (3600.0 + 20 * 60, "còn khoảng 1 giờ 20 phút", "about 1 h 20 min left"),
        (float("inf"), "", ""),
    ],
)
def test_the_time_left_is_said_in_round_figures_in_each_language(seconds, vi, en):
    assert said_left(seconds, "vi") == vi
    assert said_left(seconds, "en") == en


def test_the_time_so_far_is_said_in_seconds_then_minutes():
    assert said_elapsed(7.8, "vi") == "đã chạy 7 giây" and said_elapsed(7.8, "en") == "7 s so far"
    assert said_elapsed(125.0, "vi") == "đã chạy 2 phút 5 giây" and said_elapsed(125.0, "en") == "2 min 5 s so far"
    assert said_elapsed(None, "vi") == ""
