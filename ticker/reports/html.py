"""The report back as one printable HTML page: the same letter as the .docx (ticker.reports.docx), from the
same words (ticker.reports.words). It loads nothing from anywhere (a Content-Security-Policy says so to the
browser) and every text in it is escaped."""

from __future__ import annotations

import base64
import html

from ticker.reports.facts import Facts
from ticker.reports.words import (
    AIRINGS_HEADER,
    FILES_HEADER,
    MOTTO,
    NATION,
    STILL_LINE,
    airing_rows,
    as_run_lines,
    body,
    delivery_lines,
    file_rows,
    heading,
    number_line,
    title_lines,
    total_line,
)

STYLE = """
@page{size:A4;margin:20mm 20mm 20mm 30mm}
body{font-family:"Times New Roman",Times,"Liberation Serif",serif;font-size:14pt;line-height:1.3;margin:0 auto;
max-width:170mm;color:#000;background:#fff}
table.head,table.end{width:100%;border-collapse:collapse}table.head td,table.end td{vertical-align:top;
text-align:center;width:50%;font-size:13pt}.b{font-weight:bold}.motto{font-size:14pt}
.date{text-align:right;font-style:italic;margin:1em 0}
img.still{max-width:100%;height:auto;display:block;margin:6pt auto}
h1{font-size:14pt;text-align:center;margin:1em 0 0}
.subject{text-align:center;font-weight:bold;margin:0 0 1em}.to{text-align:center;margin-bottom:1em}
p.body{text-indent:1cm;text-align:justify;margin:.3em 0}table.grid{border-collapse:collapse;width:100%;
font-size:13pt;margin:.5em 0}table.grid td,table.grid th{border:1px solid #000;padding:2px 5px}
table.files{font-size:10pt}table.files td:nth-child(2){font-family:monospace;word-break:break-all}
.total{font-weight:bold}table.end td.send{text-align:left;font-size:11pt}.send .b{font-size:12pt;font-style:italic}
.sign{height:6em}
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _table(header: list[str], rows: list[list[str]], cls: str) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body_rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body_rows}</tbody></table>'


def make_html(facts: Facts, still: bytes | None = None) -> str:
    """The page for one campaign's facts (ticker.reports.facts.campaign_facts)."""
    e = html.escape
    title, subject = title_lines(facts)
    source = facts["source"] or {}
    parts = [
        '<table class="head"><tr>',
        f'<td><div class="b">{e(heading(facts))}</div><div>{e(number_line(facts))}</div></td>',
        f'<td><div class="b">{e(NATION)}</div><div class="b motto">{e(MOTTO)}</div></td>',
        "</tr></table>",
        f'<p class="date">{e(facts["date_line"])}</p>',
        f"<h1>{e(title)}</h1>",
        f'<p class="subject">{e(subject)}</p>',
    ]
    if source.get("issuer"):
        parts.append(f'<p class="to">Kính gửi: {e(source["issuer"])}.</p>')
    parts += [f'<p class="body">{e(t)}</p>' for t in body(facts)]
    parts.append(_table(AIRINGS_HEADER, airing_rows(facts), "grid airings"))
    parts.append(f'<p class="total" id="total">{e(total_line(facts))}</p>')
    parts += [f'<p class="body as-run">{e(t)}</p>' for t in as_run_lines(facts)]
    if still is not None:
        picture = "data:image/png;base64," + base64.b64encode(still).decode("ascii")
        parts.append(f'<p class="body">{e(STILL_LINE)}</p><img class="still" id="still" alt="" src="{picture}">')
    if facts["delivered"]:
        parts.append('<p class="body">Các tệp phát sóng (mã kiểm tra SHA-256 theo bản kê của từng ngày):</p>')
        parts.append(_table(FILES_HEADER, file_rows(facts), "grid files"))
        parts += [f'<p class="body delivery">{e(t)}</p>' for t in delivery_lines(facts)]
    parts.append('<p class="body">Trên đây là báo cáo kết quả thực hiện, kính báo cáo./.</p>')
    signer = facts["operator"]
    parts += [
        '<table class="end"><tr><td class="send"><div class="b">Nơi nhận:</div><div>- Như trên;</div>',
        "<div>- Lưu: VT.</div></td>",
        f'<td><div class="b">{e(signer["signer_title"])}</div><div class="sign"></div>',
        f'<div class="b">{e(signer["signer"])}</div></td></tr></table>',
    ]
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{e(title)} — {e(facts['campaign'])}</title><style>{STYLE}</style></head>\n"
        "<body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
