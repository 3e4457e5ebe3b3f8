"""The campaigns list's readability verdicts across a restart of the desk as it runs (`ticker serve`, stopped
with SIGTERM): what an earlier desk kept is what the list shows at the start, without drawing a crawl, until a
font the campaign is drawn with changes; what it measured is kept in turn when it stops."""

from __future__ import annotations

import html
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ticker.desk.verdicts import STORE, Verdicts
from ticker.vietnamese.text import bundled_fonts_dir

from support.campaigns import write_campaign
from support.desk_server import free_port

CAMPAIGN = """
[campaign]
name = "nho"
start = 2020-03-01
end = 2020-03-31
[[message]]
text = "Xin chào Việt Nam"
[style]
font = "mine.ttf"
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
MARK = "giữ từ lần chạy trước"  # a warning no measure gives: the list shows it only from what the desk kept


@contextmanager
def serving(campaigns: Path, out: Path) -> Iterator[httpx.Client]:
    """`ticker serve` over the folder, until it answers; stopped with SIGTERM at the end (it must end well)."""
    port = free_port()
    desk = subprocess.Popen(
        [sys.executable, "-m", "ticker", "serve", campaigns, "-o", out, "--port", str(port)],
        cwd=campaigns.parent,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                assert desk.poll() is None and time.monotonic() < deadline, desk.stderr.read() if desk.stderr else ""
                time.sleep(0.05)
        yield client
    finally:
        desk.send_signal(signal.SIGTERM)
        _, err = desk.communicate(timeout=30)
    assert desk.returncode == 0 and "Traceback" not in err, err


def shown(client: httpx.Client) -> str:
    """The one row's verdict as the campaigns page asks for it (its htmx address)."""
    page = client.get("/", headers={"Accept": "text/html"}).text
    (url,) = re.findall(r'hx-get="(/campaigns/[^"]+/verdict)"', page)
    got = client.get(html.unescape(url), headers={"HX-Request": "true"})
    assert got.status_code == 200, got.text
    return got.text


def test_a_desk_started_again_shows_the_verdicts_kept_until_a_font_changes(tmp_path):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    shutil.copy(bundled_fonts_dir() / "NotoSans-Bold.ttf", campaigns / "mine.ttf")
    path = write_campaign(campaigns, base=CAMPAIGN, name="nho.toml")
    store = campaigns / STORE
    earlier = Verdicts(store)  # an earlier desk's, written as it stopped
    assert earlier.of(path).figures and earlier.measured == 1
    earlier.close()
    kept = json.loads(store.read_text(encoding="utf-8"))
    (entry,) = kept["verdicts"]
    entry |= {"verdict": "warnings", "warnings": [MARK]}
    store.write_text(json.dumps(kept), encoding="utf-8")  # the desk's own file still (0600, this user's)

    with serving(campaigns, out) as client:
        assert MARK in shown(client)  # what was kept, not measured again
        shutil.copy(bundled_fonts_dir() / "NotoSans-Regular.ttf", campaigns / "mine.ttf")
        again = shown(client)
        assert MARK not in again and ('class="ok"' in again or 'class="warnings"' in again)
    assert store.stat().st_mode & 0o777 == 0o600  # written again as it stopped, this user's alone
    first, last = json.loads(store.read_text(encoding="utf-8"))["verdicts"]
    assert first["warnings"] == [MARK] and last["key"] != first["key"] and MARK not in last["warnings"]
