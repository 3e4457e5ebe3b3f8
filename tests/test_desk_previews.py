"""The desk's moving previews, against a real desk: a long loop (a long message at the slowest crossing) is
shown by its first seconds only, with the whole text on the contact sheet, the page told while it is made how
many of its pictures are encoded and about how long is left; and a preview asked for while one of the same file
or the same person is being made is refused at once. A preview is held where the desk starts making it, or
after a picture (the desk's own hooks), so that what is asked then always finds it there."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

import av
import httpx

from ticker.campaign.config import Output, load_campaign
from ticker.campaign.outputs import outputs_for
from ticker.desk.previews import PREVIEW_SECONDS, Previews
from ticker.engine.survey import survey
from ticker.engine.text_stage import prepare
from ticker.review.preview import preview_profile

from support.campaigns import MINIMAL
from support.desk_server import desk_server, preview_made

WORDS = "Đề nghị người dân tải ứng dụng PC-Covid, khai báo y tế và quét mã QR khi đến nơi công cộng. "
LONG = (
    MINIMAL.replace('name = "test"', 'name = "long"').replace(
        'text = "Đề nghị người dân tải ứng dụng Khai báo y tế phòng dịch NCOVI."', f'text = "{WORDS * 4}"'
    )
    + '[[message]]\ntext = "Xin cảm ơn."\n[motion]\ncrossing_seconds = 120\n'
)
SHOWN = 4.0  # seconds of the clip in these tests (the desk's own is PREVIEW_SECONDS)


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "long.toml").write_text(LONG, encoding="utf-8")
    (campaigns / "other.toml").write_text(LONG.replace('name = "long"', 'name = "other"'), encoding="utf-8")
    return campaigns, tmp_path / "out"


def _moving(c: httpx.Client, campaigns: Path, name: str) -> httpx.Response:
    base = (campaigns / name).read_text(encoding="utf-8")
    return c.post(f"/edit/{name}/moving", data={"base": base}, headers={"HX-Request": "true"})


def test_a_long_loop_is_previewed_by_its_first_seconds_and_the_sheet_holds_the_whole_text(tmp_path):
    campaigns, out = _folders(tmp_path)
    halfway, release = threading.Event(), threading.Event()

    def hold(name: str, done: int, total: int) -> None:
        if done == total // 2:
            halfway.set()
            assert release.wait(60), "the test let the preview go on"

    with desk_server(campaigns, out) as desk:
        assert desk.desk.previews.seconds == PREVIEW_SECONDS
        desk.desk.previews = Previews(seconds=SHOWN, told=hold)
        c = desk.client()
        started = _moving(c, campaigns, "long.toml")
        try:
            assert halfway.wait(60), "half the pictures were encoded"
            job = started.text.split('id="preview-', 1)[1].split('"', 1)[0]
            shown = c.get(f"/previews/{job}", headers={"HX-Request": "true"}).text
        finally:
            release.set()
        assert 'data-phase="pictures"' in shown and "Đang dựng khung hình</span> 50/100" in shown, shown
        assert re.search(r'class="left">còn (vài giây|khoảng \d+ (giây|phút))</span>', shown), "an estimate, in words"
        made = preview_made(c, started)
        assert made.status_code == 200 and 'id="first-seconds"' in made.text
        with av.open(str(_video(c, "long.toml", tmp_path))) as clip:
            s = clip.streams.video[0]
            frames = sum(1 for _ in clip.decode(s))
            assert (frames, s.average_rate) == (100, 25)
        page = c.get("/moving/long.toml").text
        folder = desk.desk.proofs / "moving" / hashlib.sha256(b"long.toml").hexdigest()[:24]
        data = json.loads((folder / "long_proof.json").read_text(encoding="utf-8"))
    p = data["preview"]
    assert p["seconds"] == SHOWN and p["frames"] == 100 and p["loop_seconds"] > 600
    assert "Chỉ 4,0 giây đầu của vòng lặp" in page
    campaign = load_campaign(campaigns / "long.toml")
    whole = survey(prepare(campaign), Output(preview_profile(outputs_for(campaign)[0].profile), "preview", True, None))
    rows = data["contact_sheet"]["rows"]
    text_px = whole.plan.text / whole.plan.phases
    assert rows[-1]["column"] + rows[-1]["box"][2] >= text_px, "the sheet reaches the end of the text"
    assert max(p["message_frames"]) >= 100, "the second message starts after the clip ends, and is shown"


def _video(c: httpx.Client, name: str, folder: Path) -> Path:
    got = c.get(f"/moving/{name}/preview.mp4")
    assert got.status_code == 200
    path = folder / "clip.mp4"
    path.write_bytes(got.content)
    return path


def test_a_second_preview_of_the_file_or_by_the_person_is_refused_while_the_first_is_made(tmp_path):
    campaigns, out = _folders(tmp_path)
    entered, release = threading.Event(), threading.Event()

    def hold(name: str) -> None:
        entered.set()
        assert release.wait(60), "the test let the first preview go"

    with desk_server(campaigns, out) as desk:
        desk.desk.previews = Previews(seconds=SHOWN, started=hold)
        first: list[httpx.Response] = []
        making = threading.Thread(target=lambda: first.append(_moving(desk.client(), campaigns, "long.toml")))
        making.start()
        try:
            assert entered.wait(60), "the first preview started"
            same_file = desk.client().post("/approve/long.toml/proof", headers={"HX-Request": "true"})
            same_person = _moving(desk.client(), campaigns, "other.toml")  # a local desk: one person
            api_like = desk.client().post("/approve/other.toml/proof")
        finally:
            release.set()
            making.join(60)
        preview_made(desk.client(), first[0])
        for refused in (same_file, same_person, api_like):
            assert refused.status_code == 429, refused.text
        assert "long.toml: đang làm bản xem trước của tệp này" in same_file.text
        assert "Bạn đang có một bản xem trước chưa làm xong" in same_person.text
        assert api_like.json()["error"].startswith("Bạn đang có một bản xem trước chưa làm xong")
        desk.desk.previews.started = None
        again = preview_made(desk.client(), _moving(desk.client(), campaigns, "other.toml"))
        assert "/moving/other.toml" in again.text, "the places are free again"
