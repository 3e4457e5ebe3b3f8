"""The station's own names as a campaign file's top-level `[operator]` table once gave them (usually one house
file's). They are the station file's now (ticker.station): the table is still read, so that such files load,
and `ticker check` notes that it is no longer read (remarks)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ticker.campaign.tables import Table
from ticker.errors import Remark

if TYPE_CHECKING:
    from ticker.campaign.config import Campaign

OPERATOR_KEYS = ["name", "short", "place", "signer_title", "signer"]


@dataclass(frozen=True)
class Operator:
    """Who reports back: "Công ty TNHH Truyền hình cáp Hậu Giang", short "HGCTV" (for "Số: …/BC-HGCTV")."""

    name: str
    short: str = ""
    place: str = ""  # the place of the date line ("Hậu Giang, ngày …"); default: the letter's
    signer_title: str = "GIÁM ĐỐC"
    signer: str = ""  # the signer's name; may be left for the hand that signs

    def as_json(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in OPERATOR_KEYS}


def read_operator(path: Path, table: Any) -> Operator:
    """A campaign file's [operator] table; every problem one sentence naming the key."""
    t = Table(path, "operator", table, OPERATOR_KEYS)
    name = t.get("name", "", str).strip()
    if not name:
        t.fail("name", "must name the station or company that reports (such as 'Công ty TNHH Truyền hình cáp …')")
    return Operator(
        name=name,
        short=t.get("short", "", str).strip(),
        place=t.get("place", "", str).strip(),
        signer_title=t.get("signer_title", "GIÁM ĐỐC", str).strip(),
        signer=t.get("signer", "", str).strip(),
    )


OPERATOR_GONE = "[operator] is no longer read: the station's names are in station.toml"


def remarks(campaign: Campaign) -> list[Remark]:
    """Notes on what a campaign file holds that ticker reads no longer (`ticker check` prints them)."""
    if campaign.operator is None:
        return []
    return [Remark(f"{campaign.path}: {OPERATOR_GONE}", "operator", OPERATOR_GONE)]
