"""No page of the desk, in either language, shows a server path, an option of the command line or a command of
ticker's, nor an English sentence in Vietnamese: a crawl of every page and fragment the desk links to or loads,
over a folder that has a bit of everything (an approved campaign, a draft from a letter, a file that is not
TOML, a file with a wrong value, a failed night, a station with channels), then every refusal the pages can
give, asked as a browser and as htmx ask them."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest

from ticker.approval.key import approve
from ticker.night import nightly

from support.campaigns import ROOT
from support.desk_server import desk_server
from support.page_words import faults, read

DAY = dt.date(2020, 3, 12)
HTML = {"accept": "text/html"}
HTMX = {"hx-request": "true"}
LETTER = ROOT / "letters" / "hau-giang-337-STTT-2020-ncovi.txt"
SHORT = """[campaign]
name = "ngan"
start = 2020-03-12
end = 2020-03-12
[[message]]
text = "Khai báo y tế"
[motion]
crossing_seconds = 2
[[slot]]
at = ["06:30"]
seconds = 2
[[output]]
profile = "576i50"
format = "qtrle"
slots = true
"""  # a slot too short for one pass: its night fails, quickly
SKIPPED = ("/static", "/lang/", "/logout", "/api/", "/proof/", "/moving/", "/tonight/")  # files, switches, API
PAGES = ["/", "/new", "/schedule", "/calendar", "/tonight", "/nights", "/reports", "/settings", "/archive",
         "/schedule?from=2020-03-12", "/calendar?month=2020-03&shown=all", "/tonight?day=2020-03-12",
         f"/nights/{DAY}", "/nights/1999-01-01", "/edit/nope.toml", "/login"]  # fmt: skip


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    shutil.copy(ROOT / "configs" / "hau-giang-ncovi.toml", campaigns / "hau-giang.toml")
    shutil.copy(ROOT / "configs" / "station.toml", campaigns / "station.toml")
    approve(campaigns / "hau-giang.toml", "Nguyễn Thị Lan")
    (campaigns / "broken.toml").write_text("[campaign\nname = 1\n", encoding="utf-8")
    bad = '[campaign]\nname = "sai"\nstart = 2020-03-12\nend = 2020-03-01\n[[message]]\ntext = "Chữ"\n'
    (campaigns / "sai.toml").write_text(bad, encoding="utf-8")
    short = tmp_path / "short"
    short.mkdir()
    (short / "ngan.toml").write_text(SHORT, encoding="utf-8")
    approve(short / "ngan.toml", "Nguyễn Thị Lan")
    assert nightly(short, out, DAY, stream=io.StringIO()) != 0  # a night that failed, for the nights' pages
    return campaigns, out


def _crawl(c, start: list[str]) -> dict[str, str]:
    """Every page and fragment reached from `start` by the desk's own links and loads (a date, a month or a
    number in an address stands for every other: one of each is read)."""
    seen: dict[str, str] = {}
    shapes: set[str] = set()
    todo = list(start)
    while todo:
        address = todo.pop(0).split("#")[0]
        shape = address if address in start else re.sub(r"\d+", "N", address)
        if shape in shapes or address.startswith(SKIPPED) or address.endswith(("/letter/original", ".png")):
            continue
        shapes.add(shape)
        got = c.get(address, headers=HTML)
        if "html" not in got.headers.get("content-type", ""):
            continue
        seen[address] = got.text
        todo += sorted(read(got.text)[1])
    return seen


def _refusals(c, campaigns: Path) -> dict[str, str]:
    """What each refusal a page can give says, asked as the page asks it."""
    opened = c.get("/api/campaigns/hau-giang.toml").json()
    base = {"base": opened["text"], "key": opened["key"]}
    bad_fields = {
        "campaign.start": "31/2/2020", "campaign.end": "1/1/2019", "message[1].text": "", "motion.crossing_seconds":
        "mười hai", "slot[1].at": "11h30", "slot[1].seconds": "0", "style.label": "NHÃN \ue000", "qr.url":
        "ftp://example.com/x", "output[2].format": "vp9",
    }  # fmt: skip
    said = {}
    for key, value in bad_fields.items():
        got = c.post("/edit/hau-giang.toml/check", data={**base, key: value}, headers=HTMX)
        said[f"check {key}"] = got.text
    asked = {
        "stale save": c.post("/edit/hau-giang.toml/save", data={**base, "key": "sha256:" + "0" * 64}, headers=HTMX),
        "not TOML": c.post("/edit/sai.toml/toml", data={"text": "[campaign\n", "key": "x"}, headers=HTMX),
        "approve a bad file": c.post("/approve/sai.toml", data={"action": "approve", "by": "Lan"}, headers=HTMX),
        "approve with no name": c.post("/approve/hau-giang.toml", data={"action": "approve", "by": ""}, headers=HTMX),
        "empty letter": c.post("/new", data={"pasted": ""}, headers=HTML),
        "junk letter": c.post("/new", files={"letter": ("x.pdf", b"%PDF-1.4 not really")}, headers=HTML),
        "night on no day": c.post("/nights", data={"date": "31/2/2020"}, headers=HTMX),
        "nothing to acknowledge": c.post("/nights/2020-01-01/acknowledge", headers=HTML),
        "no such job": c.get("/jobs/nope", headers=HTMX),
        "no proof yet": c.get("/proof/hau-giang.toml", headers=HTML),
        "a day that is none": c.get("/tonight?day=2020-13-45", headers=HTML),
        "no such language": c.get("/lang/fr", headers=HTML),
        "archive twice": c.post("/edit/sai.toml/archive", headers=HTMX),
        "report with no kind": c.post("/reports/hau-giang.toml", data={"kind": "exe"}, headers=HTML),
        "station with a bad PID": c.post("/settings", data={"station.name": "Đài", "channel-1-name": "HGTV",
                                                            "channel-1-video_pid": "99999"}, headers=HTML),
        "no CSRF token": c.post("/edit/hau-giang.toml/save", data=base, headers={**HTMX, "x-csrf-token": "x"}),
    }  # fmt: skip
    c.post("/edit/sai.toml/archive", headers=HTMX)  # archived now: the second time above is refused
    asked["archive twice"] = c.post("/edit/sai.toml/archive", headers=HTMX)
    said |= {what: got.text for what, got in asked.items()}
    assert c.post("/archive/sai.toml/restore", headers=HTMX).status_code < 400  # as it was, for the next round
    statuses = {what: got.status_code for what, got in asked.items()}
    assert all(status >= 400 for status in statuses.values()), str(statuses)
    return said


@pytest.mark.slow
def test_no_page_or_refusal_shows_a_path_an_option_a_command_or_english_in_vietnamese(tmp_path):
    campaigns, out = _folder(tmp_path)
    paths = sorted({str(tmp_path), str(tmp_path.resolve()), str(ROOT)}, key=len, reverse=True)
    with desk_server(campaigns, out) as desk:
        c = desk.client()
        drafted = c.post("/new", data={"pasted": LETTER.read_text(encoding="utf-8")}, headers=HTML)
        assert drafted.status_code == 303, drafted.text
        read_pages = _crawl(c, PAGES)
        assert len(read_pages) >= 20 and any(a.startswith("/edit/cv-337") for a in read_pages), sorted(read_pages)
        said = _refusals(c, campaigns)
        found = {
            (where, text): problems
            for where, body in [*read_pages.items(), *said.items()]
            for text in read(body)[0]
            if (problems := faults(text, paths, vietnamese=True))
        }
        assert not found, found
        assert "công văn, dòng 61" in next(v for a, v in read_pages.items() if a.startswith("/edit/cv-337"))

        c.get("/lang/en")
        english = _crawl(c, PAGES)
        said = _refusals(c, campaigns)
        found = {
            (where, text): problems
            for where, body in [*english.items(), *said.items()]
            for text in read(body)[0]
            if (problems := faults(text, paths, vietnamese=False))
        }
        assert not found, found
