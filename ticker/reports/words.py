"""The words of the report back, in Vietnamese, from the report's facts (ticker.reports.shape): the same
sentences, table rows and annexes for the Word letter (ticker.reports.docx) and the printable page
(ticker.reports.html). What the facts do not say is a dotted blank for the clerk, never left out; the words
quoted are those that aired, never the campaign's own title; checksums go to an annex, never the body."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ticker.campaign.calendar import vn_date
from ticker.reports.shape import DayFacts, Facts, RowFacts

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOTS = "………"  # a blank the clerk fills in
LONG_DOTS = "……………"
NUMBER_BLANK = " " * 8  # after "Số:": the number is the clerk's (văn thư), given when the letter is sent
AIRINGS_HEADER = ["Ngày", "Thứ", "Kênh", "Giờ phát", "Số lần", "Ghi chú"]
FILES_HEADER = ["Tệp", "SHA-256", "Dung lượng", "Ngày"]
SEALS_HEADER = ["Ngày", "Tình trạng hồ sơ", "Mã chuỗi niêm phong (SHA-256)"]
STILL_CAPTION = "Hình ảnh dòng chữ chạy trên sóng"
SEALS_LINE = (
    "Hồ sơ phát sóng của mỗi ngày được niêm phong bằng một chuỗi mã SHA-256 sau khi ngày kết thúc; "
    "mã chuỗi dưới đây cho phép kiểm tra lại hồ sơ không bị sửa đổi sau khi niêm phong."
)
PROBLEMS_LINE = "Các tệp hoặc dòng trong thư mục hồ sơ không do hệ thống ghi (không được tính):"
FILES_LINE = "Các tệp đã giao cho hệ thống phát sóng, với mã kiểm tra SHA-256 theo bản kê của từng ngày:"

# A row whose day is not done: what its Ghi chú says
DAY_STATE_VN = {
    "not yet": "chưa đến",
    "no records": "không có hồ sơ",
    "not delivered": "chưa giao tệp",
    "left out": "không phát",
    "incomplete": "thiếu tệp",
}
# An airing of a done day that did not simply air: "không phát lúc 19:45"
AIRING_STATE_VN = {
    "missed": "không phát lúc",
    "partial": "phát không trọn lượt lúc",
    "not delivered": "chưa giao tệp cho lúc",
    "left out": "không phát lúc",
    "not yet": "chưa đến giờ",
    "no records": "không có hồ sơ lúc",
}
BASIS_VN = {
    "seen": "theo ghi hình tín hiệu phát sóng",
    "inserted": "theo nhật ký chèn chữ",
    "played": "theo nhật ký phát",
    "delivered": "theo tệp đã giao (chưa có nhật ký phát)",
}
SEAL_STATE_VN = {
    "unchanged": "nguyên vẹn",
    "altered": "đã bị sửa sau khi niêm phong",
    "unsealed": "chưa niêm phong",
    "no records": "không có hồ sơ",
}
# How ticker.records.seal says what it found, in Vietnamese (anything else is shown as it is)
SAID_VN = [
    (re.compile(r"^(.+) changed after it was sealed$"), r"tệp \1 đã thay đổi sau khi niêm phong"),
    (re.compile(r"^(.+) is gone$"), r"tệp \1 không còn"),
    (re.compile(r"^not sealed yet: (.+)$"), r"chưa niêm phong: \1"),
    (
        re.compile(r"^the seal of (.+) does not follow from the one before it$"),
        r"lần niêm phong \1 không nối tiếp lần niêm phong trước",
    ),
]
ROMAN = ("I", "II", "III", "IV", "V")
AnnexKind = Literal["still", "files", "seals"]


@dataclass(frozen=True)
class Annex:
    """A Phụ lục: its number (I, II …), what it holds and its title."""

    number: str
    kind: AnnexKind
    title: str


ANNEX_TITLES: dict[AnnexKind, str] = {
    "still": "Hình ảnh dòng chữ chạy trên sóng",
    "files": "Danh sách tệp đã giao",
    "seals": "Niêm phong hồ sơ phát sóng",
}


def count_vn(n: int) -> str:
    """03 lần: counts as the station's reports write them."""
    return f"{n:02d} lần"


def vn(iso: str | None) -> str:
    """12/3/2020 for 2020-03-12 (or a moment on that day); a dotted blank for none."""
    return vn_date(dt.date.fromisoformat(iso[:10])) if iso else DOTS


def as_of_vn(facts: Facts) -> str:
    """The day and time the report counts up to: "20:00 ngày 13/3/2020"."""
    moment = dt.datetime.fromisoformat(facts["as_of"])
    return f"{moment:%H:%M} ngày {vn_date(moment.date())}"


def days_said(days: list[str]) -> str:
    """ISO days as a letter says them: "ngày 12/3/2020", "từ ngày 12/3/2020 đến ngày 14/3/2020", runs joined
    with "và"."""
    runs: list[list[dt.date]] = []
    for day in sorted({dt.date.fromisoformat(d) for d in days}):
        if runs and day - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [
        f"ngày {vn_date(r[0])}" if len(r) == 1 else f"từ ngày {vn_date(r[0])} đến ngày {vn_date(r[-1])}" for r in runs
    ]
    if not parts:
        return f"ngày {DOTS}"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def heading(facts: Facts) -> str:
    return (facts["station"].get("name") or LONG_DOTS).upper()


def number_parts(facts: Facts) -> tuple[str, str]:
    """("Số:", "/BC-HGCTV"): the blank between them is the clerk's."""
    short = facts["station"].get("short", "")
    return "Số:", f"/BC-{short}" if short else "/BC"


def number_line(facts: Facts) -> str:
    before, after = number_parts(facts)
    return before + NUMBER_BLANK + after


def subject(facts: Facts) -> str:
    """What the letter answered is about, as the title and the body say it: without "V/v" and its full stop."""
    said = str((facts["source"] or {}).get("subject") or "").strip()
    said = re.sub(r"^(v/v|về việc)\s*:?\s*", "", said, flags=re.IGNORECASE).strip().rstrip(".").strip()
    if said[1:2].islower():  # "Tuyên truyền cài đặt …" after other words; "NCOVI …" as it is
        said = said[:1].lower() + said[1:]
    return said


def title_lines(facts: Facts) -> list[str]:
    """BÁO CÁO (SƠ BỘ), what it reports on with "tuyên truyền" once, and for an interim report up to when."""
    about = subject(facts)
    if re.match(r"tuyên truyền\b", about, re.IGNORECASE):
        what = f"Kết quả thực hiện chạy chữ {about}"
    elif re.search(r"tuyên truyền\b", about, re.IGNORECASE):
        what = f"Kết quả thực hiện chạy chữ về {about}"
    else:
        what = f"Kết quả thực hiện chạy chữ tuyên truyền về {about or DOTS}"
    if facts["interim"]:
        return ["BÁO CÁO SƠ BỘ", what, f"(đến ngày {vn(facts['as_of'])})"]
    return ["BÁO CÁO", what]


def addressee(facts: Facts) -> str:
    """Kính gửi: always; dots for the clerk when the letter answered is not known."""
    issuer = str((facts["source"] or {}).get("issuer") or "").strip().rstrip(".")
    return f"Kính gửi: {issuer}." if issuer else f"Kính gửi: {LONG_DOTS}"


def cited(facts: Facts) -> str:
    """Thực hiện Công văn số … ngày … của … về việc …, STATION báo cáo …: dots for what [source] does not say."""
    s = facts["source"] or {}
    number = str(s.get("number") or "").strip() or DOTS
    issuer = str(s.get("issuer") or "").strip().rstrip(".") or DOTS
    about = subject(facts) or DOTS
    station = facts["station"].get("name") or DOTS
    what = "báo cáo sơ bộ kết quả thực hiện" if facts["interim"] else "báo cáo kết quả thực hiện"
    return (
        f"Thực hiện Công văn số {number} ngày {vn(s.get('date'))} của {issuer} về việc {about}, "
        f"{station} {what} như sau:"
    )


def time_line(facts: Facts) -> str:
    window = facts["window"]
    said = f"1. Thời gian thực hiện: từ ngày {vn(window['from'])} đến ngày {vn(window['to'])}"
    if facts["interim"]:
        return said + f"; báo cáo này tính đến {as_of_vn(facts)}, các lần phát sau thời điểm đó chưa được tính."
    return said + "."


def content(facts: Facts) -> tuple[str, list[str]]:
    """The words as they aired, quoted: per version with its days when they changed; never the desk's title."""
    versions = facts["versions"]
    if not versions:
        return "2. Nội dung: không có hồ sơ nội dung đã phát trong thời gian báo cáo.", []
    if len(versions) == 1:
        return "2. Nội dung dòng chữ chạy đã phát:", [f"«{w}»" for w in versions[0]["words"]]
    lines = [f"{_cap(days_said(v['days']))}: " + " ".join(f"«{w}»" for w in v["words"]) for v in versions]
    return "2. Nội dung dòng chữ chạy đã phát (nội dung thay đổi trong thời gian thực hiện):", lines


def result_line(facts: Facts) -> str:
    return f"3. Kết quả thực hiện (tính đến {as_of_vn(facts)}):" if facts["interim"] else "3. Kết quả thực hiện:"


def _extras(day: DayFacts, row: RowFacts, first: bool) -> list[str]:
    """The day's extras on this row: those of its channel, and on the day's first row those of no row's."""
    channels = {r["channel"] for r in day["rows"]}
    return [
        f"{e['time']} ({e['channel'] or 'không rõ kênh'})"
        for e in day["extra"]
        if e["channel"] == row["channel"] or (first and e["channel"] not in channels)
    ]


def row_note(day: DayFacts, row: RowFacts, first: bool = True) -> str:
    """Ghi chú: why a day counts nothing, or which airings did not simply air, and what aired besides."""
    notes = []
    if row["state"] != "done":
        notes.append(DAY_STATE_VN[row["state"]] + (f": {row['reason']}" if row["reason"] else ""))
    else:
        for state, words in AIRING_STATE_VN.items():
            times = [a["time"] for a in row["airings"] if a["state"] == state]
            if times:
                why = f" ({row['reason']})" if state == "left out" and row["reason"] else ""
                notes.append(f"{words} {', '.join(times)}{why}")
    extra = _extras(day, row, first)
    if extra:
        notes.append("phát thêm lúc " + ", ".join(extra))
    return "; ".join(notes)


def airing_rows(facts: Facts) -> list[list[str]]:
    """Ngày | Thứ | Kênh | Giờ phát | Số lần | Ghi chú: one row per day and channel."""
    rows = []
    for d in facts["days"]:
        if not d["rows"]:
            extra = ", ".join(f"{e['time']} ({e['channel'] or 'không rõ kênh'})" for e in d["extra"])
            rows.append([d["date_vn"], d["weekday"], "—", "—", count_vn(0), f"phát thêm lúc {extra}" if extra else ""])
        for k, r in enumerate(d["rows"]):
            times = ", ".join(a["time"] for a in r["airings"]) or "—"
            rows.append(
                [d["date_vn"], d["weekday"], r["channel_vn"], times, count_vn(r["count"]), row_note(d, r, k == 0)]
            )
    return rows


def total_line(facts: Facts) -> str:
    return f"Tổng cộng: {facts['totals']['count']:02d} lần phát"


def basis_line(facts: Facts) -> str:
    """One sentence: on what the count stands, with the days of each when there are several."""
    bases = [(b, days) for b, days in facts["bases"].items() if b in BASIS_VN and days]
    if not bases:
        return "Chưa có hồ sơ nào để tính số lần phát."
    if len(bases) == 1:
        return f"Số lần phát được tính {BASIS_VN[bases[0][0]]}."
    bases.sort(key=lambda b: min(b[1]))
    return "Số lần phát được tính " + "; ".join(f"{BASIS_VN[b]} {days_said(d)}" for b, d in bases) + "."


def against_schedule_line(facts: Facts) -> str | None:
    """The airings missed and aired besides, against the schedule, and those not yet due; None when there are
    none."""
    t = facts["totals"]
    parts = []
    if t["missed"]:
        parts.append(f"không phát {count_vn(t['missed'])}")
    if t["extra"]:
        parts.append(f"phát thêm ngoài lịch {count_vn(t['extra'])} (không tính vào tổng cộng)")
    said = ("So với lịch phát: " + "; ".join(parts) + ".") if parts else ""
    if t["not_yet"]:
        said += f" Còn {count_vn(t['not_yet'])} phát theo lịch chưa đến giờ, chưa được tính."
    return said.strip() or None


def closing(facts: Facts) -> str:
    if facts["interim"]:
        return f"Trên đây là báo cáo sơ bộ kết quả thực hiện đến ngày {vn(facts['as_of'])}, kính báo cáo./."
    return "Trên đây là báo cáo kết quả thực hiện, kính báo cáo./."


def annexes(facts: Facts, still: bool) -> list[Annex]:
    """The annexes the facts fill, numbered I, II …: an empty one is left out."""
    filled: list[tuple[AnnexKind, bool]] = [
        ("still", still),
        ("files", bool(facts["files"])),
        ("seals", bool(facts["seals"] or facts["problems"])),
    ]
    kinds = [k for k, there in filled if there]
    return [Annex(ROMAN[i], k, ANNEX_TITLES[k]) for i, k in enumerate(kinds)]


def attached_line(facts: Facts, still: bool) -> str | None:
    found = annexes(facts, still)
    if not found:
        return None
    return "Kèm theo báo cáo: " + "; ".join(f"Phụ lục {a.number}. {a.title}" for a in found) + "."


def annex_lines(facts: Facts, annex: Annex) -> tuple[str, str, str]:
    """Phụ lục I, its title in capitals, and the report it goes with."""
    station = facts["station"].get("name") or DOTS
    of = f"(Kèm theo Báo cáo ngày {vn(facts['date'])} của {station})"
    return f"Phụ lục {annex.number}", annex.title.upper(), of


def file_rows(facts: Facts) -> list[list[str]]:
    return [
        [f["path"], f["sha256"], f"{f['bytes']:,}".replace(",", ".") + " byte", ", ".join(vn(x) for x in f["days"])]
        for f in facts["files"]
    ]


def said_vn(said: str) -> str:
    for pattern, words in SAID_VN:
        if pattern.match(said):
            return pattern.sub(words, said)
    return said


def seal_rows(facts: Facts) -> list[list[str]]:
    """Ngày | Tình trạng hồ sơ | Mã chuỗi: "đã bị sửa sau khi niêm phong: …" says what changed."""
    rows = []
    for s in facts["seals"]:
        state = SEAL_STATE_VN[s["state"]]
        said = [said_vn(x) for x in s["said"]]
        rows.append([s["date_vn"], f"{state}: {'; '.join(said)}" if said else state, s["chain"] or "—"])
    return rows
