"""What playout says it aired, as records (ticker.records.as_run, ticker.records.casparcg), without a records
folder: CasparCG's log read line by line (PLAY, LOADBG, LOAD, STOP, CLEAR on layers of their own, quoted names
with paths, a log that ends in a play, CRLF, lines of other kinds), the as-run CSV read and refused line by
line, and an export read back as the same airings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ticker.errors import InputError
from ticker.records import Aired, AsRunSource, Covered, Reading, Record, Source, as_run_source, export_csv, moment
from ticker.records.as_run import csv_records, read_as_run
from ticker.records.casparcg import casparcg_records, command, tokens

ZONE = "Asia/Ho_Chi_Minh"
T = dt.timezone(dt.timedelta(hours=7))
RECEIVED = "[{}] [info]    Received message from 127.0.0.1: {}\\r\\n"
OLD = "[{}] [4364] [info]    Received message from 192.168.1.20:53422: {}\\r\\n"  # 2.0.7: a thread column


def log(*lines: tuple[str, str] | str, form: str = RECEIVED, end: str = "\n") -> str:
    """A CasparCG log: (time, command) as the server writes a command it received; a plain string as it is."""
    return "".join((form.format(*line) if isinstance(line, tuple) else line) + end for line in lines)


def airings(text: str, channel: str = "HGTV") -> list[tuple[str, str | None, str, int | None]]:
    return [
        (r.fact.start, r.fact.end, r.fact.file, r.fact.line)
        for r in casparcg_records(text, "caspar.log", channel, ZONE)
        if isinstance(r.fact, Aired)
    ]


def spans(records: list[Record]) -> list[tuple[str, dt.date, str, str]]:
    return [(r.channel, r.day, r.fact.start, r.fact.end) for r in records if isinstance(r.fact, Covered)]


def test_a_play_lasts_until_stop_clear_or_the_next_play_on_its_layer():
    text = log(
        ("2020-03-12 06:30:00.412", 'PLAY 1-10 "NCOVI_576I50_QTRLE_LOOP" LOOP'),
        ("2020-03-12 06:30:20.000", "STOP 1-10"),
        ("2020-03-12 12:00:00.000", "play 1-10 ncovi_a"),
        ("2020-03-12 12:00:20.000", "Play 1-10 NCOVI_B MIX 25"),
        ("2020-03-12 12:00:40.000", "CLEAR 1-10"),
        ("2020-03-12 19:45:00.000", "PLAY 1-10 NCOVI_C"),
        ("2020-03-12 19:45:20.500", "CLEAR 1"),  # the whole channel
    )
    assert airings(text) == [
        ("2020-03-12T06:30:00.412+07:00", "2020-03-12T06:30:20+07:00", "NCOVI_576I50_QTRLE_LOOP", 1),
        ("2020-03-12T12:00:00+07:00", "2020-03-12T12:00:20+07:00", "ncovi_a", 3),
        ("2020-03-12T12:00:20+07:00", "2020-03-12T12:00:40+07:00", "NCOVI_B", 4),
        ("2020-03-12T19:45:00+07:00", "2020-03-12T19:45:20.500+07:00", "NCOVI_C", 6),
    ]
    records = casparcg_records(text, "caspar.log", "HGTV", ZONE)
    assert {(r.source, r.channel, r.clock.how, r.day) for r in records} == {
        (Source.PLAYOUT_LOG, "HGTV", "CasparCG log", dt.date(2020, 3, 12))
    }
    assert all(r.fact.full is None for r in records if isinstance(r.fact, Aired))  # a play says nothing of a pass


def test_loadbg_then_play_plays_the_loaded_clip_and_load_then_play_the_shown_one():
    text = log(
        ("2020-03-12 06:29:50.000", 'LOADBG 1-10 "crawls/NCOVI X"'),
        ("2020-03-12 06:30:00.000", "PLAY 1-10"),
        ("2020-03-12 06:30:20.000", "LOAD 1-10 NCOVI_Y"),  # ends the first, shows the second's first frame
        ("2020-03-12 06:31:00.000", "PLAY 1-10"),
        ("2020-03-12 06:31:10.000", "PLAY 1-10"),  # nothing loaded: the clip playing goes on
        ("2020-03-12 06:31:30.000", "LOADBG 1-10 NCOVI_Z AUTO"),  # plays when the clip ends: the log cannot say when
        ("2020-03-12 06:31:40.000", "STOP 1-10"),
    )
    assert airings(text) == [
        ("2020-03-12T06:30:00+07:00", "2020-03-12T06:30:20+07:00", "crawls/NCOVI X", 2),
        ("2020-03-12T06:31:00+07:00", "2020-03-12T06:31:40+07:00", "NCOVI_Y", 4),
    ]


def test_two_layers_are_apart_and_a_log_ending_in_a_play_leaves_it_open():
    text = log(
        ("2020-03-12 06:30:00.000", "PLAY 1-10 BACKGROUND_LOOP LOOP"),
        ("2020-03-12 06:30:05.000", "PLAY 1-20 NCOVI"),
        ("2020-03-12 06:30:25.000", "STOP 1-20"),
        ("2020-03-12 06:31:00.000", "PLAY 2-20 OTHER_CHANNEL"),
        ("2020-03-12 06:31:30.000", "CLEAR 2"),  # channel 2 only
        ("2020-03-12 06:32:00.000", "PLAY 1-20 NCOVI"),
    )
    assert airings(text) == [
        ("2020-03-12T06:30:00+07:00", None, "BACKGROUND_LOOP", 1),
        ("2020-03-12T06:30:05+07:00", "2020-03-12T06:30:25+07:00", "NCOVI", 2),
        ("2020-03-12T06:31:00+07:00", "2020-03-12T06:31:30+07:00", "OTHER_CHANNEL", 4),
        ("2020-03-12T06:32:00+07:00", None, "NCOVI", 6),
    ]


def test_crlf_junk_and_the_2_0_7_form_are_read_and_other_lines_passed_over():
    text = log(
        "[2020-03-12 06:00:00.000] [info]    Initialized channel 1 720x576i50",
        "not a line of CasparCG's at all",
        ("2020-03-12 06:00:01.000", "INFO 1"),
        ("2020-03-12 06:00:02.000", "MIXER 1-10 FILL 0 0 1 1"),
        ("2020-03-12 06:00:03.000", "PLAY"),  # no channel: not a play of a layer
        ("2020-03-12 06:00:04.000", "PLAY ABC CLIP"),
        "[2020-03-12 06:00:05.000] [info]    Received message from 127.0.0.1: \\r\\n",
        "\x00\ufffd\ufffd garbage",
        ("2020-03-12 06:30:00.000", 'REQ 7 PLAY 1-10 "NCOVI \\"A\\"" LOOP'),
        ("2020-03-12 06:30:20.000", "STOP 1-10"),
        form=OLD,
        end="\r\n",
    )
    assert airings(text) == [("2020-03-12T06:30:00+07:00", "2020-03-12T06:30:20+07:00", 'NCOVI "A"', 9)]
    records = casparcg_records(text, "caspar.log", "HGTV", ZONE)
    assert spans(records) == [("HGTV", dt.date(2020, 3, 12), "2020-03-12T06:00:00+07:00", "2020-03-12T06:30:20+07:00")]


def test_the_span_a_log_covers_is_split_per_day():
    text = log(("2020-03-12 22:00:00.000", "PLAY 1-10 NCOVI"), ("2020-03-14 01:30:00.250", "STOP 1-10"))
    records = casparcg_records(text, "caspar.log", "HGTV", ZONE)
    assert spans(records) == [
        ("HGTV", dt.date(2020, 3, 12), "2020-03-12T22:00:00+07:00", "2020-03-13T00:00:00+07:00"),
        ("HGTV", dt.date(2020, 3, 13), "2020-03-13T00:00:00+07:00", "2020-03-14T00:00:00+07:00"),
        ("HGTV", dt.date(2020, 3, 14), "2020-03-14T00:00:00+07:00", "2020-03-14T01:30:00.250+07:00"),
    ]
    (aired,) = [r for r in records if isinstance(r.fact, Aired)]
    assert aired.day == dt.date(2020, 3, 12)  # an airing is of the day it started


def test_a_log_without_a_timestamped_line_is_one_sentence():
    with pytest.raises(InputError, match=r"^caspar.log: has no line that begins with a time like .*CasparCG log\.$"):
        casparcg_records("PLAY 1-10 NCOVI\r\nhello\r\n", "caspar.log", "HGTV", ZONE)


def test_commands_are_split_as_casparcg_splits_them():
    assert tokens('PLAY 1-10 "a b\\\\c" LOOP') == ["PLAY", "1-10", "a b\\c", "LOOP"]
    assert tokens('PLAY 1-10 ""') == ["PLAY", "1-10", ""]
    assert command("/x PLAY 2 clip") == command("PLAY 2-0 clip")  # a switch skipped; no layer is layer 0
    assert command("CLEAR 3").layer is None and command("STOP 3").layer == 0  # type: ignore[union-attr]
    assert command("CG 1-20 ADD 1 x 1") is None and command("PLAY") is None


CSV = """\ufeffstart,channel,file,campaign
2020-03-12T06:30:00,HGTV,ncovi_576i50_qtrle_loop.mov,
2020-03-12T19:45:00+07:00,VTV1,D:\\media\\NCOVI.mov,

2020-03-13T00:30:00+08:00,HGTV,,ncovi
"""


def test_csv_lines_become_airings_and_their_days_covered_whole():
    records = csv_records(CSV.encode(), "a.csv", ZONE)
    aired = [(r.channel, r.day, r.fact.start, r.fact.file, r.fact.campaign, r.fact.line) for r in records
             if isinstance(r.fact, Aired)]  # fmt: skip
    assert aired == [
        ("HGTV", dt.date(2020, 3, 12), "2020-03-12T06:30:00+07:00", "ncovi_576i50_qtrle_loop.mov", "", 2),
        ("VTV1", dt.date(2020, 3, 12), "2020-03-12T19:45:00+07:00", "D:\\media\\NCOVI.mov", "", 3),
        ("HGTV", dt.date(2020, 3, 12), "2020-03-12T23:30:00+07:00", "", "ncovi", 5),  # its day is the zone's
    ]
    assert spans(records) == [
        ("HGTV", dt.date(2020, 3, 12), "2020-03-12T00:00:00+07:00", "2020-03-13T00:00:00+07:00"),
        ("VTV1", dt.date(2020, 3, 12), "2020-03-12T00:00:00+07:00", "2020-03-13T00:00:00+07:00"),
    ]
    assert {(r.source, r.clock.basis, r.clock.how) for r in records} == {(Source.CSV, "log", "as-run CSV")}


def test_as_run_csv_lines(tmp_path):
    good = tmp_path / "a.csv"
    good.write_text("\ufeffstart,channel,file\n2020-03-12T06:30:00+07:00,HGTV,a.mov\n\n", encoding="utf-8")
    (row, _) = read_as_run(good, ZONE)
    assert moment(row.fact.start).utcoffset() == dt.timedelta(hours=7) and row.fact.line == 2
    bad = tmp_path / "b.csv"
    bad.write_text("start,channel,file\n2020-13-01T06:30,HGTV,a.mov\n2020-03-12T06:30,HGTV,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"b.csv line 2: start .* is not a time.*b.csv line 3: names no file"):
        read_as_run(bad, ZONE)
    (tmp_path / "c.csv").write_text("time,file\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: the header has no column start, channel"):
        read_as_run(tmp_path / "c.csv", ZONE)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (b"", r"^a.csv: is empty; it needs a header line start,channel,file\.$"),
        (b"start,channel,file\n2020-03-12T06:30,HGTV,\xff.mov\n", r"^a.csv line 2: is not UTF-8 text"),
        (b"start,channel,file\n2020-03-12T06:30,HGTV\n", r"^a.csv line 2: has 2 fields, the header 3\.$"),
        (b"start,channel,file,end\n2020-03-12T06:30,HGTV,a,2020-03-12T06:29\n", r"line 2: end .* is before its start"),
        (b"start,channel,file,end\n2020-03-12T06:30,HGTV,a,soon\n", r"line 2: end 'soon' is not a time"),
        (b"start,channel,file\n" + b"x,HGTV,a\n" * 25, r"a.csv line 21: .* \(5 more\)$"),
    ],
)
def test_a_bad_csv_is_refused_naming_its_file_and_line(text, said):
    with pytest.raises(InputError, match=said):
        csv_records(text, "a.csv", ZONE)


def test_a_line_that_names_no_channel_takes_the_one_given():
    records = csv_records(b"start,channel,file\n2020-03-12T06:30,,a.mov\n", "a.csv", ZONE, channel="HGTV")
    assert {r.channel for r in records} == {"HGTV"}


def test_an_export_reads_back_as_the_same_airings():
    def aired(source: Source, channel: str, start: str, end: str | None, file: str, campaign: str = "") -> Record:
        return Record(source, channel, moment(start).date(), Aired(start, end, file, campaign))

    records = (
        aired(Source.PLAYOUT_LOG, "HGTV", "2020-03-12T06:30:00.412+07:00", "2020-03-12T06:30:20+07:00", "a/NCOVI"),
        aired(Source.PLAYOUT_LOG, "HGTV", "2020-03-12T06:30:00.412+07:00", None, "a/NCOVI"),  # read before it ended
        aired(Source.WATCH, "HGTV", "2020-03-12T12:00:01+07:00", "2020-03-12T12:00:21+07:00", "", "ncovi"),
        aired(Source.CSV, "VTV1", "2020-03-12T19:45:00+07:00", None, "=HYPERLINK(\"x\")"),
        aired(Source.AIR, "", "2020-03-13T06:30:00+07:00", None, "Tuyên truyền, \"NCOVI\".mov"),
        Record(Source.CSV, "HGTV", dt.date(2020, 3, 12), Covered("2020-03-12T00:00+07:00", "2020-03-13T00:00+07:00")),
    )  # fmt: skip
    text = export_csv(Reading(records, (), None))
    assert text.startswith("\ufeffstart,channel,file,end,source,campaign\r\n")
    assert "'=HYPERLINK" in text  # a spreadsheet shows it, never runs it
    back = [r for r in csv_records(text.encode(), "export.csv", ZONE) if isinstance(r.fact, Aired)]
    want = [r for r in records if isinstance(r.fact, Aired) and not (r.source == Source.PLAYOUT_LOG and not r.fact.end)]
    assert [(r.channel, r.fact.start, r.fact.end, r.fact.file, r.fact.campaign) for r in back] == [
        (r.channel, r.fact.start, r.fact.end, r.fact.file, r.fact.campaign) for r in want
    ]
    hgtv = export_csv(Reading(records, (), None), "HGTV")
    assert "VTV1" not in hgtv and 'NCOVI"".mov' in hgtv  # every channel's airing is this channel's too


@pytest.mark.parametrize(
    ("spec", "channel", "want"),
    [
        ("casparcg:/var/log/caspar.log", "HGTV", AsRunSource("casparcg", Path("/var/log/caspar.log"), "HGTV")),
        ("csv:as-run.csv", None, AsRunSource("csv", Path("as-run.csv"), "")),
        ("as-run.csv", " HGTV ", AsRunSource("csv", Path("as-run.csv"), "HGTV")),
    ],
)
def test_a_source_is_a_csv_or_a_casparcg_log(spec, channel, want):
    assert as_run_source(spec, channel) == want


@pytest.mark.parametrize(
    ("spec", "channel", "said"),
    [
        ("casparcg:caspar.log", None, r"a CasparCG log does not say which of the station's channels it played"),
        ("casparcg:", "HGTV", r"^'casparcg:': names no file; give casparcg:FILE\.$"),
        ("a.csv", "  ", r"^--channel: give the name"),
        ("", None, r"names no file"),
    ],
)
def test_a_source_that_cannot_be_read_is_one_sentence(spec, channel, said):
    with pytest.raises(InputError, match=said):
        as_run_source(spec, channel)
