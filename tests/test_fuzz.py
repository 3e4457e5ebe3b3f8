"""Fuzzing (hypothesis), in this process: the text stage on arbitrary strings and bytes, and campaign files made of
the known keys with random values, and of random bytes. Whatever comes in, ticker either goes on or says one
sentence (a TickerError); nothing else escapes. A few hundred cases in all, so that the suite stays fast."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import math
import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from ticker.campaign.config import load_campaign
from ticker.cli import commands as cli
from ticker.engine.text_stage import prepare
from ticker.errors import TickerError
from ticker.vietnamese.detection import detect
from ticker.vietnamese.legacy import ENCODINGS, from_unicode, to_unicode
from ticker.vietnamese.syllables import is_syllable
from ticker.vietnamese.text import bundled_fonts_dir, check_glyphs, leftover_marks, normalise, upper

EXAMPLES = int(os.environ.get("TICKER_FUZZ_EXAMPLES", "60"))  # per test; more for a longer search
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐƯƠ"
LEGACY = "".join(map(chr, range(0x80, 0x100))) + "`'?~.^(+d\\"  # bytes of TCVN3, VNI, VISCII; VIQR's marks
PIECES = ["{date}", "{days_left}", "{nope}", "{{", "}}", "https://pccovid.gov.vn/", "www.a.vn", "\n", " ", "\u00a0"]
TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(st.text(VIETNAMESE + LEGACY + " ,.!", max_size=12), st.sampled_from(PIECES)), max_size=12).map(
        "".join
    ),
)
BASE = """[campaign]
name = "fuzz"
start = 2020-03-01
end = 2020-03-31
[[message]]
text = "Xin chào"
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""


@FUZZ
@given(TEXTS)
def test_detection_and_conversion_of_any_text(text):
    found = detect(text)
    assert isinstance(found.text, str) and 0 <= found.confidence <= 1
    normalise(text), upper(text), leftover_marks(text)
    for word in text.split():
        is_syllable(word)
    for encoding in ENCODINGS:
        with contextlib.suppress(TickerError):
            to_unicode(text, encoding)
        with contextlib.suppress(TickerError):
            from_unicode(text, encoding)


@FUZZ
@given(st.one_of(st.binary(max_size=300), TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_detection_of_any_bytes(data):
    found = detect(data)
    assert isinstance(found.text, str) and 0 <= found.confidence <= 1
    for encoding in ENCODINGS:
        with contextlib.suppress(TickerError):
            to_unicode(data, encoding)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(TEXTS, st.sampled_from(("auto", *ENCODINGS)), st.booleans())
@example("î\x80\x80", "utf8-as-cp1252", False)  # converted to U+E000, the mark of a placeholder set aside
def test_the_text_stage_on_any_message(folder, text, encoding, uppercase):
    """What a message goes through before it is drawn: read from its campaign file, its encoding read,
    placeholders filled, capitals, every character checked against the font."""
    path = folder / "message.toml"
    message = f"text = {toml_string(text)}\nencoding = {toml_string(encoding)}\n"
    path.write_text(
        BASE.replace('text = "Xin chào"\n', message) + f"[style]\nuppercase = {str(uppercase).lower()}\n",
        encoding="utf-8",
    )
    tomllib.loads(path.read_text(encoding="utf-8"))  # any text is written as valid TOML: it reaches ticker's checks
    with contextlib.suppress(TickerError):
        crawl = prepare(load_campaign(path), day=dt.date(2020, 3, 12))
        assert crawl.text
    with contextlib.suppress(TickerError):
        check_glyphs(text, bundled_fonts_dir() / "NotoSans-Regular.ttf", "fuzz")


# ---- campaign files ------------------------------------------------------------------------------------------


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, (int, dt.date, dt.time)):
        return value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes for control characters and quotes are TOML's; the rest as it is."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_table(name: str, table: dict, array: bool = False) -> str:
    head = f"[[{name}]]" if array else f"[{name}]"
    return head + "\n" + "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in table.items())


NAMES = st.text(st.characters(codec="utf-8"), max_size=20)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    NAMES,
    st.dates(),
    st.times().map(lambda t: t.replace(microsecond=0)),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4), st.dictionaries(NAMES, SCALARS, max_size=3))


def mostly(likely: st.SearchStrategy, other: st.SearchStrategy = VALUES, one_in: int = 10) -> st.SearchStrategy:
    """`likely`, but once in `one_in` draws `other`."""
    return st.sampled_from([False] * (one_in - 1) + [True]).flatmap(lambda odd: other if odd else likely)


def known(keys: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """A table of some of `keys`, each with a likely value (nine times in ten) or any value at all."""
    return st.fixed_dictionaries({}, optional={k: mostly(v) for k, v in keys.items()})


COLOURS = mostly(st.sampled_from(["#FFFFFF", "white", "#0B2E6B"]), st.sampled_from(["rgb(300,0,0)", "nope", ""]))
FONTS = st.sampled_from(["NotoSans-Bold", "NotoSans-Regular", "", "missing.ttf", "~nosuchuser/x.ttf", "c.toml"])
CAMPAIGN = st.fixed_dictionaries(
    {
        "name": mostly(st.sampled_from(["fuzz", "a.b-c_d"]), st.sampled_from(["a" * 230, ".x", "é"])),
        "start": st.dates(dt.date(2020, 1, 1), dt.date(2020, 3, 12)),
        "end": st.dates(dt.date(2020, 3, 1), dt.date(2020, 12, 31)),
    },
    optional={
        "timezone": mostly(
            st.sampled_from(["Asia/Ho_Chi_Minh", "UTC", "Etc/GMT+7"]),
            st.sampled_from(["Asia", "../../etc/passwd", "A" * 300, ""]),
            one_in=4,
        ),
        "title": NAMES,
    },
)
MESSAGE = st.fixed_dictionaries(
    {"text": mostly(TEXTS.filter(str.strip))},
    optional={"encoding": st.sampled_from(ENCODINGS), "color": COLOURS, "weight": st.sampled_from(["bold", "x"])},
)
STYLE = known(
    {
        "font": FONTS,
        "fallback_font": FONTS,
        "label_font": FONTS,
        "fonts": st.dictionaries(st.sampled_from(["regular", "bold"]), FONTS, max_size=2),
        "size": st.floats(0, 0.3),
        "label": TEXTS,
        "separator": st.one_of(TEXTS, st.just("logo")),
        "logo": st.sampled_from(["missing.png", "c.toml", "~nosuchuser/l.png", "lo\0go.png", "/dev/zero"]),
        "background": st.one_of(COLOURS, st.sampled_from(["missing.png", "/dev/null"])),
        "position": st.sampled_from(["top", "bottom", "middle"]),
        "uppercase": st.booleans(),
        "preset": st.sampled_from(["news", "plain", "emergency", "nope"]),
        "band_color": COLOURS,
        "outline": st.floats(0, 0.4),
    }
)
OUTPUT = st.fixed_dictionaries(
    {
        "profile": mostly(st.sampled_from(["576i50", "576i50-4x3"])),
        "format": mostly(st.sampled_from(["qtrle", "png"]), st.sampled_from(["h264", "ts-h264", "fillkey", "vp9"]), 3),
    },
    optional={
        "loop": mostly(st.just(True)),
        "seconds": st.floats(0, 100),
        "target": st.sampled_from(["casparcg", "mediaconvert", "nope"]),
        "fill": st.sampled_from(["premultiplied", "straight", "nope"]),
        "slots": st.booleans(),
    },
)
QR = known(
    {
        "url": st.one_of(
            st.sampled_from(["auto", "https://a.vn/", "javascript:x", "https://a.vn/" + "a" * 3000]), NAMES
        ),
        "error": st.sampled_from(list("LMQHX")),
        "module": st.floats(0, 0.1),
    }
)
SLOT = st.fixed_dictionaries(
    {"at": mostly(st.sampled_from(["06:30", "23:59", ["06:30", "18:00"]]), st.sampled_from(["25:00", []]))},
    optional={"seconds": mostly(st.sampled_from([10, 20.04])), "passes": mostly(st.integers(1, 3))},
)
DOCUMENTS = st.tuples(
    CAMPAIGN,
    st.lists(MESSAGE, min_size=1, max_size=3),
    st.one_of(st.none(), STYLE),
    st.lists(OUTPUT, max_size=2),
    st.one_of(st.none(), QR),
    st.lists(SLOT, max_size=2),
    st.one_of(st.none(), known({"crossing_seconds": st.floats(0, 200), "gap": st.floats(0, 5)})),
)


def _check(folder: Path, data: bytes) -> None:
    """`ticker check` in this process: it succeeds, or ends in a TickerError's sentence (status 2, or 1)."""
    path = folder / "c.toml"
    path.write_bytes(data)
    with contextlib.suppress(TickerError):
        load_campaign(path)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["check", str(path)])
    assert status in (0, 1, 2) and "Traceback" not in err.getvalue(), err.getvalue()
    event(f"check exit {status}" + (f": {err.getvalue().split(':')[2].strip()[:30]}" if status else ""))
    assert status != 0 or out.getvalue().rstrip().endswith("ok")


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(DOCUMENTS)
def test_campaign_files_of_the_known_keys_with_any_values(folder, document):
    campaign, messages, style, outputs, qr, slots, motion = document
    text = toml_table("campaign", campaign)
    text += "".join(toml_table("message", m, array=True) for m in messages)
    text += "".join(toml_table("output", o, array=True) for o in outputs)
    text += "".join(toml_table("slot", s, array=True) for s in slots)
    for name, table in (("style", style), ("qr", qr), ("motion", motion)):
        text += toml_table(name, table) if table is not None else ""
    _check(folder, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.one_of(st.binary(max_size=400), st.binary(max_size=200).map(lambda b: BASE.encode() + b)))
def test_campaign_files_of_any_bytes(folder, data):
    _check(folder, data)


LETTER_PIECES = [
    "Số: 337/STTT- CN TT",
    "V/v tuyên truyền",
    "Hậu Giang, ngày 11 tháng 3 năm 2020",
    "ngày   tháng 11 năm 2021",
    "Kính gửi:",
    "- Các doanh nghiệp truyền hình cáp: ",
    "thực hiện chạy chữ",
    "với nội dung:",
    "(",
    ")",
    "“",
    "”",
    "<https://a.vn/x>",
    "www.b.gov.vn",
    "từ ngày 12/3/2020 đến 15/3/2020",
    "đến 24 giờ ngày 15/8/2017",
    "từ nay đến hết tháng 4",
    "01 lần/ngày",
    "từ 19h45 đến 23h00",
    "1900 1559",
    "Nơi nhận:",
    "GIÁM ĐỐC",
    "UBND TỈNH",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    " | ",
    "\n",
    "\n- ",
    "\n3. ",
]
LETTERS = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(LETTER_PIECES), st.text(VIETNAMESE + " ,.:;/", max_size=10)), max_size=40).map(
        "".join
    ),
)


@FUZZ
@given(text=LETTERS)
def test_any_letter_gives_findings_and_a_draft_that_parses(text):
    """Whatever a letter holds, draft finds what it can and writes TOML that reads back (or says one sentence)."""
    from ticker.letters.draft import draft_document
    from ticker.letters.findings import read_findings
    from ticker.letters.read import letter_from_bytes

    try:
        letter = letter_from_bytes(text.encode("utf-8"), "cv.txt")
    except TickerError:
        return
    findings = read_findings(letter)
    json.dumps(findings.as_json())
    toml, status = draft_document(findings, received=dt.date(2026, 12, 1))
    data = tomllib.loads(toml)
    assert status in ("draft", "ready") and data["message"] and data["campaign"]["start"] <= data["campaign"]["end"]


BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x00", "\x1b", "\x7f", "\t"]
WRAPPED = [  # what a letter copied from a PDF or Word wraps: the window, the slot line, topics, the issuer
    "từ ngày 12/3/2020",
    "đến ngày 15/3/2020.",
    "mỗi ngày",
    "3 lần vào các giờ 6h30, 11h30, 19h45.",
    "- Hướng dẫn người dân",
    "tải ứng dụng",
]
LETTER_LINES = st.lists(
    st.one_of(st.sampled_from(LETTER_PIECES + WRAPPED + BREAKS), st.text(VIETNAMESE + " ,.:;/", max_size=10)),
    max_size=40,
).map("".join)


@FUZZ
@given(text=LETTER_LINES, name=st.sampled_from(["cv.txt", 'name = "zz".txt', "a\nb.txt", "c\x1bd.pdf"]))
@example("Đề nghị chạy chữ trên sóng từ ngày 12/3/2020\nđến ngày 15/3/2020.", "cv.txt")
@example("chạy chữ từ ngày 12/3/2020 đến 15/3/2020, mỗi ngày\n3 lần vào các giờ 6h30, 11h30, 19h45.", "cv.txt")
@example("thực hiện chạy chữ từ ngày 12/3/2020\u2028đến 15/3/2020\x0b\x00", "cv.txt")
def test_a_draft_of_any_letter_lines_is_toml_or_one_sentence(text, name):
    """A letter's lines hold whatever its reader left in them (line breaks a span joins, controls): the draft's
    comments quote them, and the draft is TOML that reads back, or one sentence; nothing else."""
    from ticker.letters.draft import draft_document
    from ticker.letters.findings import read_findings
    from ticker.letters.read import Letter

    for lines in (text.split("\n"), [text]):  # the lines as split, and one line holding every break
        letter = Letter(name, "text", tuple(lines), "utf-8", ())
        try:
            toml, status = draft_document(read_findings(letter), received=dt.date(2026, 12, 1))
        except TickerError:
            continue
        data = tomllib.loads(toml)
        assert status in ("draft", "ready") and data["campaign"]["name"]
