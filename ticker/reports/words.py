"""The words of the report back, in Vietnamese, from the facts of ticker.reports.facts: the same sentences and table
rows for the Word letter (ticker.reports.docx) and the printable page (ticker.reports.html)."""

from __future__ import annotations

import datetime as dt
import re

from ticker.campaign.calendar import vn_date
from ticker.reports.facts import Facts, count_vn

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
AIRINGS_HEADER = ["Ngày", "Thứ", "Kênh", "Giờ phát", "Số lần"]
FILES_HEADER = ["Tệp", "SHA-256", "Dung lượng", "Ngày"]
DELIVERY_VN = {"complete": "đủ", "incomplete": "chưa đủ", "not delivered": "chưa giao tệp", "not asked": ""}
REASONS_VN = {"no manifest": "không có bản kê manifest.json của ngày", "no files": "bản kê không có tệp nào"}


def _vn(iso: str | None) -> str:
    return vn_date(dt.date.fromisoformat(iso)) if iso else "…"


def heading(facts: Facts) -> str:
    return facts["operator"]["name"].upper()


def number_line(facts: Facts) -> str:
    """Số:      /BC-HGCTV: the number is left for the clerk (văn thư) who sends the letter."""
    short = facts["operator"]["short"]
    return f"Số:        /BC-{short}" if short else "Số:        /BC"


def title_lines(facts: Facts) -> tuple[str, str]:
    subject = (facts["source"] or {}).get("subject", "").strip().rstrip(".")
    if re.match(r"tuyên truyền\b", subject, re.IGNORECASE):  # "V/v tuyên truyền ứng dụng …": said once
        return "BÁO CÁO", f"Kết quả thực hiện chạy chữ {subject}"
    return "BÁO CÁO", "Kết quả thực hiện chạy chữ tuyên truyền" + (f" về {subject}" if subject else "")


def letter_cited(facts: Facts) -> str:
    """Công văn số 337/STTT-CNTT ngày 10/3/2020 của Sở … về việc …: as much as the [source] table says."""
    s = facts["source"] or {}
    words = "Công văn" + (f" số {s['number']}" if s.get("number") else "")
    words += f" ngày {_vn(s['date'])}" if s.get("date") else ""
    words += f" của {s['issuer']}" if s.get("issuer") else ""
    return words + (f" về việc {s['subject'].strip().rstrip('.')}" if s.get("subject") else "")


def body(facts: Facts) -> list[str]:
    window = facts["window"]
    said = [
        f"Thực hiện {letter_cited(facts)}, {facts['operator']['name']} báo cáo kết quả thực hiện như sau:",
        f"1. Thời gian thực hiện: từ ngày {_vn(window['from'])} đến ngày {_vn(window['to'])}.",
        f"2. Nội dung: chạy chữ tuyên truyền «{facts['title']}» theo lịch phát dưới đây.",
    ]
    return said


def airing_rows(facts: Facts) -> list[list[str]]:
    """One row per day and group of channels (a day with no airing: one row saying so)."""
    rows = []
    for d in facts["days"]:
        groups = d["channels"] or [{"channel": "—", "times": [], "count": 0}]
        for g in groups:
            rows.append([d["date_vn"], d["weekday"], g["channel"], ", ".join(g["times"]) or "—", count_vn(g["count"])])
    return rows


def total_line(facts: Facts) -> str:
    return f"Tổng cộng: {facts['total']:02d} lần phát"


def as_run_lines(facts: Facts) -> list[str]:
    """Per day, what the as-run log shows: aired X of Y, the times missed, the airings besides; then totals."""
    if facts["as_run"] is None:
        return []
    lines = ["3. Đối chiếu với nhật ký phát sóng (as-run):"]
    for d in facts["days"]:
        a = d["as_run"]
        assert a is not None, "campaign_facts reconciles every day when given an as-run log"
        said = f"Ngày {d['date_vn']}: đã phát {a['aired']}/{a['scheduled']} lần"
        if a["missed"]:
            said += f"; không phát lúc {', '.join(a['missed'])}"
        if a["extra"]:
            said += "; phát thêm lúc " + ", ".join(
                f"{e['time']} ({e['channel'] or 'không rõ kênh'})" for e in a["extra"]
            )
        lines.append(said + ".")
    t = facts["as_run"]
    lines.append(
        f"Cộng: đã phát {t['aired']}/{t['scheduled']} lần theo lịch, không phát {t['missed']} lần, "
        f"phát thêm {t['extra']} lần."
    )
    return lines


def file_rows(facts: Facts) -> list[list[str]]:
    return [
        [f["path"], f["sha256"], f"{f['bytes']:,}".replace(",", ".") + " byte", ", ".join(_vn(x) for x in f["days"])]
        for f in facts["files"]
    ]


def delivery_lines(facts: Facts) -> list[str]:
    """The days whose set of files was not delivered, or not whole."""
    lines = []
    for d in facts["days"]:
        delivery = d["delivery"]
        if delivery["status"] in ("not delivered", "incomplete"):
            reason = REASONS_VN.get(delivery["reason"], delivery["reason"])
            why = f" ({reason})" if reason else ""
            lines.append(f"Ngày {d['date_vn']}: {DELIVERY_VN[delivery['status']]}{why}.")
    return lines


STILL_LINE = "Hình ảnh dòng chữ chạy trên sóng:"
