"""A campaign's status and the letter it answers ([source]) as ticker.campaign.config reads them, and the one sentence
that says why a draft is not on air, for each thing a letter may not say."""

from __future__ import annotations

import datetime as dt

import pytest

from ticker.campaign.config import load_campaign
from ticker.campaign.provenance import GAPS, MISSING, Source, draft_problem, left_out, notes, on_air
from ticker.errors import ConfigError, InputError
from ticker.review.proof import draft_banner, letter_section

from support.campaigns import MINIMAL, write_campaign

DRAFT = MINIMAL.replace("end = 2020-03-15", 'end = 2020-03-15\nstatus = "draft"')
SOURCE = """
[source]
issuer = "Sở Thông tin và Truyền thông Hậu Giang"
number = "337/STTT-CNTT"
date = 2020-03-11
place = "Hậu Giang"
subject = "tuyên truyền ứng dụng NCOVI"
letter = "letters/337-STTT-CNTT.txt"
missing = ["window end", "airing times"]
"""


def _missing(*phrases: str) -> str:
    return "\n[source]\nmissing = [" + ", ".join(f'"{p}"' for p in phrases) + "]\n"


def test_a_campaign_is_ready_and_answers_no_letter_unless_its_file_says_so(tmp_path):
    campaign = load_campaign(write_campaign(tmp_path))
    assert (campaign.status, campaign.source) == ("ready", None)
    assert draft_problem(campaign) is None and on_air(campaign) == [] and notes(campaign) == []


def test_status_and_source_are_read(tmp_path):
    campaign = load_campaign(write_campaign(tmp_path, SOURCE, base=DRAFT))
    assert campaign.status == "draft"
    assert campaign.source == Source(
        issuer="Sở Thông tin và Truyền thông Hậu Giang",
        number="337/STTT-CNTT",
        date=dt.date(2020, 3, 11),
        place="Hậu Giang",
        subject="tuyên truyền ứng dụng NCOVI",
        letter="letters/337-STTT-CNTT.txt",
        missing=("window end", "airing times"),
    )
    assert campaign.source.as_json()["date"] == "2020-03-11"
    assert load_campaign(write_campaign(tmp_path, "[source]\n", base=DRAFT)).source == Source()


@pytest.mark.parametrize(
    ("base", "extra", "message"),
    [
        (
            MINIMAL.replace("end = 2020-03-15", 'end = 2020-03-15\nstatus = "maybe"'),
            "",
            "campaign.status must be one of ready, draft (got 'maybe').",
        ),
        (
            MINIMAL.replace("end = 2020-03-15", "end = 2020-03-15\nstatus = true"),
            "",
            "campaign.status must be a string, not a boolean.",
        ),
        (
            MINIMAL.replace("end = 2020-03-15", 'end = 2020-03-15\nstatis = "draft"'),
            "",
            "campaign.statis is not a known key (did you mean 'status'?).",
        ),
        (MINIMAL, '[source]\nisuer = "Sở TTTT"\n', "source.isuer is not a known key (did you mean 'issuer'?)."),
        (MINIMAL, "[source]\nnumber = 337\n", "source.number must be a string, not int 337."),
        (MINIMAL, '[source]\ndate = "11/3/2020"\n', "source.date must be a date (YYYY-MM-DD), not str '11/3/2020'."),
        (MINIMAL, "[source]\ndate = 2020-03-11T08:00:00\n", "source.date must be a date without a time."),
        (MINIMAL, '[source]\nmissing = "crawl words"\n', "source.missing must be a list, not str 'crawl words'."),
        (
            MINIMAL,
            '[source]\nmissing = ["crawl words", 2]\n',
            "source.missing must be a list of phrases (such as 'crawl request', 'crawl words').",
        ),
        (MINIMAL, 'source = "337/STTT-CNTT"\n', "source must be a table, not str."),
    ],
    ids=[
        "bad-status",
        "status-boolean",
        "misspelt-status",
        "misspelt-issuer",
        "number-not-string",
        "date-as-text",
        "date-with-time",
        "missing-not-list",
        "missing-not-phrases",
        "source-not-table",
    ],
)
def test_a_bad_status_or_source_is_one_sentence_naming_the_key(tmp_path, base, extra, message):
    if extra.startswith("source ="):  # a top-level key must come before the first table
        base, extra = extra + base, ""
    cfg = write_campaign(tmp_path, extra, base=base)
    with pytest.raises(ConfigError) as e:
        load_campaign(cfg)
    assert str(e.value) == f"{cfg}: {message}"


def test_the_letters_example_sentence(tmp_path):
    cfg = write_campaign(tmp_path, _missing("crawl words", "window end"), base=DRAFT)
    assert draft_problem(load_campaign(cfg)) == (
        f'{cfg}: campaign.status is "draft": the letter gives no words to crawl (write message[1].text); '
        "the letter does not say when the crawl ends (set campaign.end); "
        'delete status = "draft" when the words are written, to put it on air.'
    )


@pytest.mark.parametrize("phrase", list(MISSING))
def test_each_thing_a_letter_may_not_say_is_said_in_the_sentence_or_as_a_note(tmp_path, phrase):
    cfg = write_campaign(tmp_path, _missing(phrase), base=DRAFT)
    campaign = load_campaign(cfg)
    problem = draft_problem(campaign)
    assert problem is not None and problem.startswith(f'{cfg}: campaign.status is "draft": ')
    if phrase in GAPS:
        assert MISSING[phrase] in problem and notes(campaign) == []
    else:  # only a note: the draft is a draft because of its status
        assert MISSING[phrase] not in problem and "its words or its window are not finished" in problem
        assert notes(campaign) == [f"{cfg}: {MISSING[phrase]}"]
    ready = load_campaign(write_campaign(tmp_path, _missing(phrase), name="ready.toml"))
    assert draft_problem(ready) is None  # whatever the letter left out, the status alone makes a draft


def test_a_draft_without_a_letter_and_an_unknown_phrase(tmp_path):
    cfg = write_campaign(tmp_path, base=DRAFT)
    assert draft_problem(load_campaign(cfg)) == (
        f'{cfg}: campaign.status is "draft": its words or its window are not finished; '
        'delete status = "draft" when its words and window are right, to put it on air.'
    )
    odd = load_campaign(write_campaign(tmp_path, _missing("the signature", "window start"), base=DRAFT))
    assert draft_problem(odd) == (
        f'{cfg}: campaign.status is "draft": the signature; the letter does not say when the crawl starts '
        '(check campaign.start); delete status = "draft" when its words and window are right, to put it on air.'
    )
    assert left_out(odd, "haugiang") == (
        'haugiang: a draft (campaign.status = "draft"): not put on air: the signature; the letter does not say when '
        f'the crawl starts (check campaign.start); delete status = "draft" in {cfg} when its words and window are '
        "right."
    )


def test_on_air_refuses_a_draft_and_gives_a_ready_campaigns_notes(tmp_path):
    cfg = write_campaign(tmp_path, SOURCE, base=DRAFT)
    with pytest.raises(InputError) as e:
        on_air(load_campaign(cfg))
    assert str(e.value).startswith(f'{cfg}: campaign.status is "draft": the letter does not say when the crawl ends')
    cfg = write_campaign(tmp_path, SOURCE)
    assert on_air(load_campaign(cfg)) == [f"{cfg}: {MISSING['airing times']}"]


def test_the_proof_pages_banner_and_letter_section(tmp_path):
    source = load_campaign(write_campaign(tmp_path, SOURCE)).source
    assert source is not None
    section = letter_section({**source.as_json(), "subject": "<script>alert(1)</script>"})
    assert "<h2>Công văn</h2>" in section and "Số: 337/STTT-CNTT" in section
    assert "Hậu Giang, ngày 11/3/2020" in section and "<script>" not in section
    assert "V/v &lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "không ghi ngày" in letter_section({**source.as_json(), "date": None})
    assert letter_section(None) == "" and draft_banner({"status": "ready"}) == ""
    banner = draft_banner({"status": "draft", "draft_vi": ["công văn không nói ngày kết thúc chạy chữ"]})
    assert "BẢN NHÁP — chưa phát: công văn không nói ngày kết thúc chạy chữ." in banner
