"""The states and next airings the desk's campaigns page lists, from campaign files written as a station would."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from ticker.approval.key import approve
from ticker.campaign.config import load_campaign
from ticker.desk.overview import campaign_state, folder_rows, next_airing

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 3, 13, 12, 0, tzinfo=VN)


def _write(folder: Path, name: str, start: str, end: str, status: str = "ready") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(
        f'[campaign]\nname = "{name}"\ntitle = "Tiêu đề {name}"\nstart = {start}\nend = {end}\nstatus = "{status}"\n\n'
        '[[slot]]\nat = ["06:30", "19:45"]\nseconds = 120\n\n'
        '[[message]]\ntext = "Đề nghị người dân tải ứng dụng NCOVI."\n\n'
        '[[output]]\nprofile = "576i50"\nformat = "prores4444"\nloop = true\n',
        encoding="utf-8",
    )
    return path


def test_each_state_and_the_next_airing(tmp_path):
    draft = _write(tmp_path, "nhap", "2026-03-12", "2026-03-20", status="draft")
    pending = _write(tmp_path, "cho", "2026-03-12", "2026-03-20")
    airing = _write(tmp_path, "phat", "2026-03-12", "2026-03-20")
    coming = _write(tmp_path, "sap", "2026-03-15", "2026-03-20")
    ended = _write(tmp_path, "xong", "2026-03-01", "2026-03-12")
    for path in (airing, coming, ended):
        approve(path, "Nguyễn Thị Lan")
    states = {p.stem: campaign_state(load_campaign(p), NOW) for p in (draft, pending, airing, coming, ended)}
    assert states == {"nhap": "draft", "cho": "pending", "phat": "airing", "sap": "approved", "xong": "ended"}
    assert next_airing(load_campaign(airing), NOW) == dt.datetime(2026, 3, 13, 19, 45, tzinfo=VN)
    assert next_airing(load_campaign(coming), NOW) == dt.datetime(2026, 3, 15, 6, 30, tzinfo=VN)
    assert next_airing(load_campaign(airing), dt.datetime(2026, 3, 20, 20, 0, tzinfo=VN)) is None


def test_a_change_after_approval_makes_it_pending_again(tmp_path):
    path = _write(tmp_path, "phat", "2026-03-12", "2026-03-20")
    approve(path, "Nguyễn Thị Lan")
    path.write_text(path.read_text(encoding="utf-8").replace("NCOVI", "PC-Covid"), encoding="utf-8")
    assert campaign_state(load_campaign(path), NOW) == "pending"


def test_a_bad_file_is_listed_with_its_sentence(tmp_path):
    _write(tmp_path, "phat", "2026-03-12", "2026-03-20")
    (tmp_path / "hong.toml").write_text('[campaign]\nname = "hong"\n', encoding="utf-8")
    rows = folder_rows(tmp_path, NOW)
    assert [r["file"] for r in rows] == ["hong.toml", "phat.toml"]
    bad, good = rows
    assert bad["state"] is None and len(bad["errors"]) == 1 and "hong.toml" in bad["errors"][0]
    assert good["state"] == "pending" and good["state_vi"] == "chờ duyệt"
    assert good["next_airing"] == "2026-03-13T19:45:00+07:00"


def test_an_empty_folder_lists_nothing(tmp_path):
    assert folder_rows(tmp_path, NOW) == []
