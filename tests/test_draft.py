"""`ticker draft` as a clerk uses it: a letter in (a .txt in whatever encoding it came in, a .docx, a .pdf, or
pasted), a draft campaign out that cites the letter's lines, that `check` passes or refuses naming the gap,
and that renders."""

from __future__ import annotations

import json
import signal
import tomllib
from pathlib import Path

import av
import pytest

from ticker.cli import commands as cli
from ticker.vietnamese.legacy import from_unicode

from support.campaigns import ROOT
from support.letter_texts import BINH_DUONG, QUANG_NAM
from support.running import run_ticker

SEEDS = ROOT / "letters"  # the two real letters the example campaigns answer
HAU_GIANG = SEEDS / "hau-giang-337-STTT-2020-ncovi.txt"
PC_COVID = SEEDS / "thh-2021-pc-covid.txt"
PLAY_STORE = "https://play.google.com/store/apps/details?id=com.vnptit.innovation.ncovi&hl=en"


def draft_json(letter, cwd: Path, *args) -> dict:
    return json.loads(run_ticker("draft", letter, "--json", *args, cwd=cwd).stdout)


@pytest.fixture
def here(tmp_path, monkeypatch):
    """ticker.cli.commands.main run in this process from tmp_path (SIGTERM's handler given back after)."""
    monkeypatch.chdir(tmp_path)
    previous = signal.getsignal(signal.SIGTERM)
    yield tmp_path
    signal.signal(signal.SIGTERM, previous)


def test_hau_giang_letter_to_a_draft_that_checks_and_renders(tmp_path):
    campaign = tmp_path / "haugiang.toml"
    found = draft_json(HAU_GIANG, tmp_path, "-o", campaign)
    assert found["source"]["number"] == "337/STTT-CNTT" and found["source"]["date"] == "2020-03-11"
    assert [r["medium"] for r in found["requests"]] == ["other", "sms", "crawl"]
    assert found["draft"] == {"file": str(campaign), "status": "ready"}

    text = campaign.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["campaign"]["name"] == "haugiang"
    assert (data["campaign"]["start"].isoformat(), data["campaign"]["end"].isoformat()) == ("2020-03-12", "2020-03-15")
    assert "status" not in data["campaign"]
    (message,) = data["message"]
    assert message["text"].startswith("Đề nghị người dân tải ứng dụng") and PLAY_STORE in message["text"]
    assert data["qr"] == {"url": PLAY_STORE, "hide_url": True, "replace_with": "(quét mã QR bên cạnh)"}
    assert data["source"]["issuer"] == "Sở Thông tin và Truyền thông tỉnh Hậu Giang"
    assert data["source"]["number"] == "337/STTT-CNTT"
    # every value taken from the letter cites its line
    assert "start = 2020-03-12 # the letter, line 61" in text
    assert 'number = "337/STTT-CNTT" # line 7' in text
    assert "# the words of the letter, lines 57–59" in text
    assert "line 47" in text.split("[qr]")[1].split("\n")[1]

    checked = run_ticker("check", campaign, cwd=tmp_path)
    assert "(quét mã QR bên cạnh)" in checked.stdout and PLAY_STORE in checked.stdout  # the QR carries it
    out = tmp_path / "out"
    timed = ("--profile", "576i50", "--format", "h264", "--seconds", "4", "--speed", "3000")
    done = run_ticker("render", campaign, *timed, "-o", out, "--json", cwd=tmp_path)
    (clip,) = json.loads(done.stdout)["outputs"]
    with av.open(clip["path"]) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == 100 and clip["qr_url"] == PLAY_STORE


def test_a_letter_without_crawl_words_is_a_draft_that_check_refuses_naming_the_gap(tmp_path):
    campaign = tmp_path / "pc.toml"
    found = draft_json(PC_COVID, tmp_path, "-o", campaign, "--received", "2021-11-20")
    assert [r["medium"] for r in found["requests"]] == ["other", "clip"]
    assert {"crawl request", "crawl words"} <= set(found["missing"])
    assert found["draft"]["status"] == "draft"
    data = tomllib.loads(campaign.read_text(encoding="utf-8"))
    assert data["campaign"]["status"] == "draft"
    assert data["campaign"]["start"].isoformat() == "2021-11-21"  # the day after it was received
    done = run_ticker("check", campaign, cwd=tmp_path, check_status=2)
    (line,) = done.stderr.strip().splitlines()
    assert "pc.toml" in line and "draft" in line and "asks for no crawl" in line
    rendered = run_ticker("render", campaign, "-o", tmp_path / "out", cwd=tmp_path, check_status=2)
    assert "draft" in rendered.stderr and not (tmp_path / "out").exists()


def test_topics_become_comments_and_the_draft_waits_for_its_words(tmp_path):
    letter = tmp_path / "binh-duong.txt"
    letter.write_text(BINH_DUONG, encoding="utf-8")
    campaign = tmp_path / "sach.toml"
    run_ticker("draft", letter, "-o", campaign, "--received", "2021-03-25", cwd=tmp_path)
    text = campaign.read_text(encoding="utf-8")
    assert "#   - Khuyến khích người dân đọc sách, xây dựng văn hóa đọc trong gia đình" in text
    data = tomllib.loads(text)
    assert data["campaign"]["status"] == "draft"
    assert (data["campaign"]["start"].isoformat(), data["campaign"]["end"].isoformat()) == ("2021-03-26", "2021-04-30")
    line = run_ticker("check", campaign, cwd=tmp_path, check_status=2).stderr
    assert "no words to crawl" in line
    # the operator writes the words and deletes the status line: now it checks
    words = 'text = "Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam: mỗi gia đình một tủ sách."'
    lines = [ln for ln in text.splitlines() if not ln.startswith("status = ")]
    fixed = "\n".join(words if ln.startswith("text = ") else ln for ln in lines) + "\n"
    campaign.write_text(fixed, encoding="utf-8")
    run_ticker("check", campaign, cwd=tmp_path)


def test_hours_in_the_letter_become_the_slot(tmp_path):
    letter = tmp_path / "quang-nam.txt"
    letter.write_text(QUANG_NAM, encoding="utf-8")
    found = draft_json(letter, tmp_path, "-o", tmp_path / "attp.toml")
    assert found["requests"][0]["window"]["until"] == "2017-08-16 00:00"
    data = tomllib.loads((tmp_path / "attp.toml").read_text(encoding="utf-8"))
    assert data["slot"] == [{"at": ["19:45"], "seconds": 11700}]  # 19h45 to 23h00, every day
    assert data["campaign"]["end"].isoformat() == "2017-08-15"
    run_ticker("check", tmp_path / "attp.toml", cwd=tmp_path)


def test_a_tcvn3_letter_pasted_or_saved_reads_the_same(tmp_path):
    text = HAU_GIANG.read_text(encoding="utf-8")
    saved = tmp_path / "cv-tcvn3.txt"
    saved.write_bytes(from_unicode(text, "tcvn3", as_bytes=True))
    pasted = from_unicode(text, "tcvn3")
    want = draft_json(HAU_GIANG, tmp_path)
    from_stdin = json.loads(run_ticker("draft", "-", "--json", cwd=tmp_path, input=pasted).stdout)
    for found in (draft_json(saved, tmp_path), from_stdin):
        assert found["letter"]["encoding"] == "tcvn3"
        assert found["source"] == want["source"]
        assert [(r["medium"], r["text"], r["window"]) for r in found["requests"]] == [
            (r["medium"], r["text"], r["window"]) for r in want["requests"]
        ]


def _docx(path: Path, text: str) -> None:
    """The Hậu Giang letter as a department's Word file: the header in a two-column table, then paragraphs."""
    import docx

    lines = text.split("\n")
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "UBND TỈNH HẬU GIANG\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.cell(1, 0).text = "Số: 337/STTT-CNTT\nV/v tuyên truyền ứng dụng khai báo sức khỏe toàn dân"
    table.cell(1, 1).text = "Hậu Giang, ngày 11 tháng 3 năm 2020"
    for line in lines[lines.index("Kính gửi:") :]:
        if line.strip():
            document.add_paragraph(line)
    document.save(str(path))


def _pdf(path: Path, text: str) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("Noto", fname=str(ROOT / "ticker" / "fonts" / "NotoSans-Regular.ttf"))
    pdf.set_font("Noto", size=10)
    for line in text.split("\n"):
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_word_and_pdf_letters(tmp_path, kind):
    letter = tmp_path / f"cv-337.{kind}"
    text = HAU_GIANG.read_text(encoding="utf-8")
    (_docx if kind == "docx" else _pdf)(letter, text)
    found = draft_json(letter, tmp_path, "-o", tmp_path / "hg.toml")
    assert found["letter"]["kind"] == kind
    assert found["source"]["number"] == "337/STTT-CNTT" and found["source"]["date"] == "2020-03-11"
    assert found["source"]["issuer"] == "Sở Thông tin và Truyền thông tỉnh Hậu Giang"
    crawl = [r for r in found["requests"] if r["medium"] == "crawl"]
    assert len(crawl) == 1 and PLAY_STORE in crawl[0]["text"]
    assert crawl[0]["window"]["start"] == "2020-03-12" and crawl[0]["window"]["end"] == "2020-03-15"
    assert [r["medium"] for r in found["requests"]].count("sms") == 1
    run_ticker("check", tmp_path / "hg.toml", cwd=tmp_path)


DECOY = """\
import pathlib, sys
pathlib.Path("decoy-ran").write_text("")
sys.stdout.write('{"refused": "read by a decoy"}')
"""


def test_a_ticker_package_in_the_working_folder_never_reads_the_letter(here, capsys):
    """A Word letter is read in a child process: the installed ticker's, not a ticker/ where the clerk works."""
    (here / "ticker").mkdir()
    (here / "ticker" / "__init__.py").write_text("")
    (here / "ticker" / "letter_child.py").write_text(DECOY)
    _docx(here / "cv-337.docx", HAU_GIANG.read_text(encoding="utf-8"))
    status = cli.main(["draft", "cv-337.docx", "--json", "-o", "hg.toml"])
    assert status == 0, capsys.readouterr().err
    found = json.loads(capsys.readouterr().out)
    assert found["letter"]["kind"] == "docx" and found["source"]["number"] == "337/STTT-CNTT"
    assert (here / "hg.toml").exists() and not (here / "decoy-ran").exists()


def test_a_house_campaign_gives_its_look_slots_and_outputs(tmp_path):
    house_dir = tmp_path / "house"
    house_dir.mkdir()
    logo = house_dir / "logo.png"
    from PIL import Image

    Image.new("RGBA", (64, 64), (200, 0, 0, 255)).save(logo)
    house = house_dir / "house.toml"
    house.write_text(
        """\
# Our channel's crawl look
[campaign]
name = "house"
start = 2020-01-01
end = 2020-01-01
timezone = "Asia/Ho_Chi_Minh"
[[message]]
text = "Mẫu."
[style]
band_color = "#004D40"   # our green
logo = "logo.png"
[[slot]]
at = ["07:00", "20:00"]
seconds = 60
[[output]]
profile = "1080i50"
format = "fillkey"
loop = true
""",
        encoding="utf-8",
    )
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    run_ticker("draft", HAU_GIANG, "-o", drafts / "hg.toml", "--house", house, cwd=tmp_path)
    text = (drafts / "hg.toml").read_text(encoding="utf-8")
    assert 'band_color = "#004D40"   # our green' in text
    data = tomllib.loads(text)
    assert (drafts / data["style"]["logo"]).resolve() == logo.resolve()
    assert data["slot"] == [{"at": ["07:00", "20:00"], "seconds": 60}]
    assert data["output"] == [{"profile": "1080i50", "format": "fillkey", "loop": True}]
    run_ticker("check", drafts / "hg.toml", cwd=tmp_path)


def test_draft_prints_without_o_and_never_replaces_a_campaign(tmp_path):
    printed = run_ticker("draft", HAU_GIANG, cwd=tmp_path).stdout
    assert tomllib.loads(printed)["campaign"]["name"] == "cv-337-sttt-cntt"
    campaign = tmp_path / "hg.toml"
    campaign.write_text("# the operator's edits\n", encoding="utf-8")
    done = run_ticker("draft", HAU_GIANG, "-o", campaign, cwd=tmp_path, check_status=2)
    assert done.stderr.count("\n") == 1 and "exists" in done.stderr and "--force" in done.stderr
    assert campaign.read_text(encoding="utf-8") == "# the operator's edits\n"
    run_ticker("draft", HAU_GIANG, "-o", campaign, "--force", cwd=tmp_path)
    assert "[campaign]" in campaign.read_text(encoding="utf-8")
    assert (tmp_path / ".ticker-letters" / "hg.txt").read_bytes() == HAU_GIANG.read_bytes()  # kept beside it
    campaign.unlink()  # the draft removed by hand: the letter kept for it is replaced only with --force
    done = run_ticker("draft", HAU_GIANG, "-o", campaign, cwd=tmp_path, check_status=2)
    assert "a letter is kept for a draft of this name already" in done.stderr and not campaign.exists()
    done = run_ticker("draft", HAU_GIANG, "-o", tmp_path / "nowhere" / "hg.toml", cwd=tmp_path, check_status=2)
    assert "nowhere does not exist" in done.stderr and not (tmp_path / "nowhere").exists()
    done = run_ticker("draft", HAU_GIANG, "-o", tmp_path, "--force", cwd=tmp_path, check_status=2)
    assert "is a folder" in done.stderr


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("cv.txt", bytes(range(128, 256)) * 8, "cv.txt"),
        ("cv.docx", "Kính gửi: các đơn vị".encode(), "cv.docx"),
        ("cv.pdf", b"%PDF-1.4\n%broken", "cv.pdf"),
    ],
)
def test_a_letter_ticker_cannot_read_is_one_sentence_and_nothing_written(tmp_path, name, data, words):
    letter = tmp_path / name
    letter.write_bytes(data)
    done = run_ticker("draft", letter, "-o", tmp_path / "out.toml", cwd=tmp_path, check_status=2)
    assert done.stderr.count("\n") == 1 and words in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.toml").exists()


WRAPPED = """\
UBND TỈNH HẬU GIANG
Số: 337/STTT-CNTT
V/v chạy chữ tuyên truyền
Kính gửi: Đài Phát thanh và Truyền hình
"""


@pytest.mark.parametrize(
    "asks, key, quoted",
    [
        ("Đề nghị chạy chữ trên sóng từ ngày 12/3/2020\nđến ngày 15/3/2020.\n", "end", "“từ ngày 12/3/2020 đến ngày"),
        (
            "Đề nghị chạy chữ trên sóng từ ngày 12/3/2020 đến ngày 15/3/2020, mỗi ngày\n"
            "3 lần vào các giờ 6h30, 11h30, 19h45.\n",
            "at",
            "“mỗi ngày 3 lần”",
        ),
    ],
    ids=["window", "slot-line"],
)
def test_a_letter_wrapped_where_it_gives_its_window_or_times_drafts(here, capsys, asks, key, quoted):
    (here / "wrapped.txt").write_text(WRAPPED + asks, encoding="utf-8")
    status = cli.main(["draft", "wrapped.txt", "-o", "wrapped.toml"])
    err = capsys.readouterr().err
    assert status == 0 and "Traceback" not in err, err
    text = (here / "wrapped.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert (str(data["campaign"]["start"]), str(data["campaign"]["end"])) == ("2020-03-12", "2020-03-15")
    (line,) = [line for line in text.splitlines() if line.startswith(f"{key} = ")]
    assert quoted in line


def test_a_preset_chosen_for_a_draft_changes_its_whole_look(tmp_path):
    """The draft's band is the `news` preset, not keys of its own that would override another preset: the
    emergency preset chosen gives the red band at the top and black on yellow in its label."""
    from ticker.campaign.editing import apply_fields, check_text

    run_ticker("draft", HAU_GIANG, "-o", tmp_path / "draft.toml", cwd=tmp_path)
    text = (tmp_path / "draft.toml").read_text(encoding="utf-8")
    news = check_text(tmp_path / "draft.toml", text).style
    assert (news.band_color, news.position, news.label, news.rule) == ((11, 46, 107), "bottom", "THÔNG BÁO", "above")
    urgent = check_text(tmp_path / "draft.toml", apply_fields(text, {"style.preset": "emergency"})).style
    assert (urgent.band_color, urgent.band_opacity, urgent.position, urgent.rule) == ((176, 0, 0), 1.0, "top", "both")
    assert (urgent.label, urgent.label_color, urgent.label_background) == ("TIN KHẨN", (0, 0, 0), (255, 210, 0))
