"""A channel's "off now": written with who and when, read back only from ticker's own file, never through a
link, and said in the audit trail."""

from __future__ import annotations

import os

from ticker.air.switch import off_path, switch, switched_off


def test_off_now_is_read_back_with_who_and_on_again_removes_it(tmp_path):
    records, campaigns = tmp_path / "records", tmp_path / "campaigns"
    records.mkdir(), campaigns.mkdir()
    assert switched_off(records, "HGTV") is None
    made = switch(records, campaigns, "HGTV", "Nguyễn Thị Lan", True, "lỗi chính tả")
    assert made is not None and switched_off(records, "HGTV") == made and made.by == "Nguyễn Thị Lan"
    assert switched_off(records, "THVL1") is None  # one channel's switch only
    assert switch(records, campaigns, "HGTV", "Lan", False) is None and switched_off(records, "HGTV") is None
    trail = (campaigns / ".ticker-audit.jsonl").read_text(encoding="utf-8")
    assert trail.count('"action": "air off"') == 1 and trail.count('"action": "air on"') == 1


def test_a_link_or_garbage_where_the_switch_is_says_nothing(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"by": "someone", "at": "2020-03-12T06:30:00+07:00"}', encoding="utf-8")
    os.symlink(elsewhere, off_path(records, "HGTV"))
    assert switched_off(records, "HGTV") is None
    off_path(records, "THVL1").write_text("not json", encoding="utf-8")
    assert switched_off(records, "THVL1") is None
    assert off_path(records, "../x").parent == records
