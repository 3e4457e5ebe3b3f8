"""The desk's background nightly runs: a real run of the Hậu Giang example to its end, with its progress and
files; the time left estimated from the rate so far (none before), and the nights table loaded again when a run
ends; a second run for an OUT another holds, refused with the holder's name (flock within one process too);
a campaign whose approval an edit voided, left out; and a bad folder said in one sentence."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import socket
import threading
import time

import pytest

from ticker.desk.nights import Jobs
from ticker.files.playout_tree import hold_lock
from ticker.night.nightly import nightly

from support.campaigns import HAU_GIANG, ONE_CLIP, ONE_CLIP_FILE
from support.desk_server import desk_server

DAY = dt.date(2020, 3, 12)


def _wait(jobs: Jobs, job_id: str, seconds: float = 300) -> dict:
    deadline = time.monotonic() + seconds
    while (job := jobs.get(job_id)) is not None and job["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"the run did not end: {job}"
        time.sleep(0.1)
    assert job is not None
    return job


def _starting(job: dict) -> bool:
    return job["state"] == "queued" or (job["state"] == "running" and not job["progress"]["total"])


@pytest.fixture
def campaigns(tmp_path):
    """The example, cut to its 576i50 loop: still approved (the approval's key is of what airs, on any output)."""
    cfg = tmp_path / "campaigns"
    cfg.mkdir()
    text = HAU_GIANG.read_text(encoding="utf-8")
    cut = text.replace('[[output]]\nprofile = "1080i50"\nformat = "prores4444"\nloop = true\n\n', "")
    assert cut != text
    (cfg / "haugiang.toml").write_text(cut, encoding="utf-8")
    return cfg


def test_a_run_goes_to_done_with_its_progress_and_files_and_a_second_for_its_out_meanwhile_fails(campaigns, tmp_path):
    jobs = Jobs()
    out = tmp_path / "out"
    job_id = jobs.start(campaigns, out, DAY)
    assert len(job_id) >= 20 and jobs.get(job_id)["state"] in ("queued", "running", "done")
    while _starting(jobs.get(job_id)):
        time.sleep(0.05)  # until it has counted the day's clips, under the lock, and renders
    second = _wait(jobs, jobs.start(campaigns, out, DAY), 60)  # the same OUT, while the first holds it
    assert second["state"] == "failed" and "another nightly run holds .ticker-nightly.lock" in second["errors"][0]
    assert f"(pid {os.getpid()} on {socket.gethostname()}, since " in second["errors"][0]
    job = _wait(jobs, job_id)
    assert job["state"] == "done" and job["status"] == 0 and job["errors"] == [], job
    assert job["id"] == job_id and job["date"] == "2020-03-12"
    assert job["progress"] == {"done": 1, "total": 1}
    day = out / "2020-03-12"
    manifest = json.loads((day / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] and manifest["unapproved"] == [], "still approved"
    assert [e["path"] for e in manifest["files"]] == ["haugiang-ncovi_576i50_prores4444_loop.mov"]
    assert (day / "haugiang-ncovi_576i50_prores4444_loop.mov").stat().st_size > 0
    assert any("made haugiang-ncovi_576i50_prores4444_loop.mov" in line for line in job["log"])
    assert jobs.recent() == [second, job]


def test_a_run_for_an_out_another_holds_fails_naming_the_holder(campaigns, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    jobs = Jobs()
    with hold_lock(out):  # this process, another thread: the kernel refuses a second flock all the same
        job = _wait(jobs, jobs.start(campaigns, out, DAY, allow_unapproved=True), 60)
    assert job["state"] == "failed" and job["status"] is None
    assert job["errors"] == [
        f"{out}: another nightly run holds .ticker-nightly.lock (pid {os.getpid()} on {socket.gethostname()}, "
        + job["errors"][0].split(", ", 1)[1]
    ]
    assert job["errors"][0].endswith("; this run did nothing.")
    assert not (out / "2020-03-12").exists(), "nothing was begun"


def test_a_campaign_whose_approval_an_edit_voided_is_left_out(campaigns, tmp_path):
    path = campaigns / "haugiang.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("nhanh nhất", "sớm nhất"), encoding="utf-8")
    jobs = Jobs()
    job = _wait(jobs, jobs.start(campaigns, tmp_path / "out", DAY))
    assert job["state"] == "done" and job["status"] == 0 and job["progress"] == {"done": 0, "total": 0}
    assert any("haugiang-ncovi: left out:" in line for line in job["log"]), job["log"]
    manifest = json.loads((tmp_path / "out" / "2020-03-12" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == [] and [u["campaign"] for u in manifest["unapproved"]] == ["haugiang-ncovi"]


def test_a_bad_folder_is_one_sentence_and_only_the_last_runs_are_kept(tmp_path):
    jobs = Jobs(keep=2)
    ids = []
    for i in range(3):
        ids.append(jobs.start(tmp_path / f"nowhere{i}", tmp_path / "out", DAY))
        job = _wait(jobs, ids[-1], 30)
        assert job["state"] == "failed" and job["errors"] == [
            f"{tmp_path / f'nowhere{i}'}: no such folder or campaign file."
        ]
    ids.append(jobs.start(tmp_path / "nowhere3", tmp_path / "out", DAY))  # the oldest finished run is forgotten
    assert jobs.get(ids[0]) is None and [j["id"] for j in jobs.recent()] == ids[:0:-1]
    assert jobs.get("no-such-run") is None


ONE, CLIP = ONE_CLIP, ONE_CLIP_FILE


def test_the_night_page_trusts_and_serves_only_the_files_ticker_published(tmp_path):
    """A writer of the share plants a hard link to a file outside OUT and lists it in the day's manifest with
    its right size and SHA-256: it is shown as not ticker's and never served; the clip linked from the day
    before (two names, both ticker's) is checked and served."""
    cfg, out = tmp_path / "campaigns", tmp_path / "out"
    cfg.mkdir()
    (cfg / "one.toml").write_text(ONE, encoding="utf-8")
    for day in ("2020-03-12", "2020-03-13"):
        assert nightly(cfg, out, dt.date.fromisoformat(day), allow_unapproved=True, stream=io.StringIO()) == 0
    later = out / "2020-03-13"
    assert (later / CLIP).stat().st_nlink == 2, "linked from the day before"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET outside content")
    os.link(secret, later / "hard.txt")
    manifest = json.loads((later / "manifest.json").read_text(encoding="utf-8"))
    data = secret.read_bytes()
    planted = {
        **manifest["files"][0],
        "path": "hard.txt",
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    (later / "manifest.json").write_text(json.dumps({**manifest, "files": [*manifest["files"], planted]}))
    with desk_server(cfg, out) as running:
        c = running.client()
        files = {f["path"]: f for f in c.get("/api/nights/2020-03-13", params={"verify": "true"}).json()["files"]}
        assert files[CLIP]["qc"] == "passed" and files["hard.txt"]["qc"] == "foreign"
        assert "a hard link ticker did not make" in files["hard.txt"]["foreign"]
        refused = c.get("/api/nights/2020-03-13/files/hard.txt")
        assert refused.status_code == 404 and "TOP SECRET" not in refused.text
        assert "ticker serves only the files it published" in refused.json()["error"]
        assert c.get(f"/api/nights/2020-03-13/files/{CLIP}").content == (later / CLIP).read_bytes()
        page = c.get("/nights/2020-03-13", headers={"Accept": "text/html"}).text
        assert 'files/hard.txt"' not in page and f'files/{CLIP}"' in page
        assert page.count("✓</span>") == 2, "the night's and its one checked file's; none for the planted one"
        if os.geteuid() == 0:  # another user's manifest, and another user's day folder
            os.chown(later / "manifest.json", 65534, 65534)
            refused = c.get("/api/nights/2020-03-13")
            assert refused.status_code == 404 and "another user wrote it, not ticker" in refused.json()["error"]
            os.chown(out / "2020-03-12", 65534, 65534)
            assert [n["date"] for n in c.get("/api/nights").json()["nights"]] == ["2020-03-13"]
            assert c.get(f"/api/nights/2020-03-12/files/{CLIP}").status_code == 404


TWO = ONE_CLIP + '[[output]]\nprofile = "576i50-4x3"\nformat = "qtrle"\nloop = true\n'  # two small clips a day


def test_a_night_tells_the_time_left_once_it_has_a_rate_and_its_end_loads_the_nights_table_again(tmp_path):
    """The run held (the desk's own hook) as nightly counts its clips, and again after the first of two: the
    time left is none, then an estimate from the first clip's time; the run's last answer tells the page to
    load the nights table again, and the table then lists the day."""
    cfg, out = tmp_path / "campaigns", tmp_path / "out"
    cfg.mkdir()
    (cfg / "two.toml").write_text(TWO, encoding="utf-8")
    points = {done: (threading.Event(), threading.Event()) for done in (0, 1)}

    def hold(job: str, done: int, total: int) -> None:
        if done in points:
            reached, go = points[done]
            reached.set()
            assert go.wait(60), "the test let the run go on"

    with desk_server(cfg, out) as desk:
        desk.desk.jobs = Jobs(told=hold)
        c = desk.client()
        assert c.post("/api/campaigns/two.toml/approve", json={"by": "Lan"}).status_code == 200
        job = c.post("/api/nights", json={"date": "2020-03-12"}).json()["job"]
        seen = {}
        try:
            for done, (reached, go) in points.items():
                assert reached.wait(120), f"the run counted {done} clip(s)"
                seen[done] = c.get(f"/api/jobs/{job}").json()
                seen[f"{done}-page"] = c.get(f"/jobs/{job}", headers={"HX-Request": "true"})
                go.set()
        finally:
            for _, go in points.values():
                go.set()
        assert seen[0]["progress"] == {"done": 0, "total": 2} and seen[0]["left"] is None, "no rate yet: no estimate"
        assert 'class="left"' not in seen["0-page"].text
        counted = seen[1]
        assert counted["state"] == "running" and counted["progress"] == {"done": 1, "total": 2}, counted
        assert counted["elapsed"] > 0 and abs(counted["left"] - counted["elapsed"]) <= 1, "the first's time, again"
        assert re.search(r'class="left">còn (vài giây|khoảng \d+ (giây|phút))</span>', seen["1-page"].text)
        assert "hx-trigger" not in seen["1-page"].headers, "nothing to load again while it runs"
        ended = _wait(desk.desk.jobs, job, 120)
        assert ended["state"] == "done" and ended["left"] is None and ended["progress"] == {"done": 2, "total": 2}
        last = c.get(f"/jobs/{job}", headers={"HX-Request": "true"})
        assert last.headers["hx-trigger"] == "night-ended" and 'hx-get="/jobs/' not in last.text
        page = c.get("/nights").text
        table = re.search(r'<table class="list" id="nights-table"[^>]*>', page)
        assert table and 'hx-get="/nights-table"' in table[0] and 'hx-trigger="night-ended from:body"' in table[0]
        assert '<a href="/nights/2020-03-12">' in c.get("/nights-table").text
