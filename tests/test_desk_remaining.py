"""One action of the desk builds every remaining day of a campaign's window: against a real desk, a campaign of
one small clip whose window runs from yesterday to the day after tomorrow. Built already: the day after
tomorrow's files for every campaign but this one (made before it was approved) and tomorrow's with it; so the
action queues today and the day after tomorrow, exactly, and a second asking queues nothing more."""

from __future__ import annotations

import datetime as dt
import io
import json
import time

import httpx

from ticker.desk.actions import today
from ticker.night.nightly import nightly

from support.campaigns import ONE_CLIP, ONE_CLIP_FILE
from support.desk_server import desk_server


def _ended(c: httpx.Client, jobs: list[str], seconds: float = 300) -> list[dict]:
    deadline = time.monotonic() + seconds
    while any((state := [c.get(f"/api/jobs/{j}").json() for j in jobs])[k]["state"] in ("queued", "running")
              for k in range(len(jobs))):  # fmt: skip
        assert time.monotonic() < deadline, f"the runs did not end: {state}"
        time.sleep(0.2)
    return state


def test_the_remaining_days_not_built_for_the_campaign_are_queued_exactly_and_built(tmp_path):
    first = today()
    days = [first + dt.timedelta(days=n) for n in range(-1, 3)]  # yesterday … the day after tomorrow
    cfg, out = tmp_path / "campaigns", tmp_path / "out"
    cfg.mkdir()
    text = ONE_CLIP.replace("2020-03-01", days[0].isoformat()).replace("2020-03-31", days[-1].isoformat())
    (cfg / "one.toml").write_text(text, encoding="utf-8")
    with desk_server(cfg, out) as desk:
        c = desk.client()
        refused = c.post("/api/campaigns/one.toml/nights")
        assert refused.status_code == 409 and "not approved" in refused.json()["error"]
        assert nightly(cfg, out, days[3], stream=io.StringIO()) == 0  # made without it: it was not approved
        assert c.post("/api/campaigns/one.toml/approve", json={"by": "Lan"}).status_code == 200
        assert nightly(cfg, out, days[2], stream=io.StringIO()) == 0  # made with it
        started = c.post("/api/campaigns/one.toml/nights")
        assert started.status_code == 202, started.text
        queued = started.json()
        assert queued["days"] == [days[1].isoformat(), days[3].isoformat()] and queued["more"] == 0
        again = c.post("/nights/remaining", data={"file": "one.toml"}, headers={"HX-Request": "true"})
        waiting = ("đang được dựng hoặc đã xếp hàng", "Mọi ngày còn lại của chiến dịch đã được dựng.")  # (or done)
        assert again.status_code == 200 and any(w in again.text for w in waiting), again.text
        assert 'class="job"' not in again.text, "nothing queued twice"
        runs = _ended(c, queued["jobs"])
        assert [(r["date"], r["state"], r["status"]) for r in runs] == [(d, "done", 0) for d in queued["days"]]
        for day in days[1:]:
            manifest = json.loads((out / day.isoformat() / "manifest.json").read_text(encoding="utf-8"))
            assert manifest["complete"] and [e["path"] for e in manifest["files"]] == [ONE_CLIP_FILE], day
        assert not (out / days[0].isoformat()).exists(), "yesterday is over: not built"
        done = c.post("/nights/remaining", data={"file": "one.toml"}, headers={"HX-Request": "true"})
        assert "Mọi ngày còn lại của chiến dịch đã được dựng." in done.text
        assert c.post("/api/campaigns/one.toml/nights").json() == {"days": [], "jobs": [], "more": 0, "waiting": []}
        page = c.get("/nights").text
        assert 'id="build-window"' in page and '<option value="one.toml">' in page
