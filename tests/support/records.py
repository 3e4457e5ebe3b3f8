"""Records written by hand, as a night, a playout log or a watch would write them, for the report's tests."""

from __future__ import annotations

import datetime as dt

from ticker.records import (
    Aired,
    Approved,
    Covered,
    DeliveredFile,
    Delivery,
    LeftOut,
    Planned,
    Reading,
    Record,
    Source,
)

T = dt.timezone(dt.timedelta(hours=7))
WORDS = ("Đề nghị người dân tải ứng dụng NCOVI.",)
APPROVED = Approved("sha256:" + "a" * 64, "Trần Văn Bình", "2020-03-11T14:05:00+07:00")


def at(day: dt.date, hhmm: str) -> str:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(h, m), T).isoformat()


def delivery(
    day: dt.date,
    times: tuple[str, ...] = ("06:30", "19:45"),
    *,
    channel: str = "",
    words: tuple[str, ...] = WORDS,
    approval: Approved | None = APPROVED,
    version: int = 1,
    missing: tuple[str, ...] = (),
    name: str = "ncovi",
) -> Record:
    """A night's delivery: a loop serving every airing (but those `missing`)."""
    loop = f"{name}_576i50_qtrle_loop.mov"
    airings = tuple(Planned(at(day, t), 20.0, None, () if t in missing else (loop,)) for t in times)
    fact = Delivery(
        campaign=name,
        title="internal title",
        version=version,
        words=words,
        key=approval.key if approval else "sha256:" + "b" * 64,
        approval=approval,
        airings=airings,
        files=(DeliveredFile(loop, "cd" * 32, 1234),),
        complete=not missing,
        reason="files missing" if missing else "",
    )
    return Record(Source.NIGHTLY, channel, day, fact, written="2020-03-11T23:00:00+07:00")


def left_out(day: dt.date, why: str = "voided", name: str = "ncovi") -> Record:
    return Record(Source.NIGHTLY, "", day, LeftOut(name, why), written="x")  # type: ignore[arg-type]


def played(day: dt.date, hhmm: str, channel: str = "HGTV", file: str = "NCOVI_576I50_QTRLE_LOOP", *,
           source: Source = Source.CSV, full: bool | None = None) -> Record:  # fmt: skip
    return Record(source, channel, day, Aired(at(day, hhmm), file=file, full=full), written="x")


def covered(day: dt.date, channel: str = "HGTV", source: Source = Source.CSV) -> Record:
    start = dt.datetime.combine(day, dt.time(), T)
    return Record(
        source, channel, day, Covered(start.isoformat(), (start + dt.timedelta(days=1)).isoformat()), written="x"
    )


def reading(*records: Record, began: dt.date | None = dt.date(2020, 1, 1)) -> Reading:
    return Reading(tuple(records), (), began)
