"""A wording to suggest for a crawl whose letter lists topics instead of giving words ("chạy chữ tuyên truyền
với các nội dung sau: - …; - …"), made only of what the letter itself says that can air:

- the topics that are statements ("Từ ngày 01/7/2024, người dân nộp hồ sơ trực tuyến …", a slogan), not
  instructions to the station ("Giới thiệu các hoạt động …", "Đề nghị Đài bố trí …"), each a sentence;
- the hotlines the letter gives, with their label ("Đường dây nóng: 1022."), when no statement gives them: a
  number labelled a hotline or a switchboard, or a service or short number; never an officer's own telephone
  ("liên hệ ông …, điện thoại 0912 …");
- its first web address ("Chi tiết tại: …"), when no statement gives it.

Nothing is invented: when the letter has none of these, there is no suggestion. A suggestion is never the
letter's words: the draft marks it so and stays a draft until someone accepts it (ticker.letters.draft).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ticker.letters.phones import Phone
from ticker.letters.source import Found
from ticker.letters.units import Request

# What a topic that tells the station what to do begins with (a verb of the station's work, or the station).
_INSTRUCTION = re.compile(
    r"^(?:đề\s*nghị|yêu\s*cầu|giới\s*thiệu|tuyên\s*truyền|phản\s*ánh|đưa\s*tin|phổ\s*biến|vận\s*động|hướng\s*dẫn"
    r"|bố\s*trí|phối\s*hợp|thực\s*hiện|báo\s*cáo|tăng\s*cường|đẩy\s*mạnh|chủ\s*động|tổ\s*chức|xây\s*dựng"
    r"|khuyến\s*khích|thông\s*tin\s*về|lồng\s*ghép|dành|ưu\s*tiên|nêu|biểu\s*dương|các\s*đơn\s*vị|đài\b"
    r"|doanh\s*nghiệp|kịp\s*thời)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Suggestion:
    text: str
    lines: tuple[int, int]  # the letter's lines it was made from (the topics')

    def as_json(self) -> dict:
        return {"text": self.text, "lines": list(self.lines)}


def airable(words: str) -> str:
    """Words as a crawl shows them: a capital letter first and a full stop at the end."""
    words = words.strip().rstrip(";,")
    text = words[:1].upper() + words[1:]
    return text if re.search(r"[.!?…]$", text) else text + "."


def _public(phone: Phone) -> bool:
    """A number for viewers to call: a hotline's or a switchboard's, or a service or short number."""
    if phone.label and re.search(r"đường\s*dây\s*nóng|hotline|tổng\s*đài", phone.label, re.IGNORECASE):
        return True
    return phone.digits[:4] in ("1800", "1900") or len(phone.digits) <= 5


def statements(topics: list[str]) -> list[str]:
    return [t for t in topics if t.strip() and not _INSTRUCTION.match(t.strip())]


def suggest(crawl: Request | None, phones: list[Phone], urls: list[Found]) -> Suggestion | None:
    """The suggestion for a crawl that needs wording (the module's docstring), or None."""
    if crawl is None or not crawl.needs_wording or not crawl.topics:
        return None
    said = statements(crawl.topics)
    parts = [airable(t) for t in said]
    joined = " ".join(said)
    numbers = set(re.findall(r"\d+", re.sub(r"(?<=\d)[ .-](?=\d)", "", joined)))  # each number the statements give
    by_label: dict[str, list[str]] = {}
    for phone in phones:
        if _public(phone) and phone.digits not in numbers:
            by_label.setdefault(phone.label or "Đường dây nóng", []).append(phone.value)
    parts += [f"{label}: {' hoặc '.join(values)}." for label, values in by_label.items()]
    if urls and urls[0].value not in joined:
        parts.append(f"Chi tiết tại: {urls[0].value}")
    if not parts:
        return None
    return Suggestion(" ".join(parts), crawl.cites.get("topics", crawl.lines))
