"""The test programmes (support/programmes.py): the crawl on screen exactly when their truth says, and nowhere
else; the channel's frame count, rate and picture; its variants the same programme. And `ticker watch` over
those the truth is hardest on, read as a compliance officer reads the records: ticker's own burned-in
transport stream, the crawl taken off mid-pass, the signal lost for two seconds in the middle of the crawl;
each airing's start and end within two pictures of the truth, its whole passes and whether the last was cut
counted from where the engine drew the text (support.programmes.track), not from the recogniser."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from support.programmes import Insert, Loss, Programme, burned_in, crawl_loop, overlaid, track, variant
from support.running import run_ticker

pytestmark = pytest.mark.slow
INSERTS = [Insert(1, 4), Insert(6, 8.2)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Programme, Programme]:
    """The crawl's loop, a 10 s 576i50 programme with the crawl at 1–4 s and 6–8.2 s, and the same without it."""
    folder = tmp_path_factory.mktemp("programmes")
    loop = crawl_loop(folder)
    return loop, overlaid(folder, loop, seconds=10, inserts=INSERTS), overlaid(folder, loop, seconds=10, inserts=[])


@dataclass(frozen=True)
class Decoded:
    """What PyAV reads of a programme's video: its stream, and the band's rows of every picture (RGB), in order."""

    rate: Fraction | None
    sar: Fraction | None
    codec: str
    size: tuple[int, int]
    interlaced: bool
    top_first: bool
    rows: np.ndarray


def _decode(path: Path, rows: slice) -> Decoded:
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        first, kept = None, []
        for picture in c.decode(stream):
            first = first or picture
            kept.append(picture.to_ndarray(format="rgb24")[rows])
        assert first is not None, f"{path} has no picture"
        return Decoded(
            stream.average_rate,
            stream.sample_aspect_ratio,
            stream.codec_context.name,
            (first.height, first.width),
            first.interlaced_frame,
            stream.codec_context.field_order == 2,  # AV_FIELD_TT: top field first, as the decoder found it
            np.array(kept),
        )


def _band(loop: Path) -> slice:
    """The rows the loop's band covers: where its first picture is not transparent."""
    with av.open(str(loop)) as c:
        alpha = next(c.decode(video=0)).to_ndarray(format="rgba")[..., 3]
    rows = np.flatnonzero(alpha.max(axis=1))
    assert len(rows) and rows[-1] - rows[0] + 1 == len(rows), "the loop's band is one run of rows"
    return slice(int(rows[0]), int(rows[-1]) + 1)


@pytest.fixture(scope="module")
def decoded(built) -> tuple[Decoded, Decoded]:
    """The programme with the crawl and the one without, decoded: the band's rows."""
    loop, crawled, plain = built
    return _decode(crawled.path, _band(loop)), _decode(plain.path, _band(loop))


@pytest.fixture(scope="module")
def changed(decoded) -> np.ndarray:
    """Per picture of the programme, how much the band's rows differ from the programme without the crawl."""
    a, b = decoded
    assert a.rows.shape == b.rows.shape
    return np.abs(a.rows.astype(np.int16) - b.rows).mean(axis=(1, 2, 3))


def test_the_programme_is_a_channels_576i50_stream(built, decoded):
    for programme, read in zip(built[1:], decoded):
        assert (programme.frames, programme.rate, programme.codec) == (250, 25, "h264")
        assert (len(read.rows), read.rate, read.sar, read.codec) == (250, 25, Fraction(64, 45), "h264")
        assert read.size == (576, 720)
        assert read.interlaced and read.top_first
        with av.open(str(programme.path)) as c:
            assert c.format.name == "mpegts"
            assert [s.codec_context.name for s in c.streams.audio] == ["mp2"]
        assert Path(f"{programme.path}.command.txt").read_text(encoding="utf-8").count(" -f mpegts ") == 1


def test_the_band_is_on_during_the_inserts_and_only_then(built, changed):
    crawled = built[1]
    shown = np.array([crawled.shown(n) for n in range(crawled.frames)])
    assert shown.sum() == round((3 + 2.2) * 25)
    assert changed[shown].min() > 20, "the crawl is on every picture of the inserts"
    assert changed[~shown].max() < 3, "no picture outside the inserts differs from the programme without them"


def test_each_insert_starts_and_ends_on_its_picture(changed):
    on = np.flatnonzero(changed > 10)
    runs = np.split(on, np.flatnonzero(np.diff(on) != 1) + 1)
    assert len(runs) == len(INSERTS)
    for run, insert in zip(runs, INSERTS):
        assert abs(run[0] - round(insert.start * 25)) <= 1, f"{insert} first seen on picture {run[0]}"
        assert abs(run[-1] + 1 - round(insert.end * 25)) <= 1, f"{insert} last seen on picture {run[-1]}"


def test_the_clip_starts_from_its_first_picture_at_each_insert(built, decoded):
    """At an insert's first picture the programme shows the loop's picture 0 over the plain programme, not any
    other of the loop's pictures (the crawl moves some 9 pixels a picture)."""
    loop = built[0]
    band = _band(loop)
    with av.open(str(loop)) as c:
        clip = np.array([f.to_ndarray(format="rgba")[band] for f in c.decode(video=0)], dtype=np.float32)
    alpha = clip[..., 3:] / 255
    a, b = decoded
    for insert in INSERTS:
        n = round(insert.start * 25)
        over = alpha * clip[..., :3] + (1 - alpha) * b.rows[n]
        error = np.abs(over - a.rows[n]).mean(axis=(1, 2, 3))
        assert int(np.argmin(error)) == 0, f"{insert}: the programme shows the loop's picture {np.argmin(error)}"


@pytest.fixture(scope="module")
def centre_cut(built, tmp_path_factory) -> Programme:
    """The programme's 4:3 centre cut (one variant: each takes seconds to make)."""
    return variant(built[1], tmp_path_factory.mktemp("centre-cut"), "centre-cut")


def test_the_centre_cut_keeps_the_programmes_truth(built, centre_cut):
    """The 4:3 centre cut is the same programme, its crawl on the same pictures, at 576i50 4:3."""
    loop, crawled, _ = built
    made = centre_cut
    assert (made.frames, made.rate, made.inserts) == (crawled.frames, crawled.rate, crawled.inserts)
    assert (made.profile, made.codec) == ("576i50-4x3", "h264")
    read = _decode(made.path, _band(loop))
    assert (len(read.rows), read.rate, read.sar, read.size) == (made.frames, 25, Fraction(16, 15), (576, 720))
    assert read.interlaced and read.top_first
    shown = np.array([made.shown(n) for n in range(made.frames)])
    # the band is one dark colour with light letters: its rows vary less than the programme's picture does there
    spread = read.rows.std(axis=2).mean(axis=(1, 2))
    assert spread[shown].max() < spread[~shown].min() / 1.5


# --- watched as a compliance officer reads the records ---------------------------------------------------------

START = dt.datetime(2020, 3, 12, 6, 29, tzinfo=dt.timezone(dt.timedelta(hours=7)))  # the first picture, aired
PICTURE = 0.04  # seconds: a frame at 25 frames a second


def _watch(programme: Programme, config: Path, folder: Path) -> list[dict]:
    """`ticker watch` over the programme as a recording of channel HGTV whose first picture aired at START, the
    campaign alone in its folder: the lines of the records it wrote."""
    campaigns = folder / "campaigns"
    campaigns.mkdir(parents=True)
    shutil.copy(config, campaigns / config.name)
    records = folder / "records"
    run_ticker("watch", campaigns, programme.path, "--channel", "HGTV", "--start", START.isoformat(),
               "--records", records, cwd=folder)  # fmt: skip
    text = (records / "2020-03-12" / "watch@HGTV.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _at(text: str) -> float:
    """A record's time, in seconds of the programme."""
    return (dt.datetime.fromisoformat(text) - START).total_seconds()


def _assert_seen(
    lines: list[dict], programme: Programme, config: Path, shown: tuple[float, float] = (0, 1)
) -> list[dict]:
    """Each run of the crawl on screen is one airing, from its first picture to the end of its last within two
    pictures, with the passes every word of which it showed (in the part of the picture's width the channel
    shows: support.programmes.track) and whether it was taken off mid-pass; nothing else aired; the whole
    programme watched."""
    airings = [line for line in lines if line["kind"] == "airing"]
    truth, text = programme.airings(), track(config, shown)
    assert len(airings) == len(truth), (airings, truth)
    for airing, (start, end, since) in zip(airings, truth, strict=True):
        assert abs(_at(airing["start"]) - start) <= 2 * PICTURE, (airing, start)
        assert abs(_at(airing["end"]) - end) <= 2 * PICTURE, (airing, end)
        passes, cut = text.passes(since, since + end - start), text.cut(since, since + end - start)
        assert (airing["passes"], airing["cut"], airing["full"]) == (passes, cut, passes >= 1), (airing, start)
        assert airing["campaign"] == "programme" and airing["confidence"] >= 0.85
    assert [line["kind"] for line in lines if line["kind"] not in ("airing", "covered")] == []
    (covered,) = [line for line in lines if line["kind"] == "covered"]
    assert abs(_at(covered["start"])) < 1e-3 and abs(_at(covered["end"]) - programme.frames * PICTURE) < 1e-3
    return airings


def test_ticker_s_own_transport_stream_is_one_airing_from_its_first_picture_to_its_last(built, tmp_path):
    """ticker's burned-in TS (`render --format ts-h264 --over`) over the 10 s programme: one airing from the first
    picture to the end of the last, in wall-clock time and in the stream's own, three passes whole and the
    fourth not begun (the text's head comes into the picture every 3.48 s, all of it 1.96 s later)."""
    config = built[0].parent / "programme.toml"
    burned = burned_in(tmp_path, built[2], config)
    assert burned.airings() == [(0, 10, 0)]
    assert (track(config).passes(0, 10), track(config).cut(0, 10)) == (3, False)
    (airing,) = _assert_seen(_watch(burned, config, tmp_path / "watch"), burned, config)
    with av.open(str(burned.path)) as c:
        stream = c.streams.video[0]
        times = [float(f.pts * stream.time_base) for f in c.decode(stream)]
    assert len(times) == 250
    first, end = airing["stream"]  # in the stream's own seconds: from its first picture's timestamp
    assert abs(first - times[0]) <= PICTURE / 2 and abs(end - (times[-1] + PICTURE)) <= 2 * PICTURE


def test_the_crawl_taken_off_mid_pass_is_cut_and_only_whole_passes_count(built, tmp_path):
    """Taken off 6.2 s in, after two passes came in whole and before the third began: two passes, not cut;
    taken off 4.8 s in, with the second pass's head in and its tail not: one pass, cut; each ends where it was
    taken off."""
    loop = built[0]
    config = loop.parent / "programme.toml"
    programme = overlaid(tmp_path, loop, seconds=13.2, inserts=[Insert(0.6, 6.8), Insert(8, 12.8)])
    text = track(config)
    assert [(text.passes(0, b - a), text.cut(0, b - a)) for a, b, _ in programme.airings()] == [(2, False), (1, True)]
    _assert_seen(_watch(programme, config, tmp_path / "watch"), programme, config)


def test_two_seconds_of_black_in_the_crawl_split_the_airing_in_two(built, tmp_path):
    """The signal lost before the tap for two seconds in the middle of an airing (black: no programme, no band)
    while the inserter runs on: the crawl was not on air then, so the records say two airings, the first cut
    mid-pass by the loss and ending on its first black picture, the second from the first picture after it (the
    pass cut by the loss has left the picture by then: the second airing's one whole pass is the next); the
    black was watched (it is what aired), so the span watched is whole, nothing in it `not watched`."""
    loop = built[0]
    config = loop.parent / "programme.toml"
    programme = overlaid(tmp_path, loop, seconds=12, inserts=[Insert(1, 11)], losses=[Loss(5.68, 7.68)])
    assert [x for run in programme.airings() for x in run] == pytest.approx([1, 5.68, 0, 7.68, 11, 6.68])
    text = track(config)
    assert [(text.passes(s, s + b - a), text.cut(s, s + b - a)) for a, b, s in programme.airings()] == [
        (1, True),
        (1, False),
    ]
    _assert_seen(_watch(programme, config, tmp_path / "watch"), programme, config)


def test_through_the_centre_cut_a_pass_is_whole_once_its_words_all_came_into_the_4x3_picture(
    built, centre_cut, tmp_path
):
    """The second insert is taken off 2.2 s in: the text's tail came into the 16:9 picture at 1.96 s, but into
    the 4:3 centre cut, which leaves the band's ends out, only at 2.34 s. A channel airing the cut never showed
    the text's last words: no whole pass there, and the pass cut."""
    config = built[0].parent / "programme.toml"
    own, cut = track(config), track(config, shown=(1 / 8, 7 / 8))
    assert [(own.passes(0, 2.2), own.cut(0, 2.2)), (cut.passes(0, 2.2), cut.cut(0, 2.2))] == [(1, False), (0, True)]
    _assert_seen(_watch(centre_cut, config, tmp_path), centre_cut, config, shown=(1 / 8, 7 / 8))
