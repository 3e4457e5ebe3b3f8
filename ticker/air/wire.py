"""The multiplex on its way out of `ticker air`: libavformat's transport stream muxer writes into ticker, which
puts the input's SCTE-35 cues into it (ticker.air.cues) and hands it on in whole packets, byte for byte, to the
destination's own protocol (UDP paced at the mux rate, SRT, a file) through libavformat's raw data muxer."""

from __future__ import annotations

from fractions import Fraction

import av
import av.container

from ticker.air.cues import Cues, whole

CUE_PID = 0x01F4  # the cue stream's PID when the input's is taken by one of the output's streams


def cue_pid(input_pid: int, taken: set[int]) -> int:
    """The output's PID for the cues: the input's, which the headend knows (unless the output uses it)."""
    if 0x20 <= input_pid < 0x1FFF and input_pid not in taken:
        return input_pid
    return next(p for p in range(CUE_PID, 0x1FFF) if p not in taken)


class Wire:
    """A writable file for the muxer (it writes in pieces of its own size); the multiplex goes on to `dest` in
    whole packets, and in UDP datagrams of seven (the sink's buffer is the datagram's size, and is sent only when
    full: a flush after each piece would send datagrams of a packet and a part, which a receiver drops)."""

    def __init__(self, dest: str, cues: Cues | None) -> None:
        self.cues = cues
        self.sink: av.container.OutputContainer = av.open(dest, "w", format="data", options={"flush_packets": "0"})
        self.stream = self.sink.add_data_stream()
        self.n = 0
        self.rest = b""

    def write(self, data: bytes) -> int:
        if self.cues is not None:
            packets = self.cues.through(bytes(data))
        else:
            packets, self.rest = whole(self.rest, bytes(data))
        if packets:
            packet = av.Packet(packets)
            packet.stream, packet.time_base = self.stream, Fraction(1, 1000)
            packet.pts = packet.dts = self.n  # (the raw muxer asks only that they rise)
            self.n += 1
            self.sink.mux(packet)
        return len(data)

    def close(self) -> None:
        self.sink.close()
