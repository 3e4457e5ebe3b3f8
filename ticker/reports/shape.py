"""The shape of what the report back says about a campaign (ticker.reports.facts makes it, from the records;
ticker.reports.words, .docx and .html lay it out): JSON-ready data, dates ISO and in Vietnamese form."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

# What became of an airing (ticker.records.count), and "not yet" for one after the report's moment
AiringState = Literal["aired", "partial", "missed", "delivered", "not delivered", "not yet", "left out", "no records"]
# What a day (of one channel) is: done (its airings accounted for), or why its count is nothing
DayState = Literal["done", "not delivered", "incomplete", "not yet", "left out", "no records"]
# On what a row's count stands: the strongest source that listened, else the files delivered
Basis = Literal["seen", "inserted", "played", "delivered", "none"]


class AiringFacts(TypedDict):
    time: str  # 06:30
    state: AiringState
    sources: list[str]  # the records' sources that saw it aired (watch, air, playout-log, csv)


class ExtraFacts(TypedDict):
    """An airing of the campaign a source reports that no scheduled airing explains."""

    time: str
    channel: str
    file: str
    source: str


class RowFacts(TypedDict):
    """A day on one channel ("" for every channel; `channel_vn` as the letter says it)."""

    channel: str
    channel_vn: str
    state: DayState
    basis: Basis
    airings: list[AiringFacts]
    scheduled: int  # airings the day had (that night's plan when it has a record, else the campaign's)
    count: int  # airings counted on the row's basis: aired (played and above) or delivered
    reason: str  # why a day was left out or incomplete, in Vietnamese ("" when nothing to say)


class DayFacts(TypedDict):
    date: str
    date_vn: str
    weekday: str
    rows: list[RowFacts]
    extra: list[ExtraFacts]


class Approval(TypedDict):
    by: str
    at: str
    key: str


class Version(TypedDict):
    """The words as they aired over some days (the night's record of them), with the approval they aired under."""

    words: list[str]
    days: list[str]  # ISO dates, in order
    first_vn: str
    last_vn: str
    approval: Approval | None


class FileFacts(TypedDict):
    path: str
    sha256: str
    bytes: int
    days: list[str]  # the days it was delivered for (ISO)


class SealFacts(TypedDict):
    """A day's records as sealed: unchanged, altered (and how), not sealed yet, or none."""

    date: str
    date_vn: str
    state: Literal["unchanged", "altered", "unsealed", "no records"]
    chain: str
    said: list[str]


Window = TypedDict("Window", {"from": str | None, "to": str | None})  # "from" is a keyword


class Totals(TypedDict):
    scheduled: int  # airings of the days reached
    count: int  # counted, on each row's basis
    aired: int  # of which aired (played or better)
    delivered: int  # of which delivered only (no log or watch said whether they aired)
    missed: int
    extra: int
    not_yet: int  # airings after the report's moment


class Facts(TypedDict):
    ticker: str
    campaign: str
    title: str  # the desk's title: never quoted in the letter (the words are)
    file: str
    date: str  # the report's date (ISO)
    date_line: str  # "Hậu Giang, ngày 16 tháng 3 năm 2020"
    as_of: str  # the moment the report counts up to (ISO 8601 with offset)
    interim: bool  # asked before the window's last airing: an interim report up to as_of
    station: dict[str, str]  # name, short, place, signer_title, signer
    source: dict[str, Any] | None  # the campaign's [source] (the letter it answers): number, date, issuer, subject
    window: Window
    days: list[DayFacts]
    bases: dict[str, list[str]]  # basis → the ISO days counted on it (in order): says what the count stands on
    totals: Totals
    versions: list[Version]
    files: list[FileFacts]
    seals: list[SealFacts]
    problems: list[str]  # records files or lines that are not ticker's (never counted)
    records: bool  # whether a records folder was read at all
