"""The report page's work (Báo cáo): `ticker report` for one campaign with what the form gives (from, to, an
as-run to record first, a picture of the crawl on air), each refusal one sentence in the page's language naming
the form's field, never a server path or a command. The uploads are written to a private folder of the desk's,
read from there by the library with its own limits, and removed with it."""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ticker.campaign import load_campaign
from ticker.desk.guard import DeskError, NotFound, campaign_file
from ticker.errors import InputError, TickerError
from ticker.files import remove, write_atomic
from ticker.records import AsRunSource
from ticker.reports import Request, write_reports
from ticker.reports.files import NoStation
from ticker.station import load_station

if TYPE_CHECKING:
    from ticker.desk.app import Desk

REPORT_KINDS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}
UPLOAD_LIMIT = 20_000_000  # bytes of an uploaded log or picture: the library's own limits are below it
AsRunKind = Literal["csv", "casparcg"]

SAID: dict[str, tuple[str, str]] = {
    "no_station": (
        "Chưa có thông tin của đài (tên đơn vị, người ký) để ký báo cáo: hãy điền ở trang «Cài đặt đài».",
        "The station's names (who signs the report) are not set yet: fill them in on the Station settings page.",
    ),
    "order": ("«Đến ngày» phải từ «Từ ngày» trở đi.", "«To» must be on or after «From»."),
    "date": ("«{field}»: hãy chọn một ngày.", "«{field}»: choose a date."),
    "channel": (
        "«Kênh đã phát»: nhật ký CasparCG cần chọn kênh đã phát nó.",
        "«Channel played»: a CasparCG log needs the channel it played.",
    ),
    "as_run_line": (
        "«Nhật ký phát»: dòng {line} không đọc được (cần các cột start, channel, file; giờ như 2020-03-12T06:30).",
        "«As-run log»: line {line} cannot be read (it needs start, channel, file, times like 2020-03-12T06:30:00).",
    ),
    "as_run": (
        "«Nhật ký phát»: tệp không đọc được; cần tệp CSV (start, channel, file) hoặc nhật ký của CasparCG.",
        "«As-run log»: the file cannot be read; it must be a CSV (start, channel, file) or a CasparCG log.",
    ),
    "still": (
        "«Ảnh trên sóng»: không đọc được ảnh; hãy chọn ảnh PNG hoặc JPEG chụp từ tín hiệu của kênh.",
        "«Picture on air»: the picture cannot be read; choose a PNG or JPEG grabbed from the channel.",
    ),
    "too_big": ("«{field}»: tệp quá lớn (tối đa 20 MB).", "«{field}»: the file is too large (20 MB at most)."),
    "records": (
        "Không mở được hồ sơ phát sóng của đài; hãy báo người quản trị máy.",
        "The station's records cannot be opened; tell the machine's administrator.",
    ),
    "draft": (
        "Chiến dịch này còn là bản nháp: chưa phát lần nào nên chưa có gì để báo cáo.",
        "This campaign is still a draft: nothing of it aired, so there is nothing to report.",
    ),
    "other": (
        "Không lập được báo cáo; hãy báo người quản trị máy.",
        "The report could not be made; tell the machine's administrator.",
    ),
}
FIELDS = {"from": ("Từ ngày", "From"), "to": ("Đến ngày", "To"), "as_run": ("Nhật ký phát", "As-run log"),
          "still": ("Ảnh trên sóng", "Picture on air")}  # fmt: skip


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class ReportForm:
    """What the report page sends."""

    kind: str = "docx"
    first: str = ""
    last: str = ""
    as_run: Upload | None = None
    as_run_kind: AsRunKind = "csv"
    channel: str = ""
    still: Upload | None = None


def refused(key: str, status: int = 422, **values: str) -> DeskError:
    vi, en = SAID[key]
    field = values.pop("field", "")
    vi, en = (
        vi.format(field=FIELDS.get(field, ("", ""))[0], **values),
        en.format(field=FIELDS.get(field, ("", ""))[1], **values),
    )
    return DeskError(en, status, shown=(vi, en))


def _day(text: str, field: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise refused("date", field=field) from None


@dataclass(frozen=True)
class Page:
    """What the report form shows of a campaign before a report is asked for."""

    file: str
    title: str
    first: str
    last: str
    interim: bool  # the window has not ended: a report now is an interim one
    station: bool  # a station file is there to sign it
    channels: tuple[str, ...]


def page(desk: Desk, name: str, today: dt.date) -> Page:
    campaign = load_campaign(campaign_file(desk.campaigns, name))
    try:
        station = load_station(desk.station)
    except TickerError:
        station = None
    channels = tuple(c.name for c in station.channels) if station else ()
    return Page(name, campaign.title, campaign.start.isoformat(), campaign.end.isoformat(), today < campaign.end,
                station is not None, channels)  # fmt: skip


def make(desk: Desk, name: str, form: ReportForm) -> tuple[bytes, str]:
    """The report of one campaign, of the kind asked for, and the name it is downloaded as."""
    if form.kind not in REPORT_KINDS:
        raise NotFound(f"report.{form.kind[:20]}: a report is .docx, .html or .json.",
                       shown=("Báo cáo chỉ làm được dạng Word, trang web hoặc JSON.",
                              "A report is made as Word, a web page or JSON."))  # fmt: skip
    campaign = load_campaign(campaign_file(desk.campaigns, name))
    if campaign.status == "draft":
        raise refused("draft", 409)
    first, last = _day(form.first, "from"), _day(form.last, "to")
    if first and last and last < first:
        raise refused("order")
    if form.as_run is not None and form.as_run_kind == "casparcg" and not form.channel.strip():
        raise refused("channel")
    for field, upload in (("as_run", form.as_run), ("still", form.still)):
        if upload is not None and len(upload.data) > UPLOAD_LIMIT:
            raise refused("too_big", 413, field=field)
    work = Path(tempfile.mkdtemp(prefix="ticker-report-"))
    try:
        as_run: tuple[AsRunSource, ...] = ()
        if form.as_run is not None:
            path = work / ("as-run.log" if form.as_run_kind == "casparcg" else "as-run.csv")
            write_atomic(path, form.as_run.data)
            as_run = (AsRunSource(form.as_run_kind, path, form.channel.strip()),)
        still = None
        if form.still is not None:
            still = work / "still"
            write_atomic(still, form.still.data)
        request = Request(desk.campaigns, work / "REPORT", campaign=campaign.name, first=first, last=last,
                          records=desk.records, station=desk.station, as_run=as_run, still=still)  # fmt: skip
        try:
            files = write_reports(request)
        except NoStation:
            raise refused("no_station", 409) from None
        except InputError as e:
            raise _worded(str(e), work) from None
        path = next(p for p in files if p.suffix == f".{form.kind}")
        return path.read_bytes(), f"bao-cao-{campaign.name}.{form.kind}"
    finally:
        remove(work, ignore_errors=True)


def _worded(sentence: str, work: Path) -> DeskError:
    """The library's sentence about an upload, said at its field (the desk's temporary names never shown)."""
    if str(work / "as-run") in sentence:
        line = re.search(r"line (\d+)", sentence)
        return refused("as_run_line", line=line.group(1)) if line else refused("as_run")
    if str(work / "still") in sentence:
        return refused("still")
    if "records" in sentence:
        return refused("records", 500)
    logging.getLogger("ticker.desk").warning("report refused: %s", sentence)
    return refused("other", 500)
