"""The records folder on disk: what playout aired imported once however often it is given, days sealed and a
line altered after its seal named, the retention (old days, old clips, a quota) never reaching through a link,
and `ticker records` as a user runs it."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path

import pytest

from ticker.files.inputs import size_text
from ticker.records import (
    Aired,
    Covered,
    Record,
    Records,
    Source,
    as_run_source,
    export_csv,
    import_as_run,
    read_source,
    retire,
    seal_over,
    verify,
)

from support.campaigns import untouched, victim
from support.running import run_ticker

ZONE = "Asia/Ho_Chi_Minh"
TODAY = dt.date(2021, 6, 1)
LOG = """\
[2020-03-12 06:00:00.000] [info]    Received message from 127.0.0.1: INFO\\r\\n
[2020-03-12 06:30:00.412] [info]    Received message from 127.0.0.1: PLAY 1-10 "NCOVI_576I50_QTRLE_LOOP" LOOP\\r\\n
[2020-03-12 06:30:20.000] [info]    Received message from 127.0.0.1: STOP 1-10\\r\\n
[2020-03-12 12:00:00.000] [info]    Received message from 127.0.0.1: PLAY 1-10 "NCOVI_576I50_QTRLE_LOOP" LOOP\\r\\n
"""
LATER = """\
[2020-03-12 12:00:20.000] [info]    Received message from 127.0.0.1: STOP 1-10\\r\\n
[2020-03-12 19:45:00.000] [info]    Received message from 127.0.0.1: PLAY 1-10 "NCOVI_576I50_QTRLE_LOOP" LOOP\\r\\n
"""
CSV = "start,channel,file\n2020-03-12T06:30:00,HGTV,ncovi.mov\n2020-03-13T06:30:00,HGTV,ncovi.mov\n"


def _import(records: Records, path: Path, spec: str = "casparcg", channel: str | None = "HGTV") -> int:
    return import_as_run(records, read_source(as_run_source(f"{spec}:{path}", channel), ZONE))


def _lines(folder: Path) -> int:
    files = [p for p in folder.rglob("*.jsonl") if p.name != "seals.jsonl"]
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)


def test_importing_the_same_log_twice_adds_nothing_and_a_grown_log_only_what_is_new(tmp_path):
    log, csv = tmp_path / "caspar.log", tmp_path / "as-run.csv"
    log.write_text(LOG, encoding="utf-8")
    csv.write_text(CSV, encoding="utf-8")
    with Records.open(tmp_path / "records") as records:
        assert _import(records, log) == 3  # two airings (the second still playing) and the span
        assert _import(records, log) == 0
        assert _import(records, csv, "csv", None) == 4  # two airings and two days covered
        assert _import(records, csv, "csv", None) == 0
        assert _lines(tmp_path / "records") == 7
        log.write_text(LOG + LATER, encoding="utf-8")
        assert _import(records, log) == 3  # the second airing with its end, the third, the longer span
        assert _import(records, log) == 0
        reading = records.read()
        assert not reading.problems
        log_airings = [r.fact for r in reading.records if r.source == Source.PLAYOUT_LOG and isinstance(r.fact, Aired)]
        assert sorted(((a.start, a.end) for a in log_airings), key=lambda a: (a[0], a[1] or "")) == [
            ("2020-03-12T06:30:00.412+07:00", "2020-03-12T06:30:20+07:00"),
            ("2020-03-12T12:00:00+07:00", None),
            ("2020-03-12T12:00:00+07:00", "2020-03-12T12:00:20+07:00"),
            ("2020-03-12T19:45:00+07:00", None),
        ]
        exported = export_csv(reading, "HGTV").splitlines()
        assert len(exported) == 1 + 3 + 2  # the header, the log's three airings (one row each), the CSV's two
        assert exported[3] == (
            "2020-03-12T12:00:00+07:00,HGTV,NCOVI_576I50_QTRLE_LOOP,2020-03-12T12:00:20+07:00,playout-log,"
        )


def test_a_sealed_day_is_read_only_and_a_line_altered_after_is_named(tmp_path):
    csv = tmp_path / "as-run.csv"
    csv.write_text(CSV, encoding="utf-8")
    folder = tmp_path / "records"
    with Records.open(folder) as records:
        _import(records, csv, "csv", None)
        seal_over(records, TODAY)
        day = folder / "2020-03-12"
        assert stat.S_IMODE((day / "csv@HGTV.jsonl").stat().st_mode) == 0o444
        assert verify(records, dt.date(2020, 3, 12)).state == "unchanged"
        late = Record(Source.CSV, "HGTV", dt.date(2020, 3, 12), Aired("2020-03-12T19:45:00+07:00", file="x.mov"))
        records.append([late])  # a line for a sealed day goes to a file of its own
        assert sorted(p.name for p in day.iterdir()) == ["csv@HGTV+2.jsonl", "csv@HGTV.jsonl", "seals.jsonl"]
        first = verify(records, dt.date(2020, 3, 12))
        assert first.state == "unchanged" and first.said == ("not sealed yet: csv@HGTV+2.jsonl",)
        seal_over(records, TODAY)
        second = verify(records, dt.date(2020, 3, 12))
        assert second.state == "unchanged" and second.said == () and second.chain != first.chain
        assert os.access(day / "seals.jsonl", os.W_OK) or os.geteuid() == 0  # the seals are not sealed
        path = day / "csv@HGTV.jsonl"
        path.chmod(0o644)
        path.write_text(path.read_text(encoding="utf-8").replace("06:30:00", "06:31:00"), encoding="utf-8")
        altered = verify(records, dt.date(2020, 3, 12))
        assert altered.state == "altered" and altered.said == ("csv@HGTV.jsonl changed after it was sealed",)
        assert verify(records, dt.date(2020, 3, 13)).state == "unchanged"


def _day(records: Records, day: dt.date, clips: int = 2, frames: int = 2, size: int = 1000) -> None:
    start = dt.datetime.combine(day, dt.time(6, 30), dt.timezone(dt.timedelta(hours=7))).isoformat()
    records.append([Record(Source.WATCH, "HGTV", day, Aired(start, file="ncovi.mov"))])
    for n in range(clips):
        records.add_evidence(day, "clips", f"clip-{n}.ts", b"c" * size)
    for n in range(frames):
        records.add_evidence(day, "frames", f"frame-{n}.png", b"f" * size)


def _names(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def test_old_days_go_whole_old_clips_go_and_the_rest_stays(tmp_path):
    folder, target = tmp_path / "records", victim(tmp_path)
    old, aging, young = (TODAY - dt.timedelta(days=n) for n in (401, 31, 30))
    with Records.open(folder) as records:
        for day in (old, aging, young):
            _day(records, day)
        seal_over(records, TODAY)
        (folder / old.isoformat() / "outside").symlink_to(target, target_is_directory=True)
        (folder / "2019-01-01").symlink_to(target, target_is_directory=True)  # a link named as an old day
        said = retire(records, TODAY)
        assert untouched(target)
        assert not os.path.lexists(folder / old.isoformat()) and not os.path.lexists(folder / "2019-01-01")
        assert len(said) == 3
        assert said[0] == f"{folder / '2019-01-01'}: a link where a day folder goes, removed (not what it points to)."
        assert re.fullmatch(rf"{folder / old.isoformat()}: removed, its records and evidence \([\d.]+ KB\), older "
                            r"than 400 days\.", said[1])  # fmt: skip
        clips = folder / aging.isoformat() / "evidence" / "clips"
        assert said[2] == f"{clips}: 2 evidence clips removed (2 KB), older than 30 days."
        assert _names(folder / aging.isoformat()) == [
            "evidence/frames/frame-0.png", "evidence/frames/frame-1.png", "seals.jsonl", "watch@HGTV.jsonl",
        ]  # fmt: skip
        assert len(_names(folder / young.isoformat())) == 6
        assert verify(records, aging).state == "unchanged"  # a clip the retention removed is retired, not altered
        assert retire(records, TODAY) == []


def test_over_the_quota_the_oldest_clips_go_first_then_frames_never_records(tmp_path):
    folder = tmp_path / "records"
    days = [TODAY - dt.timedelta(days=n) for n in (3, 2, 1)]
    with Records.open(folder) as records:
        for day in days:
            _day(records, day, size=10_000)
        seal_over(records, TODAY)
        total = sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())
        said = retire(records, TODAY, quota=total - 15_000)  # two clips' worth
        oldest = folder / days[0].isoformat() / "evidence" / "clips"
        quota = size_text(total - 15_000)
        why = f"the records folder was over its quota of {quota}"
        assert said == [f"{oldest}: 2 evidence clips removed (20 KB), {why}."]
        assert not list(oldest.iterdir()) and len(list((folder / days[1].isoformat()).rglob("clip-*"))) == 2
        said = retire(records, TODAY, quota=1)
        assert said[-1].endswith("with no evidence left to remove; its records are kept.")
        assert [n for d in days for n in _names(folder / d.isoformat())] == ["seals.jsonl", "watch@HGTV.jsonl"] * 3
        assert all(verify(records, d).state == "unchanged" for d in days)


def test_the_retention_never_follows_a_link_inside_a_day(tmp_path):
    folder, target = tmp_path / "records", victim(tmp_path)
    aging = TODAY - dt.timedelta(days=40)
    with Records.open(folder) as records:
        _day(records, aging, clips=1)
        (folder / aging.isoformat() / "evidence" / "clips" / "planted.ts").symlink_to(target / "precious.txt")
        linked = TODAY - dt.timedelta(days=45)
        (folder / linked.isoformat() / "evidence").mkdir(parents=True)
        (folder / linked.isoformat() / "evidence" / "clips").symlink_to(target / "sub", target_is_directory=True)
        said = retire(records, TODAY, quota=1)
        assert untouched(target)
        assert f"{folder / linked.isoformat() / 'evidence' / 'clips'}: is a link" in "\n".join(said)
        assert os.path.islink(folder / linked.isoformat() / "evidence" / "clips")  # not ticker's: left as it is
        assert not os.path.lexists(folder / aging.isoformat() / "evidence" / "clips" / "planted.ts")


def test_ticker_records_verify_import_export_seal_and_retire(tmp_path):
    folder = tmp_path / "records"
    (tmp_path / "caspar.log").write_text(LOG, encoding="utf-8")
    (tmp_path / "as-run.csv").write_text(CSV, encoding="utf-8")
    done = run_ticker("records", folder, "import", "casparcg:caspar.log", "--channel", "HGTV", cwd=tmp_path)
    assert done.stdout == f"casparcg:caspar.log: 3 of 3 lines added to {folder}.\n"
    done = run_ticker("records", folder, "import", "as-run.csv", cwd=tmp_path)
    assert done.stdout == f"as-run.csv: 4 of 4 lines added to {folder}.\n"
    assert run_ticker("records", folder, "import", "as-run.csv", cwd=tmp_path).stdout.startswith("as-run.csv: 0 of 4")
    done = run_ticker("records", folder, "verify", cwd=tmp_path)
    assert done.stdout == "2020-03-12: not sealed\n2020-03-13: not sealed\n"
    run_ticker("records", folder, "seal", cwd=tmp_path)
    done = run_ticker("records", folder, "verify", "--from", "2020-03-12", "--to", "2020-03-12", cwd=tmp_path)
    assert done.stdout.startswith("2020-03-12: unchanged, chain ") and "2020-03-13" not in done.stdout
    path = folder / "2020-03-12" / "playout-log@HGTV.jsonl"
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"\n")
    done = run_ticker("records", folder, "verify", cwd=tmp_path, check_status=1)
    assert "2020-03-12: altered: playout-log@HGTV.jsonl changed after it was sealed\n" in done.stdout
    assert "2020-03-13: unchanged" in done.stdout
    run_ticker("records", folder, "export", "-o", "out.csv", "--channel", "HGTV", "--to", "2020-03-12", cwd=tmp_path)
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "start,channel,file,end,source,campaign" and len(rows) == 4
    assert rows[3] == "2020-03-12T12:00:00+07:00,HGTV,NCOVI_576I50_QTRLE_LOOP,,playout-log,"
    assert run_ticker("records", folder, "retire", cwd=tmp_path).stdout.count("older than 400 days.\n") == 2
    assert not any(p.name.startswith("2020") for p in folder.iterdir())


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["import", "casparcg:caspar.log"], "casparcg:caspar.log: a CasparCG log does not say which"),
        (["import", "bad.csv"], "bad.csv line 4: start 'yesterday' is not a time like 2020-03-12T06:30:00."),
        (["import", "casparcg:empty.log", "--channel", "HGTV"], "empty.log: has no line that begins with a time"),
        (["import", "nowhere.csv"], "nowhere.csv: no such as-run file"),
        (["export", "-o", "nowhere/out.csv"], "-o nowhere/out.csv: the folder nowhere does not exist"),
        (["verify", "--from", "2020-03-13", "--to", "2020-03-12"], "--to 2020-03-12 is before --from 2020-03-13."),
        (["retire", "--quota", "lots"], "argument --quota: 'lots' is not a size"),
    ],
)
def test_ticker_records_refuses_bad_input_in_one_sentence_and_adds_nothing(tmp_path, args, said):
    folder = tmp_path / "records"
    folder.mkdir()
    (tmp_path / "caspar.log").write_text(LOG, encoding="utf-8")
    (tmp_path / "empty.log").write_text("no times here\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text(CSV + "yesterday,HGTV,ncovi.mov\n", encoding="utf-8")
    done = run_ticker("records", folder, *args, cwd=tmp_path, check_status=2)
    assert said in done.stderr and "Traceback" not in done.stderr
    assert list(folder.iterdir()) == []


def test_ticker_records_of_a_folder_that_is_not_there_says_so(tmp_path):
    done = run_ticker("records", tmp_path / "none", "verify", cwd=tmp_path, check_status=2)
    said = "the records folder cannot be opened (No such file or directory)"
    assert done.stderr == f"ticker: {tmp_path / 'none'}: {said}.\n"


def test_a_covered_span_of_a_grown_log_is_added_once(tmp_path):
    log = tmp_path / "caspar.log"
    log.write_text(LOG, encoding="utf-8")
    with Records.open(tmp_path / "records") as records:
        _import(records, log)
        log.write_text(LOG + LATER, encoding="utf-8")
        _import(records, log)
        spans = [r.fact for r in records.read().records if isinstance(r.fact, Covered)]
        assert [(s.start, s.end) for s in spans] == [
            ("2020-03-12T06:00:00+07:00", "2020-03-12T12:00:00+07:00"),
            ("2020-03-12T06:00:00+07:00", "2020-03-12T19:45:00+07:00"),
        ]
