"""Where ticker.engine.layers.compose puts things, in numbers only (nothing rendered): the band inside the EBU R 95
graphics-safe margins at the top or the bottom, its block starting on a line that is a multiple of 4, the label,
logo and QR code inside the picture and the graphics-safe area (and inside the 4:3 centre cut when asked), on the
side they are asked for, and the crawl's window beside them, never under them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ticker.campaign.config import QR, load_campaign
from ticker.campaign.outputs import outputs_for
from ticker.campaign.style import Style
from ticker.engine.layers import Scene, compose
from ticker.engine.strip import Look, Piece, Track, band_pixel, rasterise
from ticker.engine.survey import survey
from ticker.engine.text_stage import look_for, prepare
from ticker.media.profiles import PROFILES

from support.campaigns import write_campaign

PROFILE_IDS = ["1080i50", "576i50", "576i50-4x3", "1080x1920p25"]
URL = "https://example.vn/khai-bao"
CHANNELS = (0, 1, 2, 3)


@dataclass(frozen=True)
class Drawn:
    """What compose needs at one profile: the crawl's look and track and the label drawn once."""

    look: Look
    track: Track
    label: Track
    style: Style
    base: Scene  # the scene as `ticker render` surveys it: label and QR code


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, Drawn]:
    folder = tmp_path_factory.mktemp("campaign")
    campaign = load_campaign(write_campaign(folder, f'[style]\nlabel = "THÔNG BÁO"\n[qr]\nurl = "{URL}"\n'))
    crawl = prepare(campaign)
    result = {}
    for pid in PROFILE_IDS:
        sv = survey(crawl, outputs_for(campaign, profile=pid, fmt="qtrle", loop=True)[0])
        look = look_for(crawl, PROFILES[pid])
        label = rasterise(
            (Piece(crawl.style.label, crawl.label_font_path, crawl.style.label_color),),
            replace(look, outline=0.0, shadow=0.0),
        )
        result[pid] = Drawn(look=look, track=sv.track, label=label, style=crawl.style, base=sv.scene)
    return result


@pytest.fixture(scope="module")
def logo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    Image.new("RGBA", (160, 100), (255, 200, 0, 255)).save(path)
    return path


def compose_at(drawn: dict[str, Drawn], pid: str, *, label: bool = True, qr: QR | None = None, **style) -> Scene:
    d = drawn[pid]
    return compose(
        PROFILES[pid],
        replace(d.style, **style),
        d.look,
        d.track.height,
        CHANNELS,
        baseline=d.track.baseline,
        label=d.label if label else None,
        qr=qr,
        qr_url=URL if qr else None,
    )


def block(scene: Scene, style: Style, look: Look) -> tuple[int, int]:
    """First and last-plus-one line of the band with its rules."""
    rule = max(2, 2 * round(style.rule_size * look.size_px / 2))
    above = rule if style.rule in ("above", "both") else 0
    below = rule if style.rule in ("below", "both") else 0
    return scene.band_y - above, scene.band_y + scene.band_height + below


def safe_box(pid: str) -> tuple[int, int, int, int]:
    """The graphics-safe area, 5 % in from every edge: x0, y0, x1, y1."""
    p = PROFILES[pid]
    return (
        round(0.05 * p.width),
        round(0.05 * p.height),
        p.width - round(0.05 * p.width),
        p.height - round(0.05 * p.height),
    )


def boxes(scene: Scene) -> dict[str, tuple[int, int, int, int]]:
    found = dict(scene.boxes)
    assert len(found) == len(scene.boxes)
    return found


def inside(box: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> bool:
    x, y, w, h = box
    return area[0] <= x and x + w <= area[2] and area[1] <= y and y + h <= area[3] and w > 0 and h > 0


@pytest.mark.parametrize("pid", PROFILE_IDS)
@pytest.mark.parametrize("rule", ["none", "above", "below", "both"])
def test_a_bottom_band_sits_on_the_lowest_line_of_4_inside_the_safe_margin(drawn, pid, rule):
    d = drawn[pid]
    scene = compose_at(drawn, pid, rule=rule, position="bottom")
    top, bottom = block(scene, replace(d.style, rule=rule), d.look)
    _, _, _, safe_bottom = safe_box(pid)
    assert top % 4 == 0  # fields never swap, 4:2:0 chroma stays within its field
    assert bottom <= safe_bottom
    assert bottom + 4 > safe_bottom  # as low as lines of 4 allow
    assert scene.band_y % 2 == 0 and scene.band_top % 2 == 0


@pytest.mark.parametrize("pid", PROFILE_IDS)
@pytest.mark.parametrize("rule", ["none", "above", "both"])
def test_a_top_band_sits_on_the_highest_line_of_4_inside_the_safe_margin(drawn, pid, rule):
    d = drawn[pid]
    scene = compose_at(drawn, pid, rule=rule, position="top")
    top, bottom = block(scene, replace(d.style, rule=rule), d.look)
    _, safe_top, _, safe_bottom = safe_box(pid)
    assert top % 4 == 0 and safe_top <= top < safe_top + 4
    assert bottom <= safe_bottom and scene.band_y % 2 == 0


@pytest.mark.parametrize("pid", PROFILE_IDS)
def test_the_safe_margins_are_five_percent_of_the_picture(pid):
    p = PROFILES[pid]
    x, y = p.safe_margins
    assert abs(x - 0.05 * p.width) <= 0.5 and abs(y - 0.05 * p.height) <= 0.5


@pytest.mark.parametrize("pid", ["1080i50", "576i50"])
@pytest.mark.parametrize("position", ["top", "bottom"])
def test_a_margin_keeps_the_band_that_much_further_inside_the_safe_margin(drawn, pid, position):
    d = drawn[pid]
    plain = compose_at(drawn, pid, position=position)
    moved = compose_at(drawn, pid, position=position, margin=0.1)
    shift = round(0.1 * PROFILES[pid].short_side)
    _, safe_top, _, safe_bottom = safe_box(pid)
    top, bottom = block(moved, d.style, d.look)
    if position == "top":
        assert safe_top + shift <= top < safe_top + shift + 4
    else:
        assert safe_bottom - shift - 4 < bottom <= safe_bottom - shift
    assert top % 4 == 0 and abs(abs(moved.band_y - plain.band_y) - shift) < 4


@pytest.mark.parametrize("pid", PROFILE_IDS)
def test_the_piped_region_starts_on_a_line_of_4_and_holds_the_band_and_every_box(drawn, pid):
    p = PROFILES[pid]
    for scene in (drawn[pid].base, compose_at(drawn, pid, position="top", rule="both", qr=QR(url=URL, side="left"))):
        r = scene.region
        assert r.y % 4 == 0 and r.width == p.width and r.y >= 0 and r.y + r.height <= p.height
        assert scene.static.shape == (r.height, p.width, 4)
        assert scene.band_y == r.y + scene.band_top and scene.band_top + scene.band_height <= r.height
        for name, (_, y, _, h) in scene.boxes:
            assert r.y <= y and y + h <= r.y + r.height, name


@pytest.mark.parametrize("pid", PROFILE_IDS)
@pytest.mark.parametrize("position", ["top", "bottom"])
def test_label_logo_and_qr_code_lie_inside_the_picture_and_the_graphics_safe_area(drawn, logo, pid, position):
    for qr_side, logo_side in (("right", "left"), ("left", "right")):
        scene = compose_at(
            drawn, pid, qr=QR(url=URL, side=qr_side), logo=logo, logo_side=logo_side, position=position, rule="both"
        )
        found = boxes(scene)
        assert sorted(found) == ["label", "logo", "qr"]
        for name, box in found.items():
            assert inside(box, safe_box(pid)), (name, box, qr_side)


@pytest.mark.parametrize("pid", ["1080i50", "576i50"])
def test_a_4_3_safe_area_keeps_label_logo_and_qr_code_inside_the_centre_cut(drawn, logo, pid):
    p = PROFILES[pid]
    cut = p.width * 3 / 4  # what a 4:3 down-conversion of the 16:9 picture keeps
    left = (p.width - cut) / 2 + 0.05 * cut
    area = (int(np.ceil(left - 0.5)), safe_box(pid)[1], int(p.width - np.ceil(left - 0.5)), safe_box(pid)[3])
    for qr_side in ("left", "right"):
        common = dict(qr=QR(url=URL, side=qr_side), logo=logo, logo_side="right", logo_size=0.5)
        scene = compose_at(drawn, pid, safe_area="4:3", **common)
        wide = compose_at(drawn, pid, **common)
        for name, box in boxes(scene).items():
            assert inside(box, area), (name, box, area)
        assert not all(inside(box, area) for box in boxes(wide).values())  # the cut does move them in


def test_a_4_3_safe_area_changes_nothing_on_a_4_3_picture(drawn):
    plain = compose_at(drawn, "576i50-4x3", qr=QR(url=URL))
    cut = compose_at(drawn, "576i50-4x3", qr=QR(url=URL), safe_area="4:3")
    assert plain.boxes == cut.boxes and plain.crawl == cut.crawl and np.array_equal(plain.static, cut.static)


@pytest.mark.parametrize("pid", PROFILE_IDS)
def test_the_label_fills_the_band_at_the_left_of_the_safe_area_and_the_crawl_starts_where_it_ends(drawn, pid):
    scene = drawn[pid].base
    x, y, w, h = boxes(scene)["label"]
    assert (x, y, h) == (safe_box(pid)[0], scene.band_y, scene.band_height)
    assert scene.crawl[0] == x + w  # the crawl passes beneath the label: never under it, no gap either


@pytest.mark.parametrize("pid", PROFILE_IDS)
def test_the_crawls_window_is_never_under_a_box_beside_the_band(drawn, logo, pid):
    for qr_side, logo_side in (("right", "right"), ("left", "right"), ("right", "left"), ("left", "left")):
        scene = compose_at(drawn, pid, qr=QR(url=URL, side=qr_side), logo=logo, logo_side=logo_side)
        lo, hi = scene.crawl
        assert hi - lo >= PROFILES[pid].width // 4
        for name, (x, y, w, h) in scene.boxes:
            if y < scene.band_y + scene.band_height and scene.band_y < y + h:  # beside the band: level with it
                assert x + w <= lo or hi <= x, (name, qr_side, logo_side)


@pytest.mark.parametrize("pid", PROFILE_IDS)
def test_the_band_shows_plain_band_pixels_in_the_crawls_window_and_none_under_the_label(drawn, pid):
    scene = compose_at(drawn, pid, qr=QR(url=URL), rule="both")
    band = scene.static[scene.band_top : scene.band_top + scene.band_height]
    empty = band_pixel(drawn[pid].look, CHANNELS)
    lo, hi = scene.crawl
    assert (band[:, lo:hi] == empty).all()
    x, _, w, _ = boxes(scene)["label"]
    assert not (band[:, x : x + w] == empty).all(axis=-1).any()


@pytest.mark.parametrize("pid", ["1080i50", "576i50", "576i50-4x3"])
def test_a_qr_code_beside_the_band_goes_on_its_side_level_with_the_bands_outer_edge(drawn, pid):
    d = drawn[pid]
    x0, _, x1, _ = safe_box(pid)
    for position in ("top", "bottom"):
        for side in ("left", "right"):
            scene = compose_at(drawn, pid, qr=QR(url=URL, side=side), position=position)
            top, bottom = block(scene, d.style, d.look)
            x, y, w, h = boxes(scene)["qr"]
            assert (y + h == bottom) if position == "bottom" else (y == top), (position, side)
            label_x, _, label_w, _ = boxes(scene)["label"]
            if side == "right":
                assert x + w == x1 and scene.crawl[1] == x
            else:  # outermost on the left, the label after it
                assert x == x0 and x + w < label_x and scene.crawl[0] == label_x + label_w


@pytest.mark.parametrize("position", ["top", "bottom"])
def test_a_qr_code_too_wide_to_go_beside_the_band_goes_on_the_pictures_side_of_it(drawn, position):
    d = drawn["1080x1920p25"]
    for side in ("left", "right"):
        scene = compose_at(drawn, "1080x1920p25", qr=QR(url=URL, side=side), position=position)
        top, bottom = block(scene, d.style, d.look)
        x, y, w, h = boxes(scene)["qr"]
        assert w > 0.25 * 1080
        if position == "bottom":
            assert y + h < top
        else:
            assert y > bottom
        x0, _, x1, _ = safe_box("1080x1920p25")
        assert (x == x0) if side == "left" else (x + w == x1)
        assert scene.crawl[1] == 1080  # not beside the band: the crawl runs to the picture's edge


@pytest.mark.parametrize("pid", PROFILE_IDS)
def test_a_logo_is_scaled_to_the_band_and_centred_on_it_on_its_side(drawn, logo, pid):
    x0, _, x1, _ = safe_box(pid)
    for side in ("left", "right"):
        scene = compose_at(drawn, pid, label=False, logo=logo, logo_side=side, logo_size=0.5)
        x, y, w, h = boxes(scene)["logo"]
        assert h == round(0.5 * scene.band_height)
        assert abs((y + h / 2) - (scene.band_y + scene.band_height / 2)) <= 0.5
        assert abs(w * PROFILES[pid].sar - h * 160 / 100) <= 1  # square pixels on screen
        if side == "left":
            assert x == x0 and scene.crawl == (
                x + w + round(0.25 * drawn[pid].look.size_px / PROFILES[pid].sar),
                PROFILES[pid].width,
            )
        else:
            assert x + w == x1 and scene.crawl == (0, x)  # the crawl passes beneath the logo


@pytest.mark.parametrize("pid", PROFILE_IDS)
def test_without_label_logo_or_qr_code_the_crawl_spans_the_whole_picture(drawn, pid):
    scene = compose_at(drawn, pid, label=False)
    assert scene.crawl == (0, PROFILES[pid].width) and scene.boxes == ()
