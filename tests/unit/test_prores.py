"""ProRes frames taken apart into macroblock rows of slices and put together again, on frames built here byte by
byte as SMPTE RDD 36 lays them out (nothing encoded or decoded)."""

from __future__ import annotations

import pytest

from ticker.encode.prores import Assembler, band_lines, encoded_lines, first_slice_mbs, parse, slices_per_row
from ticker.errors import EncodeError

SLICING = 0x30  # log2 of a slice's width, 8 macroblocks; of its height, 1


def _header(width: int, height: int, interlace_mode: int = 0) -> bytes:
    """A frame header of 148 bytes, from its size field: 4:4:4 with 16-bit alpha, BT.709, both matrices."""
    h = bytearray(148)
    h[0:2] = (148).to_bytes(2, "big")
    h[4:8] = b"apl0"
    h[8:10] = width.to_bytes(2, "big")
    h[10:12] = height.to_bytes(2, "big")
    h[12] = 3 << 6 | interlace_mode << 2
    h[14:17] = b"\x01\x01\x01"
    h[17] = 2
    h[19] = 3
    h[20:] = bytes(range(128))
    return bytes(h)


def _slice(qscale: int, tag: bytes) -> bytes:
    """A slice: its header (8 bytes, alpha coded), then bytes of its own; sizes differ with the tag."""
    return bytes([8 << 3, qscale]) + len(tag).to_bytes(2, "big") + bytes(4) + tag


def _picture(slices: list[bytes], slicing: int = SLICING) -> bytes:
    table = b"".join(len(s).to_bytes(2, "big") for s in slices)
    body = b"".join(slices)
    size = 8 + len(table) + len(body)
    return bytes([8 << 3]) + size.to_bytes(4, "big") + len(slices).to_bytes(2, "big") + bytes([slicing]) + table + body


def _frame(header: bytes, pictures: list[bytes]) -> bytes:
    total = 8 + len(header) + sum(map(len, pictures))
    return total.to_bytes(4, "big") + b"icpf" + header + b"".join(pictures)


def _rows(name: str, rows: int, per_row: int, qscale=lambda r, s: 1) -> list[list[bytes]]:
    """Slices of `rows` macroblock rows, each telling its picture, row and place in the row."""
    return [[_slice(qscale(r, s), f"{name}:{r}:{s}".encode() * (1 + s)) for s in range(per_row)] for r in range(rows)]


def _flat(rows: list[list[bytes]]) -> list[bytes]:
    return [s for row in rows for s in row]


def _read(frame: bytes) -> tuple[int, list[tuple[int, int, list[bytes]]]]:
    """The frame size field and, for each picture, its picture_size, slice count and slices as the table cuts
    them (read here, not by ticker.encode.prores)."""
    at, pictures = 8 + int.from_bytes(frame[8:10], "big"), []
    while at < len(frame):
        size, count = int.from_bytes(frame[at + 1 : at + 5], "big"), int.from_bytes(frame[at + 5 : at + 7], "big")
        sizes = [int.from_bytes(frame[at + 8 + 2 * i : at + 10 + 2 * i], "big") for i in range(count)]
        offset, slices = at + 8 + 2 * count, []
        for n in sizes:
            slices.append(frame[offset : offset + n])
            offset += n
        assert offset == at + size and frame[at + 7] == SLICING
        pictures.append((size, count, slices))
        at += size
    assert at == len(frame)
    return int.from_bytes(frame[:4], "big"), pictures


@pytest.mark.parametrize(
    "height, interlaced, top, bottom, lines",
    [
        (1080, False, 40, 70, (32, 80)),  # 16-line macroblock rows
        (1080, True, 40, 70, (32, 96)),  # 32 frame lines: a macroblock row of each field
        (1080, False, 0, 16, (0, 16)),
        (1080, True, 1000, 1050, (992, 1056)),  # ends where the last whole row of the fields does
        (1080, True, 1000, 1060, (992, 1080)),  # into the partial last row: to the bottom
        (1080, False, 1040, 1075, (1040, 1080)),  # 1080 = 67 rows and a half
        (1080, False, 1040, 1072, (1040, 1072)),
        (576, True, 450, 520, (448, 544)),  # 576 lines are 18 whole rows of each field
    ],
)
def test_band_lines_are_whole_macroblock_rows(height, interlaced, top, bottom, lines):
    assert band_lines(height, interlaced, top, bottom) == lines


@pytest.mark.parametrize(
    "width, log2, count",
    [(1920, 3, 15), (720, 3, 7), (1080, 3, 9), (1280, 3, 10), (720, 2, 12), (1024, 3, 8), (8, 3, 1)],
)
def test_slices_per_row_are_slices_of_eight_then_halves(width, log2, count):
    # 1920: 120 MBs = 15×8; 720: 45 = 5×8+4+1; 1080: 67.5 → 68 = 8×8+4; 1280: 80 = 10×8; 720 by 4: 11×4+1
    assert slices_per_row(width, log2) == count


@pytest.mark.parametrize("width, log2, mbs", [(1920, 3, 8), (720, 3, 8), (96, 3, 4), (40, 3, 2), (16, 3, 1)])
def test_a_rows_first_slice_is_as_wide_as_the_picture_lets_it(width, log2, mbs):
    assert first_slice_mbs(width, log2) == mbs


def test_parse_reads_the_pictures_and_their_slices():
    rows = _rows("top", 18, 7), _rows("bottom", 18, 7)
    data = _frame(_header(720, 576, 1), [_picture(_flat(r)) for r in rows])
    frame = parse(data)
    assert (frame.width, frame.height, frame.interlace_mode) == (720, 576, 1)
    assert frame.header == data[8:156] and len(frame.pictures) == 2
    for picture, r in zip(frame.pictures, rows):
        assert picture.sizes == tuple(map(len, _flat(r))) and picture.data == b"".join(_flat(r))
        assert picture.log2_slice_mbs == 3 and picture.qscale(8) == 1
        assert picture.rows(7, 2, 4) == (
            b"".join(len(s).to_bytes(2, "big") for s in _flat(r[2:4])),
            b"".join(_flat(r[2:4])),
        )


def _good() -> bytes:
    return _frame(_header(256, 64, 0), [_picture(_flat(_rows("p", 4, 2)))])


def _resized(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data[4:]


def _longer_first_slice(data: bytes) -> bytes:
    """The slice table's first entry one more than the slice (at 164: after the frame and picture headers)."""
    return data[:164] + (int.from_bytes(data[164:166], "big") + 1).to_bytes(2, "big") + data[166:]


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda d: d[:-1], id="truncated"),
        pytest.param(lambda d: _resized(d[:-5]), id="truncated-with-its-size-field-made-to-match"),
        pytest.param(lambda d: _resized(d[:170]), id="cut-inside-the-slice-table"),
        pytest.param(lambda d: _resized(d[:157]), id="cut-inside-the-picture-header"),
        pytest.param(lambda d: d[:4] + b"icpF" + d[8:], id="not-icpf"),
        pytest.param(lambda d: _resized(d + b"\0\0"), id="bytes-after-the-picture"),
        pytest.param(_longer_first_slice, id="slice-table-not-the-slices"),
        pytest.param(lambda d: d[:20] + bytes([d[20] | 1 << 2]) + d[21:], id="interlaced-with-one-picture"),
    ],
)
def test_parse_refuses_what_is_not_a_whole_frame(bad):
    parse(_good())
    with pytest.raises(EncodeError):
        parse(bad(_good()))


def test_assembler_puts_the_band_rows_between_the_still_rows():
    # 256 wide: 16 macroblocks, 2 slices a row; 160 lines: 10 rows; the band's lines 48-96 are rows 3-5
    still = _rows("still", 10, 2)
    assembler = Assembler(_frame(_header(256, 160), [_picture(_flat(still))]), 48, 96)
    for n in range(3):
        band = _rows(f"band{n}", 3, 2, qscale=lambda r, s: 4 + r)
        frame = assembler.frame(_frame(_header(256, 48), [_picture(_flat(band))]))
        size, pictures = _read(frame)
        assert size == len(frame) and frame[4:8] == b"icpf"
        assert frame[8:156] == _header(256, 160)  # the still frame's header: the full picture's height
        [(picture_size, count, slices)] = pictures
        assert count == 20 and slices == _flat(still[:3] + band + still[6:])
        assert picture_size == 8 + 2 * 20 + sum(map(len, slices))
        assert parse(frame).pictures[0].sizes == tuple(map(len, slices))


def test_assembler_keeps_the_fields_apart_and_fills_a_partial_last_row_from_the_band():
    # 1080 interlaced: 34 rows a field, the last partial; a band to the bottom from line 1024 has 2 rows a field
    still = _rows("top", 34, 1), _rows("bottom", 34, 1)
    assembler = Assembler(_frame(_header(128, 1080, 1), [_picture(_flat(r)) for r in still]), 1024, 1080)
    band = _rows("band-top", 2, 1), _rows("band-bottom", 2, 1)
    frame = assembler.frame(_frame(_header(128, 56, 1), [_picture(_flat(r)) for r in band]))
    size, pictures = _read(frame)
    assert size == len(frame) and len(pictures) == 2
    for (_, count, slices), s, b in zip(pictures, still, band):
        assert count == 34 and slices == _flat(s[:32] + b)


def test_assembler_refuses_a_band_frame_that_does_not_fit():
    assembler = Assembler(_frame(_header(256, 160), [_picture(_flat(_rows("s", 10, 2)))]), 48, 96)
    with pytest.raises(EncodeError):  # a row too many
        assembler.frame(_frame(_header(256, 64), [_picture(_flat(_rows("b", 4, 2)))]))
    with pytest.raises(EncodeError):  # another width
        assembler.frame(_frame(_header(128, 48), [_picture(_flat(_rows("b", 3, 1)))]))
    with pytest.raises(EncodeError):  # two fields for a progressive frame
        assembler.frame(_frame(_header(256, 48, 1), [_picture(_flat(_rows("b", 2, 2)))] * 2))
    with pytest.raises(EncodeError):  # a still frame without the slices of its height
        Assembler(_frame(_header(256, 160), [_picture(_flat(_rows("s", 9, 2)))]), 48, 96)


def _still(width: int, height: int, rows: int, per_row: int, ends: dict, interlace_mode: int = 0, fields=(0,)):
    """A still frame whose row r's last slice ends on quantiser ends[r] (1 elsewhere), in the pictures `fields`."""
    pictures = []
    for f in range(2 if interlace_mode else 1):
        q = (lambda r, s: ends.get(r, 1) if s == per_row - 1 else 1) if f in fields else (lambda r, s: 1)
        pictures.append(_picture(_flat(_rows(str(f), rows, per_row, q))))
    return parse(_frame(_header(width, height, interlace_mode), pictures))


def test_encoded_lines_are_the_band_rows_when_the_still_rows_start_from_the_first_quantiser():
    calls = []

    def flat(y, lines, columns):
        calls.append((y, lines, columns))
        return True

    assert encoded_lines([_still(256, 160, 10, 2, {})], (50, 90), flat) == (48, 96)
    assert calls == [(96, 16, 128)]  # the row below, 16 lines, its first slice's 8 macroblocks


def test_encoded_lines_go_up_while_the_slice_before_the_band_ended_on_another_quantiser():
    still = _still(256, 160, 10, 2, {2: 4, 1: 6})  # rows 1 and 2 end on 6 and 4; row 0 on the first
    assert encoded_lines([still], (50, 90), lambda *a: True) == (16, 96)
    assert encoded_lines([_still(256, 160, 10, 2, {0: 3, 1: 3, 2: 3})], (50, 90), lambda *a: True) == (0, 96)
    # any of the stills, any of the pictures
    others = [_still(256, 160, 10, 2, {}), _still(256, 160, 10, 2, {2: 2})]
    assert encoded_lines(others, (50, 90), lambda *a: True) == (32, 96)
    fields = _still(256, 160, 5, 2, {1: 9}, interlace_mode=1, fields=(1,))  # the bottom field's row 1
    assert encoded_lines([fields], (70, 120), lambda *a: True) == (32, 128)


def test_encoded_lines_go_down_until_a_row_starts_flat():
    still = [_still(256, 160, 10, 2, {})]
    assert encoded_lines(still, (50, 90), lambda y, lines, columns: y >= 128) == (48, 128)
    assert encoded_lines(still, (50, 90), lambda *a: False) == (48, 160)  # never: to the bottom
    interlaced = [_still(256, 320, 10, 2, {}, interlace_mode=1)]
    assert encoded_lines(interlaced, (70, 120), lambda y, lines, columns: y >= 192 and lines == 32) == (64, 192)


def test_encoded_lines_take_a_partial_last_row_as_not_flat():
    # 1080 lines: the row at 1072 has 8 lines of the picture; a band ending above it encodes it too
    still = [_still(128, 1080, 68, 1, {})]
    assert encoded_lines(still, (1040, 1070), lambda *a: True) == (1040, 1080)
