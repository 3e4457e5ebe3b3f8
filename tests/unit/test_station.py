"""The station file: read key by key (every refusal one sentence naming the file and the key as the file writes
it, with its parts for the desk), found beside the campaigns, passed over by the campaigns' readers, and
written back from the settings page's fields with its comments kept, atomically, only over what was read."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ticker.campaign.config import load_campaign
from ticker.campaign.editing import Conflict
from ticker.campaign.operator import remarks
from ticker.errors import ConfigError, InputError
from ticker.letters.draft import draft_document
from ticker.letters.findings import read_findings
from ticker.letters.read import letter_from_bytes
from ticker.night import load_folder
from ticker.station import (
    Channel,
    ChannelFields,
    Network,
    Station,
    fields_of,
    given_station,
    load_station,
    open_station,
    records_folder,
    station_path,
    write_station,
)

from support.campaigns import MINIMAL, ROOT, write_campaign
from support.stations import STATION, station_file

HD = Network(0x2001, 12, 101, 0x19, "h264", 8_000_000, 0x1000, 0x100, 0x101)


def test_the_station_file_reads_into_the_station_and_its_channels(tmp_path):
    station = load_station(station_file(tmp_path))
    assert station == Station(
        "Công ty TNHH Truyền hình cáp Hậu Giang", "HGCTV", "Hậu Giang", "GIÁM ĐỐC", "Nguyễn Văn An",
        channels=(Channel("HGTV", "576i50"), Channel("HGTV HD", "1080i50", False, HD)),
    )  # fmt: skip
    names = ("Công ty TNHH Truyền hình cáp Hậu Giang", "HGCTV", "Hậu Giang", "GIÁM ĐỐC", "Nguyễn Văn An")
    assert station.as_json() == dict(zip(("name", "short", "place", "signer_title", "signer"), names))
    assert station.channel("HGTV HD").network.service_type == 0x19, "H.264 at 1080i50: H.264 HD"
    assert station.channel("VTV1") is None
    assert station.timezone == "Asia/Ho_Chi_Minh" and station.records is None


def test_where_the_station_file_and_the_records_folder_are(tmp_path):
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    one = write_campaign(campaigns)
    assert station_path(campaigns, None) == station_path(one, None) == campaigns / "station.toml"
    assert station_path(campaigns, tmp_path / "s.toml") == tmp_path / "s.toml"
    assert load_station(campaigns / "station.toml") is None, "no file: no station"
    assert records_folder(campaigns, None, None) == records_folder(one, None, None) == campaigns / "records"
    station_file(campaigns, STATION.replace('signer = "Nguyễn Văn An"', 'records = "../kept/records"'))
    station = load_station(campaigns / "station.toml")
    assert station.records == (tmp_path / "kept" / "records").resolve(), "relative to the station file's folder"
    assert records_folder(campaigns, None, station) == station.records
    assert records_folder(campaigns, tmp_path / "given", station) == tmp_path / "given"
    with pytest.raises(InputError, match=r"--station .*nowhere\.toml: no such station file"):
        given_station(tmp_path / "nowhere.toml", None)
    assert given_station(None, campaigns / "draft.toml") == station, "the station file beside the draft"
    assert given_station(None, tmp_path / "draft.toml") is None and given_station(None, None) is None


NETWORK = STATION.split("[channel.network]")[1]
# (what the file says instead, the key named, the reason's id)
BAD = [
    (("[station]", "[stations]"), "stations", "unknown-key"),
    (('name = "Công ty TNHH Truyền hình cáp Hậu Giang"', 'title = "x"'), "station.title", "unknown-key"),
    (('name = "Công ty TNHH Truyền hình cáp Hậu Giang"', 'name = "  "'), "station.name", "required"),
    (('short = "HGCTV"', 'short = "HG\\u001b[2JCTV"'), "station.short", "invisible"),
    (('signer = "Nguyễn Văn An"', "signer = 12"), "station.signer", "type"),
    (('signer = "Nguyễn Văn An"', 'timezone = "Mars/Olympus"'), "station.timezone", ""),
    (('name = "HGTV HD"', 'name = "HGTV"'), "channel[2].name", "taken"),
    (('name = "HGTV"  ', 'name = ""  '), "channel[1].name", "required"),
    (('picture = "576i50"', 'picture = "4k"'), "channel[1].picture", "choice"),
    (("essential = false", 'essential = "no"'), "channel[2].essential", "type"),
    (("essential = false", 'essential = false\nmust_carry = "yes"'), "channel[2].must_carry", "type"),
    (("essential = false", "colour = 1"), "channel[2].colour", "unknown-key"),
    (("service_id = 101", "service_id = 70000"), "channel[2].network.service_id", "range"),
    (("service_id = 101", ""), "channel[2].network.service_id", "required"),
    (("video_pid = 0x0100", "video_pid = 0x0010"), "channel[2].network.video_pid", "range"),
    (("video_pid = 0x0100", "video_pid = 0x1FFF"), "channel[2].network.video_pid", "range"),
    (("audio_pid = 0x0101", "audio_pid = 0x0100"), "channel[2].network.audio_pid", "same-pid"),
    (("pmt_pid = 0x1000", 'pmt_pid = "0x1000"'), "channel[2].network.pmt_pid", "type"),
    (('encoder = "h264"', 'encoder = "hevc"'), "channel[2].network.encoder", "choice"),
    (('encoder = "h264"', 'encoder = "h264"\nservice_type = 0x02'), "channel[2].network.service_type", "choice"),
    (('bitrate = "8M"', 'bitrate = "fast"'), "channel[2].network.bitrate", "bitrate"),
    (('bitrate = "8M"', "bitrate = 100"), "channel[2].network.bitrate", "range"),
    (('bitrate = "8M"', 'bitrate = "8M"\nttl = 0'), "channel[2].network.ttl", "range"),
    (('bitrate = "8M"', 'bitrate = "8M"\nmulticast = "x"'), "channel[2].network.multicast", "unknown-key"),
    (('picture = "576i50"', 'picture = "576i50"\nnetwork = "HD"'), "channel[1].network", ""),
    (('picture = "1080i50"\n', ""), "channel[2].network.service_type", "required"),  # no picture to choose by
]


@pytest.mark.parametrize("change, key, why", BAD, ids=[f"{k}-{w}" for _, k, w in BAD])
def test_every_refusal_names_the_file_and_the_key(tmp_path, change, key, why):
    old, new = change
    assert old in STATION
    path = station_file(tmp_path, STATION.replace(old, new, 1))
    with pytest.raises(ConfigError) as refused:
        load_station(path)
    said = str(refused.value)
    written = key if "." in key or "[" in key else f"(top level).{key}"  # a top-level key, as campaigns say it
    assert said.startswith(f"{path}: {written} ") and said.endswith(".") and "\n" not in said, said
    assert refused.value.refusals[0].key == key, refused.value.refusals
    if why:
        assert refused.value.refusals[0].why == why, refused.value.refusals


def test_a_station_file_that_is_not_toml_or_not_a_file_is_one_sentence(tmp_path):
    path = station_file(tmp_path, STATION + "\n[station\n")
    with pytest.raises(ConfigError, match=rf"^{path}: not valid TOML"):
        load_station(path)
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(InputError, match="not a regular file; a station file must be one"):
        load_station(tmp_path / "folder.toml")


def test_the_fields_of_a_file_written_back_unchanged_are_the_same_bytes(tmp_path):
    path = station_file(tmp_path)
    opened = open_station(path)
    fields = fields_of(opened.text)
    assert fields.channels[1].network["video_pid"] == "0x0100", "as the file writes it"
    written, station = write_station(path, fields, opened.key)
    assert path.read_text(encoding="utf-8") == STATION and written.key == opened.key
    assert station == load_station(path)


def test_a_change_keeps_every_comment_and_reads_back(tmp_path):
    path = station_file(tmp_path)
    opened = open_station(path)
    fields = fields_of(opened.text)
    hd = fields.channels[1]
    network = {**hd.network, "video_pid": "0x0200", "preset": "veryfast"}
    new = ChannelFields("VTV1", "", True, {}, None)
    fields = dataclasses.replace(
        fields,
        names={**fields.names, "signer": "Trần Thị Bình"},
        channels=(dataclasses.replace(hd, name="HGTV HD 1", network=network), new, fields.channels[0]),
    )
    written, station = write_station(path, fields, opened.key)
    text = path.read_text(encoding="utf-8")
    for comment in [line.split("#", 1)[1] for line in STATION.splitlines() if "#" in line]:
        assert comment in text, comment
    assert "video_pid = 0x0200       # as the headend's EPG expects" in text
    assert [c.name for c in station.channels] == ["HGTV HD 1", "VTV1", "HGTV"]
    assert station.channels[0].network == dataclasses.replace(HD, video_pid=0x200, preset="veryfast")
    assert station.signer == "Trần Thị Bình" and load_station(path) == station and written.text == text
    # the province's channel, moved last, keeps its comment; the removed one is gone with its network
    assert text.index("# the province's channel") > text.index("VTV1")


def test_a_must_carry_channel_reads_and_is_written_back_from_its_box(tmp_path):
    path = station_file(tmp_path, STATION.replace('picture = "576i50"', 'picture = "576i50"\nmust_carry = true'))
    station = load_station(path)
    assert [(c.name, c.must_carry, c.essential) for c in station.channels] == [
        ("HGTV", True, True), ("HGTV HD", False, False)]  # fmt: skip
    opened = open_station(path)
    fields = fields_of(opened.text)
    assert [c.must_carry for c in fields.channels] == [True, False]
    unchanged, _ = write_station(path, fields, opened.key)
    assert unchanged.key == opened.key, "the box as the file says it changes nothing"
    boxes = tuple(dataclasses.replace(c, must_carry=not c.must_carry) for c in fields.channels)
    _, station = write_station(path, dataclasses.replace(fields, channels=boxes), opened.key)
    assert [c.must_carry for c in station.channels] == [False, True]
    text = path.read_text(encoding="utf-8")
    assert "must_carry = false" in text and text.count("must_carry = true") == 1
    # a value the reader refuses shows the box ticked: the page never offers to clear what the file meant
    assert fields_of(text.replace("must_carry = true", 'must_carry = "có"')).channels[1].must_carry


def test_a_file_changed_since_it_was_read_is_not_written_over(tmp_path):
    path = station_file(tmp_path)
    opened = open_station(path)
    fields = fields_of(opened.text)
    path.write_text(STATION.replace("Nguyễn Văn An", "Lê Văn C"), encoding="utf-8")  # by hand, meanwhile
    with pytest.raises(Conflict):
        write_station(path, fields, opened.key)
    with pytest.raises(Conflict):
        write_station(path, fields, None)  # a page that saw no file
    assert "Lê Văn C" in path.read_text(encoding="utf-8")


def test_fields_the_reader_refuses_write_nothing(tmp_path):
    path = station_file(tmp_path)
    opened = open_station(path)
    fields = fields_of(opened.text)
    hd = fields.channels[1]
    bad = dataclasses.replace(fields, channels=(fields.channels[0], dataclasses.replace(
        hd, network={**hd.network, "video_pid": "0x0010"})))  # fmt: skip
    with pytest.raises(ConfigError) as refused:
        write_station(path, bad, opened.key)
    assert refused.value.refusals[0].key == "channel[2].network.video_pid"
    typed = dataclasses.replace(bad, channels=(dataclasses.replace(hd, network={**hd.network, "ttl": "hai"}),))
    with pytest.raises(ConfigError, match=r"channel\[1\]\.network\.ttl must be a number, not str 'hai'"):
        write_station(path, typed, opened.key)
    assert path.read_text(encoding="utf-8") == STATION


def test_a_new_station_file_is_made_from_the_fields(tmp_path):
    path = tmp_path / "station.toml"
    assert open_station(path) is None
    fields = fields_of(STATION)
    fields = dataclasses.replace(fields, channels=tuple(dataclasses.replace(c, source=None) for c in fields.channels))
    _, station = write_station(path, fields, None)
    assert station == load_station(path) == load_station(station_file(tmp_path, name="example.toml"))
    with pytest.raises(Conflict):
        write_station(path, fields, None)  # made meanwhile by another page


def test_a_link_in_the_station_file_s_place_is_not_written_through(tmp_path):
    target = station_file(tmp_path, name="elsewhere.toml")
    link = tmp_path / "station.toml"
    link.symlink_to(target)
    with pytest.raises(InputError, match="is a link"):
        write_station(link, fields_of(STATION), None)
    assert target.read_text(encoding="utf-8") == STATION


def test_the_campaigns_folder_passes_over_the_station_file(tmp_path):
    write_campaign(tmp_path, name="a.toml")
    station_file(tmp_path)
    campaigns, errors = load_folder(tmp_path)
    assert [c.name for c in campaigns] == ["test"] and errors == []
    (tmp_path / "a.toml").unlink()
    with pytest.raises(InputError, match="holds no campaign files"):
        load_folder(tmp_path)


def test_a_campaign_s_operator_table_still_loads_with_a_note(tmp_path):
    path = write_campaign(tmp_path, '\n[operator]\nname = "Đài"\nshort = "X"\n')
    campaign = load_campaign(path)
    assert [str(r) for r in remarks(campaign)] == [
        f"{path}: [operator] is no longer read: the station's names are in station.toml"
    ]
    assert remarks(load_campaign(write_campaign(tmp_path, name="plain.toml"))) == []


LETTER = """\
UBND TỈNH TIỀN GIANG
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 88/STTTT-TTBCXB
V/v tuyên truyền phòng, chống bệnh sốt xuất huyết
Tiền Giang, ngày 02 tháng 6 năm 2022

Kính gửi: Các doanh nghiệp cung cấp dịch vụ truyền hình cáp trên địa bàn tỉnh.

Sở Thông tin và Truyền thông đề nghị các doanh nghiệp thực hiện chạy chữ với nội dung: “Diệt lăng quăng.”
Thời gian: từ ngày 06/6/2022 đến 30/6/2022, vào lúc 6h30 và 19h45 hằng ngày.
"""


@pytest.mark.parametrize("house_slot", [None, 'channels = ["HGTV"]'])
def test_a_draft_s_slots_name_the_station_s_channels(tmp_path, house_slot):
    findings = read_findings(letter_from_bytes(LETTER.encode(), "cv-88.txt"))
    text, _ = draft_document(findings, today=dt.date(2022, 6, 3), channels=("HGTV", "HGTV HD"))
    assert 'channels = ["HGTV", "HGTV HD"] # the station\'s channels' in text
    campaign = load_campaign(write_campaign(tmp_path, base=text, name="draft.toml"))
    assert campaign.slots[0].channels == ("HGTV", "HGTV HD")
    assert "channels" not in draft_document(findings, today=dt.date(2022, 6, 3))[0], "no station: every channel"
    if house_slot:  # a house whose slot names its channels keeps them
        house = write_campaign(tmp_path, MINIMAL.replace('"test"', '"house"') + "\n[[slot]]\nat = \"06:30\"\n"
                               f"seconds = 60\n{house_slot}\n[[output]]\nprofile = \"576i50\"\nformat = \"qtrle\"\n"
                               "loop = true\n", base="", name="house.toml")  # fmt: skip
        plain = read_findings(letter_from_bytes(LETTER.replace(", vào lúc 6h30 và 19h45 hằng ngày", "").encode(),
                                                "cv-88.txt"))  # fmt: skip
        text, _ = draft_document(plain, house, today=dt.date(2022, 6, 3), channels=("HGTV", "HGTV HD"))
        assert load_campaign(write_campaign(tmp_path, base=text, name="d2.toml")).slots[0].channels == ("HGTV",)


def test_the_readme_s_station_file_reads_as_it_says(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## The station file", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    station = load_station(station_file(tmp_path, example))
    assert station == load_station(station_file(tmp_path, STATION, "tests.toml"))
