"""The text stage: a campaign's messages as they will air. Legacy encodings converted to NFC Unicode, the day's
placeholders filled, capitals made, the QR code's address found (and taken out of the crawl when asked), every
character checked against its font, and the pieces to draw (messages and separators, each in its font and
colour) put in order. Nothing here draws: ticker.engine.strip does, from a `Crawl`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ticker.campaign import Campaign, Style
from ticker.campaign.config import PLACEHOLDER, Message, font_refusal, qr_size_problem, style_fonts
from ticker.campaign.placeholders import fill, fill_day, placeholder_values
from ticker.engine.strip import Look, Piece
from ticker.errors import FileProblem, InputError, LegacyEncodingError, Refusal, Remark, TextError
from ticker.files import Memo
from ticker.media import Profile
from ticker.vietnamese import check_glyphs, detect, normalise, resolve_font, to_unicode
from ticker.vietnamese.text import URL, FontFacts, leftover_marks, upper


@dataclass(frozen=True)
class Crawl:
    """The text of a crawl, converted, checked and ready to draw, with what was done to it on the way."""

    text: str  # the whole crawl as it reads: messages and separators
    pieces: tuple[Piece, ...]  # what is drawn: each message and separator in its font and colour
    font_path: Path
    fallback_path: Path | None
    campaign: Campaign
    style: Style
    notes: tuple[str, ...] = ()  # conversions made (said in the log); a Remark naming its message's key
    warnings: tuple[str, ...] = ()  # text that may not show as meant; a Remark for a message's
    label_font_path: Path | None = None
    qr_url: str | None = None
    messages: tuple[int, ...] = ()  # which pieces are the messages (the others are separators)


def _decode(message: Message) -> tuple[str, str | None, str | None]:
    """The message as NFC Unicode, with a note on any conversion and a warning when unsure. Placeholders
    ({date} …) are set aside while the encoding is read: they are not words of the message."""
    marks: list[str] = []

    def hide(match) -> str:
        marks.append(match.group(0))
        return chr(0xE000 + len(marks) - 1)  # a private-use character: no table maps it, no word holds it

    private = re.search("[\ue000-\uf8ff]", message.text)  # then nothing is set aside: those are the text's
    raw = message.text if private else PLACEHOLDER.sub(hide, message.text)

    def shown(text: str) -> str:
        if private:
            return text
        # a private-use character the conversion made (not one set aside) stays, for the glyph check to refuse
        return re.sub("[\ue000-\uf8ff]", lambda m: _mark(marks, m.group(0)), text)

    if message.encoding != "auto":
        text = to_unicode(raw, message.encoding)
        converted = text != unicodedata.normalize("NFC", raw)
        return shown(text), (f"converted from {message.encoding}, as declared" if converted else None), None
    found = detect(raw)
    if found.converted:
        return shown(found.text), f"converted from {found.encoding}: {found.reason}", None
    unsure = None if found.encoding in ("unicode", "nfd") else f"left as it is: {found.reason}"
    return shown(found.text), None, unsure


def _decoded(message: Message, key: str) -> tuple[str, str | None, str | None]:
    """_decode, a character its declared encoding cannot hold refused at the message's key (the CLI's sentence
    as the encoding says it)."""
    try:
        return _decode(message)
    except LegacyEncodingError as e:
        value = e.refusals[0].value if e.refusals else None
        raise LegacyEncodingError(str(e), [Refusal(key, value, str(e).rstrip("."), "legacy-encoding")]) from None


def _mark(marks: list[str], ch: str) -> str:
    i = ord(ch) - 0xE000
    return marks[i] if i < len(marks) else ch


def aired_form(message: Message) -> str:
    """A message's words as they will air, before the day fills its placeholders: converted from whatever it
    was typed in, NFC, white space folded (what an approval is bound to)."""
    return normalise(_decode(message)[0])


def prepare(
    campaign: Campaign,
    messages: list[str] | None = None,
    source: str | None = None,
    style: Style | None = None,
    day: dt.date | None = None,
    fonts: Memo[FontFacts] | None = None,
) -> Crawl:
    """Convert the messages (the campaign's, or replacements from the command line) to NFC Vietnamese, fill
    their placeholders for the day (by default today, or the window's first day), find the QR code's address,
    and check every character against its font before anything is drawn."""
    style = style or campaign.style
    day, day_note = fill_day(campaign, day) if messages is None else (None, None)
    values = placeholder_values(campaign, day) if day is not None else None
    base = campaign.base_dir
    named_in = campaign.path
    font_path = resolve_font(style.font, base, campaign_file=named_in)
    fallback = resolve_font(style.fallback_font, base, "style.fallback_font", named_in) if style.fallback_font else None
    fallback = None if fallback == font_path else fallback
    given = campaign.messages if messages is None else [Message(text=t) for t in messages]
    texts, notes, warnings = [], [day_note] if day_note else [], []
    for i, message in enumerate(given, 1):
        where = source or f"{campaign.path}: message[{i}]"
        key = f"message[{i}].text"
        text, note, unsure = _decoded(message, key)
        text = fill(text, values) if messages is None else text
        notes += [Remark(f"{where}: {note}", key, note)] if note else []
        warnings += [Remark(f"{where}: {unsure}", key, unsure)] if unsure else []
        path = (
            resolve_font(style.font_for(message.weight), base, f"style.fonts.{message.weight}", named_in)
            if message.weight
            else font_path
        )
        check_glyphs(text, path, where, fallback, key, fonts=fonts)
        flat = normalise(text)
        if not flat:
            raise TextError(f"{where}: the message is empty.", [Refusal(key, text, "the message is empty", "empty")])
        for col, ch in leftover_marks(flat):
            said = (
                f"combining mark U+{ord(ch):04X} at character {col} is not joined to its letter "
                "(a tone typed before its circumflex?); retype that letter."
            )
            warnings.append(Remark(f"{where}: {said}", key, said))
        if style.uppercase:
            flat = upper(flat)
            check_glyphs(flat, path, f"{where} in capitals (style.uppercase)", fallback, key, fonts=fonts)
        texts.append((flat, path, message.color or style.color, where))

    qr_url = None
    if campaign.qr is not None:
        qr_url, texts = _qr_address(campaign, style, texts, fallback, fonts)
    pieces: list[Piece] = []
    indices: list[int] = []
    sep = normalise(style.separator)
    if sep == "logo" and style.logo is None:
        raise InputError(f'{campaign.path}: style.separator is "logo" but style.logo names no picture.')
    if sep and sep != "logo":
        check_glyphs(sep, font_path, f"{campaign.path}: style.separator", fallback, "style.separator", fonts=fonts)
    for k, (text, path, colour, _) in enumerate(texts):
        if k and sep:
            pieces.append(Piece(None) if sep == "logo" else Piece(sep, font_path, style.color))
        pieces.append(Piece(text, path, colour))
        indices.append(len(pieces) - 1)
    shown = f" {sep if sep != 'logo' else '◆'} " if sep else "   "
    label_font = None
    if style.label:
        label_font = resolve_font(style.label_font or style.font, base, "style.label_font", named_in)
        check_glyphs(style.label, label_font, f"{campaign.path}: style.label", fallback, "style.label", fonts=fonts)
    return Crawl(
        text=shown.join(t for t, *_ in texts),
        pieces=tuple(pieces),
        font_path=font_path,
        fallback_path=fallback,
        campaign=campaign,
        style=style,
        notes=tuple(notes),
        warnings=tuple(warnings),
        label_font_path=label_font,
        qr_url=qr_url,
        messages=tuple(indices),
    )


def _qr_address(
    campaign: Campaign, style: Style, texts: list, fallback: Path | None, fonts: Memo[FontFacts] | None
) -> tuple[str, list]:
    """The address the QR code carries (given, or the first in the messages), and the messages without it
    when qr.hide_url asks for that (in capitals too, with style.uppercase)."""
    qr = campaign.qr
    assert qr is not None  # asked only for a campaign with a [qr] table
    found = [m.group().rstrip(".,;:!?)»”'\"") for t, *_ in texts for m in URL.finditer(t)]
    if qr.url != "auto":
        url = qr.url
    elif found:
        url = found[0]
    else:
        raise InputError(f'{campaign.path}: qr.url is "auto" but no message holds a web address.')
    if problem := qr_size_problem(url, qr.error):
        raise InputError(f"{campaign.path}: the QR code's address {url[:40]!r}… {problem}.")
    if not qr.hide_url:
        return url, texts
    kept, instead = [], upper(qr.replace_with) if style.uppercase else qr.replace_with
    for i, (text, path, colour, where) in enumerate(texts, 1):
        if url in text:
            text = normalise(text.replace(url, instead))
            if not text:
                raise InputError(f"{where}: nothing is left of the message once qr.hide_url takes the address out.")
            check_glyphs(text, path, f"{where} (with qr.replace_with)", fallback, f"message[{i}].text", fonts=fonts)
        kept.append((text, path, colour, where))
    return url, kept


def font_refused(crawl: Crawl, problem: FileProblem) -> InputError:
    """A font of the crawl that fails as it is drawn (changed since it was checked, or a glyph only shaping
    reaches is damaged), said as the campaign's check says it: the file, the key that names the font, the font
    (and one gone since the check as the check says that)."""
    campaign, style = crawl.campaign, crawl.style
    preset = None if style == campaign.style else next((n for n, s in campaign.presets if s == style), None)
    for where, font in style_fonts(campaign, style, preset):
        if str(font) == problem.name:
            return font_refusal(campaign, where, font, problem.reason)
    return problem


def look_for(crawl: Crawl, profile: Profile) -> Look:
    s = crawl.style
    return Look(
        font_path=crawl.font_path,
        size_px=s.size * profile.short_side,
        color=s.color,
        band_color=s.band_color,
        band_opacity=s.band_opacity,
        padding=s.padding,
        sar=profile.sar,
        vertical_filter=profile.interlaced and profile.height <= 576,
        fallback_path=crawl.fallback_path,
        space=s.separator_space,
        outline=s.outline,
        outline_color=s.outline_color,
        shadow=s.shadow,
        shadow_color=s.shadow_color,
        shadow_opacity=s.shadow_opacity,
        logo=s.logo,
    )
