"""Which versions of a campaign are looked for on a channel's day, and which one an airing is told to be, from the
spans each version's tracker followed it."""

from __future__ import annotations

import datetime as dt

import pytest

from ticker.records import Clock, DeliveredFile, Delivery, Record, Source
from ticker.watch.versions import Version, told, versions_of

CLOCK = Clock("host", "synchronised", "adjtimex")


def delivery(version: int, words: str, key: str, channel: str = "HGTV", campaign: str = "ncovi") -> Record:
    fact = Delivery(campaign, campaign, version, (words,), key, None, (), (DeliveredFile(f"{key}.mov", "0" * 64, 1),),
                    True)  # fmt: skip
    return Record(Source.NIGHTLY, channel, dt.date(2020, 3, 12), fact, CLOCK)


def test_the_versions_are_the_days_deliveries_then_the_files_own_words():
    now = Version("sha256:now", ("Đề nghị người dân tải ứng dụng PC-COVID.",))
    records = [delivery(1, "A", "sha256:a"), delivery(2, "B", "sha256:b"), delivery(3, "A", "sha256:a2"),
               delivery(1, "C", "sha256:c", channel="VTV1"),
               delivery(1, "D", "sha256:d", campaign="other")]  # fmt: skip
    found = versions_of("ncovi", "HGTV", now, records)
    assert [(v.words, v.key) for v in found] == [(("B",), "sha256:b"), (("A",), "sha256:a2"), (now.words, now.key)]
    assert found[1].files == ("sha256:a2.mov",)


def test_the_files_words_delivered_are_the_delivered_version():
    now = Version("sha256:now", ("A",))
    assert versions_of("ncovi", "HGTV", now, [delivery(1, "A", "sha256:a")]) == [
        Version("sha256:a", ("A",), ("sha256:a.mov",))
    ]


@pytest.mark.parametrize(
    ("spans", "which"),
    [
        ({0: [(0.0, 6.0)]}, 0),  # one version: it
        ({0: [(0.0, 6.0)], 1: [(1.7, 2.4)]}, 0),  # the other followed only the part they share
        ({0: [(0.0, 2.0), (4.0, 6.0)], 1: [(0.0, 6.0)]}, 1),  # 2 s where only the second was followed
        ({0: [(0.0, 1.4)], 1: [(0.0, 1.0)]}, None),  # 0.4 s alone: not enough to tell
        ({0: [(0.0, 3.0)], 1: [(1.0, 5.0)]}, None),  # each alone for a second or more: not one
        ({0: [(0.0, 1.0), (0.5, 1.5)], 1: [(0.0, 0.5)]}, 0),  # its own spans counted once: 1.0 s alone
    ],
)
def test_an_airing_is_told_to_be_the_version_alone_on_screen_for_a_second(spans, which):
    assert told(spans) == which
