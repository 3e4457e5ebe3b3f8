"""The proof page: one HTML file, in Vietnamese, for the person who says yes to a crawl before it airs, with the
moving preview, the text exactly as it will air, the contact sheet, the readability figures, the window and the
airing times, the letter it answers ([source]) and, for a draft, a banner saying it is not on air; and the same
facts as JSON for machines. The page loads nothing from anywhere: the video and the pictures are inside it."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

from ticker import __version__
from ticker.approval.key import state as approval_state
from ticker.campaign import Campaign
from ticker.campaign.calendar import time_label, vn_date, vn_day
from ticker.campaign.placeholders import fill_day
from ticker.campaign.provenance import MISSING_VI, draft_problem, draft_reasons_vi
from ticker.campaign.provenance import notes as source_notes
from ticker.engine import Caches, Survey, plan
from ticker.engine.programme import probe_programme
from ticker.engine.readability import MIN_CONTRAST, READING_LIMIT_CPS, Figures
from ticker.engine.text_stage import Crawl
from ticker.errors import InputError, RenderError
from ticker.files import Held, Workspace
from ticker.files.publish import publish_folder
from ticker.media import PROFILES
from ticker.review.preview import make, message_texts

PAGE_STYLE = """
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:0;background:#f3f2ee;color:#1d1d1b;line-height:1.5}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;margin:1.6em 0 .4em;border-bottom:2px solid #c9c6bb}
.lead{font-size:1.05em}.box{background:#fff;border:1px solid #d6d3c8;border-radius:6px;padding:12px 16px}
video,img{max-width:100%;height:auto;display:block;border-radius:4px}
ol.messages li{margin:.4em 0;font-size:1.1em}.crawl{font-size:.95em;color:#444}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #d6d3c8;padding:6px 8px;
text-align:left;vertical-align:top}th{background:#ebe8de}.ok{color:#1b6e2a;font-weight:bold}
.warn{color:#a33b00;font-weight:bold}ul.warnings li{color:#a33b00}footer{margin-top:2em;font-size:.85em;color:#666}
.draft{background:#a31515;color:#fff;font-weight:bold;font-size:1.1em;border-radius:6px;padding:12px 16px}
.letter p{margin:.2em 0}code,small{overflow-wrap:anywhere}
@media (max-width:600px){main{padding:12px}#figures,#figures tbody,#figures tr,#figures td{display:block}
#figures tr:first-child{display:none}#figures tr{margin:0 0 .8em;border:1px solid #d6d3c8}
#figures td{border:0;border-top:1px solid #ebe8de}#figures td::before{content:attr(data-label) ": ";font-weight:bold}}
"""


# what each file is, and its name in the work folder (published as CAMPAIGN_NAME)
PARTS = {
    "video": "preview.mp4",
    "animation": "preview.webp",
    "contact_sheet": "contact.png",
    "still": "still.png",
    "page": "proof.html",
    "json": "proof.json",
}


def _vi(number: float, digits: int = 1) -> str:
    """A number as Vietnamese writes it: a decimal comma."""
    return f"{number:.{digits}f}".replace(".", ",")


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def vi_warnings(figures: Figures, text_warnings: list[str]) -> list[str]:
    """What the approver should look at again, in plain Vietnamese: each readability flag of the figures, and
    the warnings about the text itself (an encoding not recognised, a stray mark) as they are."""
    f = figures
    wording = {
        "reading": f"Chữ chạy nhanh quá: {_vi(f.reading_cps)} ký tự mỗi giây, nhiều hơn mức {READING_LIMIT_CPS:g} "
        f"ký tự mà người xem đọc kịp.",
        "size": f"Chữ hơi nhỏ: chữ hoa cao {f.cap_lines:.0f} dòng quét, dưới mức {f.cap_minimum:.0f} dòng quét để "
        f"đọc rõ trên màn hình.",
        "contrast": f"Màu chữ và màu nền chưa đủ tương phản ({_vi(f.contrast)}:1; cần ít nhất {_vi(MIN_CONTRAST)}:1).",
        "colour": "Chữ đỏ trên nền xanh lá (hoặc ngược lại): người mù màu khó phân biệt.",
        "qr": "Mã QR hơi nhỏ để quét bằng điện thoại từ xa.",
    }
    return [wording[flag] for flag in f.flags] + [
        f"Cần kiểm tra lại (chi tiết kỹ thuật, tiếng Anh): {w}" for w in text_warnings
    ]


class OutputFacts(TypedDict):
    """One output's file and readability figures, as the page shows them."""

    file: str
    profile: str
    loop: bool
    seconds: float
    passes: int | None
    speed_px_per_s: float
    reading_cps: float
    reading_limit_cps: float
    cap_lines: float
    cap_minimum_lines: float
    contrast: float
    contrast_minimum: float
    warnings: list[str]
    warnings_vi: list[str]  # what the approver should look at again, in Vietnamese


class SlotFacts(TypedDict):
    at: list[str]  # local times, "06:30"
    seconds: float | None
    passes: int | None
    channels: list[str]  # [] for every channel


class WindowFacts(TypedDict):
    start: str  # ISO dates
    end: str
    days: int
    timezone: str


class PreviewFacts(TypedDict):
    look_of: str  # the broadcast profile the preview has the look of
    width: int
    height: int
    fps: float
    frames: int
    seconds: float
    loop_seconds: float
    message_frames: list[int]


class SheetFacts(TypedDict):
    rows: list[dict[str, Any]]
    step_columns: int | None


class ProofFacts(TypedDict):
    """Everything the proof page shows, written beside it as proof.json."""

    ticker: str
    campaign: str
    title: str
    file: str
    status: str
    draft_problem: str | None
    draft_vi: list[str]
    source: dict[str, Any] | None
    approval: dict[str, Any]
    window: WindowFacts
    slots: list[SlotFacts]
    day: str | None
    messages: list[str]
    crawl: str
    qr_url: str | None
    notes: list[str]
    outputs: list[OutputFacts]
    preview: PreviewFacts
    contact_sheet: SheetFacts
    files: dict[str, str]


def facts(
    campaign: Campaign,
    crawl: Crawl,
    messages: list[str],
    day: dt.date | None,
    preview,
    files: dict,
    checked: list[tuple[Survey, list[str]]],
    notes: list[str],
) -> ProofFacts:
    """Everything the page shows, as JSON (the page is made from this). `checked`: each output's survey and
    the warnings about its text."""
    outputs: list[OutputFacts] = []
    for sv, text_warnings in checked:
        f = sv.figures
        outputs.append(
            {
                "file": f.name,
                "profile": f.profile,
                "loop": f.passes is None,
                "seconds": round(f.seconds, 3),
                "passes": f.passes,
                "speed_px_per_s": round(sv.plan.speed, 3),
                "reading_cps": round(f.reading_cps, 2),
                "reading_limit_cps": READING_LIMIT_CPS,
                "cap_lines": round(f.cap_lines, 1),
                "cap_minimum_lines": f.cap_minimum,
                "contrast": round(f.contrast, 2),
                "contrast_minimum": MIN_CONTRAST,
                "warnings": [*text_warnings, *sv.warnings],
                "warnings_vi": vi_warnings(f, text_warnings),
            }
        )
    slots: list[SlotFacts] = [
        {"at": [time_label(t) for t in s.times], "seconds": s.seconds, "passes": s.passes, "channels": list(s.channels)}
        for s in campaign.slots
    ]
    return {
        "ticker": __version__,
        "campaign": campaign.name,
        "title": campaign.title,
        "file": str(campaign.path),
        "status": campaign.status,
        "draft_problem": draft_problem(campaign),
        "draft_vi": draft_reasons_vi(campaign),
        "source": campaign.source.as_json() if campaign.source else None,
        "approval": approval_state(campaign).as_json(campaign),
        "window": {
            "start": campaign.start.isoformat(),
            "end": campaign.end.isoformat(),
            "days": (campaign.end - campaign.start).days + 1,
            "timezone": campaign.timezone,
        },
        "slots": slots,
        "day": day.isoformat() if day else None,
        "messages": messages,
        "crawl": crawl.text,
        "qr_url": crawl.qr_url,
        "notes": notes,
        "outputs": outputs,
        "preview": {
            "look_of": preview.look_of,
            "width": preview.profile.width,
            "height": preview.profile.height,
            "fps": float(preview.profile.rate),
            "frames": preview.frames,
            "seconds": preview.seconds,
            "loop_seconds": preview.loop_seconds,
            "message_frames": preview.message_frames,
        },
        "contact_sheet": {"rows": preview.sheet_rows, "step_columns": _step(preview.sheet_rows)},
        "files": files,
    }


def _step(rows: list[dict]) -> int | None:
    return rows[1]["column"] - rows[0]["column"] if len(rows) > 1 else None


def draft_banner(data: ProofFacts) -> str:
    """For a draft, the line at the top of the page that says it is not on air, and why; else nothing."""
    if data["status"] != "draft":
        return ""
    reasons = "; ".join(data["draft_vi"])
    return (
        f'<p class="draft" id="draft">BẢN NHÁP — chưa phát: {html.escape(reasons)}. Dòng chữ này chưa được đưa lên '
        f"sóng; trang này để duyệt nội dung.</p>"
    )


def approval_line(approval: dict) -> str:
    """Whether what this page shows is approved: by whom and when, or that a change voided it, or not yet."""
    e = html.escape
    if approval["approved"]:
        at = dt.datetime.fromisoformat(approval["at"])
        note = f" ({e(approval['note'])})" if approval["note"] else ""
        return (
            f'<p class="ok" id="approval">Đã duyệt: {e(approval["by"])}, {at:%H:%M} ngày {vn_date(at.date())}{note}. '
            f"Mã nội dung: <code>{e(approval['key'])}</code>.</p>"
        )
    if approval["voided"]:
        changed = ", ".join(approval["changed"]) or "what airs changed"
        return (
            f'<p class="warn" id="approval">Đã được {e(approval["by"])} duyệt, nhưng nội dung đã thay đổi sau đó '
            f"({e(changed)}): cần duyệt lại.</p>"
        )
    return '<p class="warn" id="approval">Chưa duyệt: dòng chữ này chưa được phát cho đến khi được duyệt.</p>'


def letter_section(source: dict | None) -> str:
    """The section "Công văn": the letter the campaign answers, as its heading reads (issuer, Số, place and
    date, V/v), and what it did not say."""
    if source is None:
        return ""
    e = html.escape
    date = f"ngày {vn_date(dt.date.fromisoformat(source['date']))}" if source["date"] else "không ghi ngày"
    lines = [
        f"<p><strong>{e(source['issuer'])}</strong></p>" if source["issuer"] else "",
        f"<p>Số: {e(source['number'] or '(không ghi)')}</p>",
        f"<p>{e(', '.join(filter(None, [source['place'], date])))}</p>",
        f"<p>V/v {e(source['subject'])}</p>" if source["subject"] else "",
        f"<p><small>Tệp công văn: {e(source['letter'])}</small></p>" if source["letter"] else "",
    ]
    missing = "".join(f"<li>{e(MISSING_VI.get(m, m))}</li>" for m in source["missing"])
    if missing:
        lines.append(f"<p>Công văn chưa nêu:</p><ul>{missing}</ul>")
    return f'<h2>Công văn</h2>\n<div class="box letter" id="source">{"".join(lines)}</div>\n'


def _clip_said(p: PreviewFacts) -> str:
    """How much of the loop the clip shows: all of it, or only its first seconds (the contact sheet shows the
    whole crawl)."""
    if p["seconds"] < p["loop_seconds"]:
        return (
            f'<span id="first-seconds">Chỉ {_vi(p["seconds"])} giây đầu của vòng lặp {_vi(p["loop_seconds"])} giây '
            f"(toàn bộ dòng chữ ở phần “Toàn bộ dòng chữ trên một trang” bên dưới)</span>"
        )
    return f"Một vòng lặp {_vi(p['seconds'])} giây"


def page(data: ProofFacts, preview) -> str:
    e = html.escape
    start, end = dt.date.fromisoformat(data["window"]["start"]), dt.date.fromisoformat(data["window"]["end"])
    if data["slots"]:
        times = []
        for s in data["slots"]:
            length = f"{s['seconds']:g} giây" if s["seconds"] is not None else f"{s['passes']} lượt chữ chạy"
            where = f" (kênh {', '.join(s['channels'])})" if s["channels"] else ""
            times.append(f"<li>{e(', '.join(s['at']))}: mỗi lần {e(length)}{e(where)}</li>")
        airing = f"<p>Giờ phát mỗi ngày:</p><ul>{''.join(times)}</ul>"
    else:
        airing = "<p>Phát suốt ngày: đoạn chữ chạy được lặp lại liên tục.</p>"
    day_note = (
        f"<p>Nội dung dưới đây là của ngày {e(vn_day(dt.date.fromisoformat(data['day'])))}; "
        f"ngày tháng và số ngày còn lại trong nội dung thay đổi theo từng ngày phát.</p>"
        if data["day"]
        else ""
    )
    messages = "".join(f'<li class="message">{e(m)}</li>' for m in data["messages"])
    qr = (
        f'<p>Mã QR bên cạnh dải chữ dẫn tới: <code id="qr-url">{e(data["qr_url"])}</code></p>' if data["qr_url"] else ""
    )
    rows, all_warnings = [], []
    for o in data["outputs"]:
        length = (
            f"một vòng lặp {_vi(o['seconds'])} giây" if o["loop"] else f"{_vi(o['seconds'])} giây, {o['passes']} lượt"
        )
        verdict = '<span class="ok">Đạt</span>' if not o["warnings"] else '<span class="warn">Cần xem lại</span>'
        rows.append(
            f'<tr><td data-label="Định dạng phát">{e(o["profile"])}<br><small>{e(o["file"])}</small></td>'
            f'<td data-label="Thời lượng">{e(length)}</td>'
            f'<td data-label="Tốc độ đọc">{_vi(o["reading_cps"])} ký tự/giây<br>'
            f"<small>nên dưới {o['reading_limit_cps']:g}</small></td>"
            f'<td data-label="Cỡ chữ hoa">{o["cap_lines"]:.0f} dòng quét<br>'
            f"<small>tối thiểu {o['cap_minimum_lines']:.0f}</small></td>"
            f'<td data-label="Độ tương phản">{_vi(o["contrast"])}:1<br>'
            f"<small>tối thiểu {_vi(o['contrast_minimum'])}:1</small></td>"
            f'<td data-label="Đánh giá">{verdict}</td></tr>'
        )
        all_warnings += [f"{o['profile']}: {w}" for w in o["warnings_vi"]]
    warnings = (
        ('<ul class="warnings">' + "".join(f"<li>{e(w)}</li>" for w in dict.fromkeys(all_warnings)) + "</ul>")
        if all_warnings
        else '<p class="ok">Không có điểm nào cần xem lại.</p>'
    )
    p = data["preview"]
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; media-src data:; style-src 'unsafe-inline'">
<title>{"BẢN NHÁP — " if data["status"] == "draft" else ""}Duyệt chạy chữ: {e(data["title"])}</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<main>
{draft_banner(data)}
<h1>Duyệt chạy chữ: {e(data["title"])}</h1>
{approval_line(data["approval"])}
<p class="lead">Trang này cho thấy dòng chữ chạy sẽ phát trên sóng. Xin xem đoạn phim, đọc lại nội dung và các chỉ số
bên dưới trước khi duyệt.</p>
<div class="box">
<p>Thời gian phát: từ ngày <strong>{e(vn_date(start))}</strong> đến ngày <strong>{e(vn_date(end))}</strong>
({data["window"]["days"]} ngày).</p>
{airing}
</div>
{letter_section(data["source"])}
<h2>Xem trước</h2>
<video id="preview" autoplay muted loop playsinline controls width="{p["width"]}" height="{p["height"]}"
 src="{_data_uri(preview.video, "video/mp4")}"></video>
<p><small>{_clip_said(p)}, theo định dạng {e(p["look_of"])}. Ảnh động dùng được trong thư
điện tử hoặc tin nhắn:</small></p>
<img id="animation" alt="Ảnh động dòng chữ chạy" src="{_data_uri(preview.animation, "image/webp")}">

<h2>Nội dung sẽ phát</h2>
{day_note}
<ol class="messages" id="messages">{messages}</ol>
<p class="crawl">Cả dòng chữ, theo đúng thứ tự trên sóng: <span id="crawl">{e(data["crawl"])}</span></p>
{qr}

<h2>Toàn bộ dòng chữ trên một trang</h2>
<p>Dải chữ được cắt thành từng đoạn bằng bề rộng vùng chữ chạy; đọc từ trên xuống dưới. Bên dưới là khung hình đầu
của mỗi thông điệp.</p>
<img id="contact-sheet" alt="Toàn bộ dòng chữ" src="{_data_uri(preview.sheet, "image/png")}">

<h2>Có dễ đọc không?</h2>
<table id="figures">
<tr><th>Định dạng phát</th><th>Thời lượng</th><th>Tốc độ đọc</th><th>Cỡ chữ hoa</th><th>Độ tương phản</th>
<th>Đánh giá</th></tr>
{"".join(rows)}
</table>
{warnings}

<footer>Tạo bởi ticker {e(data["ticker"])} từ {e(Path(data["file"]).name)}. Các số liệu này có trong tệp
{e(data["files"]["json"])} bên cạnh trang này.</footer>
</main>
</body>
</html>
"""


def make_proof(
    campaign: Campaign,
    out_dir: Path,
    *,
    over: Path | None = None,
    profile: str | None = None,
    day: dt.date | None = None,
    seconds: float | None = None,
    counted: Callable[[int, int], None] | None = None,
) -> tuple[ProofFacts, list[Path]]:
    """Preview, contact sheet, proof page and its JSON for a campaign, each published whole in `out_dir`. With
    `seconds`, the clip shows at most the loop's first `seconds` (the page says so); `counted`: ticker.render's."""
    caches = Caches()
    planned = plan(campaign, day=day, caches=caches)
    checked = [(p.survey, list(p.crawl.warnings)) for p in planned.outputs]
    # the look of the first output with the profile asked for (its style), else the first output's style
    shown = next((p for p in planned.outputs if p.output.profile.id == profile), planned.outputs[0])
    crawl = shown.crawl
    filled_for, _ = fill_day(campaign, day)
    notes = list(dict.fromkeys([*source_notes(campaign), *planned.notes]))
    if over is not None:
        probe_programme(over)  # a picture or a video, or one sentence before anything is written
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{out_dir}: cannot write the preview there ({e.strerror or e}).") from None
    with (  # the folder held as it is now, whatever is put under its name while the preview is made
        Held.open(out_dir, "the preview folder") as held,
        Workspace(held.path / f"{campaign.name}_preview") as workspace,
    ):
        work = workspace.path
        names = {part: f"{campaign.name}_{part}" for part in PARTS.values()}
        try:
            look = PROFILES[profile] if profile else shown.output.profile
            preview = make(crawl, look, over, work, seconds, caches, counted)
            files = {kind: names[part] for kind, part in PARTS.items()}
            data = facts(campaign, crawl, message_texts(crawl), filled_for, preview, files, checked, notes)
            (work / PARTS["json"]).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            (work / PARTS["page"]).write_text(page(data, preview), encoding="utf-8")
        except OSError as e:  # a full disk, most often: nothing is published
            raise RenderError(f"{out_dir}: the preview could not be written ({e.strerror or e}).") from None
        publish_folder(work, {part: held.path / name for part, name in names.items()})
    return data, [out_dir / name for name in names.values()]
