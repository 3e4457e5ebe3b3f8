"""ticker.vietnamese.legacy: legacy Vietnamese encodings (TCVN3, VNI, VIQR, VISCII, mojibake, NFD) in and out,
and detection."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
import unicodedata

import ftfy
import pytest

from ticker.errors import LegacyEncodingError
from ticker.vietnamese.detection import UNKNOWN, Detection, detect
from ticker.vietnamese.legacy import ENCODINGS, from_unicode, to_unicode
from ticker.vietnamese.syllables import is_syllable

from support.campaigns import HAU_GIANG, PC_COVID

BASES = "aăâeêioôơuưy"


TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc huyền hỏi ngã nặng


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


LOWER = list(BASES) + [nfc(b + t) for b in BASES for t in TONES] + ["d", "đ"]


ALL = LOWER + [c.upper() for c in LOWER]


PRECOMPOSED = [c for c in ALL if c.lower() not in "aeiouyd"]


assert len(PRECOMPOSED) == 134 and len(set(ALL)) == 148


TONED_CAPITALS = [c for c in ALL if c.isupper() and any(t in unicodedata.normalize("NFD", c) for t in TONES)]


assert len(TONED_CAPITALS) == 60


# What TCVN3 (VN3) lacks: the 60 toned capitals. It holds every lowercase letter, Ă Â Ê Ô Ơ Ư Đ and ASCII.
TCVN3_HOLDS = [c for c in ALL if c not in TONED_CAPITALS]


LEGACY = ("tcvn3", "vni", "viqr", "viscii")


needs_iconv = pytest.mark.skipif(
    shutil.which("iconv") is None, reason="the iconv binary (glibc) is not installed: no independent table to check"
)


def messages() -> list[str]:
    out = []
    for path in (HAU_GIANG, PC_COVID):
        with open(path, "rb") as f:
            out += [" ".join(nfc(m["text"]).split()) for m in tomllib.load(f)["message"]]
    return out


def iconv(data: bytes, src: str, dst: str) -> bytes:
    return subprocess.run(["iconv", "-f", src, "-t", dst], input=data, capture_output=True, check=True).stdout


# A second, independent VNI-Windows table: duydev/vietnamese-conversion, src/charsets.ts (lists UNICODE and
# VNI, commit 46413a052f322ab113482df902c71ed1f32738bf, https://github.com/duydev/vietnamese-conversion),
# written here as letter=VNI pairs. The module's table comes from Unikey's vnconv (ibus-unikey ukengine/data.cpp).
DUYDEV_VNI = """
À=AØ Á=AÙ Â=AÂ Ã=AÕ È=EØ É=EÙ Ê=EÂ Ì=Ì Í=Í Ò=OØ Ó=OÙ Ô=OÂ Õ=OÕ Ù=UØ Ú=UÙ Ý=YÙ à=aø á=aù â=aâ ã=aõ è=eø é=eù
ê=eâ ì=ì í=í ò=oø ó=où ô=oâ õ=oõ ù=uø ú=uù ý=yù Ă=AÊ ă=aê Đ=Ñ đ=ñ Ĩ=Ó ĩ=ó Ũ=UÕ ũ=uõ Ơ=Ô ơ=ô Ư=Ö ư=ö Ạ=AÏ ạ=aï
Ả=AÛ ả=aû Ấ=AÁ ấ=aá Ầ=AÀ ầ=aà Ẩ=AÅ ẩ=aå Ẫ=AÃ ẫ=aã Ậ=AÄ ậ=aä Ắ=AÉ ắ=aé Ằ=AÈ ằ=aè Ẳ=AÚ ẳ=aú Ẵ=AÜ ẵ=aü Ặ=AË ặ=aë
Ẹ=EÏ ẹ=eï Ẻ=EÛ ẻ=eû Ẽ=EÕ ẽ=eõ Ế=EÁ ế=eá Ề=EÀ ề=eà Ể=EÅ ể=eå Ễ=EÃ ễ=eã Ệ=EÄ ệ=eä Ỉ=Æ ỉ=æ Ị=Ò ị=ò Ọ=OÏ ọ=oï Ỏ=OÛ
ỏ=oû Ố=OÁ ố=oá Ồ=OÀ ồ=oà Ổ=OÅ ổ=oå Ỗ=OÃ ỗ=oã Ộ=OÄ ộ=oä Ớ=ÔÙ ớ=ôù Ờ=ÔØ ờ=ôø Ở=ÔÛ ở=ôû Ỡ=ÔÕ ỡ=ôõ Ợ=ÔÏ ợ=ôï Ụ=UÏ
ụ=uï Ủ=UÛ ủ=uû Ứ=ÖÙ ứ=öù Ừ=ÖØ ừ=öø Ử=ÖÛ ử=öû Ữ=ÖÕ ữ=öõ Ự=ÖÏ ự=öï Ỳ=YØ ỳ=yø Ỵ=Î ỵ=î Ỷ=YÛ ỷ=yû Ỹ=YÕ ỹ=yõ
"""


# RFC 1456 VIQR mnemonics: shape ( breve, ^ circumflex, + horn; tone ' acute, ` grave, ? hook, ~ tilde,
# . dot below; dd for đ, DD (or Dd) for Đ.
RFC1456_SHAPE = {"\u0306": "(", "\u0302": "^", "\u031b": "+"}


RFC1456_TONE = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}


def rfc1456(ch: str) -> str:
    if ch in "đĐ":
        return "dd" if ch == "đ" else "DD"
    base, *marks = unicodedata.normalize("NFD", ch)
    return (
        base
        + "".join(RFC1456_SHAPE[m] for m in marks if m in RFC1456_SHAPE)
        + "".join(RFC1456_TONE[m] for m in marks if m in RFC1456_TONE)
    )


# A sentence's last word in each tone, the tone on a vowel before the last one (or none), then . or ?: the mark
# after the word is punctuation, never a second tone. Ngang last: "tôi." cannot be "tôị" (no tone sits there).
SENTENCE_ENDS = [
    ("cuo^'i", "cuối"),
    ("ngu+o+`i", "người"),
    ("gio?i", "giỏi"),
    ("ma~i", "mãi"),
    ("to^.i", "tội"),
    ("to^i", "tôi"),
    ("Ngu+o+`i", "Người"),
    ("NGU+O+`I", "NGƯỜI"),
    ("khoa'i", "khoái"),
    ("hoa`i", "hoài"),
    ("ddu+o+.c", "được"),
    ("ba`y", "bày"),
    ("qua'", "quá"),
    ("ca.", "cạ"),
    ("ye^u", "yêu"),
    ("khuya", "khuya"),
    ("ddi\\", "đi"),
]


# ---- what must never be rewritten ----------------------------------------------------------------------------
CLEAN = [
    "Đề nghị người dân tải ứng dụng",
    "Việt Nam",
    "cà phê",
    "Và tôi",
    "Hoà bình, hòa bình.",
    "Quốc gia",
    "Thuở ấy, khuya nghiêng",
    "Ơ",
    "Tiếng Việt có dấu: ạ ả ã á à ă â ê ô ơ ư đ",
    "PC-Covid",
]


# ---- round trips letter by letter ----------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", LEGACY)
@pytest.mark.parametrize("as_bytes", [False, True], ids=["pasted", "bytes"])
def test_every_letter_round_trips(encoding, as_bytes):
    for ch in ALL:
        expected = ch.lower() if encoding == "tcvn3" and ch in TONED_CAPITALS else ch
        assert to_unicode(from_unicode(ch, encoding, as_bytes=as_bytes), encoding) == expected, (encoding, ch)
    # and run together, so no letter's code swallows the next one's (VNI and VIQR are multi-character)
    text = " ".join(["".join(ALL), "".join(reversed(ALL)), "".join(a + b for a in LOWER for b in "đdaư")])
    if encoding == "tcvn3":
        text = "".join(c.lower() if c in TONED_CAPITALS else c for c in text)
    assert to_unicode(from_unicode(text, encoding, as_bytes=as_bytes), encoding) == text


def test_tcvn3_writes_toned_capitals_with_the_lowercase_byte():
    assert from_unicode("Ấ", "tcvn3", as_bytes=True) == from_unicode("ấ", "tcvn3", as_bytes=True) == b"\xca"
    assert from_unicode("Đ", "tcvn3", as_bytes=True) == b"\xa7" and from_unicode("Ư", "tcvn3", as_bytes=True) == b"\xa6"


@needs_iconv
def test_viscii_agrees_with_iconv():
    ours = [from_unicode(c, "viscii", as_bytes=True) for c in ALL]
    theirs = iconv("\n".join(ALL).encode(), "UTF-8", "VISCII").split(b"\n")
    assert ours == theirs
    everything = bytes(range(256))  # every byte reads the same (glibc and the RFC put six capitals on C0 codes)
    assert to_unicode(everything, "viscii") == nfc(iconv(everything, "VISCII", "UTF-8").decode())


@needs_iconv
def test_tcvn3_agrees_with_iconv():
    # glibc's TCVN5712-1 is VN1; for the letters VN3 has the bytes are the same. glibc may decompose: NFC.
    ours = [from_unicode(c, "tcvn3", as_bytes=True) for c in TCVN3_HOLDS]
    assert ours == iconv("\n".join(TCVN3_HOLDS).encode(), "UTF-8", "TCVN5712-1").split(b"\n")
    back = nfc(iconv(b"\n".join(ours), "TCVN5712-1", "UTF-8").decode()).split("\n")
    assert back == [to_unicode(b, "tcvn3") for b in ours] == TCVN3_HOLDS
    # Every byte we read as a Vietnamese letter (not just its Latin-1 self), glibc reads as the same letter.
    for b in range(0x80, 0x100):
        mine = to_unicode(bytes([b]), "tcvn3")
        if mine in ALL and mine != chr(b):
            assert mine == nfc(iconv(bytes([b]), "TCVN5712-1", "UTF-8").decode()), hex(b)


def test_tcvn3_is_vn3_not_vn1():
    """VN1's extra capitals are not read: C0 codes stay controls, 0x80-0x9F stay Windows-1252 punctuation
    (Word's curly quotes and dashes in .VnTime documents), as do the VN1 capitals in the upper half."""
    assert to_unicode(b"\x01\x02\x17", "tcvn3") == "\x01\x02\x17"
    assert to_unicode(b"\x93\xa7\xd2\x94 \x96 \x81", "tcvn3") == "“Đề” – \x81"
    assert to_unicode("“§Ò” – \x81", "tcvn3") == "“Đề” – \x81"
    assert to_unicode(b"\xc0\xda\xff", "tcvn3") == "ÀÚÿ"  # VN1: Ắ Ế Ố
    assert to_unicode("§Ò nghÞ ng\u00adêi d©n", "tcvn3") == "Đề nghị người dân"  # U+00AD is ư


def test_vni_agrees_with_a_second_public_table():
    table = dict(pair.split("=") for pair in DUYDEV_VNI.split())
    assert sorted(table) == sorted(PRECOMPOSED)
    for letter, vni in table.items():
        assert from_unicode(letter, "vni") == vni, letter
        assert to_unicode(vni, "vni") == letter and to_unicode(vni.encode("cp1252"), "vni") == letter
    assert to_unicode("Ñeà nghò ngöôøi daân", "vni") == "Đề nghị người dân"
    assert to_unicode("DAÂN Aù", "vni") == "DÂN Á"  # a mark of the other case is still read


def test_viqr_follows_rfc1456_mnemonics():
    for ch in ALL:
        assert from_unicode(ch, "viqr") == rfc1456(ch), ch
        assert to_unicode(rfc1456(ch), "viqr") == ch
    assert to_unicode("Dd", "viqr") == "Đ"
    assert to_unicode("Vie^.t Nam: xem google\\.com", "viqr") == "Việt Nam: xem google.com"


@pytest.mark.parametrize(
    "text",
    [
        "Đề nghị tải ứng dụng https://play.google.com/store/apps/details?id=com.vnptit.innovation.ncovi ngay.",
        "play.google.com e.g. a(b) C++ u+v x^2 What? Yes. I'm here. Ho\\.c add daddy dđ Dđ đd ĐD",
        "C:\\docs\\dd \\\\server\\share a\\'b \\ \\\\ \\d e-mail: ai@x.vn www.gov.vn",
    ],
)
def test_viqr_escapes_so_any_text_round_trips(text):
    assert to_unicode(from_unicode(text, "viqr"), "viqr") == text
    assert from_unicode("google.com", "viqr") == "google\\.com" and from_unicode("add", "viqr") == "ad\\d"


@pytest.mark.parametrize("viqr, word", SENTENCE_ENDS)
@pytest.mark.parametrize("mark", [".", "?", "...", '."', "?)"])
def test_a_full_stop_or_question_mark_after_a_viqr_word_is_punctuation(viqr, word, mark):
    text = f"Ho^m nay to^i no'i ve^` {viqr}{mark} Ca'm o+n."
    assert to_unicode(text, "viqr") == f"Hôm nay tôi nói về {word}{mark} Cám ơn."


def test_a_tone_mark_inside_a_word_is_still_a_tone():
    assert to_unicode("Vie^.t Nam thu+.c hie^.n dde^'n nay. Gio+`.", "viqr") == "Việt Nam thực hiện đến nay. Giờ."
    assert to_unicode("ddi.", "viqr") == "đị"  # RFC 1456's reading: a mark after a vowel is its tone
    assert to_unicode("ddi\\.", "viqr") == "đi."


def test_cannot_write_what_a_set_lacks():
    with pytest.raises(LegacyEncodingError):
        from_unicode("Hậu Giang — tuyên truyền", "viscii")  # VISCII uses every high byte for letters
    with pytest.raises(LegacyEncodingError):
        from_unicode("Ørsted", "vni")  # Ø is VNI's grave mark
    with pytest.raises(ValueError):
        to_unicode("x", "koi8-r")


# ---- the campaign messages through every encoding -------------------------------------------------------------
def test_messages_hold_no_toned_capital():
    """So TCVN3 writes them exactly (it lacks the 60 toned capitals; Đ and plain A-Z it has)."""
    for m in messages():
        assert not set(m) & set(TONED_CAPITALS), m
        assert to_unicode(from_unicode(m, "tcvn3"), "tcvn3") == m


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viqr", "viscii", "utf8-as-cp1252", "nfd"])
@pytest.mark.parametrize("as_bytes", [False, True], ids=["pasted", "bytes"])
def test_messages_are_detected_and_converted(encoding, as_bytes):
    msgs = messages()
    assert len(msgs) == 4
    for m in [*msgs, "  ".join(msgs)]:
        data = from_unicode(m, encoding, as_bytes=as_bytes)
        assert data != m
        d = detect(data)
        assert (d.encoding, d.text) == (encoding, m), d.reason
        assert d.converted == (encoding != "nfd") and 0.85 <= d.confidence <= 1.0
        assert "Vietnamese" in d.reason


def test_seed_examples_as_pasted():
    assert detect("§Ò nghÞ ng\u00adêi d©n").text == "Đề nghị người dân"
    assert detect("Ñeà nghò ngöôøi daân").text == "Đề nghị người dân"
    d = detect(messages()[0].encode("utf-8").decode("cp1252", errors="ignore"))  # with the five C1s lost
    assert d.encoding in ("unicode", "utf8-as-cp1252")  # not guessed as anything else


def test_utf8_as_cp1252_pasted_and_clean_text_untouched():
    for m in messages():
        pasted = from_unicode(m, "utf8-as-cp1252")
        assert "á»" in pasted or "Ä‘" in pasted
        assert ftfy.fix_encoding(pasted) == m == to_unicode(pasted, "utf8-as-cp1252")
        assert ftfy.fix_encoding(m) == m == to_unicode(m, "utf8-as-cp1252")


@pytest.mark.parametrize("text", [*CLEAN, *messages()])
def test_clean_vietnamese_is_never_changed(text):
    d = detect(text)
    assert (d.encoding, d.text, d.converted) == ("unicode", text, False), d.reason
    assert detect(text.encode()).text == text
    nfd = unicodedata.normalize("NFD", text)
    if nfd != text:
        assert (detect(nfd).encoding, detect(nfd).text, detect(nfd).converted) == ("nfd", text, False)


@pytest.mark.parametrize(
    "text",
    [
        "Hello world.",
        "Is it true? Yes, I'm sure.",
        "Go. So. No.",
        "NCOVI",
        "PC-Covid",
        "QR",
        "12/3/2020 15.3",
        "https://play.google.com/store/apps/details?id=com.vnptit.innovation.ncovi",
        "www.moh.gov.vn",
        "Please install the app (see e.g. the website) and read the F.A.Q.",
        "C++ a+b x^2 ~approx `code`",
        "The address is dd.mm.yyyy, don't add it.",
        "Café au lait à Paris",
        "",
        "   ",
        "© COPYRIGHT",
        "Copyright © 2020 The Authors. All rights reserved.",
        "COPYRIGHT © 2020 THE AUTHORS ©",
        "Grüße aus München, schöne Straße.",
        "¿Qué tal, señor? Mañana.",
        "São Paulo é ótimo, não é?",
        "THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND.\xa0IN NO EVENT SHALL THE AUTHORS BE LIABLE",
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and "
        "associated documentation files (the “Software”), to deal in the Software without restriction.",
    ],
)
def test_plain_text_is_never_taken_for_legacy(text):
    d = detect(text)
    assert d.encoding == "unicode" and not d.converted and d.text == text, d.reason
    assert detect(text.encode("cp1252")).text == text


def test_foreign_words_and_short_texts():
    msg = "Tải app PC-Covid ngay hôm nay để được bảo vệ"  # app, Covid: foreign; PC: an acronym
    for enc in ("tcvn3", "vni", "viscii", "utf8-as-cp1252"):  # unchanged ASCII words are set aside (≤ 1/3)
        assert detect(from_unicode(msg, enc)).text == msg, enc
    d = detect(from_unicode(msg, "viqr"))  # VIQR is ASCII: every word counts, 8 of 10 is not enough
    assert not d.converted and "80 % of 10 words" in d.reason
    for text in ("Xin chào bạn", "Việt Nam", "Cảm ơn"):  # one word is enough when it has an ASCII letter
        for enc in ("vni", "viqr", "utf8-as-cp1252"):
            assert detect(from_unicode(text, enc)).text == text
    assert detect("HA` NO^.I: MU+A LO+'N, CA?NH BA'O NGA^.P U'NG").text == "HÀ NỘI: MƯA LỚN, CẢNH BÁO NGẬP ÚNG"


def test_ambiguous_or_unconvincing_text_is_left_alone():
    d = detect("b©n b©n")  # TCVN3 and VISCII both read it as Vietnamese words
    assert (d.converted, d.text) == (False, "b©n b©n") and "ambiguous" in d.reason
    assert isinstance(d, Detection) and set(ENCODINGS) >= {d.encoding}
    d = detect(b"caf\xe9 \x93quoted\x94 d\xe9j\xe0 vu")  # Windows-1252, not a Vietnamese legacy set
    assert (d.encoding, d.text, d.converted, d.confidence) == (UNKNOWN, "café “quoted” déjà vu", False, 0), d.reason
    assert d.reason == "neither UTF-8 (byte 3) nor a legacy Vietnamese encoding"


# ---- syllables ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "word",
    [
        "hoà",
        "hòa",
        "khuya",
        "nghiêng",
        "người",
        "quốc",
        "gì",
        "tắp",
        "tạp",
        "HÒA",
        "Khuỷu",
        "thuở",
        "giếng",
        "gìn",
        "yêu",
        "uống",
        "của",
        "quý",
        "xoong",
        "ạ",
        "oách",
        "huệ",
        "tuần",
        "khuyết",
        "ươn",
        "ít",
        "y",
        "ngoẹo",
    ],
)
def test_syllables_accepted(word):
    assert is_syllable(word) and is_syllable(unicodedata.normalize("NFD", word))


@pytest.mark.parametrize(
    "word",
    [
        "ngiêng",
        "kà",
        "tảp",
        "hello",
        "it",
        "muà",
        "qúy",
        "ge",
        "nghe1",
        "ca'c",
        "ciêng",
        "ghà",
        "Covid",
        "NCOVI",
        "",
        "hoàà",
        "tiến.",
        "ăn̂",
    ],
)
def test_syllables_rejected(word):
    assert not is_syllable(word)


def test_every_word_of_the_messages_is_a_syllable_but_the_foreign_ones():
    words = {w.strip(".,:").lower() for m in messages() for w in m.split() if "://" not in w}
    foreign = {w for w in words if not is_syllable(w)}
    assert foreign == {"ncovi", "pc-covid", "covid-19", "qr"}
