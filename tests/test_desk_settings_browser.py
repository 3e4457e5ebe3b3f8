"""The station settings page in a real browser (Debian's Chromium through Playwright): an approver fills in
the station's names, adds a channel, opens its transport stream's group, is told in Vietnamese at the field
that a PID is out of range, puts it right and saves; Enter in a field saves too (it never removes a channel);
the page fits a phone. Screenshots are kept in test-artifacts/desk/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ticker.station import Network, load_station

from support.campaigns import MINIMAL, ROOT, write_campaign
from support.desk_server import desk_server

ARTIFACTS = ROOT / "test-artifacts" / "desk"


@pytest.mark.xdist_group("chromium")
def test_the_settings_are_filled_in_and_saved_in_the_browser(tmp_path, chromium):
    campaigns, out = tmp_path / "campaigns", tmp_path / "out"
    campaigns.mkdir()
    write_campaign(campaigns, MINIMAL, name="small.toml")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = campaigns / "station.toml"
    with desk_server(campaigns, out) as desk:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(desk.url + "/")
        page.click("text=Cài đặt đài")
        expect(page.locator("h1")).to_have_text("Cài đặt đài")
        expect(page.locator("#settings-none")).to_be_visible()
        expect(page.locator("#f-station-signer-title")).to_have_value("GIÁM ĐỐC")
        page.fill("#f-station-name", "Công ty TNHH Truyền hình cáp Hậu Giang")
        page.fill("#f-station-short", "HGCTV")
        page.fill("#f-station-place", "Hậu Giang")
        page.fill("#f-station-signer", "Nguyễn Văn An")

        page.click("#add-channel")
        expect(page.locator("#settings-unsaved")).to_be_visible()
        expect(page.locator("#f-station-short")).to_have_value("HGCTV")  # what was typed is kept
        page.fill("#f-channel-1-name", "HGTV HD")
        page.select_option("#f-channel-1-picture", "1080i50")
        page.uncheck("#f-channel-1-essential")
        page.click("#channel-1 summary")  # Thông số truyền dẫn
        for field, value in [("original-network-id", "0x2001"), ("transport-stream-id", "12"), ("service-id", "101"),
                             ("video-pid", "0x0010"), ("bitrate", "8M")]:  # fmt: skip
            page.fill(f"#f-channel-1-network-{field}", value)
        page.select_option("#f-channel-1-network-encoder", "h264")
        page.screenshot(path=str(ARTIFACTS / "settings-1-filled.png"), full_page=True)
        page.click("#save-settings")

        said = page.locator("#err-f-channel-1-network-video-pid")
        expect(said).to_have_text("«PID hình»: phải từ 0x0020 đến 0x1FFE; đã nhập 16.")
        expect(page.locator("#channel-1 details")).to_have_attribute("open", "")
        assert not path.exists(), "nothing written"
        assert str(campaigns) not in page.content()
        page.screenshot(path=str(ARTIFACTS / "settings-2-refused.png"), full_page=True)

        page.fill("#f-channel-1-network-video-pid", "0x0100")
        page.click("#add-channel")
        page.fill("#f-channel-2-name", "HGTV")
        page.select_option("#f-channel-2-picture", "576i50")
        page.press("#f-channel-2-name", "Enter")  # the form's first button: saving
        expect(page.locator("#settings-saved")).to_have_text("Đã lưu cài đặt đài.")
        page.screenshot(path=str(ARTIFACTS / "settings-3-saved.png"), full_page=True)

        station = load_station(path)
        assert (station.name, station.short, station.signer) == ("Công ty TNHH Truyền hình cáp Hậu Giang", "HGCTV",
                                                                 "Nguyễn Văn An")  # fmt: skip
        assert [(c.name, c.picture, c.essential) for c in station.channels] == [
            ("HGTV HD", "1080i50", False), ("HGTV", "576i50", True)
        ]  # fmt: skip
        assert station.channels[0].network == Network(0x2001, 12, 101, 0x19, "h264", 8_000_000, video_pid=0x100)
        expect(page.locator("#f-channel-1-network-video-pid")).to_have_value("0x0100")  # the file as written

        page.click("#remove-2")
        expect(page.locator("#channel-2")).to_have_count(0)
        page.click("#save-settings")
        expect(page.locator("#settings-saved")).to_be_visible()
        assert [c.name for c in load_station(path).channels] == ["HGTV HD"]

        phone = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        phone.goto(desk.url + "/settings")
        phone.screenshot(path=str(ARTIFACTS / "settings-4-phone.png"), full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.context.close()
        context.close()
