"""The records folder on disk: lines only added, one file per writer and channel, nothing followed through a
link, days sealed with a chain that shows a record altered after its day."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest

from ticker.errors import TickerError
from ticker.records import Records, seal, seal_over, verify

from support.campaigns import ONE_CLIP, write_campaign
from support.records import delivery, played
from support.running import run_ticker

DAY = dt.date(2020, 3, 12)


def test_lines_are_added_per_writer_and_channel_and_read_back(tmp_path):
    with Records.open(tmp_path / "records") as records:
        records.append([delivery(DAY, channel="HGTV"), delivery(DAY), played(DAY, "06:30", "VTV 1")])
        records.append([delivery(DAY, channel="HGTV", version=2)])
        reading = records.read()
    folder = tmp_path / "records" / DAY.isoformat()
    assert sorted(os.listdir(folder)) == ["csv@VTV%201.jsonl", "nightly.jsonl", "nightly@HGTV.jsonl"]
    assert len((folder / "nightly@HGTV.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert [r.source for r in reading.records].count("nightly") == 3 and not reading.problems
    assert reading.began == DAY  # the first day folder, before the day after the folder began (today)
    line = json.loads((folder / "csv@VTV%201.jsonl").read_text(encoding="utf-8"))
    assert line["v"] == 1 and line["source"] == "csv" and line["kind"] == "airing" and line["channel"] == "VTV 1"
    assert line["start"] == "2020-03-12T06:30:00+07:00" and line["clock"]["basis"] == "host"


def test_what_is_not_a_record_is_said_and_never_counted(tmp_path):
    with Records.open(tmp_path / "records") as records:
        records.append([delivery(DAY)])
        folder = tmp_path / "records" / DAY.isoformat()
        with open(folder / "nightly.jsonl", "a", encoding="utf-8") as f:
            f.write('{"v": 1, "source": "nightly"}\nnot json\n')
        (folder / "notes.txt").write_text("x", encoding="utf-8")
        reading = records.read()
    assert len(reading.records) == 1
    assert len(reading.problems) == 3 and any("notes.txt: is not a records file" in p for p in reading.problems)
    assert any("line 2" in p for p in reading.problems) and any("line 3" in p for p in reading.problems)


def test_a_link_in_the_records_tree_is_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "nightly.jsonl").write_text("", encoding="utf-8")
    root = tmp_path / "records"
    root.mkdir()
    (root / DAY.isoformat()).symlink_to(outside)
    with Records.open(root) as records:
        with pytest.raises(TickerError, match="is a link"):
            records.append([delivery(DAY)])
        assert any("is a link" in p for p in records.read().problems)
    other = DAY + dt.timedelta(days=1)
    (root / other.isoformat()).mkdir()
    (root / other.isoformat() / "nightly.jsonl").symlink_to(outside / "nightly.jsonl")
    with Records.open(root) as records, pytest.raises(TickerError, match="cannot be written"):
        records.append([delivery(other)])
    assert (outside / "nightly.jsonl").read_text(encoding="utf-8") == ""


def test_a_sealed_day_is_read_only_and_later_lines_go_to_a_new_file(tmp_path):
    root = tmp_path / "records"
    with Records.open(root) as records:
        records.append([delivery(DAY, channel="HGTV")])
        first = seal(records, DAY)
        folder = root / DAY.isoformat()
        assert stat.S_IMODE(os.stat(folder / "nightly@HGTV.jsonl").st_mode) == 0o444
        records.append([played(DAY, "06:30"), delivery(DAY, channel="HGTV", version=2)])
        assert sorted(os.listdir(folder)) == ["csv@HGTV.jsonl", "nightly@HGTV+2.jsonl", "nightly@HGTV.jsonl",
                                              "seals.jsonl"]  # fmt: skip
        assert verify(records, DAY).state == "unchanged"  # the late lines are not sealed yet, nothing altered
        assert verify(records, DAY).said == ("not sealed yet: csv@HGTV.jsonl, nightly@HGTV+2.jsonl",)
        seal_over(records, DAY + dt.timedelta(days=1))
        check = verify(records, DAY)
        assert check.state == "unchanged" and check.said == () and check.chain != first
        assert len(records.read().records) == 3


def test_a_record_altered_after_its_day_is_shown(tmp_path):
    root = tmp_path / "records"
    with Records.open(root) as records:
        records.append([delivery(DAY, channel="HGTV")])
        seal(records, DAY)
        path = root / DAY.isoformat() / "nightly@HGTV.jsonl"
        os.chmod(path, 0o644)
        path.write_text(path.read_text(encoding="utf-8").replace("06:30", "06:35"), encoding="utf-8")
        check = verify(records, DAY)
        assert check.state == "altered" and check.said == ("nightly@HGTV.jsonl changed after it was sealed",)
        seals = root / DAY.isoformat() / "seals.jsonl"
        seals.write_text(seals.read_text(encoding="utf-8").replace('"chain": "', '"chain": "0'), encoding="utf-8")
        assert any("does not follow" in s for s in verify(records, DAY).said)


def test_evidence_is_sealed_and_what_the_retention_removed_is_not_an_alteration(tmp_path):
    root = tmp_path / "records"
    with Records.open(root) as records:
        records.append([played(DAY, "06:30")])
        frame = records.add_evidence(DAY, "frames", "HGTV-0630.png", b"png")
        clip = records.add_evidence(DAY, "clips", "HGTV-0630.ts", b"ts" * 100)
        assert frame == "evidence/frames/HGTV-0630.png"
        seal(records, DAY)
        os.unlink(root / DAY.isoformat() / clip)
        assert verify(records, DAY).state == "unchanged"
        (root / DAY.isoformat() / frame).write_bytes(b"another picture")
        assert verify(records, DAY).said == ("evidence/frames/HGTV-0630.png changed after it was sealed",)
        with pytest.raises(ValueError):
            records.add_evidence(DAY, "frames", "../x.png", b"")


def test_the_records_are_kept_apart_from_the_playout_tree(tmp_path):
    cfg = write_campaign(tmp_path, ONE_CLIP, base="")
    for records in (tmp_path / "out" / "records", tmp_path):
        done = run_ticker("nightly", cfg, "-o", tmp_path / "out", "--records", records, "--date", "2020-03-12",
                          cwd=tmp_path, check_status=2)  # fmt: skip
        assert "keep the records in a folder of their own" in done.stderr and "Traceback" not in done.stderr
        assert not (tmp_path / "out").exists()
