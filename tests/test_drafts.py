"""Drafts as an operator meets them, through the `ticker` command: nothing draft goes on air (check and render
refuse it, nightly leaves it out and says so in its log and manifest), schedule marks its airings, and the
proof page, made all the same for the approver, says at its top that it is a draft and shows the letter."""

from __future__ import annotations

import json
from pathlib import Path

from support.running import run_ticker

DAY = "2020-03-12"
# What `ticker draft` makes of the Hậu Giang letter when the letter gives topics, not words, and no end.
DRAFT = """
[campaign]
name = "haugiang"
title = "Hậu Giang — NCOVI (bản nháp)"
start = 2020-03-12
end = 2020-03-15
status = "draft"

[source]
issuer = "Sở Thông tin và Truyền thông Hậu Giang"
number = "337/STTT-CNTT"
date = 2020-03-11
place = "Hậu Giang"
subject = "tuyên truyền ứng dụng NCOVI <script>alert(1)</script>"
letter = "letters/337-STTT-CNTT.txt"
missing = ["crawl words", "window end", "airing times"]

[[slot]]
at = ["06:30", "19:45"]
seconds = 20

[[message]]
text = "Hướng dẫn người dân tải ứng dụng NCOVI."

[motion]
crossing_seconds = 2

[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
READY = """
[campaign]
name = "pccovid"
start = 2020-03-12
end = 2020-03-15

[[slot]]
at = "12:00"
seconds = 20

[[message]]
text = "Tải ứng dụng PC-Covid."

[motion]
crossing_seconds = 2

[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""


def _problem(cfg: Path) -> str:
    return (
        f'{cfg}: campaign.status is "draft": the letter gives no words to crawl (write message[1].text); '
        "the letter does not say when the crawl ends (set campaign.end); "
        'delete status = "draft" when the words are written, to put it on air.'
    )


def _folder(base: Path) -> Path:
    cfg = base / "campaigns"
    cfg.mkdir()
    (cfg / "haugiang.toml").write_text(DRAFT, encoding="utf-8")
    (cfg / "pccovid.toml").write_text(READY, encoding="utf-8")
    return cfg


def test_check_and_render_refuse_a_draft_and_write_nothing(tmp_path):
    cfg = tmp_path / "haugiang.toml"
    cfg.write_text(DRAFT, encoding="utf-8")
    for command in (["check", cfg], ["render", cfg, "-o", tmp_path / "out"]):
        done = run_ticker(*command, cwd=tmp_path, check_status=2)
        assert done.stderr == f"ticker: {_problem(cfg)}\n" and done.stdout == ""
    assert not (tmp_path / "out").exists()
    cfg.write_text(DRAFT.replace('status = "draft"\n', ""), encoding="utf-8")
    done = run_ticker("check", cfg, cwd=tmp_path)
    assert done.stdout.splitlines()[0] == (
        f"ticker: note: {cfg}: the letter sets no airing times (the [[slot]] times are the house's)"
    )
    assert done.stdout.splitlines()[-1] == "ok"


def test_nightly_leaves_a_draft_out_and_makes_the_others(tmp_path):
    cfg = _folder(tmp_path)
    done = run_ticker("nightly", cfg, "-o", tmp_path / "out", "--date", DAY, "--allow-unapproved", cwd=tmp_path)
    day_dir = tmp_path / "out" / DAY
    sentence = (
        'haugiang: a draft (campaign.status = "draft"): not put on air: the letter gives no words to crawl '
        "(write message[1].text); the letter does not say when the crawl ends (set campaign.end); "
        f'delete status = "draft" in {cfg / "haugiang.toml"} when the words are written.'
    )
    assert f"ticker: {sentence}\n" in done.stderr and sentence in (day_dir / "nightly.log").read_text()
    manifest = json.loads((day_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in manifest["files"]] == ["pccovid_576i50_qtrle_loop.mov"]
    assert sorted(p.name for p in day_dir.iterdir()) == [
        "manifest.json",
        "nightly.log",
        "pccovid_576i50_qtrle_loop.mov",
    ]
    assert manifest["unapproved"] == [
        {
            "campaign": "haugiang",
            "file": str(cfg / "haugiang.toml"),
            "reason": _problem(cfg / "haugiang.toml"),
            "why": "draft",
        }
    ]
    assert [a["campaign"] for a in manifest["airings"]] == ["pccovid"]
    assert manifest["complete"] and manifest["errors"] == [] and manifest["failed"] == []


def test_schedule_lists_a_drafts_airings_and_marks_them(tmp_path):
    cfg = _folder(tmp_path)
    text = run_ticker("schedule", cfg, "--from", DAY, "--to", DAY, cwd=tmp_path).stdout.splitlines()
    assert [line.split()[0] for line in text[1:]] == ["06:30", "12:00", "19:45"]
    assert "haugiang (draft): haugiang_576i50_qtrle_loop.mov (looped)" in text[1]
    assert "pccovid (unapproved): pccovid_576i50_qtrle_loop.mov (looped)" in text[2] and "(draft)" not in text[2]
    done = run_ticker("schedule", cfg, "--from", DAY, "--to", DAY, "--json", cwd=tmp_path)
    rows = json.loads(done.stdout)["days"][0]["airings"]
    assert [(r["campaign"], r["draft"]) for r in rows] == [("haugiang", True), ("pccovid", False), ("haugiang", True)]


def test_the_proof_page_of_a_draft_says_so_and_shows_the_letter(tmp_path):
    cfg = tmp_path / "haugiang.toml"
    cfg.write_text(DRAFT, encoding="utf-8")
    done = run_ticker("preview", cfg, "-o", tmp_path / "preview", cwd=tmp_path)
    assert f"ticker: note: {cfg}: the letter sets no airing times (the [[slot]] times are the house's)" in done.stderr
    data = json.loads((tmp_path / "preview" / "haugiang_proof.json").read_text(encoding="utf-8"))
    assert (data["status"], data["draft_problem"]) == ("draft", _problem(cfg))
    assert data["source"] == {
        "issuer": "Sở Thông tin và Truyền thông Hậu Giang",
        "number": "337/STTT-CNTT",
        "date": "2020-03-11",
        "place": "Hậu Giang",
        "subject": "tuyên truyền ứng dụng NCOVI <script>alert(1)</script>",
        "letter": "letters/337-STTT-CNTT.txt",
        "missing": ["crawl words", "window end", "airing times"],
    }
    page = (tmp_path / "preview" / "haugiang_proof.html").read_text(encoding="utf-8")
    top = page[page.index("<main>") : page.index("<h1>")]
    assert (
        "BẢN NHÁP — chưa phát: công văn không nêu nội dung chữ chạy (nội dung do đài soạn, cần duyệt); "
        "công văn không nói ngày kết thúc chạy chữ." in top
    )
    letter = page[page.index("<h2>Công văn</h2>") : page.index("<h2>Xem trước</h2>")]
    for line in (
        "<strong>Sở Thông tin và Truyền thông Hậu Giang</strong>",
        "Số: 337/STTT-CNTT",
        "Hậu Giang, ngày 11/3/2020",
        "V/v tuyên truyền ứng dụng NCOVI &lt;script&gt;alert(1)&lt;/script&gt;",
        "công văn không quy định giờ phát (giờ phát là của đài)",
    ):
        assert line in letter
    assert "<script" not in page
