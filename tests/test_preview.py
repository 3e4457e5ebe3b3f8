"""`ticker preview` as an approver meets it: the proof page opened in a real browser (Debian's Chromium), the
preview clip and animation decoded, and the contact sheet read against the rendered strip."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from ticker.campaign.config import Output, load_campaign
from ticker.engine.strip import rasterise
from ticker.engine.survey import survey
from ticker.engine.text_stage import prepare
from ticker.media.profiles import PROFILES
from ticker.review.preview import message_texts, preview_profile

from support.campaigns import HAU_GIANG, PC_COVID, ROOT, shortened, write_campaign
from support.media import ffmpeg
from support.running import run_ticker

ARTIFACTS = ROOT / "test-artifacts"


def preview(tmp_path: Path, config: Path, *args) -> tuple[dict, dict[str, Path]]:
    out = tmp_path / "preview"
    done = run_ticker("preview", config, "-o", out, *args, cwd=tmp_path)
    paths = [Path(line) for line in done.stdout.split()]
    data = json.loads(next(p for p in paths if p.suffix == ".json").read_text(encoding="utf-8"))
    return data, {kind: out / name for kind, name in data["files"].items()}


@pytest.fixture(scope="module")
def pc_covid(tmp_path_factory):
    return preview(tmp_path_factory.mktemp("pc"), PC_COVID)


def _phase_profiles(track) -> list[np.ndarray]:
    """The track's coverage per stored pixel, column by column, for each of its P sub-pixel positions."""
    coverage, p = track.tile(0, track.units)[..., 3].astype(np.float32).sum(axis=0), track.phases
    return [coverage[j : j + (len(coverage) - j) // p * p].reshape(-1, p).mean(axis=1) for j in range(p)]


def _match(signal: np.ndarray, pattern: np.ndarray) -> tuple[float, int]:
    """The best normalised cross-correlation of `pattern` along `signal`, and where."""
    n = len(pattern)
    z = (pattern - pattern.mean()) / pattern.std()
    sums = np.concatenate([[0], np.cumsum(signal)])
    squares = np.concatenate([[0], np.cumsum(signal.astype(np.float64) ** 2)])
    mean = (sums[n:] - sums[:-n]) / n
    std = np.sqrt(np.maximum((squares[n:] - squares[:-n]) / n - mean**2, 1e-9))
    score = np.correlate(signal, z, mode="valid") / n / std
    return float(score.max()), int(score.argmax())


MINIMAL_DAY = """
[campaign]
name = "day"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "Hôm nay {date}, còn {days_left} ngày."
"""


@pytest.mark.parametrize("config", [HAU_GIANG, PC_COVID], ids=["hau-giang", "pc-covid"])
def test_preview_writes_the_clip_the_animation_the_sheet_and_the_page(tmp_path, config):
    if config == HAU_GIANG:  # what is written does not depend on the loop's length: a short crossing
        config = shortened(config, tmp_path / "campaign")
    data, files = preview(tmp_path, config)
    assert sorted(p.name for p in (tmp_path / "preview").iterdir()) == sorted(files[k].name for k in files)
    with av.open(str(files["video"])) as c:
        s = c.streams.video[0]
        assert (s.codec_context.name, s.width, s.height, s.average_rate) == ("h264", 960, 540, 25)
        assert sum(1 for _ in c.decode(s)) == data["preview"]["frames"]
    if data["outputs"][0]["loop"]:  # the same motion, within the quantisation of another picture width
        assert data["preview"]["seconds"] == pytest.approx(data["outputs"][0]["seconds"], rel=0.03)
    with Image.open(files["animation"]) as im:
        assert im.format == "WEBP" and im.is_animated and im.n_frames > 20 and im.width == 480
    with Image.open(files["contact_sheet"]) as im:
        assert im.format == "PNG" and len(data["contact_sheet"]["rows"]) >= 2
    with Image.open(files["still"]) as im:  # the picture for the report back: the channel's frame, no heading
        assert im.format == "PNG" and im.size == (960, 540)
    campaign = load_campaign(config)
    assert data["window"] == {
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "days": (campaign.end - campaign.start).days + 1,
        "timezone": "Asia/Ho_Chi_Minh",
    }
    for o in data["outputs"]:
        assert {"file", "profile", "seconds", "reading_cps", "cap_lines", "contrast", "warnings", "warnings_vi"} <= set(
            o
        )
    page = files["page"].read_text(encoding="utf-8")
    assert page.count("data:") >= 3 and "http://" not in page.replace(data["qr_url"] or "-", "")
    assert 'lang="vi"' in page and "Duyệt chạy chữ" in page


@pytest.mark.xdist_group("chromium")
def test_the_proof_page_plays_shows_its_pictures_and_the_message_in_a_real_browser(pc_covid, chromium):
    _data, files = pc_covid
    requests = []
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(files["page"].as_uri())
    page.wait_for_function("document.getElementById('preview').readyState >= 2", timeout=20000)
    first = page.evaluate("document.getElementById('preview').currentTime")
    # until the video has played on by more than half a second (read from here: the page's policy forbids the
    # evaluated script a wait in the page would run); if it does not within 20 s, the assertion below says so
    later, deadline = first, time.monotonic() + 20
    while later - first <= 0.5 and time.monotonic() < deadline:
        page.wait_for_timeout(50)
        later = page.evaluate("document.getElementById('preview').currentTime")
    sizes = page.evaluate("""['animation', 'contact-sheet'].map(id => {
        const im = document.getElementById(id); return [im.complete, im.naturalWidth, im.naturalHeight]; })""")
    shown = page.evaluate("[...document.querySelectorAll('#messages .message')].map(li => li.innerText)")
    video = page.evaluate("[document.getElementById('preview').videoWidth, document.getElementById('preview').paused]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "proof-page.png"), full_page=True)
    context.close()
    assert later - first > 0.5, f"the preview plays (currentTime {first} then {later})"
    assert video == [960, False]
    sheet = Image.open(files["contact_sheet"])
    assert sizes == [[True, 480, 270], [True, sheet.width, sheet.height]]
    assert shown == [m.text for m in load_campaign(PC_COVID).messages]
    assert requests == [files["page"].as_uri()], "the page loads nothing but itself"


def test_the_proof_page_fits_a_phone_without_sideways_scrolling(pc_covid, chromium):
    """At 390 px (a phone held upright) nothing of the page reaches past the screen's width."""
    _data, files = pc_covid
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(files["page"].as_uri())
    page.wait_for_load_state("load")
    wide = page.evaluate("""[document.documentElement.scrollWidth,
        ...[...document.querySelectorAll('body *')].map(e => [e, e.getBoundingClientRect().right])
            .filter(([e, right]) => right > 391).slice(0, 5).map(([e, r]) => e.tagName + '#' + e.id + ' ' + r)]""")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "proof-page-phone.png"), full_page=True)
    context.close()
    assert wide[0] <= 390, wide


def test_preview_over_the_operators_frame_grab_and_placeholders_for_a_day(tmp_path):
    Image.new("RGB", (1920, 1080), (0, 160, 60)).save(tmp_path / "grab.png")
    cfg = write_campaign(tmp_path, "[motion]\ncrossing_seconds = 4\n", base=MINIMAL_DAY)
    data, files = preview(
        tmp_path, cfg, "--over", tmp_path / "grab.png", "--date", "2020-03-14", "--profile", "576i50-4x3"
    )
    assert data["messages"] == ["Hôm nay 14/3/2020, còn 2 ngày."] and data["day"] == "2020-03-14"
    with av.open(str(files["video"])) as c:
        frame = next(c.decode(c.streams.video[0])).to_ndarray(format="rgb24")
    assert frame.shape == (540, 720, 3), "a 4:3 look is 720 × 540 in square pixels"
    assert np.abs(frame[100, 100].astype(int) - (0, 160, 60)).max() < 8, "the crawl runs over the frame grab"

    done = ffmpeg(
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=320x240:r=25:d=3",
        "-pix_fmt",
        "yuv420p",
        tmp_path / "programme.mp4",
    )
    assert done.returncode == 0, done.stderr
    data, _ = preview(tmp_path, cfg, "--over", tmp_path / "programme.mp4")
    assert data["preview"]["frames"] > 0


def test_a_bad_frame_grab_is_one_sentence(tmp_path):
    (tmp_path / "grab.png").write_text("not a picture")
    cfg = write_campaign(tmp_path)
    done = run_ticker(
        "preview", cfg, "-o", tmp_path / "p", "--over", tmp_path / "grab.png", cwd=tmp_path, check_status=2
    )
    assert done.stderr.strip().splitlines() == [done.stderr.strip()] and "Traceback" not in done.stderr
    assert "--over" in done.stderr and "grab.png" in done.stderr
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())


@pytest.mark.xdist_group("chromium")  # with the browser test: the PC-Covid preview made once
def test_the_contact_sheet_holds_every_message_of_a_three_message_campaign(pc_covid):
    data, files = pc_covid
    sheet = np.asarray(Image.open(files["contact_sheet"]).convert("RGB"), dtype=np.float32)
    rows = data["contact_sheet"]["rows"]
    width, height = rows[0]["box"][2], rows[0]["box"][3]
    # the rows are cuts of one strip at equal steps: unwrapped, where they overlap they agree
    strip = np.zeros((height, rows[-1]["column"] + width, 3), np.float32)
    steps = {b["column"] - a["column"] for a, b in itertools.pairwise(rows)}
    assert len(steps) == 1 and 0 < steps.pop() < width
    for k, row in enumerate(rows):
        x, y, w, h = row["box"]
        cut = sheet[y : y + h, x : x + w]
        if k:
            overlap = rows[k - 1]["column"] + width - row["column"]
            assert np.abs(strip[:, row["column"] : row["column"] + overlap] - cut[:, :overlap]).max() < 1
        strip[:, row["column"] : row["column"] + w] = cut
    # the text's coverage, column by column: a pixel is band + coverage × (text - band), so its distance from
    # the band's colour is the coverage times a constant of each message's colour
    band = np.median(strip.reshape(-1, 3), axis=0)
    ink = np.linalg.norm(strip - band, axis=2).sum(axis=0)

    campaign = load_campaign(PC_COVID)
    crawl = prepare(campaign)
    profile = preview_profile(campaign.outputs[0].profile)
    look = survey(crawl, Output(profile, "preview", True, None)).look
    places = []
    texts = message_texts(crawl)
    assert texts == [m.text for m in campaign.messages]
    for piece in (p for p in crawl.pieces if p.text in texts):
        drawn = rasterise((piece,), look)  # the message drawn by itself, at 1/P pixel
        best, at = max(_match(ink, profile) for profile in _phase_profiles(drawn))
        assert best > 0.98, f"{piece.text[:30]}…: best match {best:.3f}"
        places.append(at)
    assert places == sorted(places), "the messages come in their order"
    assert not [p for p in PROFILES if p.startswith("preview-")], "the preview's profile is not left registered"


@pytest.mark.parametrize("separator", ["•", " ", "", "logo"])
def test_every_message_is_shown_whatever_the_separator(tmp_path, separator):
    Image.new("RGBA", (64, 64), (255, 200, 0, 255)).save(tmp_path / "logo.png")
    cfg = write_campaign(
        tmp_path,
        f'[style]\nseparator = "{separator}"\nlogo = "logo.png"\nuppercase = true\n',
        base=MINIMAL_DAY + '[[message]]\ntext = "Quét mã QR."\n[[message]]\ntext = "Cài đặt."\n',
    )
    crawl = prepare(load_campaign(cfg), day=dt.date(2020, 3, 13))
    assert message_texts(crawl) == ["HÔM NAY 13/3/2020, CÒN 3 NGÀY.", "QUÉT MÃ QR.", "CÀI ĐẶT."]
