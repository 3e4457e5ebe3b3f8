"""The tiled strip against the whole-picture strip it replaced (tests/support/strip_reference.py): on random small
crawls (pieces in two fonts and several colours, a logo, outline and shadow, square and anamorphic pixels, the
vertical filter), every tile of the track and every column of the phase strips is the same bytes, wherever the
tiles' seams fall and however finely the text is cut into chunks. Pillow's BOX squeeze computed a few columns at
a time equals Pillow's resize of the whole; the blitter's sliding buffers give the pictures the whole strips give,
in any order of frames."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ticker.campaign.config import load_campaign
from ticker.campaign.outputs import outputs_for
from ticker.engine.blit import Blitter
from ticker.engine.drawing import Squeeze, cut
from ticker.engine.strip import Look, PhaseStrips, Piece, phase_strips, rasterise
from ticker.engine.survey import survey
from ticker.engine.text_stage import prepare
from ticker.vietnamese.text import bundled_fonts_dir, load_font

from support import strip_reference as reference

FONTS = bundled_fonts_dir()
BOLD, REGULAR = FONTS / "NotoSans-Bold.ttf", FONTS / "NotoSans-Regular.ttf"
SAMPLE = (
    "Đề nghị người dân tải ứng dụng Khai báo y tế phòng dịch NCOVI tại địa chỉ để được hỗ trợ nhanh nhất "
    "từ cơ quan ẤỂỖẶ «quê» hương, (Việt) Nam: 115! https://example.vn/tin-tuc?id=42 AVATAR Tôi Yêu"
)
WORDS = SAMPLE.split()
SARS = (Fraction(1), Fraction(64, 45), Fraction(16, 15))


def random_crawl(rng: random.Random, logo: Path) -> tuple[tuple[Piece, ...], Look]:
    pieces: list[Piece] = []
    for k in range(rng.randint(1, 3)):
        if k:
            pieces.append(Piece(None) if rng.random() < 0.5 else Piece("•", BOLD, (242, 194, 0)))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 14)))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        pieces.append(Piece(text, rng.choice((BOLD, REGULAR)), colour))
    look = Look(
        font_path=BOLD,
        size_px=rng.uniform(9, 22),
        color=(255, 255, 255),
        band_color=(11, 46, 107),
        band_opacity=rng.choice((0.0, 0.85, 1.0)),
        padding=0.25,
        sar=rng.choice(SARS),
        vertical_filter=rng.random() < 0.5,
        fallback_path=BOLD,
        outline=rng.choice((0.0, 0.06)),
        shadow=rng.choice((0.0, 0.05)),
        logo=logo,
    )
    return tuple(pieces), look


@pytest.fixture(scope="module")
def logo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    im = Image.new("RGBA", (90, 70), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((5, 0, 85, 70), fill=(230, 40, 40, 220))
    im.save(path)
    return path


@pytest.mark.parametrize("seed", range(12))
def test_every_tile_of_the_track_is_the_whole_pictures_columns(seed, logo):
    rng = random.Random(seed)
    pieces, look = random_crawl(rng, logo)
    whole = reference.rasterise(pieces, look)
    track = rasterise(pieces, look, chunk_units=rng.choice((60.0, 300.0, 2048.0)))  # many chunks, and few
    assert (track.height, track.units, track.baseline, track.spans) == (
        whole.height,
        whole.units,
        whole.baseline,
        whole.spans,
    )
    assert np.array_equal(track.tile(0, track.units), whole.pixels)
    for _ in range(6):  # seams anywhere: tiles of one unit, tiles across a chunk's or a logo's edge
        a = rng.randrange(track.units)
        b = rng.randrange(a + 1, min(track.units, a + rng.choice((1, 7, 900, 9000))) + 1)
        assert np.array_equal(track.tile(a, b), whole.pixels[:, a:b]), (a, b)
    assert np.array_equal(track.stored(), whole.stored())


@pytest.mark.parametrize("seed", range(6))
def test_every_column_of_the_phase_strips_is_the_whole_strips_column(seed, logo):
    rng = random.Random(100 + seed)
    pieces, look = random_crawl(rng, logo)
    whole, track = reference.rasterise(pieces, look), rasterise(pieces, look, chunk_units=200.0)
    phases = rng.choice((8, 16, 32))
    period = track.at(phases).units + phases * rng.randint(1, 300)
    window = rng.randint(40, 300)
    channels = rng.choice(((0, 1, 2, 3), (3, 0, 1, 2)))
    expected = reference.phase_strips(whole.at(phases), look, period, window, channels)
    strips = phase_strips(track.at(phases), look, period, window, channels)
    assert strips.shape == expected.shape
    assert np.array_equal(strips.whole(), expected)
    for _ in range(5):
        a = rng.randrange(strips.columns)
        b = rng.randrange(a + 1, strips.columns + 1)
        part = np.empty((phases, strips.height, b - a, 4), dtype=np.uint8)
        strips.fill(part, a)
        assert np.array_equal(part, expected[:, :, a:b]), (a, b)
    one = np.empty((1, strips.height, strips.columns, 4), dtype=np.uint8)
    strips.fill(one, 0, phases=(phases - 1,))
    assert np.array_equal(one[0], expected[phases - 1])


@pytest.mark.parametrize("sar", [*SARS[1:], Fraction(8, 9), Fraction(10, 11), Fraction(3)])
def test_the_squeeze_a_few_columns_at_a_time_is_pillows_resize_of_the_whole(sar):
    rng = np.random.default_rng(int(sar * 100))
    for _ in range(10):
        width = int(rng.integers(20, 3000))
        units = round(width / sar)
        pixels = rng.integers(0, 256, (5, width), dtype=np.uint8)
        pixels[:, rng.random(width) < 0.3] = 0
        pixels[:, rng.random(width) < 0.3] = 255
        expected = np.asarray(Image.fromarray(pixels).resize((units, 5), Image.Resampling.BOX))
        squeeze = Squeeze(width, units)
        a = int(rng.integers(0, units))
        b = int(rng.integers(a + 1, units + 1))
        first, last = squeeze.span(a, b)
        assert np.array_equal(squeeze.apply(pixels[:, first:last], first, a, b), expected[:, a:b])


def test_a_run_is_cut_into_chunks_that_are_the_run_again():
    font = load_font(BOLD, 200)
    run = "Đề nghị người dân tải ứng dụng " * 30 + "x" * 300 + "ế" * 50 + " cuối."
    chunks = cut(run, font, font.getlength(run), target=2000)
    assert "".join(t for t, _ in chunks) == run and len(chunks) > 20
    assert all(t[0] not in "\u0300\u0301\u0303\u0309\u0323" for t, _ in chunks)  # never before a mark
    advances = [font.getlength(t) for t, _ in chunks]
    assert [at for _, at in chunks] == pytest.approx(np.cumsum([0, *advances[:-1]]).tolist())
    assert max(advances) < 4 * 2000 + font.getlength("xx")  # long words cut too
    assert cut("ngắn", font, font.getlength("ngắn")) == [("ngắn", 0.0)]


@pytest.fixture(scope="module")
def long_survey(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    text = " ".join(WORDS * 6)  # small letters, about 6,600 columns: the strips are wider than three buffers
    cfg = folder / "c.toml"
    cfg.write_text(
        f'[campaign]\nname = "l"\nstart = 2020-03-12\nend = 2020-03-15\n[[message]]\ntext = "{text}"\n'
        '[style]\nlabel = "TIN"\nsize = 0.025',
        encoding="utf-8",
    )
    campaign = load_campaign(cfg)
    return prepare(campaign), campaign


class CountedStrips(PhaseStrips):
    """Phase strips that count the columns they are asked to make."""

    made = 0

    def fill(self, out: np.ndarray, first: int, phases: tuple[int, ...] | None = None) -> None:
        self.made += out.shape[2]
        super().fill(out, first, phases)


@pytest.mark.parametrize("loop", [True, False])
def test_the_blitters_sliding_buffers_give_the_whole_strips_pictures(long_survey, loop):
    crawl, campaign = long_survey
    # fast, and a timed clip of a few passes: every buffer still slides many times, in fewer frames
    output = outputs_for(campaign, profile="576i50", fmt="qtrle", seconds=None if loop else 6)[0]
    sv = survey(crawl, output, speed=3000)
    plan, scene = sv.plan, sv.scene
    strips = CountedStrips(sv.track.at(plan.phases), sv.look, plan.period, 720)
    whole = Blitter(strips.whole(), scene, plan, True)
    sliding = Blitter(strips, scene, plan, True, windows=3)
    assert strips.columns > 3 * (720 + 1024)  # the strips are wider than three buffers: they slide
    frames = list(range(plan.frames))
    expected = {i: whole.frame(i).copy() for i in frames}  # the whole strips' pictures, made once each
    third = len(frames) // 3
    thirds = [frames[k * third : (k + 1) * third] for k in range(3)]  # three runs in turn, as a joined file asks
    for order in (frames, [i for t in zip(*thirds) for i in t]):
        strips.made = 0
        for i in order:
            assert np.array_equal(sliding.frame(i), expected[i]), i
        # each column made about once a pass: the buffers slide far enough, and each run keeps its own
        assert strips.made < 1.6 * strips.columns * (plan.passes or 1)
    for i in random.Random(1).sample(frames, 40):
        assert np.array_equal(sliding.frame(i), expected[i]), i
    assert sliding.strips.nbytes <= 3 * plan.phases * scene.band_height * (720 + 1024) * 4  # three buffers at most


def test_a_timed_clips_window_never_makes_its_buffer_again_as_the_text_enters(long_survey):
    """At 333 px/s a picture moves 53 units, not a whole number of columns: as the text enters, the window's
    first unit comes round to the period's end and to 0 in turn (the same pixels), and the one buffer must take
    both without being made again."""
    crawl, campaign = long_survey
    output = outputs_for(campaign, profile="576i50", fmt="qtrle", seconds=30)[0]  # one pass
    sv = survey(crawl, output, speed=333)
    plan, scene = sv.plan, sv.scene
    assert plan.passes == 1
    strips = CountedStrips(sv.track.at(plan.phases), sv.look, plan.period, 720)
    whole = Blitter(strips.whole(), scene, plan, True)
    sliding = Blitter(strips, scene, plan, True, windows=1)
    assert strips.columns > 720 + 1024
    strips.made = 0
    for i in range(plan.frames):
        assert np.array_equal(sliding.frame(i), whole.frame(i)), i
    assert strips.made < 1.3 * strips.columns * (plan.passes or 1)
