"""The station file on the command line: `ticker draft` names the station's channels in its slots (`--station
FILE`, or the station file beside -o's file), `ticker check` notes a campaign's [operator] table as no longer
read, and `ticker serve` refuses a station file it cannot read before it listens. A bad station file is one
sentence naming its key (exit 2), and nothing is written."""

from __future__ import annotations

import tomllib

from support.campaigns import MINIMAL, ROOT, write_campaign
from support.running import run_ticker
from support.stations import STATION, station_file

HAU_GIANG = ROOT / "letters" / "hau-giang-337-STTT-2020-ncovi.txt"


def _slots(path) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["slot"]


def test_draft_names_the_channels_of_the_station_given_or_beside_the_draft(tmp_path):
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    elsewhere = station_file(tmp_path, STATION.replace('name = "HGTV HD"', 'name = "HGTV 2"'), "mine.toml")
    run_ticker("draft", HAU_GIANG, "-o", campaigns / "given.toml", "--station", elsewhere, cwd=tmp_path)
    assert [s["channels"] for s in _slots(campaigns / "given.toml")] == [["HGTV", "HGTV 2"]]
    assert "# the station's channels" in (campaigns / "given.toml").read_text(encoding="utf-8")

    run_ticker("draft", HAU_GIANG, "-o", campaigns / "none.toml", cwd=tmp_path)
    assert "channels" not in _slots(campaigns / "none.toml")[0], "no station file: every channel"
    station_file(campaigns)
    run_ticker("draft", HAU_GIANG, "-o", campaigns / "beside.toml", cwd=tmp_path)
    assert _slots(campaigns / "beside.toml")[0]["channels"] == ["HGTV", "HGTV HD"]
    run_ticker("check", campaigns / "beside.toml", cwd=tmp_path)
    printed = run_ticker("draft", HAU_GIANG, cwd=campaigns).stdout
    assert "channels" not in printed, "a draft printed is in no campaigns folder"


def test_a_station_file_draft_cannot_use_is_one_sentence_and_nothing_is_written(tmp_path):
    done = run_ticker("draft", HAU_GIANG, "-o", tmp_path / "a.toml", "--station", tmp_path / "no.toml",
                      cwd=tmp_path, check_status=2)  # fmt: skip
    assert done.stderr == f"ticker: --station {tmp_path / 'no.toml'}: no such station file.\n"
    station_file(tmp_path, STATION.replace('encoder = "h264"', 'encoder = "hevc"'))
    done = run_ticker("draft", HAU_GIANG, "-o", tmp_path / "a.toml", cwd=tmp_path, check_status=2)
    assert "station.toml: channel[2].network.encoder must be one of mpeg2, h264 (got 'hevc')." in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "a.toml").exists()


def test_check_notes_an_operator_table_it_no_longer_reads(tmp_path):
    path = write_campaign(tmp_path, '\n[operator]\nname = "Công ty TNHH Truyền hình cáp Hậu Giang"\n')
    done = run_ticker("check", path, cwd=tmp_path)
    assert f"ticker: note: {path}: [operator] is no longer read: the station's names are in station.toml" in (
        done.stdout
    )
    plain = write_campaign(tmp_path, name="plain.toml")
    assert "[operator]" not in run_ticker("check", plain, cwd=tmp_path).stdout


def test_serve_refuses_a_station_file_it_cannot_read_before_it_listens(tmp_path):
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    write_campaign(campaigns, MINIMAL)
    station_file(campaigns, STATION.replace("service_id = 101", "service_id = -1"))
    done = run_ticker("serve", campaigns, "-o", tmp_path / "out", "--port", "1", cwd=tmp_path, check_status=2)
    assert done.stderr.startswith(f"ticker: {campaigns.resolve() / 'station.toml'}: channel[2].network.service_id ")
    done = run_ticker("serve", campaigns, "-o", tmp_path / "out", "--station", tmp_path / "no" / "s.toml",
                      cwd=tmp_path, check_status=2)  # fmt: skip
    assert "the folder" in done.stderr and "does not exist" in done.stderr
