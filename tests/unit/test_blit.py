"""ticker.engine.blit.Blitter on a synthetic "ramp strip": every strip pixel says which strip column, phase and line it
is, so a picture tells exactly which part of the crawl's track landed at which column. Checked: the window moves
by the plan's step per motion picture, everything outside the crawl's window is the scene's still pixels, a timed
clip's window is blank band where no text is, an interlaced frame weaves two consecutive pictures (top field first),
and the ring of buffers is reused. No text is drawn and nothing is encoded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ticker.campaign.config import QR
from ticker.campaign.style import Style
from ticker.engine.blit import Blitter
from ticker.engine.layers import Scene, compose
from ticker.engine.motion import Plan, plan_motion
from ticker.engine.strip import Look, Track
from ticker.media.profiles import PROFILES

LINES = 8  # the band's height: small, the picture is full width
TEXT_PX = 600  # stored pixels of "text" in one crawl period
CROSSING = 4  # seconds a point takes to cross the picture
FONT = Path(__file__).resolve().parents[2] / "ticker" / "fonts" / "NotoSans-Bold.ttf"  # named only: nothing is drawn


def ramp_strips(plan: Plan) -> np.ndarray:
    """Phase strips (P, lines, columns, 4) as ticker.engine.strip shapes them: R and G hold the strip column, B the
    phase and the line, and A is opaque (the scene's empty band is not)."""
    p, columns = plan.phases, -(-plan.period // plan.phases) + plan.window + 1
    assert p * LINES <= 256
    strips = np.empty((p, LINES, columns, 4), dtype=np.uint8)
    column = np.arange(columns)
    strips[..., 0] = column % 256
    strips[..., 1] = column // 256
    strips[..., 2] = np.arange(p)[:, None, None] * LINES + np.arange(LINES)[None, :, None]
    strips[..., 3] = 255
    return strips


def decode(frame: np.ndarray, scene: Scene, plan: Plan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The band of a frame read back: periodic track unit, strip line and whether a strip pixel is there, for
    every line and column."""
    band = frame[scene.band_top : scene.band_top + scene.band_height].astype(np.int64)
    column = band[..., 1] * 256 + band[..., 0]
    unit = column * plan.phases + band[..., 2] // LINES
    return unit % plan.period, band[..., 2] % LINES, band[..., 3] == 255


def expected_units(plan: Plan, picture: int) -> np.ndarray:
    """The periodic track unit each picture column shows: the window starts at the picture's offset on a track
    that is blank for `lead` units before the first text."""
    x = np.arange(plan.window)
    return (plan.offset(picture) + plan.phases * x - plan.lead) % plan.period


def text_columns(plan: Plan, picture: int) -> np.ndarray:
    """Columns whose box of P units meets the part of the track where text may be."""
    lo, hi = plan.active
    start = plan.offset(picture) + plan.phases * np.arange(plan.window)
    return (start < hi) & (start + plan.phases > lo)


def label_track(width: int = 40, phases: int = 8) -> Track:
    """A label with no ink: its box is the label background only."""
    return Track.of(np.zeros((LINES, width * phases, 4), dtype=np.uint8), phases, LINES - 2, ((0, width * phases),))


def scene_for(pid: str, **style) -> Scene:
    """A composed scene with rules, a label on the left and a QR code on the right: still pixels around the
    crawl's window on every side."""
    profile = PROFILES[pid]
    look = Look(
        font_path=FONT,
        size_px=0.05 * profile.short_side,
        color=(255, 255, 255),
        band_color=(16, 40, 96),
        band_opacity=0.85,
        padding=0.25,
        sar=profile.sar,
    )
    return compose(
        profile,
        Style(rule="both", **style),
        look,
        LINES,
        (0, 1, 2, 3),
        baseline=LINES - 2,
        label=label_track(),
        qr=QR(url="https://example.vn"),
        qr_url="https://example.vn",
    )


def plan_for(pid: str, loop: bool, seconds: float | None = None) -> Plan:
    profile = PROFILES[pid]
    return plan_motion(
        profile,
        text_units=TEXT_PX * 8,
        phases=8,
        speed=profile.width / CROSSING,
        gap_px=profile.width / 2,
        loop=loop,
        seconds=seconds,
    )


def window(scene: Scene) -> np.ndarray:
    """Columns of the crawl's window."""
    x = np.arange(scene.static.shape[1])
    return (x >= scene.crawl[0]) & (x < scene.crawl[1])


@pytest.fixture(scope="module")
def progressive() -> tuple[Scene, Plan]:
    scene = scene_for("1080p25")
    assert 0 < scene.crawl[0] < scene.crawl[1] < 1920  # the label and the QR code take columns on both sides
    return scene, plan_for("1080p25", loop=True)


def test_every_window_column_shows_the_track_unit_of_its_picture_offset(progressive):
    scene, plan = progressive
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=False)
    inside = window(scene)
    for i in (0, 1, 2, 17, plan.frames - 1):
        unit, line, drawn = decode(blitter.frame(i), scene, plan)
        assert drawn[:, inside].all()  # a loop is text everywhere
        assert (unit[:, inside] == expected_units(plan, i)[inside]).all(), i
        assert (line[:, inside] == np.arange(LINES)[:, None]).all()  # strip line l lands on band line l


def test_the_window_is_one_contiguous_run_of_strip_columns_in_one_phase(progressive):
    scene, plan = progressive
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=False)
    lo, hi = scene.crawl
    for i in (0, 5, 40):
        band = blitter.frame(i)[scene.band_top : scene.band_top + LINES, lo:hi].astype(np.int64)
        column = band[..., 1] * 256 + band[..., 0]
        assert (np.diff(column, axis=1) == 1).all()  # no seam inside the window, even where the period wraps
        assert len(np.unique(band[..., 2] // LINES)) == 1


def test_the_crawl_moves_by_the_plans_step_from_one_picture_to_the_next(progressive):
    scene, plan = progressive
    assert plan.step % plan.phases and plan.step > plan.phases  # whole pixels and a phase part both move
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=False)
    inside = window(scene)
    before, _, _ = decode(blitter.frame(10), scene, plan)
    after, _, _ = decode(blitter.frame(11), scene, plan)
    assert ((after[:, inside] - before[:, inside]) % plan.period == plan.step % plan.period).all()


def test_a_loops_frame_after_its_last_is_its_first_again(progressive):
    scene, plan = progressive
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=False, buffers=2)
    first = blitter.frame(0).copy()
    assert np.array_equal(blitter.frame(plan.frames), first)
    assert not np.array_equal(blitter.frame(plan.frames - 1), first)


def test_every_pixel_outside_the_crawls_window_is_the_scenes_still_pixel(progressive):
    scene, plan = progressive
    static = scene.static.copy()
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=False, buffers=2)
    band = slice(scene.band_top, scene.band_top + LINES)
    outside = np.ones(static.shape[:2], dtype=bool)
    outside[band, window(scene)] = False
    for i in (0, 1, 33):
        frame = blitter.frame(i)
        assert frame.shape == static.shape and frame.dtype == np.uint8
        assert np.array_equal(frame[outside], static[outside])  # rules, label, QR code and the lines between
    assert np.array_equal(scene.static, static)  # the scene itself is never written


def test_a_timed_clip_shows_blank_band_where_the_track_has_no_text(progressive):
    scene, _ = progressive
    plan = plan_for("1080p25", loop=False, seconds=10)
    assert plan.passes == 2
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=False)
    inside = window(scene)
    blank = scene.static[scene.band_top : scene.band_top + LINES]
    partly = 0
    for i in range(plan.frames):
        frame = blitter.frame(i)
        unit, _, drawn = decode(frame, scene, plan)
        text = text_columns(plan, i) & inside
        assert (drawn[:, text]).all() and not drawn[:, inside & ~text].any(), i
        assert (unit[:, text] == expected_units(plan, i)[text]).all(), i
        band = frame[scene.band_top : scene.band_top + LINES]
        assert np.array_equal(band[:, inside & ~text], blank[:, inside & ~text]), i
        partly += bool(text.any() and (inside & ~text).any())
    assert partly > 10  # entering and leaving: text and empty band in one window


def test_a_timed_clip_starts_and_ends_on_an_empty_band(progressive):
    scene, _ = progressive
    plan = plan_for("1080p25", loop=False, seconds=10)
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=False, buffers=2)
    for i in (0, plan.frames - 1):
        assert np.array_equal(blitter.frame(i), scene.static), i
    assert not np.array_equal(blitter.frame(plan.frames // 2), scene.static)


@pytest.mark.parametrize("pid", ["1080i50", "576i50"])
@pytest.mark.parametrize("loop", [True, False])
def test_an_interlaced_frame_weaves_two_consecutive_pictures_top_field_first(pid, loop):
    scene = scene_for(pid)
    plan = plan_for(pid, loop=loop, seconds=None if loop else 8)
    assert plan.per_frame == 2 and plan.step % plan.period
    assert scene.band_y % 2 == 0  # the band's first line is a top-field line
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=True)
    inside = window(scene)
    lines = scene.band_y + np.arange(LINES)
    frames = (0, 1, 9) if loop else (0, plan.frames // 3, plan.frames // 2, plan.frames - 1)
    for f in frames:
        unit, line, drawn = decode(blitter.frame(f), scene, plan)
        strip = drawn & inside  # the label is opaque too: only the window holds strip pixels
        assert (line[strip] == np.broadcast_to(np.arange(LINES)[:, None], line.shape)[strip]).all()
        for parity, picture in ((0, 2 * f), (1, 2 * f + 1)):  # even picture lines: the earlier picture
            rows = lines % 2 == parity
            text = text_columns(plan, picture) & inside
            assert (drawn[rows][:, text]).all() and not drawn[rows][:, inside & ~text].any(), (f, parity)
            assert (unit[rows][:, text] == expected_units(plan, picture)[text]).all(), (f, parity)


@pytest.mark.parametrize("pid", ["1080i50", "576i50"])
def test_an_interlaced_frame_is_the_even_lines_of_one_picture_and_the_odd_lines_of_the_next(pid):
    scene = scene_for(pid)
    plan = plan_for(pid, loop=True)
    strips = ramp_strips(plan)
    woven = Blitter(strips, scene, plan, interlaced=True)
    # progressive, the same plan's picture k is frame k: both fields of frame f are frames 2f and 2f+1 of it
    pictures = Blitter(strips, scene, plan, interlaced=False, buffers=2)
    band = slice(scene.band_top, scene.band_top + LINES)
    for f in (0, 3):
        frame = woven.frame(f)
        top, bottom = pictures.frame(2 * f), pictures.frame(2 * f + 1)
        assert np.array_equal(frame[band][0::2], top[band][0::2])
        assert np.array_equal(frame[band][1::2], bottom[band][1::2])
        assert not np.array_equal(frame[band][1::2], top[band][1::2])  # the second field did move
        outside = np.ones(frame.shape[:2], dtype=bool)
        outside[band] = False
        assert np.array_equal(frame[outside], scene.static[outside])


def test_the_ring_of_buffers_comes_round_and_each_is_overwritten_with_its_new_frame(progressive):
    scene, plan = progressive
    strips = ramp_strips(plan)
    blitter = Blitter(strips, scene, plan, interlaced=False, buffers=3)
    ring = [blitter.frame(i) for i in range(3)]
    assert all(not np.shares_memory(a, b) for k, a in enumerate(ring) for b in ring[k + 1 :])
    held = [b.copy() for b in ring]
    assert not np.array_equal(held[0], held[1])
    for i in range(3, 7):
        buf = blitter.frame(i)
        assert buf is ring[i % 3]
        assert np.array_equal(buf, Blitter(strips, scene, plan, interlaced=False).frame(i))
    assert np.array_equal(ring[1], Blitter(strips, scene, plan, interlaced=False).frame(4))


def test_one_buffer_is_reused_for_every_frame(progressive):
    scene, plan = progressive
    blitter = Blitter(ramp_strips(plan), scene, plan, interlaced=False)
    first = blitter.frame(0)
    held = first.copy()
    assert blitter.frame(1) is first and not np.array_equal(first, held)
    assert np.array_equal(blitter.frame(0), held)  # any frame, in any order
