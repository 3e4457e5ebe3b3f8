"""How long the desk (`ticker serve`) takes to answer, beside `ticker check` of one campaign in the same run:
the campaigns list of a folder of 200 campaign files (5 of them broken) from the desk's start until every
readability verdict of the page is answered, with the verdicts kept from an earlier start (warm) and without
(cold); the campaigns page; GET /api/campaigns (which measures the readability of every campaign: cold, then
warm from the desk's memo); an edit's new preview frame (POST /edit/{file}/check with the edit page's form,
crossing_seconds changed every time so nothing is kept) for a 1080i50 and a 576i50 first output, GET
/api/campaigns/{file}/frame.png, and `ticker check` as a fresh process and in-process (ticker.cli.commands.main,
after a warm-up).

From the start: `ticker serve` run as it is run (a process of its own, started with the clock), asked for its
campaigns page as soon as it answers, then for each row's verdict as the page's htmx asks, BROWSER_CONNECTIONS at
a time as a browser does; stopped with SIGTERM, which writes the verdicts it keeps, and started again. The rest:
the desk in a thread of this process (uvicorn on a free port of 127.0.0.1), asked by an httpx client that keeps
the session's cookie and sends its CSRF token. Every file is written in a temporary folder, removed at the end.

    python benchmarks/bench_desk.py [--repeat N] [--files N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import io
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from ticker.cli import commands as cli
from ticker.desk.app import Desk, create_app
from ticker.desk.fields import form_fields
from ticker.desk.verdicts import STORE

from common import timed  # benchmarks/common.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
BROWSER_CONNECTIONS = 6  # what a browser opens to one server at once (HTTP/1.1): the page's verdicts, 6 at a time
SOURCE = ROOT / "configs" / "hau-giang-ncovi.toml"
BROKEN = (  # (what is wrong, how the text is changed)
    ("not TOML", lambda t: t.replace("[campaign]", "[campaign", 1)),
    ("end before start", lambda t: re.sub(r"^end = .*$", "end = 2020-01-01", t, count=1, flags=re.M)),
    ("unknown profile", lambda t: t.replace('profile = "1080i50"', 'profile = "1080p59"', 1)),
    ("no message", lambda t: re.sub(r"\[\[message\]\].*?(?=\n\[style\])", "", t, count=1, flags=re.S)),
    ("crossing not a number", lambda t: t.replace("crossing_seconds = 12", 'crossing_seconds = "fast"', 1)),
)


def campaign_text(source: str, n: int, today: dt.date) -> str:
    """A copy of the example with its own name, title and window (ended, airing, to come), not approved."""
    start = today + dt.timedelta(days=(n * 7) % 90 - 45)
    end = start + dt.timedelta(days=3 + n % 20)
    text = source.split("\n[approval]", 1)[0] + "\n"
    text = re.sub(r'^name = ".*"$', f'name = "bench-{n:03d}"', text, count=1, flags=re.M)
    text = re.sub(r'^title = ".*"$', f'title = "Chiến dịch thử {n:03d}"', text, count=1, flags=re.M)
    text = re.sub(r"^start = \S+", f"start = {start.isoformat()}", text, count=1, flags=re.M)
    return re.sub(r"^end = \S+", f"end = {end.isoformat()}", text, count=1, flags=re.M)


def make_folder(folder: Path, files: int) -> tuple[str, str]:
    """`files` campaign files, the last five broken; the files whose first output is 1080i50 and 576i50."""
    source, today = SOURCE.read_text(encoding="utf-8"), dt.date.today()
    for n in range(files):
        text = campaign_text(source, n, today)
        if n == 1:  # the same outputs, 576i50 first: the edit page's frame is drawn at the first output's size
            text = text.replace('"1080i50"', '"@"').replace('"576i50"', '"1080i50"').replace('"@"', '"576i50"')
        if n >= files - len(BROKEN):
            text = BROKEN[n - (files - len(BROKEN))][1](text)
        (folder / f"c{n:03d}.toml").write_text(text, encoding="utf-8")
    return "c000.toml", "c001.toml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def desk_server(campaigns: Path, out: Path) -> Iterator[httpx.Client]:
    """The desk on a free port, in a thread; a client with a session, sending its CSRF token."""
    desk = Desk(campaigns=campaigns, out=out, station=campaigns / "station.toml", records=campaigns / "records",
                proofs_dir=out / "proofs")  # fmt: skip
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(desk), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit("the desk did not start")
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=900) as client:
            client.headers["X-CSRF-Token"] = client.get("/api/session").json()["csrf"]
            yield client
    finally:
        server.should_exit = True
        thread.join(10)


def seconds(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def get(client: httpx.Client, url: str, **headers: str) -> httpx.Response:
    r = client.get(url, headers=headers)
    if r.status_code != 200:
        raise SystemExit(f"GET {url}: {r.status_code} {r.text[:300]}")
    return r


def edit_form(client: httpx.Client, file: str, crossing: float) -> dict[str, str]:
    """What the edit page's form sends: csrf, key, base (the file's text) and every field as shown."""
    found = get(client, f"/api/campaigns/{file}").json()
    form = {"csrf": client.headers["X-CSRF-Token"], "key": found["key"], "base": found["text"]}
    for f in form_fields(found["text"]):
        if f.kind == "checkbox":
            if f.value:
                form[f.key] = "1"
        else:
            form[f.key] = str(f.value)
    form["motion.crossing_seconds"] = f"{crossing:g}"
    return form


def edit_to_frame(client: httpx.Client, file: str, crossings: Iterator[float]) -> float:
    form = edit_form(client, file, next(crossings))  # read before the clock starts: the page holds it already
    began = time.perf_counter()
    r = client.post(f"/edit/{file}/check", data=form, headers={"HX-Request": "true"})
    took = time.perf_counter() - began
    if r.status_code != 200 or "data:image/png;base64," not in r.text:
        raise SystemExit(f"POST /edit/{file}/check: {r.status_code}, no frame: {r.text[:300]}")
    return took


@dataclass(frozen=True)
class Start:
    """Seconds from the start of `ticker serve` until it answers, until its campaigns page is read, and until
    every verdict of the page is answered; the verdicts' fragments, in the page's order."""

    listening: float
    page: float
    verdicts: float
    answers: tuple[str, ...]

    def said(self) -> dict[str, int]:
        kinds = [next((k for k in ("ok", "warnings", "error") if f'class="{k}"' in a), "?") for a in self.answers]
        return {k: kinds.count(k) for k in sorted(set(kinds))}


def list_from_start(folder: Path, out: Path) -> Start:
    """`ticker serve` started, its campaigns page read and every row's verdict asked for as the page's htmx asks
    (hx-trigger="load"), BROWSER_CONNECTIONS at a time; then stopped with SIGTERM (it writes what it keeps)."""
    port = free_port()
    began = time.perf_counter()
    desk = subprocess.Popen(
        [sys.executable, "-m", "ticker", "serve", str(folder), "-o", str(out), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        limits = httpx.Limits(max_connections=BROWSER_CONNECTIONS)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=900, limits=limits) as client:
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    if desk.poll() is not None or time.perf_counter() - began > 60:
                        raise SystemExit("ticker serve did not start") from None
                    time.sleep(0.01)
            listening = time.perf_counter() - began
            page = get(client, "/", accept="text/html").text
            paged = time.perf_counter() - began
            urls = [html.unescape(u) for u in re.findall(r'hx-get="(/campaigns/[^"]+/verdict)"', page)]
            with ThreadPoolExecutor(BROWSER_CONNECTIONS) as pool:
                answers = tuple(pool.map(lambda url: get(client, url, **{"HX-Request": "true"}).text, urls))
            done = time.perf_counter() - began
    finally:
        desk.send_signal(signal.SIGTERM)
        _, err = desk.communicate(timeout=60)
    if desk.returncode != 0 or "Traceback" in err:
        raise SystemExit(f"ticker serve ended with {desk.returncode}: {err[-2000:]}")
    return Start(listening, paged, done, answers)


def check_in_process(path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(["check", str(path)])
    if status != 0:
        raise SystemExit(f"ticker check {path}: exit status {status}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5, help="requests timed for each median (ticker check: 3)")
    p.add_argument("--files", type=int, default=200, help="campaign files in the folder")
    args = p.parse_args()
    crossings = iter(12 + i / 4 for i in range(1, 10_000))  # a new value every time: no verdict or frame is kept
    rows: list[tuple[str, float, str]] = []  # (what, seconds, spread)

    def median(what: str, times: list[float]) -> float:
        m = statistics.median(times)
        rows.append((what, m, f"{min(times):.3f}–{max(times):.3f} s, {len(times)} runs"))
        return m

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ticker-bench-desk-") as tmp:
        folder, out = Path(tmp) / "campaigns", Path(tmp) / "out"
        folder.mkdir()
        out.mkdir()
        hd, sd = make_folder(folder, args.files)

        fresh = [timed("check", str(folder / hd)) for _ in range(3)]
        check_in_process(folder / hd)  # warm-up: imports, fonts
        inproc = [seconds(lambda: check_in_process(folder / hd)) for _ in range(args.repeat)]
        check_fresh = median("ticker check, fresh process", fresh)
        check = median("ticker check, in-process", inproc)

        (folder / STORE).unlink(missing_ok=True)
        cold_start = list_from_start(folder, out)  # nothing kept: every verdict measured
        warm_starts = sorted((list_from_start(folder, out) for _ in range(args.repeat)), key=lambda s: s.verdicts)
        warm_start = warm_starts[len(warm_starts) // 2]  # started again over what the starts before kept
        for kind, start, spread in (
            ("cold", cold_start, "1 run"),
            ("warm", warm_start, f"{warm_starts[0].verdicts:.2f}–{warm_starts[-1].verdicts:.2f} s, {args.repeat} runs"),
        ):
            rows.append(
                (
                    f"start → every verdict of the list, {kind}",
                    start.verdicts,
                    f"answering at {start.listening:.2f} s, page read at {start.page:.2f} s, "
                    f"{len(start.answers)} verdicts; {spread}",
                )
            )
        kept = (folder / STORE).stat().st_size

        with desk_server(folder, out) as client:
            get(client, "/", accept="text/html")  # warm-up: templates
            page = [seconds(lambda: get(client, "/", accept="text/html")) for _ in range(args.repeat)]
            page_s = median(f"GET / (campaigns page, {args.files} files)", page)
            listed: dict = {}
            cold = seconds(lambda: listed.update(get(client, "/api/campaigns").json()))
            rows.append((f"GET /api/campaigns, cold ({args.files} files)", cold, "first request, 1 run"))
            warm = [seconds(lambda: get(client, "/api/campaigns")) for _ in range(args.repeat)]
            warm_s = median(f"GET /api/campaigns, warm ({args.files} files)", warm)
            verdicts = [r.get("verdict") for r in listed["campaigns"]]
            said = {v: verdicts.count(v) for v in sorted(set(map(str, verdicts)))}

            edit_to_frame(client, hd, crossings)  # warm-up
            edit = {}
            for file, name in ((hd, "1080i50"), (sd, "576i50")):
                times = [edit_to_frame(client, file, crossings) for _ in range(args.repeat)]
                edit[name] = median(f"edit → frame, POST /edit/…/check ({name})", times)
            frames = {}
            for n, name in ((0, "1080i50"), (1, "576i50")):
                url = f"/api/campaigns/{hd}/frame.png?output={n}"
                frames[name] = median(
                    f"GET frame.png ({name})", [seconds(lambda url=url: get(client, url)) for _ in range(args.repeat)]
                )

    print(f"{'':<48}{'seconds':>9}{'/ check':>9}   (check in-process {check:.3f} s; medians unless said)")
    for what, s, spread in rows:
        print(f"{what:<48}{s:>9.3f}{s / check:>9.1f}   ({spread})")
    print(f"\nverdicts of /api/campaigns: {said}")
    print(
        f"the list's verdicts from the start: {warm_start.said()}, the same cold and warm: "
        f"{'yes' if all(w.answers == cold_start.answers for w in warm_starts) else 'NO'}; kept in {STORE}: "
        f"{kept / 1024:.0f} KiB"
    )
    print(
        f"start → every verdict: cold {cold_start.verdicts:.2f} s, warm {warm_start.verdicts:.2f} s "
        f"(cold / warm {cold_start.verdicts / warm_start.verdicts:.1f}); warm / check fresh "
        f"{warm_start.verdicts / check_fresh:.2f}, cold / check fresh {cold_start.verdicts / check_fresh:.1f}; "
        f"warm after answering: {warm_start.verdicts - warm_start.listening:.2f} s "
        f"({(warm_start.verdicts - warm_start.listening) / check:.1f} × check in-process)"
    )
    each = cold / args.files
    print(f"cold list per campaign file: {each:.3f} s ({each / check:.2f} × check in-process)")
    print(f"page / check in-process: {page_s / check:.2f}; page / check fresh: {page_s / check_fresh:.2f}")
    print(f"warm list / page: {warm_s / page_s:.2f}; cold list / warm list: {cold / warm_s:.0f}")
    for name in ("1080i50", "576i50"):
        print(
            f"{name}: edit → frame / check in-process {edit[name] / check:.2f}, frame.png / check in-process "
            f"{frames[name] / check:.2f}, edit → frame / frame.png {edit[name] / frames[name]:.2f}"
        )
    print(f"fresh process / in-process check: {check_fresh / check:.1f}")
    print(
        f"load average (1 min) at the start and the end: {load:.1f}, {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
