"""SCTE-35 cues as a playout system sends them, for the tests of their passage through `ticker air`."""

from __future__ import annotations

from ticker.watch.tap import crc32


def splice_insert(event: int, pts: int, seconds: float = 30.0, adjustment: int = 0) -> bytes:
    """A splice_info_section of a splice_insert (SCTE 35 9.7.3): out of the network at `pts` (90 kHz) for
    `seconds`, coming back on its own; the section's pts_adjustment `adjustment`."""
    command = event.to_bytes(4, "big") + bytes([0x7F, 0b1110_1111])  # out of network, programme, duration
    command += bytes([0xFE | (pts >> 32)]) + (pts & 0xFFFFFFFF).to_bytes(4, "big")
    length = round(seconds * 90_000)
    command += bytes([0xFE | (length >> 32)]) + (length & 0xFFFFFFFF).to_bytes(4, "big")
    command += bytes([0x00, 0x01, 0x00, 0x00])  # unique_program_id, avail_num, avails_expected
    body = bytes([0x00, adjustment >> 32]) + (adjustment & 0xFFFFFFFF).to_bytes(4, "big")
    body += bytes([0x00, 0xFF, 0xF0 | (len(command) >> 8), len(command) & 0xFF, 0x05]) + command
    body += b"\x00\x00"  # no descriptors
    length = len(body) + 4
    section = bytes([0xFC, 0x30 | (length >> 8), length & 0xFF]) + body
    return section + crc32(section).to_bytes(4, "big")


def splice_time(section: bytes) -> tuple[int, int]:
    """A splice_insert's pts_time and the section's pts_adjustment (90 kHz)."""
    adjustment = ((section[4] & 1) << 32) | int.from_bytes(section[5:9], "big")
    at = 14 + 6  # the command's start, then the event id and its flags
    return ((section[at] & 1) << 32) | int.from_bytes(section[at + 1 : at + 5], "big"), adjustment
