"""The report back as one printable HTML page: the same letter as the .docx (ticker.reports.docx), from the
same words (ticker.reports.words), printed on A4 with the margins of Nghị định 30/2020/NĐ-CP. The blank after
"Số:" keeps its width on screen and in print; a table's rows never split across pages and its header row is
repeated on each; each annex (Phụ lục) starts a page. It loads nothing from anywhere (a Content-Security-Policy
says so to the browser) and every text in it is escaped."""

from __future__ import annotations

import base64
import html

from ticker.reports.shape import Facts
from ticker.reports.words import (
    AIRINGS_HEADER,
    FILES_HEADER,
    FILES_LINE,
    MOTTO,
    NATION,
    PROBLEMS_LINE,
    SEALS_HEADER,
    SEALS_LINE,
    STILL_CAPTION,
    Annex,
    addressee,
    against_schedule_line,
    airing_rows,
    annex_lines,
    annexes,
    attached_line,
    basis_line,
    cited,
    closing,
    content,
    file_rows,
    heading,
    number_parts,
    result_line,
    seal_rows,
    time_line,
    title_lines,
    total_line,
)

STYLE = """
@page{size:A4;margin:20mm 15mm 20mm 30mm}
body{font-family:"Times New Roman",Times,"Liberation Serif",serif;font-size:14pt;line-height:1.3;margin:0 auto;
max-width:165mm;color:#000;background:#fff}
@media screen{body{padding:10mm 0}}
table.head,table.end{width:100%;border-collapse:collapse;table-layout:fixed}
table.head td,table.end td{vertical-align:top;text-align:center;padding:0 2px}
table.head col.left{width:39%}table.head col.right{width:61%}
.b{font-weight:bold}.org,.nation{font-size:13pt}.nation{white-space:nowrap}
.org::after{content:"";display:block;width:35%;margin:2px auto 0;border-top:1px solid #000}
.motto span{display:inline-block;border-bottom:1px solid #000;padding-bottom:1px}
td.no{font-size:13pt;padding-top:6pt}td.date{font-style:italic;padding-top:6pt}
.blank{display:inline-block;width:30mm;white-space:pre}
h1{font-size:14pt;text-align:center;margin:1.2em 0 0}
.title{text-align:center;font-weight:bold;margin:0}.until{text-align:center;font-style:italic;margin:0}
.to{text-align:center;margin:1em 0}
p.body{text-indent:1cm;text-align:justify;margin:0 0 6pt}p.quote{font-style:italic}
table.grid{border-collapse:collapse;width:100%;font-size:12pt;margin:.5em 0}
table.grid td,table.grid th{border:1px solid #000;padding:2px 5px;vertical-align:top}
table.grid{table-layout:fixed}table.airings td:nth-child(5){white-space:nowrap}
table.grid thead{display:table-header-group}table.grid tr{break-inside:avoid;page-break-inside:avoid}
table.files,table.seals{font-size:10pt}table.files td:nth-child(2),table.seals td:nth-child(3){font-family:monospace;
word-break:break-all}
.total{font-weight:bold;margin:6pt 0}
.closing{break-inside:avoid;page-break-inside:avoid}table.end{margin-top:1em}
table.end td.send{text-align:left;font-size:11pt}
.send .b{font-size:12pt;font-style:italic}.sign{height:6em}
section.annex{break-before:page;page-break-before:always}
section.annex .number,section.annex .name{text-align:center;font-weight:bold;margin:0}
section.annex .of{text-align:center;font-style:italic;font-size:13pt;margin:0 0 12pt}
img.still{max-width:100%;max-height:200mm;height:auto;display:block;margin:6pt auto}
.caption{text-align:center;font-style:italic;font-size:13pt}ul.problems{font-size:11pt}
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
COLUMNS = {"airings": (14, 13, 13, 19, 10, 31), "files": (32, 36, 16, 16), "seals": (15, 40, 45)}  # % of the width
BLANK = "&nbsp;" * 8  # inside a box of fixed width: kept when the page is copied as text


def _e(text: str) -> str:
    return html.escape(text)


def _table(header: list[str], rows: list[list[str]], cls: str) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in COLUMNS[cls])
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body_rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="grid {cls}"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{body_rows}</tbody></table>"
    )


def _head(facts: Facts) -> list[str]:
    before, after = number_parts(facts)
    return [
        '<table class="head"><colgroup><col class="left"><col class="right"></colgroup><tr>',
        f'<td><div class="b org">{_e(heading(facts))}</div></td>',
        f'<td><div class="b nation" id="nation">{_e(NATION)}</div><div class="b motto"><span>{_e(MOTTO)}</span></div>',
        "</td></tr><tr>",
        f'<td class="no" id="number">{_e(before)}<span class="blank" id="blank">{BLANK}</span>{_e(after)}</td>',
        f'<td class="date">{_e(facts["date_line"])}</td>',
        "</tr></table>",
    ]


def _letter(facts: Facts, still: bool) -> list[str]:
    title, what, *until = title_lines(facts)
    parts = [f"<h1>{_e(title)}</h1>", f'<p class="title">{_e(what)}</p>']
    parts += [f'<p class="until">{_e(u)}</p>' for u in until]
    parts.append(f'<p class="to" id="to">{_e(addressee(facts))}</p>')
    said, quoted = content(facts)
    parts += [f'<p class="body">{_e(t)}</p>' for t in (cited(facts), time_line(facts), said)]
    parts += [f'<p class="body quote">{_e(q)}</p>' for q in quoted]
    parts.append(f'<p class="body">{_e(result_line(facts))}</p>')
    parts.append(_table(AIRINGS_HEADER, airing_rows(facts), "airings"))
    parts.append(f'<p class="total" id="total">{_e(total_line(facts))}</p>')
    ending = (basis_line(facts), against_schedule_line(facts), attached_line(facts, still))
    parts += [f'<p class="body">{_e(t)}</p>' for t in ending if t]
    return parts


def _end(facts: Facts) -> list[str]:
    station = facts["station"]
    return [  # the closing sentence and the signature block kept together: never a page for the signature alone
        f'<div class="closing"><p class="body">{_e(closing(facts))}</p>',
        '<table class="end"><tr><td class="send"><div class="b">Nơi nhận:</div><div>- Như trên;</div>',
        "<div>- Lưu: VT.</div></td>",
        f'<td><div class="b">{_e(station.get("signer_title", "").upper())}</div><div class="sign"></div>',
        f'<div class="b">{_e(station.get("signer", ""))}</div></td></tr></table></div>',
    ]


def _annex(facts: Facts, annex: Annex, still: bytes | None) -> str:
    number, title, of = annex_lines(facts, annex)
    parts = [
        f'<section class="annex" id="annex-{annex.kind}"><p class="number">{_e(number)}</p>',
        f'<p class="name">{_e(title)}</p><p class="of">{_e(of)}</p>',
    ]
    if annex.kind == "still" and still is not None:
        picture = "data:image/png;base64," + base64.b64encode(still).decode("ascii")
        parts.append(f'<img class="still" id="still" alt="{_e(STILL_CAPTION)}" src="{picture}">')
        parts.append(f'<p class="caption">{_e(STILL_CAPTION)}</p>')
    elif annex.kind == "files":
        parts += [f'<p class="body">{_e(FILES_LINE)}</p>', _table(FILES_HEADER, file_rows(facts), "files")]
    elif annex.kind == "seals":
        if facts["seals"]:
            parts += [f'<p class="body">{_e(SEALS_LINE)}</p>', _table(SEALS_HEADER, seal_rows(facts), "seals")]
        if facts["problems"]:
            parts.append(f'<p class="body">{_e(PROBLEMS_LINE)}</p><ul class="problems">')
            parts += [f"<li>{_e(p)}</li>" for p in facts["problems"]]
            parts.append("</ul>")
    return "\n".join(parts) + "\n</section>"


def make_html(facts: Facts, still: bytes | None = None) -> str:
    """The page for one campaign's facts."""
    parts = _head(facts) + _letter(facts, still is not None) + _end(facts)
    parts += [_annex(facts, a, still) for a in annexes(facts, still is not None)]
    title = " ".join(title_lines(facts)[:2])  # what a browser prints at the top, if it prints headers
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head>\n"
        "<body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
