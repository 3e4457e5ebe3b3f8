"""A damaged font, made here from the bundled one: cut short (a third of its bytes, as a copy that stopped
midway leaves it) or with its glyphs' outlines scrambled. Wherever a font is read, by fontTools or by FreeType,
it is one sentence naming the campaign file, the key and the font: exit 2 on the command line, 422 at the desk,
never a traceback or a 500."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from ticker.campaign.config import load_campaign
from ticker.campaign.outputs import outputs_for
from ticker.cli import commands as cli
from ticker.engine.survey import survey
from ticker.engine.text_stage import prepare
from ticker.errors import ConfigError, FileProblem
from ticker.vietnamese.text import font_charset, font_problem

from support.campaigns import ROOT
from support.desk_server import desk_server
from support.running import run_ticker_process

BOLD = ROOT / "ticker" / "fonts" / "NotoSans-Bold.ttf"
ONE = """[campaign]
name = "one"
start = 2020-03-01
end = 2020-03-31
[[message]]
text = "Đề nghị người dân tải ứng dụng."
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""


def truncated(folder: Path) -> Path:
    data = BOLD.read_bytes()
    path = folder / "trunc.ttf"
    path.write_bytes(data[: len(data) // 3])
    return path


def scrambled(folder: Path, name: str = "scrambled.ttf") -> Path:
    """The bundled font with every seventh byte of its glyf table replaced: whole tables, broken outlines."""
    data = bytearray(BOLD.read_bytes())
    glyf = TTFont(BOLD, lazy=True).reader.tables["glyf"]
    rnd = random.Random(7)
    for i in range(glyf.offset, glyf.offset + glyf.length, 7):
        data[i] = rnd.randrange(256)
    path = folder / name
    path.write_bytes(bytes(data))
    return path


def one_sentence(status: int, err: str, *names: str) -> str:
    assert "Traceback" not in err, err
    assert status == 2, f"exit {status}\n{err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ticker: "), err
    for name in names:
        assert name in lines[0], lines[0]
    return lines[0]


def test_the_damaged_fonts_are_refused_by_the_font_check_itself(tmp_path):
    assert font_problem(BOLD.read_bytes()) is None
    assert "unexpected end of 'glyf' table data" in (font_problem(truncated(tmp_path).read_bytes()) or "")
    assert "FreeType" in (font_problem(scrambled(tmp_path).read_bytes()) or "")


@pytest.mark.parametrize("damage", [truncated, scrambled], ids=["truncated", "scrambled"])
@pytest.mark.parametrize("key", ["font", "fallback_font", "label_font"])
def test_check_render_and_approve_say_the_file_the_key_and_the_font(tmp_path, monkeypatch, capsysbinary, damage, key):
    font = damage(tmp_path)
    label = '\nlabel = "TIN"' if key == "label_font" else ""
    (tmp_path / "c.toml").write_text(f'{ONE}[style]\n{key} = "{font.name}"{label}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in (["check"], ["render", "-o", "out", "--speed", "800"], ["approve", "--by", "Lan"]):
        status = cli.main([command[0], "c.toml", *command[1:]])
        one_sentence(status, capsysbinary.readouterr().err.decode("utf-8"), "c.toml", f"style.{key}", font.name)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert "[approval]" not in (tmp_path / "c.toml").read_text(encoding="utf-8")


def test_the_command_exits_2_with_the_sentence_and_no_traceback(tmp_path):
    font = scrambled(tmp_path)
    (tmp_path / "c.toml").write_text(f'{ONE}[style]\nfont = "{font.name}"\n', encoding="utf-8")
    done = run_ticker_process("render", "c.toml", "-o", "out", cwd=tmp_path, check_status=None, timeout=120)
    one_sentence(done.returncode, done.stderr, "c.toml", "style.font", font.name)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_font_that_breaks_after_the_check_is_said_when_the_text_is_drawn(tmp_path):
    font = tmp_path / "own.ttf"
    shutil.copy(BOLD, font)
    (tmp_path / "c.toml").write_text(f'{ONE}[style]\nfont = "own.ttf"\n', encoding="utf-8")
    campaign = load_campaign(tmp_path / "c.toml")
    crawl = prepare(campaign)  # the font read and its characters checked
    scrambled(tmp_path, "own.ttf")  # replaced by a damaged copy before the band is drawn
    with pytest.raises(ConfigError) as refused:
        survey(crawl, outputs_for(campaign)[0])
    said = str(refused.value)
    assert said.startswith(f"{tmp_path / 'c.toml'}: style.font names {font}, which is ") and "FreeType" in said


def test_a_font_gone_after_the_check_is_said_with_its_key_and_the_campaign_file(tmp_path):
    shutil.copy(BOLD, tmp_path / "own.ttf")
    (tmp_path / "c.toml").write_text(f'{ONE}[style]\nfallback_font = "own.ttf"\n', encoding="utf-8")
    campaign = load_campaign(tmp_path / "c.toml")
    crawl = prepare(campaign)
    (tmp_path / "own.ttf").unlink()  # taken away before the band is drawn
    with pytest.raises(ConfigError) as refused:
        survey(crawl, outputs_for(campaign)[0])
    assert str(refused.value).startswith(f"{tmp_path / 'c.toml'}: style.fallback_font 'own.ttf' is neither ")


def test_a_font_replaced_by_a_damaged_copy_is_read_again(tmp_path):
    font = tmp_path / "own.ttf"
    shutil.copy(BOLD, font)
    assert ord("ệ") in font_charset(font)
    truncated(tmp_path).rename(font)  # a long-running desk: the same path, other bytes
    with pytest.raises(FileProblem, match="unexpected end of 'glyf' table data"):
        font_charset(font)


def test_the_desk_answers_a_damaged_font_with_its_sentence_never_a_500(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    truncated(campaigns)
    good = ONE.replace("tải ứng dụng", "cài ứng dụng")
    (campaigns / "good.toml").write_text(good, encoding="utf-8")
    damaged = ONE.replace('name = "one"', 'name = "two"') + '[style]\nfont = "trunc.ttf"\n'
    (campaigns / "truncfont.toml").write_text(damaged, encoding="utf-8")
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        answers = {
            "check": c.post("/api/campaigns/good.toml/check", content=damaged.encode(), headers=_plain()),
            "put": c.put("/api/campaigns/new.toml", content=damaged.replace("two", "three").encode(), headers=_plain()),
            "get": c.get("/api/campaigns/truncfont.toml"),
            "frame": c.get("/api/campaigns/truncfont.toml/frame.png"),
            "verdict": c.get("/campaigns/truncfont.toml/verdict"),
            "edit": c.get("/edit/truncfont.toml"),
            "approve page": c.get("/approve/truncfont.toml"),
            "approve": c.post("/api/campaigns/truncfont.toml/approve", json={"by": "Lan"}),
            "proof": c.post("/approve/truncfont.toml/proof", headers={"HX-Request": "true"}),
            "list": c.get("/api/campaigns"),
        }
    statuses = {what: got.status_code for what, got in answers.items()}
    assert statuses == {
        **dict.fromkeys(["get", "verdict", "edit", "approve page", "list"], 200),
        **dict.fromkeys(["put", "frame", "approve", "proof"], 422),
        "check": 200,  # the check answers with the sentence beside its field
    }
    sentence = "style.font names"
    assert sentence in answers["check"].json()["error"] and "trunc.ttf" in answers["check"].json()["error"]
    for what in ("put", "frame", "approve"):
        assert sentence in answers[what].json()["error"] and "trunc.ttf" in answers[what].json()["error"]
    assert sentence in answers["get"].json()["errors"][0]
    assert "«style.font»: phông chữ trunc.ttf không dùng được" in answers["proof"].text  # a page's own words
    assert sentence in answers["verdict"].text
    rows = {r["file"]: r for r in answers["list"].json()["campaigns"]}
    assert sentence in " ".join(rows["truncfont.toml"]["errors"] + rows["truncfont.toml"]["warnings"])
    assert not (campaigns / "new.toml").exists()
    assert "[approval]" not in (campaigns / "truncfont.toml").read_text(encoding="utf-8")


def test_a_damaged_copy_of_the_same_size_and_time_renamed_over_it_is_read_again(tmp_path):
    font = tmp_path / "own.ttf"
    shutil.copy(BOLD, font)
    assert ord("ệ") in font_charset(font)
    damaged, was = scrambled(tmp_path), font.stat()
    os.utime(damaged, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert damaged.stat().st_size == was.st_size
    damaged.rename(font)  # the same name, size and time: another file
    with pytest.raises(FileProblem, match="FreeType"):
        font_charset(font)


def _plain() -> dict[str, str]:
    return {"Content-Type": "text/plain"}
