"""The band's still layers and its pieces, read back from rendered files: the QR code scans, the label, logo and
QR code never change and never show text, several messages keep their colours and even separators and loop
without a seam, presets and the 4:3 centre cut put things where they belong."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from support.campaigns import HAU_GIANG, PC_COVID, write_campaign
from support.measure import decode_rgba, step, words
from support.running import run_ticker

HG_URL = "https://play.google.com/store/apps/details?id=com.vnptit.innovation.ncovi"


def _scan(pic: np.ndarray, sar: Fraction = Fraction(1)) -> list[str]:
    """What a QR decoder reads in a decoded picture composed over mid grey, seen at its display aspect."""
    rgb = pic[..., :3] * pic[..., 3:] + 0.5 * (1 - pic[..., 3:])
    image = Image.fromarray(np.rint(rgb * 255).astype(np.uint8))
    if sar != 1:
        image = image.resize((round(image.width * sar), image.height), Image.Resampling.BICUBIC)
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def _logo(folder: Path) -> Path:
    """A round logo with a transparent surround and a soft edge."""
    im = Image.new("RGBA", (240, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.ellipse((20, 0, 220, 200), fill=(255, 255, 255, 255))
    draw.ellipse((70, 50, 170, 150), fill=(0, 130, 60, 200))
    path = folder / "logo.png"
    im.save(path)
    return path


LAYERED = """
[campaign]
name = "layers"
start = 2021-11-15
end = 2021-12-31
[[message]]
text = "Tải ứng dụng tại https://pccovid.gov.vn/ ngay hôm nay."
[[message]]
text = "Quét mã QR khi đến nơi công cộng."
color = "#FFD200"
weight = "regular"
[[message]]
text = "Bảo vệ bản thân và cộng đồng."
[style]
preset = "news"
logo = "logo.png"
separator = "logo"
[qr]
url = "auto"
hide_url = true
replace_with = "(quét mã QR)"
"""


@pytest.fixture(scope="module")
def layered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layered")
    _logo(folder)
    cfg = write_campaign(folder, base=LAYERED)
    done = run_ticker(
        "render",
        cfg,
        "-o",
        folder / "out",
        "--profile",
        "1080p50",
        "--format",
        "qtrle",
        "--seconds",
        "8",
        "--speed",
        "1500",
        "--json",
        cwd=folder,
    )
    return cfg, json.loads(done.stdout)["outputs"][0], folder


THREE = """
[campaign]
name = "three"
start = 2021-11-15
end = 2021-12-31
[[message]]
text = "Cài đặt ứng dụng PC-Covid."
[[message]]
text = "Quét mã QR nơi công cộng."
color = "#FFD200"
[[message]]
text = "Bảo vệ cộng đồng."
weight = "regular"
[style]
label = "THÔNG BÁO"
band_opacity = 0.8
separator = "•"
[motion]
gap = 0.3
[qr]
url = "https://pccovid.gov.vn/"
"""


def _alpha_coverage(pic: np.ndarray, r: dict, opacity: float) -> np.ndarray:
    """Text coverage in the band's window from alpha alone: a = (α - o) / (1 - o), whatever the colours."""
    y, h, (x0, x1) = r["band_y"], r["band_height"], r["crawl"]
    return np.clip((pic[y : y + h, x0:x1, 3] - opacity) / (1 - opacity), 0, 1)


def _runs(profile: np.ndarray, min_gap: int = 12) -> list[tuple[int, int]]:
    ink = np.flatnonzero(profile > 0.02 * profile.max())
    breaks = np.flatnonzero(np.diff(ink) >= min_gap)
    return list(zip(np.r_[ink[0], ink[breaks + 1]], np.r_[ink[breaks], ink[-1]]))


def _check(tmp_path, extra: str, base=None) -> str:
    kwargs = {} if base is None else {"base": base}
    cfg = write_campaign(tmp_path, extra, **kwargs)
    done = run_ticker("check", cfg, cwd=tmp_path, check_status=None)
    return done


EMERGENCY = """
[[output]]
profile = "1080i50"
format = "png"
seconds = 2
style = "emergency"

[[output]]
profile = "1080i50"
format = "png"
seconds = 2
style = "lobby"

[preset.lobby]
preset = "plain"
safe_area = "4:3"
label = "TIN"
"""


def test_label_logo_and_qr_are_the_same_in_every_picture_and_never_show_text(layered):
    cfg, r, _ = layered
    boxes = r["layers"]
    assert set(boxes) == {"label", "logo", "qr"}
    x0, x1 = r["crawl"]
    assert x0 == boxes["label"][0] + boxes["label"][2]  # the crawl comes out from under the label ...
    assert x1 == boxes["qr"][0]  # ... and goes in beneath the QR code
    y, h = r["band_y"], r["band_height"]
    pictures = decode_rgba(r["path"])  # one at a time: 400 of them would not fit in memory
    first = next(pictures)  # a timed clip starts with an empty band: no text anywhere
    assert np.abs(first[y : y + h, x0:x1] - first[y, x0]).max() == 0
    touched_left = touched_right = count = 0
    middle = None
    for count, pic in enumerate(pictures, 2):
        middle = pic if count == 200 else middle
        for bx, by, bw, bh in boxes.values():
            assert np.array_equal(pic[by : by + bh, bx : bx + bw], first[by : by + bh, bx : bx + bw])
        assert np.array_equal(pic[:y], first[:y]) and np.array_equal(pic[y + h :], first[y + h :])
        window = np.abs(pic[y : y + h, x0:x1, 3] - first[y, x0, 3]).max(axis=0) > 0.05
        touched_left += bool(window[:4].any())
        touched_right += bool(window[-4:].any())
    assert count == r["frames"] == 400
    assert touched_left > 20 and touched_right > 20  # text reached both layers, and went beneath them
    assert _scan(middle) == ["https://pccovid.gov.vn/"]
    # the address is in the QR code, not in the crawl
    checked = run_ticker("check", cfg, cwd=cfg.parent).stdout
    assert "text: Tải ứng dụng tại (quét mã QR) ngay hôm nay." in checked
    assert "pccovid.gov.vn/ ngay" not in checked


def test_three_messages_with_separators_loop_seamlessly(tmp_path):
    cfg = write_campaign(tmp_path, base=THREE)
    done = run_ticker(
        "render",
        cfg,
        "-o",
        tmp_path / "out",
        "--profile",
        "720p50",
        "--format",
        "qtrle",
        "--loop",
        "--speed",
        "900",
        "--json",
        cwd=tmp_path,
    )
    r = json.loads(done.stdout)["outputs"][0]
    s = r["speed_px_per_s"] / 50
    assert abs(s * 8 - round(s * 8)) < 1e-9
    covs, positions = [], []
    for pic in decode_rgba(r["path"], rows=slice(0, r["band_y"] + r["band_height"])):
        cov = _alpha_coverage(pic, r, round(0.8 * 255) / 255)
        covs.append(cov)
        positions.append(words(cov.sum(axis=0)))
    assert len(covs) == r["frames"]
    steps = np.array(
        [
            step(positions[i], positions[(i + 1) % len(positions)], s)
            for i in range(len(positions))
            if positions[i] and positions[(i + 1) % len(positions)]
        ]
    )
    assert len(steps) > 0.9 * r["frames"]
    assert np.abs(steps - s).max() < 0.01, np.abs(steps - s).max()  # every step, across the seam too

    # Even spacing: in a picture with a whole separator, the blank before it equals the blank after it.
    gaps = []
    for cov in covs[::5]:
        runs = _runs(cov.sum(axis=0))
        for (_, e0), (s1, e1), (s2, _) in zip(runs, runs[1:], runs[2:]):
            if e1 - s1 < 20 and s2 - e1 > 20:  # the bullet: narrow, between two words of text
                gaps.append((s1 - e0, s2 - e1))
    assert len(gaps) >= 4 and all(abs(a - b) <= 1 for a, b in gaps), gaps

    # The second message is drawn in its own colour.
    band = slice(r["band_y"], r["band_y"] + r["band_height"])
    yellow = [p[:, r["crawl"][0] : r["crawl"][1]] for p in list(decode_rgba(r["path"], rows=band))[::25]]
    solid = np.concatenate([b[b[..., 3] == 1][:, :3] for b in yellow])
    assert (np.abs(solid * 255 - (255, 210, 0)).max(axis=1) <= 2).sum() > 500
    assert (np.abs(solid * 255 - (255, 255, 255)).max(axis=1) <= 2).sum() > 500


def test_presets_place_the_band_and_the_4x3_cut_keeps_the_label_and_qr_inside(tmp_path):
    cfg = write_campaign(tmp_path, EMERGENCY + '[qr]\nurl = "https://pccovid.gov.vn/"\n')
    done = run_ticker(
        "render", cfg, "-o", tmp_path / "out", "--speed", "2000", "--text", "Khẩn", "--json", cwd=tmp_path
    )
    urgent, lobby = json.loads(done.stdout)["outputs"]
    assert Path(urgent["path"]).name == "test_emergency_1080i50_png_2s" and "lobby" in lobby["path"]
    # emergency: a red band at the top, inside the graphics-safe area, a rule above and below it
    assert urgent["band_y"] == 56 + 4 and urgent["band_y"] % 2 == 0
    first = sorted(Path(urgent["path"]).glob("*.png"))[0]
    pic = np.asarray(Image.open(first)).astype(int)
    assert (pic[urgent["band_y"] + 10, 1000] == (176, 0, 0, 255)).all()
    assert (pic[urgent["band_y"] - 2, 1000] == (255, 210, 0, 255)).all()  # the rule
    x, y, w, _h = urgent["layers"]["qr"]
    assert y == 56 and x + w == 1920 - 96  # level with the band's top, reaching down
    # 4:3 centre cut: 1440 columns in the middle, 5 % of them safe on each side
    for name, (x, _y, w, _h) in lobby["layers"].items():
        assert x >= 240 + 72 and x + w <= 1680 - 72, (name, x, w)
    # plain: no band at all, so the picture shows wherever there is no text, label or QR code
    pic = np.asarray(Image.open(sorted(Path(lobby["path"]).glob("*.png"))[0])).astype(int)
    assert pic[lobby["band_y"] : lobby["band_y"] + lobby["band_height"], :300, 3].max() == 0


def test_outline_and_shadow_surround_the_text(tmp_path):
    cfg = write_campaign(
        tmp_path,
        '[style]\npreset = "plain"\noutline_color = "#000000"\nshadow_color = "#000000"\nshadow_opacity = 0.6\n',
    )
    done = run_ticker(
        "render",
        cfg,
        "-o",
        tmp_path / "out",
        "--profile",
        "720p50",
        "--format",
        "png",
        "--seconds",
        "3",
        "--speed",
        "1000",
        "--json",
        cwd=tmp_path,
    )
    r = json.loads(done.stdout)["outputs"][0]
    pic = np.asarray(Image.open(sorted(Path(r["path"]).glob("*.png"))[75])).astype(int)
    band = pic[r["band_y"] : r["band_y"] + r["band_height"]]
    opaque = band[band[..., 3] == 255][:, :3]
    assert (opaque.min(axis=1) >= 250).sum() > 100  # the white text
    assert (opaque.max(axis=1) <= 5).sum() > 100  # its black outline
    shadow = band[(band[..., 3] > 140) & (band[..., 3] < 160)][:, :3]  # 0.6 of black, beyond the outline
    assert len(shadow) > 20 and shadow.max() <= 5
    # below each glyph's outline comes its shadow: the ink reaches further down than up
    rows = np.flatnonzero(band[..., 3].max(axis=1) > 0)
    last = band[rows[-1]]
    assert last[last[..., 3] > 0][:, :3].max() <= 5


@pytest.mark.parametrize(
    "config, args, url, sar",
    [
        (HAU_GIANG, ("--profile", "1080i50", "--format", "prores4444", "--loop"), HG_URL, Fraction(1)),
        (HAU_GIANG, ("--profile", "576i50", "--format", "prores4444", "--loop"), HG_URL, Fraction(64, 45)),
        (
            PC_COVID,
            ("--profile", "1080p25", "--format", "h264", "--seconds", "6", "--speed", "1500", "--text", "PC-Covid"),
            "https://pccovid.gov.vn/",
            Fraction(1),
        ),
    ],
)
@pytest.mark.xdist_group("renders")  # the session's renders, made once on one worker
def test_the_qr_code_in_a_decoded_picture_reads_back_the_configured_url(renders, config, args, url, sar):
    # the QR code is the same at any speed: the Hậu Giang loops are read with a short crossing
    r = renders(renders.short(config) if config == HAU_GIANG else config, *args)
    assert r["qr_url"] == url
    pictures = decode_rgba(r["path"])
    first = next(pictures)
    assert _scan(first, sar) == [url]
    _x, y, w, h = r["layers"]["qr"]
    assert abs(w * sar / h - 1) < 0.01  # square on the screen
    assert h >= 41 * np.ceil(r["height"] / 120) or h >= 33 * np.ceil(r["height"] / 120)  # the module rule
    top, bottom = r["band_y"], r["band_y"] + r["band_height"]
    assert y + h >= bottom - 8 and y < top  # beside the band, level with its lower edge, reaching up


def test_logo_is_scaled_to_the_band_and_keeps_its_alpha(layered):
    _, r, _folder = layered
    x, y, w, h = r["layers"]["logo"]
    assert h == round(0.8 * r["band_height"]) and abs(w / h - 240 / 200) < 0.02
    pic = next(decode_rgba(r["path"]))
    logo = pic[y : y + h, x : x + w]
    band = pic[r["band_y"] + 2, x - 2]
    assert np.abs(logo[0, 0] - band).max() < 2 / 255  # transparent corner: the band shows through
    # 0.78 green over the 0.9 blue band ("news"): premultiplied composition, then straight alpha
    a, o = 200 / 255, 0.9
    alpha = a + (1 - a) * o
    expected = (a * np.array([0, 130, 60]) + (1 - a) * o * np.array([11, 46, 107])) / 255 / alpha
    centre = logo[h // 2, w // 2]
    assert np.abs(centre[:3] - expected).max() < 3 / 255 and abs(centre[3] - alpha) < 1 / 255


@pytest.mark.parametrize(
    "extra, words_",
    [
        ('[style]\npreset = "nope"\n', ["style.preset", "must be one of", "emergency"]),
        ('[preset.a]\npreset = "b"\n[preset.b]\npreset = "a"\n[style]\npreset = "a"\n', ["refers back"]),
        ('[style]\nseparator = "logo"\n', ["style.separator", "style.logo"]),
        ('[style]\nlogo = "missing.png"\n', ["style.logo", "missing.png"]),
        ('[qr]\nurl = "auto"\n', ["qr.url", "no message holds a web address"]),
        ('[qr]\nurl = "not a url"\n', ["qr.url", "web address"]),
        ('[qr]\nurl = "https://pccovid.gov.vn/"\nmodule = 0.05\n', ["QR code", "does not fit"]),
        ('[[output]]\nprofile = "1080i50"\nformat = "qtrle"\nloop = true\nstyle = "urgent"\n', ["output[1].style"]),
    ],
)
def test_bad_layer_settings_are_one_clear_sentence(tmp_path, extra, words_):
    done = _check(tmp_path, extra)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    for w in words_:
        assert w in done.stderr, done.stderr


def test_message_weight_must_name_a_font_of_the_style(tmp_path):
    base = THREE.replace('weight = "regular"', 'weight = "black"')
    done = _check(tmp_path, "", base)
    assert done.returncode == 2 and "message[3].weight 'black' is not in style.fonts" in done.stderr
