"""The channel's SCTE-35 cues (splice_info_section, ANSI/SCTE 35) carried through `ticker air`.

libavformat's transport stream muxer would carry a cue as a PES packet of private data (stream type 0x06), which
no splicer reads; so the cues are put into the multiplex after it, at the transport packet level: the programme's
PMT gains the cue stream (stream type 0x86, and the registration descriptor "CUEI" in its programme loop, as
SCTE 35 8.1 asks), and each section the input gave goes out in the null packets that pad the constant rate, on
the cue stream's PID, so that neither the rate nor any other packet moves. A cue's splice times are the input's
timestamps; the output's pictures are those timestamps moved by what the frame synchroniser moved them by
(ticker.air.sync), so each section's pts_adjustment (the field SCTE 35 keeps for a splicer downstream of a
re-stamp) is moved by as much, and its CRC made again. Everything else in the section is passed as it came,
encrypted parts too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ticker.watch.tap import PACKET, WRAP, crc32

SYNC = 0x47
NULL = 0x1FFF
SCTE35 = 0x86  # the stream type of SCTE-35 cues
SPLICE_INFO = 0xFC  # a splice_info_section's table id
PMT = 0x02
REGISTRATION = bytes([0x05, 4]) + b"CUEI"  # ISO/IEC 13818-1's registration descriptor, SCTE's identifier


def _with_crc(body: bytes) -> bytes:
    return body + crc32(body).to_bytes(4, "big")


def adjusted(section: bytes, ticks: int) -> bytes:
    """A splice_info_section with `ticks` (90 kHz) added to its pts_adjustment, its CRC made again."""
    if len(section) < 17 or section[0] != SPLICE_INFO:
        raise ValueError("not a splice_info_section")
    length = 3 + (((section[1] & 0x0F) << 8) | section[2])
    if length > len(section) or crc32(section[:length]):
        raise ValueError("a splice_info_section cut short or with a wrong CRC")
    before = ((section[4] & 1) << 32) | int.from_bytes(section[5:9], "big")
    after = (before + ticks) % WRAP
    head = bytes([section[4] & 0xFE | (after >> 32)]) + (after & 0xFFFFFFFF).to_bytes(4, "big")
    return _with_crc(section[:4] + head + section[9 : length - 4])


def split(section: bytes, pid: int, counter: int) -> tuple[list[bytes], int]:
    """A section in transport packets of `pid` (the first starting it, pointer field 0; the last stuffed with
    0xFF), and the continuity counter after them."""
    payload, packets = b"\x00" + section, []
    for n, at in enumerate(range(0, len(payload), PACKET - 4)):
        part = payload[at : at + PACKET - 4]
        head = bytes([SYNC, (0x40 if n == 0 else 0) | (pid >> 8), pid & 0xFF, 0x10 | counter])
        packets.append(head + part + b"\xff" * (PACKET - 4 - len(part)))
        counter = (counter + 1) & 0x0F
    return packets, counter


def _payload_at(packet: bytes) -> int | None:
    """Where a packet's payload starts (None: it carries none)."""
    control = (packet[3] >> 4) & 3
    if not control & 1:
        return None
    return 4 + (1 + packet[4] if control & 2 else 0)


def with_cues(pmt: bytes, pid: int) -> bytes | None:
    """A packet of a PMT section with the cue stream added (None: the PMT is not one packet's, or has it)."""
    start = _payload_at(pmt)
    if start is None or not pmt[1] & 0x40:
        return None
    at = start + 1 + pmt[start]
    if at + 3 > PACKET or pmt[at] != PMT:
        return None
    length = ((pmt[at + 1] & 0x0F) << 8) | pmt[at + 2]
    end = at + 3 + length
    if end > PACKET or crc32(pmt[at:end]):
        return None
    section = pmt[at : end - 4]
    info = ((section[10] & 0x0F) << 8) | section[11]
    streams = section[12 + info :]
    n = 0
    while n + 5 <= len(streams):
        if streams[n] == SCTE35 or ((streams[n + 1] & 0x1F) << 8 | streams[n + 2]) == pid:
            return None
        n += 5 + (((streams[n + 3] & 0x0F) << 8) | streams[n + 4])
    loop = section[12 : 12 + info] + REGISTRATION
    entry = bytes([SCTE35, 0xE0 | (pid >> 8), pid & 0xFF, 0xF0, 0])
    body = section[3:10] + bytes([0xF0 | (len(loop) >> 8), len(loop) & 0xFF]) + loop + streams + entry
    grown = len(body) + 4
    table = _with_crc(bytes([PMT, (section[1] & 0xF0) | (grown >> 8), grown & 0xFF]) + body)
    if at + len(table) > PACKET:
        return None
    return pmt[:at] + table + b"\xff" * (PACKET - at - len(table))


def whole(rest: bytes, data: bytes) -> tuple[bytes, bytes]:
    """What was left over before and `data`, in whole packets; and what is left over now."""
    joined = rest + data
    cut = len(joined) // PACKET * PACKET
    return joined[:cut], joined[cut:]


@dataclass
class Cues:
    """The multiplex's packets as they leave the muxer, with the cues put in (module docstring). `through` takes
    what the muxer wrote, in any pieces, and gives it back in whole packets."""

    pmt_pid: int
    pid: int  # the cue stream's PID in the output
    said: Callable[[str], None] = lambda s: None
    waiting: deque[bytes] = field(default_factory=deque)  # packets of cues not yet put in a null packet's place
    counter: int = 0
    rest: bytes = b""
    tables: dict[bytes, bytes | None] = field(default_factory=dict)  # each PMT packet's payload, with the cues
    carried: int = 0  # sections put in the multiplex

    def add(self, section: bytes, ticks: int) -> None:
        """A cue of the input, its splice times to be moved by `ticks` (90 kHz)."""
        try:
            packets, self.counter = split(adjusted(section, ticks), self.pid, self.counter)
        except ValueError as e:
            self.said(f"an SCTE-35 cue of the input was not passed on: {e}")
            return
        self.waiting.extend(packets)
        self.carried += 1

    def through(self, data: bytes) -> bytes:
        data, self.rest = whole(self.rest, data)
        if not data:
            return b""
        heads = np.frombuffer(data, np.uint8).reshape(-1, PACKET)[:, 1:3].astype(np.uint16)
        pids = ((heads[:, 0] & 0x1F) << 8) | heads[:, 1]
        tables = np.flatnonzero(pids == self.pmt_pid)
        nulls = np.flatnonzero(pids == NULL)[: len(self.waiting)] if self.waiting else ()
        if not len(tables) and not len(nulls):
            return data
        out = bytearray(data)
        for n in tables:
            packet = data[n * PACKET : (n + 1) * PACKET]
            key = packet[4:]  # (the header's continuity counter changes from one to the next)
            if key not in self.tables:
                self.tables[key] = with_cues(packet, self.pid)
                if self.tables[key] is None and packet[1] & 0x40:
                    self.said("the PMT could not take the SCTE-35 stream; the input's cues are not passed on")
            made = self.tables[key]
            if made is not None:
                out[n * PACKET + 4 : (n + 1) * PACKET] = made[4:]
        for n in nulls:
            out[n * PACKET : (n + 1) * PACKET] = self.waiting.popleft()
        return bytes(out)
