"""`ticker report`: the letter back to the department, from a real nightly run's manifests, read by the
clients that read it (python-docx for the .docx, html.parser and a real browser for the page), and an as-run
log reconciled against the schedule."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

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

[[message]]
text = "Đề nghị người dân tải ứng dụng NCOVI."

[motion]
crossing_seconds = 2

[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
HOUSE = """\
[campaign]
name = "house"
start = 2020-01-01
end = 2020-01-01

[[message]]
text = "Nhà đài."

[operator]
name = "Công ty TNHH Truyền hình cáp Hậu Giang"
short = "HGCTV"
place = "Hậu Giang"
signer_title = "GIÁM ĐỐC"
signer = "Nguyễn Văn An"
"""
DAYS = ("2020-03-12", "2020-03-13")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("report")
    folder = base / "campaigns"
    folder.mkdir()
    (folder / "ncovi.toml").write_text(CAMPAIGN, encoding="utf-8")
    house = base / "house.toml"
    house.write_text(HOUSE, encoding="utf-8")
    run_ticker("approve", folder / "ncovi.toml", "--by", "Trần Văn Bình", cwd=base)
    out = base / "out"
    for day in DAYS:
        run_ticker("nightly", folder, "-o", out, "--date", day, cwd=base)
    reports = base / "reports"
    reports.mkdir()
    args = ["report", folder, "-o", reports / "bc", "--out", out, "--house", house, "--date", "2020-03-16"]
    done = run_ticker(*args, cwd=base)
    schedule = json.loads(run_ticker("schedule", folder, "--json", cwd=base).stdout)
    manifests = [json.loads((out / d / "manifest.json").read_text(encoding="utf-8")) for d in DAYS]
    return dict(
        base=base,
        folder=folder,
        house=house,
        out=out,
        reports=reports,
        done=done,
        schedule=schedule,
        manifests=manifests,
        args=args,
    )


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_the_docx_is_the_letter_back(made):
    stem = made["reports"] / "bc"
    assert made["done"].stdout.split() == [str(stem) + ext for ext in (".docx", ".html", ".json")]
    doc = Document(str(stem) + ".docx")
    head = doc.tables[0].rows[0].cells
    assert head[0].paragraphs[0].text == "CÔNG TY TNHH TRUYỀN HÌNH CÁP HẬU GIANG"
    assert head[0].paragraphs[0].runs[0].bold
    assert head[0].paragraphs[1].text.startswith("Số:") and head[0].paragraphs[1].text.endswith("/BC-HGCTV")
    assert [p.text for p in head[1].paragraphs] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(p.runs[0].bold for p in head[1].paragraphs)
    texts = _texts(doc)
    date = next(p for p in doc.paragraphs if p.text == "Hậu Giang, ngày 16 tháng 3 năm 2020")
    assert date.runs[0].italic and date.alignment == 2  # right
    assert "BÁO CÁO" in texts and any(t.startswith("Kết quả thực hiện chạy chữ tuyên truyền") for t in texts)
    assert "Kính gửi: Sở Thông tin và Truyền thông Hậu Giang." in texts
    cites = next(t for t in texts if t.startswith("Thực hiện Công văn"))
    assert "số 337/STTT-CNTT ngày 10/3/2020 của Sở Thông tin và Truyền thông Hậu Giang" in cites
    assert "Công ty TNHH Truyền hình cáp Hậu Giang báo cáo kết quả thực hiện như sau:" in cites
    assert doc.styles["Normal"].font.name == "Times New Roman"

    airings = doc.tables[1]
    assert [c.text for c in airings.rows[0].cells] == ["Ngày", "Thứ", "Kênh", "Giờ phát", "Số lần"]
    rows = [[c.text for c in r.cells] for r in airings.rows[1:]]
    days = list(made["schedule"]["days"])
    assert len(rows) == len(days) == 4  # one per day of the window
    for row, day in zip(rows, days):
        times = [a["time"] for a in day["airings"]]
        assert row[3] == ", ".join(times) and row[4] == f"{len(times):02d} lần"
    assert rows[0][:2] == ["12/3/2020", "thứ Năm"]
    total = sum(len(d["airings"]) for d in days)
    assert f"Tổng cộng: {total:02d} lần phát" in texts

    files = doc.tables[2]
    assert [c.text for c in files.rows[0].cells][:2] == ["Tệp", "SHA-256"]
    listed = {r.cells[0].text: r.cells[1].text for r in files.rows[1:]}
    wanted = {e["path"]: e["sha256"] for m in made["manifests"] for e in m["files"]}
    assert listed == wanted and listed
    assert "Ngày 14/3/2020: chưa giao tệp (không có bản kê manifest.json của ngày)." in texts
    assert "Ngày 15/3/2020: chưa giao tệp (không có bản kê manifest.json của ngày)." in texts
    end = doc.tables[3].rows[0].cells
    assert [p.text for p in end[0].paragraphs] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert end[1].paragraphs[0].text == "GIÁM ĐỐC" and end[1].paragraphs[-1].text == "Nguyễn Văn An"


def test_the_json_says_the_same_facts(made):
    facts = json.loads((made["reports"] / "bc.json").read_text(encoding="utf-8"))
    assert facts["campaign"] == "ncovi" and facts["source"]["number"] == "337/STTT-CNTT"
    assert facts["total"] == sum(len(d["airings"]) for d in made["schedule"]["days"]) == 12
    assert [d["delivery"]["status"] for d in facts["days"]] == [
        "complete",
        "complete",
        "not delivered",
        "not delivered",
    ]
    assert facts["not_delivered"] == ["2020-03-14", "2020-03-15"] and facts["incomplete"] == []
    assert facts["as_run"] is None and facts["operator"]["short"] == "HGCTV"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.csp, self.text, self.total = [], None, [], None
        self._in_total = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.links += [a[k] for k in ("src", "href") if a.get(k)]
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a["content"]
        self._in_total = a.get("id") == "total"

    def handle_data(self, data):
        self.text.append(data)
        if self._in_total:
            self.total, self._in_total = data, False


def test_the_page_is_the_same_and_loads_nothing(made):
    page = _Page()
    page.feed((made["reports"] / "bc.html").read_text(encoding="utf-8"))
    assert page.total == "Tổng cộng: 12 lần phát"
    assert not [u for u in page.links if u.startswith(("http:", "https:", "//"))]
    assert page.csp and "default-src 'none'" in page.csp
    text = "".join(page.text)
    assert "Kính gửi: Sở Thông tin và Truyền thông Hậu Giang." in text and "/BC-HGCTV" in text
    for m in made["manifests"]:
        assert all(e["sha256"] in text for e in m["files"])


@pytest.mark.xdist_group("chromium")
def test_the_page_opens_in_a_real_browser_with_no_request(made, chromium):
    requests = []
    context = chromium.new_context()
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto((made["reports"] / "bc.html").as_uri())
    assert page.inner_text("#total") == "Tổng cộng: 12 lần phát"
    assert page.locator("table.airings tbody tr").count() == 4
    context.close()
    assert [u for u in requests if not u.startswith("file:")] == []


AS_RUN = """\
start,channel,file
2020-03-12T06:31:10,HGTV,ncovi_576i50_qtrle_loop.mov
2020-03-12T12:00:00+07:00,HGTV,NCOVI_576I50_QTRLE_LOOP
2020-03-12T19:44:00,HGTV,D:\\media\\ncovi_576i50_qtrle_loop.mov
2020-03-13T06:30:00,HGTV,ncovi_576i50_qtrle_loop.mov
2020-03-13T12:04:59,HGTV,ncovi_576i50_qtrle_loop.mov
2020-03-13T19:39:00,HGTV,ncovi_576i50_qtrle_loop.mov
2020-03-13T19:45:00,HGTV,quang-cao-khac.mov
"""


def test_an_as_run_log_is_reconciled(made):
    log = made["base"] / "as-run.csv"
    log.write_text(AS_RUN, encoding="utf-8")
    stem = made["reports"] / "asrun"
    args = ["report", made["folder"], "-o", stem, "--out", made["out"], "--house", made["house"]]
    run_ticker(*args, "--from", "2020-03-12", "--to", "2020-03-13", "--as-run", log, cwd=made["base"])
    facts = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    first, second = (d["as_run"] for d in facts["days"])
    assert first == {"scheduled": 3, "aired": 3, "missed": [], "extra": []}
    # 19:39 is more than 5 minutes early, and what aired at 19:45 is another file
    assert second["aired"] == 2 and second["missed"] == ["19:45"]
    assert second["extra"] == [{"time": "19:39", "channel": "HGTV", "file": "ncovi_576i50_qtrle_loop.mov"}]
    assert facts["as_run"] == {"scheduled": 6, "aired": 5, "missed": 1, "extra": 1}
    texts = _texts(Document(str(stem) + ".docx"))
    assert "Ngày 13/3/2020: đã phát 2/3 lần; không phát lúc 19:45; phát thêm lúc 19:39 (HGTV)." in texts


def test_a_bad_as_run_line_is_named_and_nothing_is_written(made):
    log = made["base"] / "bad.csv"
    log.write_text(
        "start,channel,file\n2020-03-12T06:30:00,HGTV,ncovi.mov\nyesterday,HGTV,ncovi.mov\n", encoding="utf-8"
    )
    stem = made["reports"] / "bad"
    done = run_ticker(
        "report",
        made["folder"],
        "-o",
        stem,
        "--house",
        made["house"],
        "--as-run",
        log,
        cwd=made["base"],
        check_status=2,
    )
    assert f"{log} line 3: start 'yesterday' is not a time" in done.stderr
    assert not list(made["reports"].glob("bad*"))


def test_a_missing_folder_for_o_and_no_operator_are_refused(made):
    done = run_ticker(
        "report",
        made["folder"],
        "-o",
        made["base"] / "nowhere" / "bc",
        "--house",
        made["house"],
        cwd=made["base"],
        check_status=2,
    )
    assert "does not exist" in done.stderr and not (made["base"] / "nowhere").exists()
    done = run_ticker("report", made["folder"], "-o", made["reports"] / "x", cwd=made["base"], check_status=2)
    assert "--operator NAME" in done.stderr and not list(made["reports"].glob("x*"))
    run_ticker(
        "report",
        made["folder"],
        "-o",
        made["reports"] / "opt",
        "--operator",
        "Đài PT-TH Hậu Giang",
        "--operator-short",
        "PTTH",
        "--campaign",
        "ncovi",
        cwd=made["base"],
    )
    facts = json.loads((made["reports"] / "opt.json").read_text(encoding="utf-8"))
    assert facts["operator"]["name"] == "Đài PT-TH Hậu Giang" and facts["delivered"] is False
    assert (
        "--campaign nope"
        in run_ticker(
            "report",
            made["folder"],
            "-o",
            made["reports"] / "y",
            "--operator",
            "A",
            "--campaign",
            "nope",
            cwd=made["base"],
            check_status=2,
        ).stderr
    )


def test_a_still_of_the_crawl_goes_into_the_letter_and_the_page(made):
    from PIL import Image

    still = made["base"] / "contact.png"
    Image.new("RGB", (2400, 300), (11, 46, 107)).save(still)
    stem = made["reports"] / "still"
    run_ticker(*made["args"][:3], stem, *made["args"][4:], "--still", still, cwd=made["base"])
    doc = Document(str(stem) + ".docx")
    assert "Hình ảnh dòng chữ chạy trên sóng:" in _texts(doc)
    (shape,) = doc.inline_shapes
    assert round(shape.width.cm) == 16
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    picture = Image.open(io.BytesIO(doc.part.related_parts[blip].blob))
    assert picture.size == (1920, 240)  # ticker's own PNG, at most 1920 wide
    page = stem.with_suffix(".html").read_text(encoding="utf-8")
    assert 'id="still"' in page and 'src="data:image/png;base64,' in page
    not_a_picture = made["base"] / "x.png"
    not_a_picture.write_text("không phải ảnh", encoding="utf-8")
    bad = made["reports"] / "bad"
    args = [*made["args"][:3], bad, *made["args"][4:], "--still", not_a_picture]
    done = run_ticker(*args, cwd=made["base"], check_status=2)
    assert "x.png" in done.stderr and not list(made["reports"].glob("bad*"))
