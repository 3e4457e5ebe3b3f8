"""The versions of a campaign that may be on air on a channel on a day, and which of them an airing showed.

What airs is what the night delivered, not the campaign file as it is now: the versions are the words each
delivery of the day froze in the records (the last delivery of the same words standing for them), and the file's
own words when no delivery has them (a campaign watched without a night, or edited since). Each is looked for.

Versions share most of their track, so on the part they share every version's tracker follows the airing; only
where they differ does one follow it and the others lose it. An airing is told to be one version when that
version alone followed it for DIFFER seconds or more; otherwise its version is uncertain, and the record names
every version it may be."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ticker.records import Delivery, Record, Source

DIFFER = 1.0  # seconds one version alone must have been seen for the airing to be told to be it

Span = tuple[float, float]


@dataclass(frozen=True)
class Version:
    """A campaign's words as they air, the content key they were made under and the files delivered of them."""

    key: str
    words: tuple[str, ...]
    files: tuple[str, ...] = ()


def versions_of(campaign: str, channel: str, now: Version, delivered: Iterable[Record]) -> list[Version]:
    """The versions to look for (module docstring): the day's deliveries of the campaign to the channel, oldest
    first, then `now` (the file's own) unless a delivery has its words."""
    found: dict[tuple[str, ...], Version] = {}
    deliveries = [r.fact for r in delivered if r.source == Source.NIGHTLY and isinstance(r.fact, Delivery)
                  and r.fact.campaign == campaign and r.channel in (channel, "")]  # fmt: skip
    for d in sorted(deliveries, key=lambda d: d.version):
        found.pop(d.words, None)  # the last delivery of the same words stands for them
        found[d.words] = Version(d.key, d.words, tuple(f.path for f in d.files))
    if now.words not in found:
        found[now.words] = now
    return list(found.values())


def _length(spans: list[Span]) -> float:
    """The time the spans cover (each counted once)."""
    total, end = 0.0, -float("inf")
    for a, b in sorted(spans):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def _alone(mine: list[Span], others: list[Span]) -> float:
    """The time `mine` covers that `others` do not."""
    both = [(max(a, c), min(b, d)) for a, b in mine for c, d in others if min(b, d) > max(a, c)]
    return _length(mine) - _length(both)


def told(spans: dict[int, list[Span]]) -> int | None:
    """Which version (its index) the airing was, from the spans each version's tracker followed it; None when
    no one version alone was followed DIFFER seconds or more, or when more than one was."""
    alone = [k for k, mine in spans.items()
             if _alone(mine, [s for j, theirs in spans.items() if j != k for s in theirs]) >= DIFFER]  # fmt: skip
    if len(spans) == 1:
        return next(iter(spans))
    return alone[0] if len(alone) == 1 else None
