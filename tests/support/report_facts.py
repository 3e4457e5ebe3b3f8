"""Report facts (ticker.reports.shape.Facts) written by hand, for the tests of the letter's words and layout:
a window aired whole, an interim report, one without [source], words changed mid-window, airings missed, aired
besides and cut short, and a window long enough to fill pages. The totals and bases follow from the rows, as the
facts' maker makes them."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from ticker.reports.shape import (
    AiringFacts,
    AiringState,
    Basis,
    DayFacts,
    DayState,
    ExtraFacts,
    Facts,
    FileFacts,
    RowFacts,
    SealFacts,
    Version,
)

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
START = dt.date(2020, 3, 12)
TIMES = ("06:30", "12:00", "19:45")
WORDS = [
    "Đề nghị người dân tải ứng dụng Khai báo y tế phòng dịch NCOVI tại địa chỉ: (quét mã QR bên cạnh) để được hỗ "
    "trợ nhanh nhất từ cơ quan y tế."
]
NEW_WORDS = ["Người dân khai báo y tế qua ứng dụng NCOVI hoặc tại trạm y tế xã, phường, thị trấn."]
TITLE = "Hậu Giang — chiến dịch nội bộ NCOVI"  # the desk's name for it: never in the letter
STATION = {
    "name": "Công ty TNHH Truyền hình cáp Hậu Giang",
    "short": "HGCTV",
    "place": "Hậu Giang",
    "signer_title": "Giám đốc",
    "signer": "Nguyễn Văn An",
}
SOURCE = {
    "issuer": "Sở Thông tin và Truyền thông Hậu Giang",
    "number": "337/STTT-CNTT",
    "date": "2020-03-10",
    "place": "Hậu Giang",
    "subject": "tuyên truyền cài đặt ứng dụng NCOVI",
    "letter": "",
    "missing": [],
}
COUNTED = {"aired", "delivered"}  # "đã phát" needs a full pass: a partial airing is not counted


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def vn(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def row(
    states: Iterable[AiringState] | None = None,
    *,
    state: DayState = "done",
    basis: Basis = "played",
    channel: str = "HGTV",
    times: Iterable[str] = TIMES,
    reason: str = "",
) -> RowFacts:
    """A day on a channel: its airings' states in the order of `times` (all aired unless said)."""
    times = list(times)
    said: list[AiringState] = list(states) if states is not None else ["aired"] * len(times)
    airings: list[AiringFacts] = [
        {"time": t, "state": s, "sources": ["playout-log"] if s in ("aired", "partial") else []}
        for t, s in zip(times, said)
    ]
    return {
        "channel": channel,
        "channel_vn": channel or "tất cả các kênh",
        "state": state,
        "basis": basis if state == "done" else "none",
        "airings": airings,
        "scheduled": len(airings),
        "count": sum(a["state"] in COUNTED for a in airings) if state == "done" else 0,
        "reason": reason,
    }


def day(when: dt.date, *rows: RowFacts, extra: list[ExtraFacts] | None = None) -> DayFacts:
    return {
        "date": when.isoformat(),
        "date_vn": vn(when),
        "weekday": WEEKDAYS[when.weekday()],
        "rows": list(rows) or [row()],
        "extra": extra or [],
    }


def version(words: list[str], days: list[dt.date]) -> Version:
    return {
        "words": words,
        "days": [d.isoformat() for d in days],
        "first_vn": vn(days[0]),
        "last_vn": vn(days[-1]),
        "approval": {"by": "Trần Văn Bình", "at": "2020-03-11T16:00:00+07:00", "key": sha("approval")[:16]},
    }


def facts(
    days: list[DayFacts],
    *,
    versions: list[Version] | None = None,
    source: dict | None = SOURCE,
    as_of: str = "2020-03-16T08:00:00+07:00",
    interim: bool = False,
    report_day: dt.date = dt.date(2020, 3, 16),
) -> Facts:
    """Whole facts around `days`: files, seals, bases and totals follow from the rows."""
    rows = [r for d in days for r in d["rows"]]
    reached = [d for d in days if any(r["state"] != "not yet" for r in d["rows"])]
    bases: dict[str, list[str]] = {}
    for d in days:
        for b in dict.fromkeys(r["basis"] for r in d["rows"]):
            bases.setdefault(b, []).append(d["date"])
    airings = [a for r in rows for a in r["airings"]]
    files: list[FileFacts] = [
        {"path": f"ncovi_576i50_qtrle_loop_{d['date']}.mov", "sha256": sha(d["date"]), "bytes": 48_211_968,
         "days": [d["date"]]}
        for d in reached
        if any(r["state"] == "done" for r in d["rows"])
    ]  # fmt: skip
    seals: list[SealFacts] = [
        {
            "date": d["date"],
            "date_vn": d["date_vn"],
            "state": "unchanged",
            "chain": sha("chain" + d["date"]),
            "said": [],
        }
        for d in reached
    ]
    if versions is None:
        versions = [version(WORDS, [dt.date.fromisoformat(d["date"]) for d in reached])] if reached else []
    return {
        "ticker": "test",
        "campaign": "ncovi",
        "title": TITLE,
        "file": "campaigns/ncovi.toml",
        "date": report_day.isoformat(),
        "date_line": f"Hậu Giang, ngày {report_day.day:02d} tháng {report_day.month} năm {report_day.year}",
        "as_of": as_of,
        "interim": interim,
        "station": dict(STATION),
        "source": dict(source) if source is not None else None,
        "window": {"from": days[0]["date"], "to": days[-1]["date"]},
        "days": days,
        "bases": bases,
        "totals": {
            "scheduled": sum(a["state"] != "not yet" for a in airings),
            "count": sum(r["count"] for r in rows),
            "aired": sum(a["state"] == "aired" for r in rows if r["state"] == "done" for a in r["airings"]),
            "delivered": sum(a["state"] == "delivered" for a in airings),
            "missed": sum(a["state"] == "missed" for a in airings),
            "extra": sum(len(d["extra"]) for d in days),
            "not_yet": sum(a["state"] == "not yet" for a in airings),
        },
        "versions": versions,
        "files": files,
        "seals": seals,
        "problems": [],
        "records": True,
    }


def window(n: int = 4) -> list[dt.date]:
    return [START + dt.timedelta(days=k) for k in range(n)]


def complete() -> Facts:
    """12–15/3/2020, three airings a day on HGTV, each in the playout log."""
    return facts([day(d) for d in window()])


def without_source() -> Facts:
    return facts([day(d) for d in window()], source=None)


def interim() -> Facts:
    """Asked at 13:00 on 13/3: the 12th done, the 13th's evening airing and the days after not yet."""
    d12, d13, d14, d15 = window()
    days = [
        day(d12),
        day(d13, row(["aired", "aired", "not yet"])),
        day(d14, row(["not yet"] * 3, state="not yet")),
        day(d15, row(["not yet"] * 3, state="not yet")),
    ]
    return facts(days, as_of="2020-03-13T13:00:00+07:00", interim=True, report_day=d13)


def two_versions() -> Facts:
    """The words changed from the third day (an approval voided and given again)."""
    days = window()
    return facts([day(d) for d in days], versions=[version(WORDS, days[:2]), version(WORDS + NEW_WORDS, days[2:])])


def trouble() -> Facts:
    """13/3: 19:45 missed and a run at 19:39 besides; 14/3: 12:00 cut short; 15/3: no log, the files delivered;
    a second row on the 12th for every channel."""
    d12, d13, d14, d15 = window()
    days = [
        day(d12, row(), row(channel="", times=["21:00"])),
        day(d13, row(["aired", "aired", "missed"]), extra=[{"time": "19:39", "channel": "HGTV", "file": "ncovi.mov",
                                                            "source": "playout-log"}]),
        day(d14, row(["aired", "partial", "aired"])),
        day(d15, row(["delivered"] * 3, basis="delivered")),
    ]  # fmt: skip
    return facts(days)


NO_FILE = "không có tệp cho 19:45"


def states() -> Facts:
    """Days that count nothing, each for its reason."""
    when = [START - dt.timedelta(days=1), *window()]
    days = [
        day(when[0], row(["no records"] * 3, state="no records")),
        day(when[1], row(["not delivered"] * 3, state="not delivered")),
        day(when[2], row(["left out"] * 3, state="left out", reason="lời chưa được duyệt lại sau khi sửa")),
        day(when[3], row(["delivered", "delivered", "not delivered"], state="incomplete", reason=NO_FILE)),
        day(when[4]),
    ]  # fmt: skip
    return facts(days)


def long_window(n: int = 40) -> Facts:
    """A window long enough that its table runs over pages, on two channels."""
    return facts([day(d, row(channel="HGTV"), row(channel="THVL1")) for d in window(n)])
