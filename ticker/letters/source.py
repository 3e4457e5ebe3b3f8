"""The parts of a letter (công văn) laid out as Nghị định 30/2020/NĐ-CP sets them: the issuer block, "Số: …",
the place and date, "V/v …", "Kính gửi:" and its addressees, the body, "Nơi nhận:" and the signature.

Pasted letters are not laid out cleanly: the two header columns come one after the other, or side by side in
one line ("UBND TỈNH HẬU GIANG | CỘNG HÒA …", or cells a PDF ran together), a legal-document site's page
furniture comes first, and the letter may be cut off. So each line is read as cells (split at "|" and at wide
gaps) and every part is looked for by its own marks, not by its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ticker.letters.dates import DateLine, find_date_line
from ticker.vietnamese.syllables import is_syllable

# Kinds of body that issue letters, as the issuer block writes them (longest first: TỔNG CỤC before CỤC).
ORG_KINDS = (
    "ỦY BAN NHÂN DÂN",
    "UỶ BAN NHÂN DÂN",
    "TỔNG CỤC",
    "CHI CỤC",
    "TRUNG TÂM",
    "VĂN PHÒNG",
    "HỘI ĐỒNG",
    "ỦY BAN",
    "UỶ BAN",
    "BAN",
    "UBND",
    "SỞ",
    "BỘ",
    "CỤC",
    "VỤ",
    "ĐÀI",
    "PHÒNG",
    "CÔNG TY",
    "TỔNG CÔNG TY",
    "CÔNG AN",
)
# Where a body sits: the words after these are a place name (Title Case), not a field of work.
PLACE_KINDS = ("TỈNH", "THÀNH PHỐ", "TP.", "HUYỆN", "QUẬN", "THỊ XÃ")
_CELLS = re.compile(r"\s*\|\s*|\s{3,}|\s+[-_]{3,}\s+")  # "| ", wide gaps, and a rule run in ("… ---- Số: …")
_NUMBER = re.compile(r"^(?:Số|SỐ)\s*[:.]\s*(.*)$")
_NUMBER_TOKEN = re.compile(r"^[0-9A-ZĐ/\-–.]+$")
_SUBJECT = re.compile(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*[:.]?\s*(.*)$")
_MOTTO = re.compile(r"CỘNG\s*H(?:ÒA|OÀ)|ĐỘC\s*LẬP|Độc\s*lập\s*-", re.IGNORECASE)
_ADDRESSED = re.compile(r"^Kính\s*gửi\s*:?\s*(.*)$", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^Nơi\s*nhận\s*:?", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-–•+*]\s*")
# The signer's title: which kind of body the letter comes from when its issuer block is not there.
SIGNERS = {
    "GIÁM ĐỐC": "Sở",
    "CỤC TRƯỞNG": "Cục",
    "TỔNG CỤC TRƯỞNG": "Tổng cục",
    "BỘ TRƯỞNG": "Bộ",
    "CHỦ TỊCH": "Ủy ban nhân dân",
    "CHÁNH VĂN PHÒNG": "Văn phòng",
    "TRƯỞNG BAN": "Ban",
}
# An issuer named in the body ("Cục Tin học hoá - Bộ Thông tin và Truyền thông đã xây dựng …"): the kind,
# then Capitalised syllables with their lower-case followers, stopped by a verb.
_BODY_ORG = re.compile(
    r"\b(Sở|Bộ|Cục|Tổng cục|Ủy ban nhân dân|UBND|Đài|Ban|Trung tâm|Văn phòng)(?!\s+trưởng\b)"
    r"((?:\s+(?:và|[-–]|[A-ZĐÀ-Ỹ][\wÀ-ỹ-]*|[a-zđà-ỹ][\wà-ỹ]*)){1,14}?)"
    r"(?=\s+(?:đã|vừa|có|đề nghị|xin|trân trọng|thông báo|kính|phối hợp|yêu cầu|gửi|ban hành|hướng dẫn)\b)"
)


@dataclass(frozen=True)
class Found:
    """A value read from the letter and the lines it was read from (1-based, first and last)."""

    value: str
    lines: tuple[int, int]


@dataclass
class Parts:
    issuer: Found | None = None
    number: Found | None = None
    date_line: DateLine | None = None
    date_at: int | None = None  # the line of the date line
    subject: Found | None = None
    addressees: list[Found] = field(default_factory=list)
    body: tuple[int, int] = (1, 0)  # first and last line of the body (empty when last < first)
    signer: str | None = None
    cut_off: bool = False  # no "Nơi nhận" nor a signature: the paste stops inside the letter


# A table's border row as pasted ("+----+----+", "|----|", "───"): only these characters, one of the first kind.
_BORDER_MARKS = frozenset("|+─━│┃┼┌┐└┘├┤┬┴")
_BORDER_CHARS = _BORDER_MARKS | frozenset(" -=_:")
_SIDE_MARKS = "|│┃"
# Left by a flattened table: repeated separators ("; ;", ",,"), and a separator with nothing before it.
_REPEATED = re.compile(r"([;,.])(?: ?\1)+")  # (spaces are single by then)
_NO_PIPES = str.maketrans(dict.fromkeys(_SIDE_MARKS, " "))


def unframe(line: str) -> str:
    """A line of a table pasted from a legal-document site without the table: a border row is blank, and a row's
    side borders go ("| - Ủy ban nhân dân tỉnh …; |" is "- Ủy ban nhân dân tỉnh …;"). The borders between its
    cells stay: `cells` splits at them."""
    chars = set(line)
    if chars & _BORDER_MARKS and chars <= _BORDER_CHARS:
        return ""
    if not chars & set(_SIDE_MARKS):
        return line
    line = line.replace("│", "|").replace("┃", "|").strip()
    return line.removeprefix("|").removesuffix("|").strip()


def tidy(value: str) -> str:
    """A value read from the letter without what a pasted table left in it: pipes, repeated separators, a
    separator or bullet at either end, runs of spaces."""
    value = re.sub(r"\s+", " ", value.translate(_NO_PIPES))
    value = _REPEATED.sub(r"\1", value)
    return value.lstrip("-–•+*;,. ").rstrip(";, ").strip()


def cells(line: str) -> list[str]:
    return [c for c in _CELLS.split(line.strip()) if c]


def org_case(upper: str) -> str:
    """An issuer block's capitals as the name is written in running text: "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" →
    "Sở Thông tin và Truyền thông", "UBND TỈNH HẬU GIANG" → "Ủy ban nhân dân tỉnh Hậu Giang". A Vietnamese
    name capitalises the first syllable of each part (after the kind, after "và", a comma or a dash); place
    names capitalise every syllable; acronyms (CNTT, PT-TH) stay as they are."""
    words = upper.replace("UBND", "ỦY BAN NHÂN DÂN").split()
    out: list[str] = []
    i, cap_next, place = 0, True, False
    while i < len(words):
        kinds = (*ORG_KINDS, *PLACE_KINDS) if not out else PLACE_KINDS
        kind = next((k for k in kinds if words[i : i + len(k.split())] == k.split()), None)
        if kind is not None:
            if kind in PLACE_KINDS:
                out.append(kind if kind == "TP." else kind.lower())
            else:
                out.append("Ủy ban nhân dân" if kind.endswith("NHÂN DÂN") else kind.capitalize())
            i += len(kind.split())
            cap_next, place = kind not in ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"), kind in PLACE_KINDS
            continue
        word = words[i]
        plain = word.strip(",.;:")
        if word == "VÀ":
            out.append("và")
        elif plain.isupper() and not is_syllable(plain.lower()):
            out.append(word)  # an acronym
        elif place or cap_next:
            out.append(word.capitalize())
        else:
            out.append(word.lower())
        cap_next = word.endswith(",") or word in ("VÀ", "-", "–")
        i += 1
    return " ".join(out)


@dataclass
class _Org:
    """A body of the issuer block as read so far: its name, its lines, and the cell it was last read from."""

    name: str
    first: int
    last: int
    cell: str
    placed: bool = False  # its place is read ("TỈNH BÌNH DƯƠNG"): nothing of its name comes after


def _issuer_block(lines: list[str], before: int) -> Found | None:
    """The issuer from the block above the number: the body's own line, with its parent's place. A name the
    block wraps ("BỘ THÔNG TIN VÀ" / "TRUYỀN THÔNG", whatever the column's width) is read whole (`_goes_on`)."""
    orgs: list[_Org] = []
    for n in range(1, before):
        for col, cell in enumerate(cells(lines[n - 1])):
            if not (cell.isupper() and any(c.isalpha() for c in cell)) or _MOTTO.search(cell):
                continue
            last = orgs[-1] if orgs else None
            if any(cell.startswith(kind + " ") or cell == kind for kind in ORG_KINDS):
                orgs.append(_Org(cell, n, n, cell))
            elif last and last.last >= n - 1 and any(cell.startswith(kind + " ") for kind in PLACE_KINDS):
                last.name, last.last, last.cell, last.placed = f"{last.name} {cell}", n, cell, True
            elif last and last.last == n - 1 and col == 0 and not last.placed and _goes_on(last.cell, cell):
                last.name, last.last, last.cell = f"{last.name} {cell}", n, cell
    if not orgs:
        return None
    name, first, at = orgs[-1].name, orgs[-1].first, orgs[-1].last
    issuer = org_case(name)
    if len(orgs) > 1 and orgs[-2].last >= first - 2 and not re.search(r"\b(TỈNH|THÀNH PHỐ)\b", name):
        parent, first = orgs[-2].name, orgs[-2].first
        place = re.search(r"\b(TỈNH|THÀNH PHỐ)\s+(.+)$", parent)
        if place:
            issuer += " " + org_case(place.group(0)).replace("Tỉnh", "tỉnh").replace("Thành phố", "thành phố")
        elif parent.startswith(("BỘ", "ỦY BAN", "UBND", "TỔNG CỤC")) and not name.startswith(("UBND", "ỦY BAN")):
            issuer += ", " + org_case(parent)
    return Found(issuer, (first, at))


# What a line in capitals under the issuer may be instead of the rest of its name: the document's kind, how
# urgent or secret it is.
_NOT_A_NAME = re.compile(
    r"^(?:CÔNG VĂN|CÔNG ĐIỆN|THÔNG BÁO|KẾ HOẠCH|QUYẾT ĐỊNH|CHỈ THỊ|TỜ TRÌNH|BÁO CÁO|GIẤY MỜI|HƯỚNG DẪN"
    r"|HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN|MẬT|TỐI MẬT|TUYỆT MẬT)\b"
)
_JOINING = ("VÀ", "&", "-", "–", ",")


def _goes_on(above: str, cell: str) -> bool:
    """Whether `cell`, the line in capitals under `above` in the issuer's column, is the rest of its name: the
    line above stops on a word that joins ("BỘ THÔNG TIN VÀ" / "TRUYỀN THÔNG") or the cell starts with one ("SỞ VĂN
    HÓA, THỂ THAO" / "VÀ DU LỊCH"), or the name's line was full (four words or more: "SỞ NÔNG NGHIỆP VÀ PHÁT
    TRIỂN" / "NÔNG THÔN"). Never a document's kind or urgency ("CÔNG ĐIỆN", "THƯỢNG KHẨN"), nor after the
    body's place (the place ends its name)."""
    if len(cell.split()) > 6 or _NOT_A_NAME.match(cell) or _NUMBER.match(cell):
        return False
    joins = above.endswith(_JOINING) or above.split()[-1] in _JOINING or cell.split()[0] in _JOINING
    return joins or len(above.split()) >= 4


def _issuer_in_body(lines: list[str], body: tuple[int, int], signer: str | None) -> Found | None:
    """The issuer where the letter names itself ("Cục Tin học hoá - Bộ Thông tin và Truyền thông đã …"):
    the one whose kind matches the signer's title when there is one, else the first that asks something."""
    kind = SIGNERS.get(signer or "")
    found: list[Found] = []
    for n in range(body[0], body[1] + 1):
        for m in _BODY_ORG.finditer(lines[n - 1]):
            found.append(Found(m.group(0).strip(), (n, n)))
    if not found:
        return None
    if kind:
        for f in found:
            if f.value.startswith(kind):
                return f
    return found[0]


def _number(cell: str) -> str | None:
    m = _NUMBER.match(cell)
    if not m:
        return None
    tokens = []
    for token in m.group(1).split():
        if not _NUMBER_TOKEN.match(token):
            break
        tokens.append(token)
    return "".join(tokens).replace("–", "-") or None


def _date_line(lines: list[str], n: int, head_end: int) -> DateLine | None:
    """The date line on line n, or begun there and wrapped in a narrow column ("Hà Nội, ngày 10 tháng 8" /
    "năm 2017"): the next line's last cell completes it."""
    found = find_date_line(lines[n - 1])
    if found is not None or n + 1 >= head_end or not re.search(r"ngày.*tháng", lines[n - 1], re.IGNORECASE):
        return found
    rest = cells(lines[n])
    if rest and re.match(r"^năm\s*\d{4}\b", rest[-1], re.IGNORECASE):
        return find_date_line(lines[n - 1].rstrip() + " " + rest[-1])
    return None


def _number_wrapped(lines: list[str], n: int, k: int, number: str, head_end: int) -> Found:
    """The number, with the rest of its code when the column wraps it after a dash or a slash ("Số: 2878/BTTTT-"
    / "VNCERT")."""
    if number.endswith(("-", "/")) and n + 1 < head_end:
        rest = cells(lines[n])
        if rest and k == 0 and _NUMBER_TOKEN.match(rest[0]) and any(c.isalpha() for c in rest[0]):
            return Found(number + rest[0], (n, n + 1))
    return Found(number, (n, n))


def read_parts(lines: list[str]) -> Parts:
    """Where each part of the letter is (see the module's docstring)."""
    parts = Parts()
    addressed = next((n for n, line in enumerate(lines, 1) if _ADDRESSED.match(line.strip())), None)
    recipients = next(
        (n for n, line in enumerate(lines, 1) if n > (addressed or 0) and _RECIPIENTS.match(line.strip())), None
    )
    head_end = addressed or min(len(lines), 40) + 1
    for n in range(1, head_end):
        # the whole line: a blank day is a wide gap ("ngày    tháng 3"), and the place comes before the comma
        if parts.date_line is None and (dl := _date_line(lines, n, head_end)) is not None:
            parts.date_line, parts.date_at = dl, n
        line_cells = cells(lines[n - 1])
        for k, cell in enumerate(line_cells):
            if parts.number is None and (number := _number(cell)) is not None:
                parts.number = _number_wrapped(lines, n, k, number, head_end)
            if parts.subject is None and (sm := _SUBJECT.match(cell)):
                parts.subject = _subject(lines, n, sm.group(1), head_end, first_cell=k == 0)
    if parts.number is None:  # "Số: /THH-VP": nothing but the code after the colon is still the number
        for n in range(1, head_end):
            if m := re.match(r"^Số\s*:\s*(\S*)", lines[n - 1].strip()):
                parts.number = Found(m.group(1), (n, n)) if m.group(1) else None
                break
    if addressed:
        body_start = _after_addressees(lines, addressed, parts)
    else:  # no "Kính gửi:": the body starts after the last header part found
        found = [f.lines[1] for f in (parts.number, parts.subject) if f] + ([parts.date_at] if parts.date_at else [])
        body_start = _first_paragraph(lines, max(found, default=0) + 1)
    body_end = (recipients - 1) if recipients else len(lines)
    signer_at = None
    for n in range(body_start, len(lines) + 1):
        text = lines[n - 1].strip()
        title = re.sub(r"^(KT|TL|TM|TUQ|Q)\.?\s*", "", text).strip()
        if n > body_start and title in SIGNERS:
            parts.signer, signer_at = title, n
            break
    if recipients is None and signer_at is not None:
        body_end = signer_at - 1
    parts.body = (body_start, body_end)
    parts.cut_off = recipients is None and signer_at is None
    parts.issuer = _issuer_block(lines, head_end) or _issuer_in_body(lines, parts.body, parts.signer)
    return parts


def _subject(lines: list[str], n: int, first: str, head_end: int, first_cell: bool) -> Found:
    """The V/v line and the lines it wraps onto (in a flattened table, each one's first cell)."""
    words, last = [first], n
    for m in range(n + 1, head_end):
        line = lines[m - 1].strip()
        line_cells = cells(line)
        if not line_cells:
            break
        cell = line_cells[0] if first_cell else line
        if (
            _MOTTO.search(cell)
            or find_date_line(cell)
            or _NUMBER.match(cell)
            or _ADDRESSED.match(cell)
            or (cell.isupper() and len(cell) > 3)
        ):
            break
        words.append(cell)
        last = m
    text = re.sub(r"\s+", " ", " ".join(words)).strip().rstrip(".")
    return Found(text, (n, last))


def _after_addressees(lines: list[str], addressed: int, parts: Parts) -> int:
    """Reads the addressees ("Kính gửi: X" or a list of "- X;" lines); returns the body's first line."""
    same_line = _ADDRESSED.match(lines[addressed - 1].strip())
    assert same_line is not None
    rest = same_line.group(1).lstrip("| ")  # "Kính gửi: | - …": the addressees in the next cell
    if rest:
        _add_addressees(parts, rest, addressed)
        if not _BULLET.match(rest):  # "Kính gửi: X." — one addressee, then the body
            return addressed + 1
    n = addressed + 1
    while n <= len(lines):
        line = lines[n - 1].strip()
        if not line:
            n += 1
            continue
        if _BULLET.match(line) or (not parts.addressees and len(line.split()) <= 16 and not line.endswith(",")):
            if not _BULLET.match(line) and parts.addressees:
                break
            _add_addressees(parts, line, n)
            n += 1
            if not _BULLET.match(line):
                break
            continue
        break
    return n


def _add_addressees(parts: Parts, text: str, n: int) -> None:
    """The addressees on line n: one, or one a cell of a flattened table ("- UBND tỉnh …; | - Sở …;")."""
    for cell in re.split(r"\s*\|\s*", text):
        if name := _addressee(cell):
            parts.addressees.append(Found(name, (n, n)))


def _addressee(text: str) -> str:
    return tidy(_BULLET.sub("", text)).rstrip(";.,").strip()


def _first_paragraph(lines: list[str], head_end: int) -> int:
    for n in range(head_end, len(lines) + 1):
        if lines[n - 1].strip():
            return n
    return len(lines) + 1
