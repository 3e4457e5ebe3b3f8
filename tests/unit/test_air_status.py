"""The channel's status as `ticker air` writes it for a monitoring system and systemd: its file's name for any
channel name, and its one line."""

from __future__ import annotations

from pathlib import Path

from ticker.air.status import AirStatus, status_path


def test_the_status_file_is_one_safe_name_whatever_the_channel_is_called():
    assert status_path(Path("/r"), "HGTV").name == "air-status-HGTV.json"
    assert status_path(Path("/r"), "../Kênh 2").parent == Path("/r")  # a name of the folder, never a path out


def test_the_status_line_says_input_crawl_and_lag():
    assert AirStatus("HGTV").line() == "HGTV: no input"
    on = AirStatus("HGTV", input=True, crawl=True, airing="ncovi", encoder_lag=0.123)
    assert on.line() == "HGTV: on air, crawl on (ncovi), lag 0.12 s"
    assert AirStatus("HGTV", input=True).line() == "HGTV: on air, crawl off, lag 0.00 s"
