"""The letter (công văn) a campaign answers, its `[source]` table, and the campaign's `status`: a draft is a
campaign whose words or window the station has not finished, and nothing draft goes on air.

`ticker draft LETTER` writes a draft with `status = "draft"` and a `[source]` saying what the letter gave and
what it did not (`missing`). `ticker check` and `render` refuse a draft in one sentence (draft_problem), the
nightly run leaves it out and lists it in the manifest's `unapproved`, `ticker schedule` marks its airings, and
the proof page says at its top that it is a draft. Whatever `missing` says, `status = "draft"` alone is what
makes a campaign a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

from ticker.campaign.tables import Table
from ticker.errors import InputError, Reason

Status = Literal["ready", "draft"]  # "draft": its words or window are not finished; it goes on no air
STATUSES: tuple[Status, ...] = get_args(Status)
# What a letter may not say (source.missing), and what that means for the station.
MISSING = {
    "crawl request": "the letter asks for no crawl (what it asks for is listed at the top of the file)",
    "crawl words": "the letter gives no words to crawl (write message[1].text)",
    "window start": "the letter does not say when the crawl starts (check campaign.start)",
    "window end": "the letter does not say when the crawl ends (set campaign.end)",
    "window over": "the letter's window ended before the letter was received (check campaign.start and end)",
    "airing times": "the letter sets no airing times (the [[slot]] times are the house's)",
    "web address": "the letter gives no web address for the QR code",
    "letter date": "the letter's date is blank",
    "letter number": "the letter's number is blank",
}
# The same, for the approver's page.
MISSING_VI = {
    "crawl request": "công văn không đề nghị chạy chữ (công văn đề nghị việc khác)",
    "crawl words": "công văn không nêu nội dung chữ chạy (nội dung do đài soạn, cần duyệt)",
    "window start": "công văn không nói ngày bắt đầu chạy chữ",
    "window end": "công văn không nói ngày kết thúc chạy chữ",
    "window over": "thời gian chạy chữ trong công văn đã qua trước ngày nhận công văn",
    "airing times": "công văn không quy định giờ phát (giờ phát là của đài)",
    "web address": "công văn không có địa chỉ web cho mã QR",
    "letter date": "công văn không ghi ngày",
    "letter number": "công văn không ghi số",
}
# The words `ticker draft` writes where the letter gives none: a campaign that still holds them stays a draft.
DRAFT_WORDS = "Lời chạy chữ chưa được viết: viết theo các ý của công văn ghi ở trên."
DRAFT_WORDS_KEPT = Reason(
    "still holds the words a draft is made with: write the crawl's own words before it leaves draft (or keep "
    'campaign.status = "draft")',
    "draft-words",
)
# The gaps that keep a campaign a draft; the other phrases are notes.
GAPS = ("crawl request", "crawl words", "window start", "window end", "window over")
SOURCE_KEYS = ["issuer", "number", "date", "place", "subject", "letter", "missing"]


@dataclass(frozen=True)
class Source:
    """The letter a campaign answers, as `ticker draft` read it."""

    issuer: str = ""  # "Sở Thông tin và Truyền thông Hậu Giang"
    number: str = ""  # "337/STTT-CNTT"
    date: dt.date | None = None  # the letter's date; None when it is blank
    place: str = ""  # "Hậu Giang"
    subject: str = ""  # what follows "V/v"
    letter: str = ""  # the file the campaign was drafted from
    missing: tuple[str, ...] = ()  # what the letter did not say: phrases of MISSING (others shown as they are)

    def as_json(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "place": self.place,
            "subject": self.subject,
            "letter": self.letter,
            "missing": list(self.missing),
        }


class Drafted(Protocol):
    """What draft_problem reads of a campaign (ticker.campaign.config.Campaign)."""

    @property
    def path(self) -> Path: ...
    @property
    def status(self) -> str: ...
    @property
    def source(self) -> Source | None: ...


def read_source(path: Path, table: Any) -> Source:
    """A campaign file's [source] table; every problem one sentence naming the key."""
    s = Table(path, "source", table, SOURCE_KEYS)
    date = s.get("date", None, dt.date)
    if isinstance(date, dt.datetime):
        s.fail("date", "must be a date without a time")
    missing = s.get("missing", [], list)
    if not all(isinstance(m, str) and m.strip() for m in missing):
        s.fail("missing", f"must be a list of phrases (such as {', '.join(repr(m) for m in GAPS[:2])})")
    return Source(
        issuer=s.get("issuer", "", str),
        number=s.get("number", "", str),
        date=date,
        place=s.get("place", "", str),
        subject=s.get("subject", "", str),
        letter=s.get("letter", "", str),
        missing=tuple(dict.fromkeys(m.strip() for m in missing)),
    )


def _missing(campaign: Drafted) -> tuple[str, ...]:
    return campaign.source.missing if campaign.source else ()


def gaps(campaign: Drafted) -> list[str]:
    """The phrases of `missing` that keep a draft a draft: the known gaps, and any phrase ticker does not know."""
    return [m for m in _missing(campaign) if m in GAPS or m not in MISSING]


def notes(campaign: Drafted) -> list[str]:
    """A sentence for each phrase of `missing` that is only a note (no airing times, no web address, …)."""
    return [f"{campaign.path}: {MISSING[m]}" for m in _missing(campaign) if m in MISSING and m not in GAPS]


def _why(campaign: Drafted) -> tuple[str, str]:
    """A draft's gaps, and when to delete its status."""
    found = gaps(campaign)
    reasons = "; ".join(MISSING.get(m, m) for m in found) or "its words or its window are not finished"
    return reasons, "the words are written" if "crawl words" in found else "its words and window are right"


def keep_draft_words_out(path: Path, tables: list[Any], texts: list[str], status: str) -> None:
    """Refuse (ConfigError at its message's text) a campaign that is not a draft but whose message is still
    DRAFT_WORDS, however spaced: ticker's own stand-in never goes on air."""
    found = next((i for i, t in enumerate(texts, 1) if " ".join(t.split()) == DRAFT_WORDS), 0)
    if status != "draft" and found:
        table = tables[found - 1]
        Table(path, f"message[{found}]", table, list(table)).fail("text", DRAFT_WORDS_KEPT, DRAFT_WORDS)


def draft_problem(campaign: Drafted) -> str | None:
    """None for a ready campaign; for a draft, one sentence naming the file, the gaps and what to do."""
    if campaign.status != "draft":
        return None
    reasons, when = _why(campaign)
    return (
        f'{campaign.path}: campaign.status is "draft": {reasons}; '
        f'delete status = "draft" when {when}, to put it on air.'
    )


def left_out(campaign: Drafted, name: str) -> str | None:
    """The nightly log's sentence for a draft it leaves out (None for a ready campaign)."""
    if campaign.status != "draft":
        return None
    reasons, when = _why(campaign)
    return (
        f'{name}: a draft (campaign.status = "draft"): not put on air: {reasons}; '
        f'delete status = "draft" in {campaign.path} when {when}.'
    )


def draft_reasons_vi(campaign: Drafted) -> list[str]:
    """What keeps a draft off the air, in Vietnamese, for the proof page ([] for a ready campaign)."""
    if campaign.status != "draft":
        return []
    return [MISSING_VI.get(m, m) for m in gaps(campaign)] or ["nội dung hoặc thời gian phát chưa hoàn tất"]


def on_air(campaign: Drafted) -> list[str]:
    """Refuse a draft (InputError: nothing draft goes on air); for a ready campaign, the notes about its letter."""
    if problem := draft_problem(campaign):
        raise InputError(problem)
    return notes(campaign)
