"""A station manager and a clerk at a real `ticker serve --users`, in Chromium (the manager at a laptop, the clerk
at a phone's width): the manager asks for changes with a comment; the clerk finds it in the inbox and at the top
of the edit page, types the change, and the desk is restarted while the page is open; the clerk's save then
lands, what was typed intact, and the history shows the change as a difference; the manager approves, archives
and restores. Screenshots are kept in test-artifacts/desk/walk-*.png."""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest
from playwright.sync_api import expect

from ticker.desk.users import add_user

from support.campaigns import ROOT
from support.desk_server import free_port

ARTIFACTS = ROOT / "test-artifacts" / "desk"
COMMENT = "Thêm số đường dây nóng 1900 9095 vào cuối lời chạy chữ."
ADDED = " Đường dây nóng: 1900 9095."


def _started(campaigns, out, users, port, cwd) -> subprocess.Popen:
    desk = subprocess.Popen([sys.executable, "-m", "ticker", "serve", campaigns, "-o", out, "--port", str(port),
                             "--users", users], cwd=cwd, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return desk
        except httpx.TransportError:
            assert desk.poll() is None and time.monotonic() < deadline, desk.stderr.read() if desk.stderr else ""
            time.sleep(0.05)


def _stopped(desk: subprocess.Popen) -> None:
    desk.send_signal(signal.SIGTERM)
    _, err = desk.communicate(timeout=30)
    assert desk.returncode == 0 and "Traceback" not in err, err


def _log_in(page, url: str, name: str, password: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("form button")
    page.wait_for_url(re.compile(r"/$"))


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_a_manager_asks_for_changes_a_clerk_makes_them_through_a_restart_and_the_manager_approves(tmp_path, chromium):
    campaigns, out, users = tmp_path / "campaigns", tmp_path / "out", tmp_path / "users.toml"
    campaigns.mkdir()
    today = dt.date.today()
    text = (ROOT / "configs" / "hau-giang-ncovi.toml").read_text(encoding="utf-8").split("[approval]")[0]
    text = text.replace("start = 2020-03-12", f"start = {today}").replace(
        "end = 2020-03-15", f"end = {today.replace(year=today.year + 1)}"
    )
    (campaigns / "hau-giang.toml").write_text(text, encoding="utf-8")  # on air from today, awaiting approval
    add_user(users, "lan", "approver", "quanly-matkhau-1")
    add_user(users, "minh", "editor", "thuky-matkhau-1")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    desk = _started(campaigns, out, users, port, tmp_path)
    try:
        laptop = chromium.new_context(viewport={"width": 1280, "height": 900})
        phone = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        manager, clerk = laptop.new_page(), phone.new_page()
        shot = lambda page, name: page.screenshot(path=str(ARTIFACTS / f"walk-{name}.png"), full_page=True)  # noqa: E731

        # the manager asks for changes, with a comment
        _log_in(manager, url, "lan", "quanly-matkhau-1")
        expect(manager.locator(".inbox a[href='/?state=pending'] strong")).to_have_text("1")
        manager.goto(url + "/approve/hau-giang.toml")
        manager.fill("textarea[name=note]", COMMENT)
        manager.click("button[value=changes]")
        expect(manager.locator("#verdict")).not_to_be_empty(timeout=20_000)
        shot(manager, "1-manager-asks")

        # the clerk finds it waiting, and the comment at the top of the edit page
        _log_in(clerk, url, "minh", "thuky-matkhau-1")
        expect(clerk.locator(".inbox a[href='/?state=changes'] strong")).to_have_text("1")
        clerk.click(".inbox a[href='/?state=changes']")
        clerk.click("a[href='/edit/hau-giang.toml']")
        expect(clerk.locator("#requested blockquote")).to_have_text(COMMENT)
        expect(clerk.locator("#requested")).to_contain_text("lan")
        message = clerk.locator("#f-message-1-text")
        expect(clerk.locator("#frame")).to_be_visible(timeout=30_000)
        message.fill(message.input_value() + ADDED)
        shot(clerk, "2-clerk-edits")
        assert clerk.evaluate("document.documentElement.scrollWidth") <= 390

        # the desk restarts with the clerk's page open; the save lands, what was typed intact
        _stopped(desk)
        desk = _started(campaigns, out, users, port, tmp_path)
        clerk.click("#save")
        clerk.wait_for_url(re.compile(r"saved=1"), timeout=30_000)
        assert ADDED.strip() in (campaigns / "hau-giang.toml").read_text(encoding="utf-8")
        history = clerk.locator("#history li").first
        expect(history).to_contain_text("minh")
        history.locator("summary").click()
        expect(history.locator("pre.diff")).to_contain_text("+")
        expect(history.locator("pre.diff")).to_contain_text("1900 9095")
        shot(clerk, "3-clerk-history")
        assert clerk.evaluate("document.documentElement.scrollWidth") <= 390

        # the manager approves what the clerk saved, then archives it and restores it
        manager.goto(url + "/approve/hau-giang.toml")
        expect(manager.locator("blockquote").first).to_contain_text("1900 9095")
        manager.click("#do-approve")
        expect(manager.locator("#verdict")).to_contain_text("lan", timeout=20_000)
        assert "[approval]" in (campaigns / "hau-giang.toml").read_text(encoding="utf-8")
        manager.goto(url + "/edit/hau-giang.toml")
        manager.once("dialog", lambda d: d.accept())
        manager.click("#archive")
        manager.wait_for_url(re.compile(r"/$"), timeout=20_000)  # off the list, which the desk goes back to
        expect(manager.locator("a[href='/edit/hau-giang.toml']")).to_have_count(0)
        manager.goto(url + "/archive")
        expect(manager.locator("#archived")).to_contain_text("hau-giang.toml")
        shot(manager, "4-manager-archive")
        manager.click("#archived button")
        manager.wait_for_url(re.compile(r"/edit/hau-giang\.toml$"))  # back, its approval with it
        expect(manager.locator("#history")).to_contain_text("Khôi phục")
        manager.goto(url + "/")
        expect(manager.locator("a[href='/edit/hau-giang.toml']")).to_be_visible()
        expect(manager.locator("tr", has=manager.locator("a[href='/edit/hau-giang.toml']"))).to_contain_text(
            "đang phát"
        )
        assert (campaigns / "hau-giang.toml").exists() and not (campaigns / "archive" / "hau-giang.toml").exists()
        laptop.close()
        phone.close()
    finally:
        if desk.poll() is None:
            _stopped(desk)
