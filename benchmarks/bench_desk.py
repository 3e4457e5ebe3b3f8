"""How long the desk (`ticker serve`) takes to answer, beside `ticker check` of one campaign in the same run:
the campaigns page for a folder of 200 campaign files (5 of them broken), GET /api/campaigns (which measures
the readability of every campaign: cold, then warm from its cache kept by the bytes of each file), an edit's
new preview frame (POST /edit/{file}/check with the edit page's form, crossing_seconds changed every time so
nothing is kept) for a 1080i50 and a 576i50 first output, GET /api/campaigns/{file}/frame.png, and
`ticker check` as a fresh process and in-process (ticker.cli.commands.main, after a warm-up).

The desk runs for real: uvicorn on a free port of 127.0.0.1, in a thread of this process, asked by an httpx
client that keeps the session's cookie and sends its CSRF token. Every file is written in a temporary folder,
removed at the end.

    python benchmarks/bench_desk.py [--repeat N] [--files N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import re
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import uvicorn

from ticker.cli import commands as cli
from ticker.desk.app import Desk, create_app
from ticker.desk.fields import form_fields

from common import timed  # benchmarks/common.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
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
    desk = Desk(campaigns=campaigns, out=out, proofs_dir=out / "proofs")
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


if __name__ == "__main__":
    main()
