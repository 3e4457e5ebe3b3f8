"""`ticker report` from real nightly runs' records, read by the clients that read it (python-docx for the
.docx, a real browser for the page, the JSON): a window with one day delivered of four, the words changed and
the approval voided on the third day, the clips cleaned up by a later night, as-run from a CasparCG log and a
CSV, a record altered after its day, a campaign without [source]. The report's numbers are the facts'."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from docx import Document

from support.running import run_ticker

CAMPAIGN = """\
[campaign]
name = "ncovi"
start = 2020-03-12
end = 2020-03-15

[source]
issuer = "Sở Thông tin và Truyền thông Hậu Giang"
number = "337/STTT-CNTT"
date = 2020-03-10
place = "Hậu Giang"
subject = "tuyên truyền cài đặt ứng dụng NCOVI"

[[slot]]
at = ["06:30", "12:00", "19:45"]
seconds = 20
channels = ["HGTV"]

[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."

[motion]
crossing_seconds = 2

[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
NEW_WORDS = "Người dân khai báo y tế qua ứng dụng NCOVI."
STATION = """\
[station]
name = "Công ty TNHH Truyền hình cáp Hậu Giang"
short = "HGCTV"
place = "Hậu Giang"
signer_title = "GIÁM ĐỐC"
signer = "Nguyễn Văn An"

[[channel]]
name = "HGTV"
picture = "576i50"
"""
CASPARCG = """\
[2020-03-12 06:29:58.101] [info] Received message from 127.0.0.1: LOADBG 1-10 "NCOVI_576I50_QTRLE_LOOP" LOOP\\r\\n
[2020-03-12 06:30:00.412] [info] Received message from 127.0.0.1: PLAY 1-10\\r\\n
[2020-03-12 06:30:21.002] [info] Received message from 127.0.0.1: STOP 1-10\\r\\n
[2020-03-12 12:00:01.000] [info] Received message from 127.0.0.1: PLAY 1-10 "NCOVI_576I50_QTRLE_LOOP" LOOP\\r\\n
[2020-03-12 12:00:22.000] [info] Received message from 127.0.0.1: CLEAR 1-10\\r\\n
[2020-03-12 15:10:00.000] [info] Received message from 127.0.0.1: PLAY 1-10 "NCOVI_576I50_QTRLE_LOOP"\\r\\n
[2020-03-12 15:10:20.000] [info] Received message from 127.0.0.1: STOP 1-10\\r\\n
[2020-03-12 23:59:00.000] [info] Heartbeat.
"""
# 12/3 19:45 missed (the log covers the day); 15:10 an extra; 06:30 also in the CSV: counted once
CSV = """\
start,channel,file
2020-03-12T06:30:05,HGTV,ncovi_576i50_qtrle_loop.mov
2020-03-13T06:30:00,HGTV,ncovi_576i50_qtrle_loop.mov
2020-03-13T12:01:00,HGTV,ncovi_576i50_qtrle_loop.mov
2020-03-13T12:01:00,HGTV,ncovi_576i50_qtrle_loop.mov
2020-03-13T19:45:00,HGTV,quang-cao-khac.mov
"""


def report(made: dict, name: str, *args, status: int = 0):
    stem = made["reports"] / name
    done = run_ticker("report", made["folder"], "-o", stem, "--date", "2020-03-16", *args, cwd=made["base"],
                      check_status=status)  # fmt: skip
    if status:
        return done
    facts, doc = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8")), Document(str(stem) + ".docx")
    letter_says_the_facts(facts, doc)
    return facts, doc


def letter_says_the_facts(facts: dict, doc) -> None:
    """The letter's table and total are the facts': a row per day and channel with its count, and their sum."""
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:5] == ["Ngày", "Thứ", "Kênh",
                                                                                  "Giờ phát", "Số lần"])  # fmt: skip
    said = [(r.cells[0].text, r.cells[2].text, r.cells[4].text) for r in table.rows[1:]]
    wanted = [(d["date_vn"], r["channel_vn"], f"{r['count']:02d} lần") for d in facts["days"] for r in d["rows"]]
    assert said == wanted
    body = [p.text for p in doc.paragraphs]
    assert f"Tổng cộng: {facts['totals']['count']:02d} lần phát" in "\n".join(body)


def counts(facts: dict) -> list[tuple[str, str, int]]:
    return [(d["date"], r["state"], r["count"]) for d in facts["days"] for r in d["rows"]]


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("report")
    folder = base / "campaigns"
    folder.mkdir()
    campaign = folder / "ncovi.toml"
    campaign.write_text(CAMPAIGN, encoding="utf-8")
    (folder / "station.toml").write_text(STATION, encoding="utf-8")
    reports = base / "reports"
    reports.mkdir()
    made = dict(base=base, folder=folder, reports=reports, out=base / "out", records=folder / "records")

    def night(day: str, *more: str) -> None:
        run_ticker("nightly", folder, "-o", made["out"], "--date", day, *more, cwd=base)

    run_ticker("approve", campaign, "--by", "Trần Văn Bình", cwd=base)
    night("2020-03-12")
    made["one_of_four"] = report(made, "one")
    night("2020-03-13")
    made["mid_window"] = report(made, "mid", "--date", "2020-03-13")
    campaign.write_text(CAMPAIGN.replace("Đề nghị người dân tải ứng dụng NCOVI.", NEW_WORDS).replace(
        '"19:45"', '"20:00"'), encoding="utf-8")  # fmt: skip
    night("2020-03-14")  # the edit voided the approval: left out
    run_ticker("approve", campaign, "--by", "Trần Văn Bình", cwd=base)
    night("2020-03-14")  # approved again the same day: the night runs again
    night("2020-03-15")
    made["whole"] = report(made, "bc")
    night("2020-04-30", "--keep-days", "1")  # a later night cleans up the window's clips
    made["after_cleanup"] = report(made, "later")
    return made


def test_nightly_records_each_day_with_its_words_files_and_approval(made):
    folder = made["records"] / "2020-03-12"
    (line,) = [json.loads(t) for t in (folder / "nightly@HGTV.jsonl").read_text(encoding="utf-8").splitlines()]
    assert line["source"] == "nightly" and line["kind"] == "delivery" and line["version"] == 1
    assert line["words"] == ["Đề nghị người dân tải ứng dụng NCOVI."] and line["approval"]["by"] == "Trần Văn Bình"
    assert [a["start"] for a in line["airings"]] == ["2020-03-12T06:30:00+07:00", "2020-03-12T12:00:00+07:00",
                                                     "2020-03-12T19:45:00+07:00"]  # fmt: skip
    manifest = json.loads((made["out"] / "2020-04-30" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["date"] == "2020-04-30" and not (made["out"] / "2020-03-12").exists()  # cleaned up since
    (f,) = line["files"]
    assert f["path"] == "ncovi_576i50_qtrle_loop.mov" and len(f["sha256"]) == 64
    day14 = sorted(os.listdir(made["records"] / "2020-03-14"))
    assert "nightly.jsonl" in day14 and "nightly@HGTV.jsonl" in day14  # left out, then delivered


def test_one_day_delivered_of_four(made):
    facts, doc = made["one_of_four"]
    assert counts(facts) == [("2020-03-12", "done", 3), ("2020-03-13", "not delivered", 0),
                             ("2020-03-14", "not delivered", 0), ("2020-03-15", "not delivered", 0)]  # fmt: skip
    assert facts["totals"]["count"] == 3 and facts["bases"] == {"delivered": ["2020-03-12"]}
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "Tổng cộng: 03 lần phát" in texts and "theo tệp đã giao" in texts
    table = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "chưa giao tệp" in table


def test_a_report_asked_mid_window_is_interim(made):
    facts, doc = made["mid_window"]
    assert facts["interim"] and [s for _, s, _ in counts(facts)] == ["done", "done", "not yet", "not yet"]
    assert facts["totals"]["count"] == 6
    assert any("SƠ BỘ" in p.text for p in doc.paragraphs)


def test_the_approval_voided_on_the_third_day_and_the_new_words(made):
    facts, doc = made["whole"]
    assert [(v["words"], v["days"]) for v in facts["versions"]] == [
        (["Đề nghị người dân tải ứng dụng NCOVI."], ["2020-03-12", "2020-03-13"]),
        ([NEW_WORDS], ["2020-03-14", "2020-03-15"]),
    ]
    times = {d["date"]: [a["time"] for a in d["rows"][0]["airings"]] for d in facts["days"]}
    assert times["2020-03-12"] == ["06:30", "12:00", "19:45"] and times["2020-03-15"] == ["06:30", "12:00", "20:00"]
    assert facts["totals"]["count"] == 12
    body = "\n".join(p.text for p in doc.paragraphs)
    assert NEW_WORDS in body and "Đề nghị người dân tải ứng dụng NCOVI." in body
    assert "Tổng cộng: 12 lần phát" in body


def test_a_later_nights_clean_up_leaves_the_report_unchanged(made):
    before, _ = made["whole"]
    after, _ = made["after_cleanup"]
    assert {k: v for k, v in after.items() if k != "seals"} == {k: v for k, v in before.items() if k != "seals"}
    assert [s["state"] for s in after["seals"]] == ["unchanged"] * 4


def test_as_run_from_a_casparcg_log_and_a_csv(made):
    log, csv = made["base"] / "casparcg.log", made["base"] / "as-run.csv"
    log.write_text(CASPARCG.replace("\\r\\n", "\r"), encoding="utf-8")
    csv.write_text(CSV, encoding="utf-8")
    records = made["base"] / "records-asrun"
    shutil.copytree(made["records"], records)
    args = ["--records", records, "--as-run", f"casparcg:{log}", "--channel", "HGTV", "--as-run", csv]
    facts, doc = report(made, "asrun", "--from", "2020-03-12", "--to", "2020-03-13", *args)
    day12, day13 = (d["rows"][0] for d in facts["days"])
    assert [a["state"] for a in day12["airings"]] == ["aired", "aired", "missed"] and day12["count"] == 2
    assert day12["airings"][0]["sources"] == ["csv", "playout-log"]
    assert [(e["time"], e["source"]) for e in facts["days"][0]["extra"]] == [("15:10", "playout-log")]
    assert [a["state"] for a in day13["airings"]] == ["aired", "aired", "missed"] and facts["days"][1]["extra"] == []
    t = facts["totals"]
    assert (t["aired"], t["missed"], t["extra"], t["count"]) == (4, 2, 1, 4)
    assert facts["bases"] == {"played": ["2020-03-12", "2020-03-13"]}
    again, _ = report(made, "asrun2", "--from", "2020-03-12", "--to", "2020-03-13", *args)
    assert again["totals"] == facts["totals"]  # the same logs imported twice add nothing
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "theo nhật ký phát" in body


def test_a_bad_as_run_line_is_named_and_nothing_is_written_or_recorded(made):
    bad = made["base"] / "bad.csv"
    bad.write_text("start,channel,file\n2020-03-12T06:30:00,HGTV,ncovi.mov\nyesterday,HGTV,ncovi.mov\n",
                   encoding="utf-8")  # fmt: skip
    records = made["base"] / "records-bad"
    shutil.copytree(made["records"], records)
    before = sorted(p.name for p in records.rglob("*"))
    done = report(made, "bad", "--records", records, "--as-run", bad, status=2)
    assert f"{bad} line 3" in done.stderr and "Traceback" not in done.stderr
    assert not list(made["reports"].glob("bad*")) and sorted(p.name for p in records.rglob("*")) == before


def test_a_record_altered_after_its_day_is_said_by_the_report_and_by_verify(made):
    records = made["base"] / "records-altered"
    shutil.copytree(made["records"], records)
    path = records / "2020-03-13" / "nightly@HGTV.jsonl"
    os.chmod(path, 0o644)
    path.write_text(path.read_text(encoding="utf-8").replace("12:00:00", "12:05:00"), encoding="utf-8")
    facts, _ = report(made, "altered", "--records", records)
    seals = {s["date"]: s for s in facts["seals"]}
    assert seals["2020-03-12"]["state"] == "unchanged" and seals["2020-03-13"]["state"] == "altered"
    assert seals["2020-03-13"]["said"] == ["nightly@HGTV.jsonl changed after it was sealed"]
    done = run_ticker("records", records, "verify", cwd=made["base"], check_status=1)
    assert "2020-03-13" in done.stdout and "nightly@HGTV.jsonl" in done.stdout


def test_a_window_that_began_before_the_records_folder(made):
    records = made["base"] / "records-late"
    run_ticker("nightly", made["folder"], "-o", made["base"] / "out-late", "--date", "2020-03-15", "--records",
               records, cwd=made["base"])  # fmt: skip
    facts, _ = report(made, "late", "--records", records)
    assert [s for _, s, _ in counts(facts)] == ["no records", "no records", "no records", "done"]
    assert facts["totals"]["count"] == 3


def test_a_campaign_without_source_and_no_station_file(made, tmp_path):
    folder = tmp_path / "campaigns"
    folder.mkdir()
    text = CAMPAIGN[: CAMPAIGN.index("[source]")] + CAMPAIGN[CAMPAIGN.index("[[slot]]") :]
    (folder / "c.toml").write_text(text, encoding="utf-8")
    run_ticker("approve", folder / "c.toml", "--by", "A", cwd=tmp_path)
    done = run_ticker("report", folder, "-o", tmp_path / "r", cwd=tmp_path, check_status=2)
    assert "station.toml" in done.stderr and "Traceback" not in done.stderr and not list(tmp_path.glob("r.*"))
    (folder / "station.toml").write_text(STATION, encoding="utf-8")
    run_ticker("report", folder, "-o", tmp_path / "r", "--date", "2020-03-16", cwd=tmp_path)
    texts = [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]
    assert any(t.startswith("Kính gửi:") and "……" in t for t in texts)
    assert any(t.startswith("Thực hiện Công văn số ……") for t in texts)
    facts = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {s for _, s, _ in counts(facts)} == {"no records"} and facts["totals"]["count"] == 0


@pytest.mark.xdist_group("chromium")
def test_the_page_opens_in_a_real_browser_with_no_request(made, chromium):
    requests: list[str] = []
    context = chromium.new_context()
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(Path(made["reports"] / "bc.html").as_uri())
    assert "Tổng cộng: 12 lần phát" in page.inner_text("body")
    context.close()
    assert [u for u in requests if not u.startswith("file:")] == []


def test_a_still_of_the_crawl_goes_into_the_first_annex_as_a_png_of_tickers_own(made):
    from PIL import Image

    still = made["base"] / "still.png"
    Image.new("RGB", (2400, 300), (11, 46, 107)).save(still)
    _, doc = report(made, "still", "--still", still)
    (shape,) = doc.inline_shapes
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert Image.open(io.BytesIO(doc.part.related_parts[blip].blob)).size == (1920, 240)
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("Phụ lục I") > next(i for i, t in enumerate(texts) if t.startswith("Tổng cộng"))
    not_a_picture = made["base"] / "x.png"
    not_a_picture.write_text("không phải ảnh", encoding="utf-8")
    done = report(made, "bad-still", "--still", not_a_picture, status=2)
    assert "x.png" in done.stderr and not list(made["reports"].glob("bad-still*"))
