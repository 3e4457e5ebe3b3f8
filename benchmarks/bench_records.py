"""What the records cost a report: a year of a station's records (three channels, three airings a day, a
night's delivery record and a playout log's lines for each), sealed day by day, then a report's facts made from
them (read every line, verify every day's seal, count every airing) beside the floor: reading the same lines
with json.loads and nothing else, in the same process.

    python benchmarks/bench_records.py [--days 365] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ticker.campaign import load_campaign
from ticker.records import (
    Aired,
    Approved,
    Covered,
    DeliveredFile,
    Delivery,
    Planned,
    Record,
    Records,
    Source,
    seal_over,
    verify,
)
from ticker.reports.facts import campaign_facts

T = dt.timezone(dt.timedelta(hours=7))
CHANNELS = ("HGTV", "HGTV HD", "THHG")
TIMES = ((6, 30), (12, 0), (19, 45))
FIRST = dt.date(2020, 1, 1)


def campaign_text(days: int) -> str:
    last = FIRST + dt.timedelta(days=days - 1)
    return f"""[campaign]
name = "ncovi"
start = {FIRST}
end = {last}
[[slot]]
at = ["06:30", "12:00", "19:45"]
seconds = 20
channels = {json.dumps(list(CHANNELS))}
[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."
"""


def year(records: Records, days: int) -> int:
    approved = Approved("sha256:" + "a" * 64, "Trần Văn Bình", "2019-12-30T10:00:00+07:00")
    lines = []
    for n in range(days):
        day = FIRST + dt.timedelta(days=n)
        starts = [dt.datetime.combine(day, dt.time(h, m), T) for h, m in TIMES]
        for ch in CHANNELS:
            loop = "ncovi_576i50_qtrle_loop.mov"
            fact = Delivery("ncovi", "t", 1, ("Đề nghị người dân tải ứng dụng NCOVI.",), approved.key, approved,
                            tuple(Planned(s.isoformat(), 20.0, None, (loop,)) for s in starts),
                            (DeliveredFile(loop, "cd" * 32, 1_234_567),), True)  # fmt: skip
            lines.append(Record(Source.NIGHTLY, ch, day, fact))
            midnight = dt.datetime.combine(day, dt.time(), T)
            lines.append(
                Record(
                    Source.PLAYOUT_LOG,
                    ch,
                    day,
                    Covered(midnight.isoformat(), (midnight + dt.timedelta(days=1)).isoformat()),
                )
            )
            lines += [Record(Source.PLAYOUT_LOG, ch, day, Aired(s.isoformat(), file=loop.upper())) for s in starts]
    records.append(lines)
    seal_over(records, FIRST + dt.timedelta(days=days))
    return len(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "c.toml").write_text(campaign_text(args.days), encoding="utf-8")
        campaign = load_campaign(folder / "c.toml")
        with Records.open(folder / "records") as records:
            began = time.perf_counter()
            n = year(records, args.days)
            wrote = time.perf_counter() - began
            files = sorted(f for f in (folder / "records").glob("*/*.jsonl") if f.name != "seals.jsonl")
            floors, reports = [], []
            for _ in range(args.repeat):
                began = time.perf_counter()
                count = sum(1 for f in files for line in f.read_text(encoding="utf-8").splitlines() if json.loads(line))
                floors.append(time.perf_counter() - began)
                began = time.perf_counter()
                reading = records.read(campaign.start, campaign.end)
                checks = [verify(records, d) for d in records.days()]
                facts = campaign_facts(campaign, {"name": "X"}, reading, date=campaign.end + dt.timedelta(days=1),
                                       checks=checks)  # fmt: skip
                reports.append(time.perf_counter() - began)
            assert count == n, (count, n)
            assert facts["totals"]["aired"] == args.days * len(CHANNELS) * len(TIMES), facts["totals"]
            assert all(c.state == "unchanged" for c in checks)
    floor, report = statistics.median(floors), statistics.median(reports)
    print(f"{args.days} days, {len(CHANNELS)} channels: {n} records, written and sealed in {wrote:.2f} s")
    print(f"json.loads of every line (the floor): {floor * 1000:8.1f} ms")
    print(f"report facts (read, verify, count):    {report * 1000:8.1f} ms  = {report / floor:.1f} × the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
