"""`ticker text fix` and `ticker text detect` on the example messages written out as operators receive them."""

from __future__ import annotations

import tomllib

import pytest

from ticker.vietnamese.legacy import from_unicode
from ticker.vietnamese.text import normalise

from support.campaigns import HAU_GIANG, PC_COVID
from support.running import run_ticker

MESSAGES = [
    normalise(m["text"])
    for cfg in (HAU_GIANG, PC_COVID)
    for m in tomllib.loads(cfg.read_text(encoding="utf-8"))["message"]
]


PASTED = ["tcvn3", "vni", "viqr", "viscii", "utf8-as-cp1252", "nfd"]


BYTES = ["tcvn3", "vni", "viscii"]


def _fix(tmp_path, data: bytes, *extra) -> str:
    src = tmp_path / "message.txt"
    src.write_bytes(data)
    return run_ticker("text", "fix", src, *extra, cwd=tmp_path).stdout


@pytest.mark.parametrize("encoding", BYTES)
@pytest.mark.parametrize("message", MESSAGES, ids=["hau-giang", "pc-covid-1", "pc-covid-2", "pc-covid-3"])
def test_raw_bytes_come_back_as_the_original(tmp_path, message, encoding):
    data = from_unicode(message, encoding, as_bytes=True)
    assert _fix(tmp_path, data) == message + "\n"
    detected = run_ticker("text", "detect", tmp_path / "message.txt", cwd=tmp_path).stdout
    assert f": {encoding}, confidence" in detected and "converted" in detected


def test_declared_encoding_and_campaign_log(tmp_path):
    vni = from_unicode(MESSAGES[1], "vni")
    assert _fix(tmp_path, vni.encode("utf-8"), "--from", "vni") == MESSAGES[1] + "\n"
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        PC_COVID.read_text(encoding="utf-8").replace(MESSAGES[1], from_unicode(MESSAGES[1], "tcvn3")), encoding="utf-8"
    )
    out = run_ticker("check", cfg, cwd=tmp_path).stdout
    assert "note:" in out and "message[1]: converted from tcvn3" in out
    assert f"text: {MESSAGES[1]}" in out


@pytest.mark.parametrize("encoding", PASTED)
@pytest.mark.parametrize("message", MESSAGES, ids=["hau-giang", "pc-covid-1", "pc-covid-2", "pc-covid-3"])
def test_pasted_characters_come_back_as_the_original(tmp_path, message, encoding):
    pasted = from_unicode(message, encoding)
    assert pasted != message
    assert _fix(tmp_path, pasted.encode("utf-8")) == message + "\n"


@pytest.mark.parametrize(
    "text", [MESSAGES[0], "Hello world. See https://example.com/a?b=c.", "NCOVI 2020", "hoà hòa thuở thủa"]
)
def test_clean_text_and_plain_ascii_are_never_changed(tmp_path, text):
    assert _fix(tmp_path, text.encode("utf-8")) == text + "\n"
