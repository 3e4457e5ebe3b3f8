"""SCTE-35 cues through `ticker air`'s multiplex (ticker.air.cues): the PMT announces them, each section goes out in
a null packet's place with its splice times moved as the pictures were, and nothing else of the stream moves."""

from __future__ import annotations

import pytest

from ticker.air.cues import NULL, Cues, adjusted, split, with_cues
from ticker.air.wire import cue_pid
from ticker.watch.tap import PACKET, crc32

from support.cues import splice_insert, splice_time

# a PMT packet as libavformat's muxer writes it: programme 1, MPEG-2 video on 0x0100 (its PCR), MPEG audio on 0x0101
PMT_PACKET = bytes.fromhex("475000100002b0170001c10000e100f00002e100f00003e101f000f64a0355")
PMT_PACKET += b"\xff" * (PACKET - len(PMT_PACKET))


def _packet(pid: int, counter: int = 0, fill: int = 0xAA) -> bytes:
    return bytes([0x47, pid >> 8, pid & 0xFF, 0x10 | counter]) + bytes([fill]) * (PACKET - 4)


def _streams(pmt: bytes) -> tuple[list[tuple[int, int]], bytes]:
    """A PMT packet's streams (type, PID) and its programme loop's descriptors."""
    at = 5 + pmt[4]
    section = pmt[at : at + 3 + (((pmt[at + 1] & 0x0F) << 8) | pmt[at + 2])]
    assert crc32(section) == 0
    info = ((section[10] & 0x0F) << 8) | section[11]
    loop, rest, found = section[12 : 12 + info], section[12 + info : -4], []
    while rest:
        found.append((rest[0], ((rest[1] & 0x1F) << 8) | rest[2]))
        rest = rest[5 + (((rest[3] & 0x0F) << 8) | rest[4]) :]
    return found, loop


def test_the_crc_is_mpeg_2s():
    assert crc32(b"123456789") == 0x0376E6E7  # CRC-32/MPEG-2's check value
    assert crc32(splice_insert(7, 270_000)) == 0


def test_a_cues_splice_time_moves_with_the_pictures_and_nothing_else_of_it_does():
    section = splice_insert(7, 270_000, adjustment=100)
    moved = adjusted(section, 3 * 90_000)
    assert splice_time(moved) == (270_000, 100 + 3 * 90_000) and crc32(moved) == 0
    assert moved[:4] + moved[9:-4] == section[:4] + section[9:-4]
    assert splice_time(adjusted(splice_insert(7, 0, adjustment=(1 << 33) - 10), 25))[1] == 15  # the clock wraps
    assert splice_time(adjusted(section, -200))[1] == (1 << 33) - 100


@pytest.mark.parametrize("broken", ["crc", "short", "table"])
def test_a_section_not_a_whole_splice_info_section_is_refused(broken):
    section = splice_insert(7, 270_000)
    bad = {"crc": section[:-1] + bytes([section[-1] ^ 1]), "short": section[:20], "table": b"\x02" + section[1:]}
    with pytest.raises(ValueError):
        adjusted(bad[broken], 0)


def test_a_section_goes_out_in_whole_packets_of_its_pid_counted_on():
    long = splice_insert(7, 1) + bytes(400)  # (three packets' worth)
    packets, counter = split(long, 0x01F4, 14)
    assert [len(p) for p in packets] == [PACKET] * 3 and counter == 1
    assert [p[1] & 0x40 for p in packets] == [0x40, 0, 0]  # the first starts the section
    assert [p[3] & 0x0F for p in packets] == [14, 15, 0] and all(((p[1] & 0x1F) << 8 | p[2]) == 0x01F4 for p in packets)
    payload = b"".join(p[4:] for p in packets)
    assert payload[0] == 0 and payload[1 : 1 + len(long)] == long and set(payload[1 + len(long) :]) == {0xFF}


def test_the_pmt_announces_the_cues_with_scte_35s_registration():
    made = with_cues(PMT_PACKET, 0x01F4)
    assert made is not None and len(made) == PACKET and made[:4] == PMT_PACKET[:4]
    assert _streams(made) == ([(0x02, 0x0100), (0x03, 0x0101), (0x86, 0x01F4)], b"\x05\x04CUEI")
    assert with_cues(made, 0x01F4) is None  # announced once
    assert with_cues(_packet(0x1000), 0x01F4) is None  # not a PMT


def test_cues_take_null_packets_places_and_the_stream_keeps_its_length_and_other_packets():
    stream = [PMT_PACKET, _packet(0x100), _packet(NULL, fill=0xFF), _packet(0x101), _packet(NULL, fill=0xFF)] * 3
    data = b"".join(stream)
    cues = Cues(0x1000, 0x01F4)
    cues.add(splice_insert(1, 90_000), 0)
    cues.add(splice_insert(2, 180_000), 90)
    pieces = [data[:100], data[100:1000], data[1000:]]  # (the muxer writes in pieces of its own size)
    out = b"".join(cues.through(p) for p in pieces)
    assert len(out) == len(data) and not cues.waiting and cues.rest == b""
    packets = [out[n : n + PACKET] for n in range(0, len(out), PACKET)]
    pids = [((p[1] & 0x1F) << 8) | p[2] for p in packets]
    assert pids == [0x1000, 0x100, 0x01F4, 0x101, 0x01F4] + [0x1000, 0x100, NULL, 0x101, NULL] * 2
    assert [p for p, pid in zip(packets, pids, strict=True) if pid in (0x100, 0x101)] == stream[1:4:2] * 3
    cue = packets[4][5 : 5 + len(splice_insert(2, 180_000))]
    assert splice_time(cue) == (180_000, 90) and packets[4][3] & 0x0F == 1
    assert all(_streams(p)[0][-1] == (0x86, 0x01F4) for p, pid in zip(packets, pids, strict=True) if pid == 0x1000)


def test_a_bad_cue_is_said_and_the_stream_goes_on():
    said: list[str] = []
    cues = Cues(0x1000, 0x01F4, said.append)
    cues.add(b"\xfc" + bytes(30), 0)
    assert said and "not passed on" in said[0] and not cues.waiting


def test_the_cues_keep_the_inputs_pid_unless_the_output_uses_it():
    assert cue_pid(0x0500, {0x1000, 0x100, 0x101}) == 0x0500
    assert cue_pid(0x0101, {0x1000, 0x100, 0x101}) == 0x01F4
    assert cue_pid(0x01F4, {0x1000, 0x1F4}) == 0x01F5
