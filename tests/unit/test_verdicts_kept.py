"""The readability verdicts the desk keeps across its restarts: each known by everything it was worked out from
(the campaign file's path and bytes, the bytes of its fonts and pictures, ticker's version), written whole for
this user alone, and believed only from a file of the desk's own."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from PIL import Image

from ticker.campaign import load_campaign
from ticker.desk.verdicts import MOST, STORE, STORE_LIMIT, Readability, Verdicts, read_store, verdict_key, version
from ticker.vietnamese.text import bundled_fonts_dir

from support.campaigns import write_campaign

CAMPAIGN = """
[campaign]
name = "nho"
start = 2020-03-01
end = 2020-03-31
[[message]]
text = "Xin chào Việt Nam"
[style]
font = "mine.ttf"
logo = "logo.png"
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
KEPT = Readability("warnings", ("đã giữ từ lần trước",), ("kept",))  # what no measure says: believed, or not


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    shutil.copy(bundled_fonts_dir() / "NotoSans-Bold.ttf", tmp_path / "mine.ttf")
    Image.new("RGBA", (8, 8), (200, 16, 46, 255)).save(tmp_path / "logo.png")
    return write_campaign(tmp_path, base=CAMPAIGN, name="nho.toml")


def key_of(path: Path, of: str | None = None) -> str | None:
    return verdict_key(load_campaign(path), path.read_bytes(), of or version())


def test_the_key_changes_with_the_file_its_fonts_its_pictures_and_ticker_and_only_with_them(campaign):
    key = key_of(campaign)
    assert key is not None and key == key_of(campaign)
    os.utime(campaign.parent / "mine.ttf", ns=(0, 0))  # touched, the same bytes: the same verdict
    assert key_of(campaign) == key
    assert key_of(campaign, "ticker 9.9") != key
    shutil.copy(bundled_fonts_dir() / "NotoSans-Regular.ttf", campaign.parent / "mine.ttf")
    font = key_of(campaign)
    assert font != key
    Image.new("RGBA", (8, 8), (0, 0, 0, 255)).save(campaign.parent / "logo.png")
    assert key_of(campaign) not in (key, font)
    picture = key_of(campaign)
    copy = campaign.with_name("khac.toml")
    shutil.copy(campaign, copy)  # the same bytes in another file: its sentences name that file
    assert key_of(copy) not in (key, font, picture)
    campaign.write_text(CAMPAIGN.replace("Xin chào", "Chào"), encoding="utf-8")
    assert key_of(campaign) not in (key, font, picture, key_of(copy))


def test_a_font_that_is_no_longer_a_file_is_not_read_and_its_verdict_not_kept(campaign):
    loaded = load_campaign(campaign)
    (campaign.parent / "mine.ttf").unlink()
    os.mkfifo(campaign.parent / "mine.ttf")  # opened as a file, it would hold the reader until someone writes
    assert verdict_key(loaded, campaign.read_bytes(), version()) is None


def test_a_verdict_outlives_the_desk_and_a_changed_font_or_ticker_is_measured_again(campaign):
    store = campaign.parent / STORE
    first = Verdicts(store)
    found = first.of(campaign)
    assert found.verdict in ("ok", "warnings") and found.figures and first.of(campaign) == found
    assert first.measured == 1
    first.close()  # as the desk does when it stops
    assert store.stat().st_mode & 0o777 == 0o600
    again = Verdicts(store)  # the desk started again
    assert again.of(campaign) == found and again.measured == 0
    other = Verdicts(store, "ticker 9.9")  # another ticker believes none of them
    assert other.of(campaign) == found and other.measured == 1
    shutil.copy(bundled_fonts_dir() / "NotoSans-Regular.ttf", campaign.parent / "mine.ttf")
    assert again.of(campaign) != found and again.measured == 1  # another font: other widths, measured again
    other.close()
    again.close()  # the last written: every verdict it holds is this ticker's
    assert len(read_store(store, version())) == 2


def test_two_asking_at_once_measure_once(campaign):
    verdicts, both = Verdicts(), threading.Barrier(2)
    answers: list[Readability] = []

    def ask() -> None:
        both.wait()
        answers.append(verdicts.of(campaign))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == 2 and answers[0] == answers[1] and verdicts.measured == 1


def _write(store: Path, doc: object, mode: int = 0o600) -> None:
    store.unlink(missing_ok=True)
    store.write_text(json.dumps(doc), encoding="utf-8")
    store.chmod(mode)


def _doc(key: str, of: str | None = None, **entry: object) -> dict:
    kept = {"key": key, **KEPT.as_json(), **entry}
    return {"kept": "ticker desk verdicts", "ticker": of or version(), "verdicts": [kept]}


def test_what_the_desks_own_store_holds_is_believed(campaign):
    store = campaign.parent / STORE
    _write(store, _doc(key_of(campaign)))
    verdicts = Verdicts(store)
    assert verdicts.of(campaign) == KEPT and verdicts.measured == 0


@pytest.mark.parametrize(
    "spoilt",
    ["a link", "not JSON", "others may read it", "another ticker's", "not the desk's JSON", "too large"],
)
def test_a_store_not_the_desks_own_is_not_believed(campaign, spoilt):
    store, key = campaign.parent / STORE, key_of(campaign)
    assert key is not None
    mine = campaign.parent / "elsewhere.json"
    _write(mine, _doc(key))
    if spoilt == "a link":
        store.symlink_to(mine)
    elif spoilt == "not JSON":
        store.write_bytes(b"\x00\xffnot json{")
        store.chmod(0o600)
    elif spoilt == "others may read it":
        _write(store, _doc(key), 0o644)
    elif spoilt == "another ticker's":
        _write(store, _doc(key, "ticker 0.0.1"))
    elif spoilt == "not the desk's JSON":
        _write(store, {"verdicts": _doc(key)["verdicts"]})
    else:
        _write(store, _doc(key, notes=["x" * STORE_LIMIT]))
    assert read_store(store, version()) == []
    if spoilt in ("a link", "not JSON"):
        verdicts = Verdicts(store)
        assert verdicts.of(campaign) != KEPT and verdicts.measured == 1
        verdicts.write()
        assert not store.is_symlink() and read_store(store, version())[0][1] != KEPT
        assert read_store(mine, version()) == [(key, KEPT)]  # the link's file was never written through


def test_an_entry_not_as_the_desk_writes_it_is_passed_over_and_the_store_is_bounded(tmp_path):
    store, good = tmp_path / STORE, "a" * 64
    doc = _doc(good)
    bad = [
        {"key": "b" * 63, **KEPT.as_json()},
        {"key": "c" * 64, **KEPT.as_json(), "verdict": "fine"},
        {"key": "d" * 64, **KEPT.as_json(), "warnings": "not a list"},
        {"key": "e" * 64, **KEPT.as_json(), "figures": [1]},
        {"key": "f" * 64, **KEPT.as_json(), "extra": True},
        ["not", "a", "table"],
    ]
    doc["verdicts"] = bad + doc["verdicts"]
    _write(store, doc)
    assert read_store(store, version()) == [(good, KEPT)]
    many = [{"key": f"{n:064x}", **KEPT.as_json()} for n in range(MOST + 5)]
    _write(store, {**doc, "verdicts": many})
    kept = read_store(store, version())
    assert len(kept) == MOST and kept[0][0] == f"{5:064x}" and kept[-1][0] == f"{MOST + 4:064x}"


def test_a_store_that_cannot_be_written_is_said_once_and_the_verdicts_still_answer(campaign, caplog):
    (campaign.parent / "a-file").write_text("not a folder")
    verdicts = Verdicts(campaign.parent / "a-file" / STORE)
    found = verdicts.of(campaign)
    verdicts.write()
    verdicts.write()
    assert verdicts.of(campaign) == found and verdicts.measured == 1
    said = [r.getMessage() for r in caplog.records if "not written" in r.getMessage()]
    assert len(said) == 1 and "a-file" in said[0]
