"""A transport stream read as the channel sends it, 188-byte packet by packet (ffmpeg's mpegtsraw demuxer), so that
ticker can choose the programme itself and keep the channel's own packets as evidence.

The programme is chosen by its service id (the PAT's program_number; without one, the first programme that has
video, in the order of their ids), its PMT read for the PIDs it is made of, and only the programme's packets
(with the PAT and its PMT) are given on to the decoder, as the bytes of a transport stream read like a file
(`read`). The last KEEP seconds of them are kept in a ring, cut where each picture's PES starts; `clip` gives an
airing's first seconds as they came, from the key frame before its start (the packet flagged
random_access_indicator), with the tables in front so that any player opens it. A change of the programme's PIDs
(a restart, a new format) ends the stream, so that the decoder starts again on the new ones."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import av
import av.container
import numpy as np

PACKET = 188
KEEP = 20.0  # seconds of the programme's packets kept
KEEP_BYTES = 64 * 1024 * 1024  # and at most this much of them, whatever the bit rate
LEAD = 3.0  # seconds before an airing's start a clip may begin when no key frame is flagged
TICKS = 90_000  # of the PES timestamps, per second
WRAP = 1 << 33  # the PES timestamps wrap here (26.5 hours)
UNHEARD = 64  # PCRs kept that were read before anyone listened (the probe's)
VIDEO = {0x01, 0x02, 0x10, 0x1B, 0x24, 0x42, 0x33}  # MPEG-1/2, MPEG-4 part 2, H.264, HEVC, AVS, VVC
PAT_PID = 0
PROBE = {"probesize": "2000000", "analyzeduration": "1000000"}  # the decoder's look at the programme's start
FILE_READ = 1024 * 1024  # bytes of a recording read at once
SEARCH_BYTES = 16 * 1024 * 1024  # read without finding the programme's tables: the stream is said to lack them


class TapProblem(Exception):
    """The stream cannot be watched as it is (one sentence)."""


@dataclass(frozen=True)
class Programme:
    """A programme of the stream, as its PMT describes it."""

    service: int
    pmt: int
    pcr: int
    video: int
    pids: frozenset[int]  # its elementary streams' and its PCR's
    kinds: frozenset[tuple[int, int]] = frozenset()  # (PID, stream_type) of each elementary stream: its format


@dataclass
class Segment:
    """The programme's packets from one picture's PES start to the next's: its PTS (90 kHz, None when the PES
    gives none) and whether it starts at a key frame."""

    pts: int | None
    key: bool
    data: bytearray


class Sections:
    """PSI sections of one PID put together from its packets' payloads."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def add(self, packet: bytes) -> bytes | None:
        """The section this packet completes, if any."""
        payload = _payload(packet)
        if payload is None:
            return None
        if packet[1] & 0x40:  # payload_unit_start: a pointer field, then a new section
            self.buffer = bytearray(payload[1 + payload[0] :]) if payload else bytearray()
        elif self.buffer:
            self.buffer += payload
        if len(self.buffer) < 3:
            return None
        total = 3 + (((self.buffer[1] & 0x0F) << 8) | self.buffer[2])
        if len(self.buffer) < total:
            return None
        section, self.buffer = bytes(self.buffer[:total]), bytearray()
        return section if total >= 12 and crc32(section) == 0 else None  # a damaged table is not read


def _payload(packet: bytes) -> bytes | None:
    control = (packet[3] >> 4) & 3
    if not control & 1:
        return None
    start = 4 + (1 + packet[4] if control & 2 else 0)
    return packet[start:] if start <= PACKET else None


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
        table.append(crc)
    return table


CRC_TABLE = _crc_table()


def crc32(data: bytes) -> int:
    """The CRC-32 of MPEG-2 sections (ISO/IEC 13818-1 annex A): over a whole section with its CRC, 0."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ CRC_TABLE[(crc >> 24) ^ byte]
    return crc


def services(section: bytes) -> dict[int, int]:
    """A PAT's programmes: service id → PMT PID (the network PID, programme 0, left out)."""
    if section[0] != 0x00:
        return {}
    end = len(section) - 4  # the CRC
    found = {}
    for i in range(8, end - 3, 4):
        number, pid = (section[i] << 8) | section[i + 1], ((section[i + 2] & 0x1F) << 8) | section[i + 3]
        if number:
            found[number] = pid
    return found


def programme(section: bytes, pmt: int) -> Programme | None:
    """A PMT's programme, or None when it is not a PMT or has no video."""
    if section[0] != 0x02 or len(section) < 16:
        return None
    service, pcr = (section[3] << 8) | section[4], ((section[8] & 0x1F) << 8) | section[9]
    i, end = 12 + (((section[10] & 0x0F) << 8) | section[11]), len(section) - 4
    video, pids, kinds = None, {pcr}, set()
    while i + 5 <= end:
        kind, pid = section[i], ((section[i + 1] & 0x1F) << 8) | section[i + 2]
        pids.add(pid)
        kinds.add((pid, kind))
        if video is None and kind in VIDEO:
            video = pid
        i += 5 + (((section[i + 3] & 0x0F) << 8) | section[i + 4])
    return None if video is None else Programme(service, pmt, pcr, video, frozenset(pids), frozenset(kinds))


def pes_pts(packet: bytes) -> int | None:
    """The PTS of the PES that starts in this packet (90 kHz), if it has one."""
    p = _payload(packet)
    if p is None or len(p) < 14 or p[:3] != b"\0\0\1" or not p[7] & 0x80:
        return None
    return ((p[9] >> 1) & 7) << 30 | p[10] << 22 | (p[11] >> 1) << 15 | p[12] << 7 | p[13] >> 1


def pcr_seconds(packet: bytes) -> float:
    """The PCR of a packet that carries one (its adaptation field says so), in seconds of its 90 kHz base."""
    b = packet[6:11]
    return ((b[0] << 25) | (b[1] << 17) | (b[2] << 9) | (b[3] << 1) | (b[4] >> 7)) / 90000


def random_access(packet: bytes) -> bool:
    return bool((packet[3] >> 4) & 2 and packet[4] and packet[5] & 0x40)


class Tap:
    """The chosen programme of a transport stream (module docstring): `read` for the decoder, `clip` for the
    evidence. `packets` yields runs of the stream's 188-byte packets; `failure` is what ended them, if not their end."""

    def __init__(self, packets: Iterator[bytes], service: int | None = None) -> None:
        self.packets, self.service = packets, service
        self.failure: BaseException | None = None
        self.chosen: Programme | None = None
        self.tables: dict[int, bytes] = {}  # the last packet of the PAT and of each PMT (in front of each clip)
        self.ring: deque[Segment] = deque()
        self.kept = 0
        self.pending = bytearray()  # read by the decoder next
        self.pat: dict[int, int] = {}  # service id → PMT PID
        self.described: dict[int, Programme | None] = {}  # the PMTs read since the PAT, by service id
        self.sections: dict[int, Sections] = {PAT_PID: Sections()}
        self.searched = 0
        self.counters: dict[int, int] = {}  # each PID's last continuity_counter
        self.continuity_errors = 0
        self.scrambled = 0  # packets of the programme whose payload is scrambled (transport_scrambling_control)
        self.ended = False
        self.on_pcr: Callable[[float], None] | None = None  # told each run's last PCR of the programme (seconds)
        self.unheard: list[tuple[float, float]] = []  # PCRs read before `on_pcr` was set, and when (time.time())

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of the programme's packets; b"" at the stream's end, or when it failed."""
        want = size if size > 0 else 65536
        while len(self.pending) < want and not self.ended:
            try:
                packet = next(self.packets)
            except StopIteration:
                self.ended = True
            except BaseException as e:  # the source's error, or SIGTERM (Stopped): raised again by whoever reads
                self.failure, self.ended = e, True  # the stream's end, never into the decoder's library
            else:
                self._run(packet)
        out = bytes(self.pending[:want])
        del self.pending[:want]  # in place: a bytearray gives up its front without a copy
        return out

    def _run(self, run: bytes) -> None:
        """Packets one after the other: once the programme is chosen, all but its tables' are sorted at once
        (numpy), the tables' one by one, in order."""
        if self.chosen is None or len(run) < 2 * PACKET:
            for i in range(0, len(run) - PACKET + 1, PACKET):
                self._packet(run[i : i + PACKET])
                if self.ended:  # a table that ended the stream: nothing after it goes on
                    return
            return
        packets = np.frombuffer(run, np.uint8, len(run) // PACKET * PACKET).reshape(-1, PACKET)
        pids = ((packets[:, 1].astype(np.uint16) & 0x1F) << 8) | packets[:, 2]
        done = 0
        for i in np.flatnonzero(_mask(frozenset([PAT_PID, *self.sections]))[pids]).tolist():
            self._sorted(packets[done:i], pids[done:i])
            self._packet(run[i * PACKET : (i + 1) * PACKET])
            done = i + 1
            if self.ended:
                return
        self._sorted(packets[done:], pids[done:])

    def _sorted(self, packets: np.ndarray, pids: np.ndarray) -> None:
        """The chosen programme's packets among these (none of them a table's), on to the decoder and the ring."""
        chosen = self.chosen
        if chosen is None or not len(packets):
            return
        mine = _mask(chosen.pids)[pids]
        packets, pids = packets[mine], pids[mine]
        self._continuity(packets, pids)
        self.scrambled += int(np.count_nonzero(packets[:, 3] & 0xC0))
        if self.on_pcr is not None or len(self.unheard) < UNHEARD:  # (what the probe reads is heard later)
            carrying = (
                (pids == chosen.pcr) & (packets[:, 3] & 0x20 != 0) & (packets[:, 4] > 0) & (packets[:, 5] & 0x10 != 0)
            )
            if len(found := np.flatnonzero(carrying)):
                pcr = pcr_seconds(packets[found[-1]].tobytes())
                if self.on_pcr is not None:
                    self.on_pcr(pcr)
                else:
                    self.unheard.append((pcr, time.time()))
        self.pending += packets.tobytes()
        starts = np.flatnonzero((pids == chosen.video) & (packets[:, 1] & 0x40 != 0)).tolist()
        for a, b in itertools.pairwise([0, *starts, len(packets)]):
            if a != b:
                if a in starts:
                    packet = packets[a].tobytes()
                    self._segment(Segment(pes_pts(packet), random_access(packet), bytearray()))
                if self.ring:
                    self.ring[-1].data += packets[a:b].tobytes()
                    self.kept += (b - a) * PACKET

    def _packet(self, packet: bytes) -> None:
        if len(packet) < PACKET or packet[0] != 0x47:
            return
        pid = ((packet[1] & 0x1F) << 8) | packet[2]
        if pid == PAT_PID or pid in self.sections:
            before = self.chosen
            self._table(pid, packet)
            self.tables[pid] = packet
            if before is None and self.chosen is not None:  # the PAT first, so that the decoder reads the PMT
                self.pending += self.tables.get(PAT_PID, b"")
            if self.ended:  # not the table that ended it
                return
        chosen = self.chosen
        if chosen is None:
            self.searched += PACKET
            if self.searched > SEARCH_BYTES:
                self._fail(TapProblem("it carries no programme table ticker can read"))
            return
        if pid != PAT_PID and pid != chosen.pmt and pid not in chosen.pids:
            return
        self.pending += packet
        self.scrambled += pid in chosen.pids and bool(packet[3] & 0xC0)
        if packet[3] & 0x10 and pid in chosen.pids:  # its continuity, as _continuity counts it
            last = self.counters.get(pid)
            self.continuity_errors += last is not None and (packet[3] - last) % 16 > 1
            self.counters[pid] = packet[3] & 0x0F
        if pid == chosen.video and packet[1] & 0x40:
            self._segment(Segment(pes_pts(packet), random_access(packet), bytearray()))
        if self.ring:
            self.ring[-1].data += packet
            self.kept += PACKET

    def _table(self, pid: int, packet: bytes) -> None:
        section = self.sections[pid].add(packet)
        if section is None:
            return
        if pid == PAT_PID:
            pat = services(section)
            if pat and pat != self.pat:
                self.pat, self.described = pat, {}
                self.sections = {PAT_PID: self.sections[PAT_PID], **{p: Sections() for p in pat.values()}}
                if self.service is not None and self.service not in pat:
                    given = ", ".join(str(n) for n in sorted(pat))
                    self._fail(TapProblem(f"it carries no service {self.service} (it carries {given})"))
            return
        if section[0] != 0x02:
            return
        found = programme(section, pid)
        service = (section[3] << 8) | section[4]
        self.described[service] = found
        if self.chosen is not None:
            if service == self.chosen.service and found != self.chosen:
                self._fail(TapProblem(f"service {service} changed its streams"))
            return
        if self.service is not None:
            if service == self.service:
                if found is None:
                    self._fail(TapProblem(f"service {service} has no video"))
                self.chosen = found
            return
        if set(self.described) >= set(self.pat):  # every programme described: the first with video
            with_video = [p for n, p in sorted(self.described.items()) if p is not None]
            if not with_video:
                self._fail(TapProblem("none of its programmes has video"))
            else:
                self.chosen = with_video[0]

    def _fail(self, problem: TapProblem) -> None:
        self.failure, self.ended = problem, True

    def _continuity(self, packets: np.ndarray, pids: np.ndarray) -> None:
        """Count the packets lost or out of order: each PID's continuity_counter goes up by one (mod 16) from one
        packet with payload to the next (the same twice is a duplicate, allowed once)."""
        for pid in np.unique(pids).tolist():
            mine = packets[pids == pid, 3]
            counters = (mine[(mine & 0x10) != 0] & 0x0F).astype(np.int16)
            if not len(counters):
                continue
            last = self.counters.get(pid)
            steps = np.diff(counters if last is None else np.concatenate(([last], counters))) % 16
            self.continuity_errors += int(np.count_nonzero(steps > 1))
            self.counters[pid] = int(counters[-1])

    def _segment(self, segment: Segment) -> None:
        self.ring.append(segment)
        newest = segment.pts
        while len(self.ring) > 2 and (
            self.kept > KEEP_BYTES or (newest is not None and _ahead(newest, self.ring[0].pts) > KEEP * TICKS)
        ):
            self.kept -= len(self.ring.popleft().data)

    def clip(self, start: float, seconds: float) -> bytes | None:
        """The programme's packets from the key frame before `start` (stream seconds, the decoder's timestamps)
        through `seconds` after it, as they came, the PAT and PMT in front; None when the ring no longer holds
        the start, or does not hold `seconds` after it yet."""
        if self.chosen is None or not self.ring:
            return None
        at = round(start * TICKS) % WRAP
        timed = [(k, s) for k, s in enumerate(self.ring) if s.pts is not None]
        if not timed or _ahead(at, timed[0][1].pts) < 0 or _ahead(timed[-1][1].pts, at) < seconds * TICKS:
            return None
        before = [k for k, s in timed if _ahead(at, s.pts) >= 0]
        keys = [k for k in before if self.ring[k].key]
        lead = [k for k in before if _ahead(at, self.ring[k].pts) <= LEAD * TICKS]
        first = keys[-1] if keys else (lead[0] if lead else before[-1])
        last = next((k for k, s in timed if _ahead(s.pts, at) > seconds * TICKS), len(self.ring))
        tables = self.tables.get(PAT_PID, b"") + self.tables.get(self.chosen.pmt, b"")
        return tables + b"".join(bytes(self.ring[k].data) for k in range(first, last))


@functools.lru_cache(maxsize=16)
def _mask(pids: frozenset[int]) -> np.ndarray:
    """For each of the 8192 PIDs, whether it is one of `pids` (a look-up, where numpy's isin sorts)."""
    mask = np.zeros(8192, dtype=bool)
    mask[list(pids)] = True
    return mask


def _ahead(a: int | None, b: int | None) -> int:
    """How many ticks `a` is after `b`, across the wrap (0 when either is unknown)."""
    if a is None or b is None:
        return 0
    return (a - b + WRAP // 2) % WRAP - WRAP // 2


def packets_of(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The stream's bytes as runs of whole 188-byte packets, each starting at a sync byte, found again by it when
    the bytes lose step."""
    carry = b""
    for chunk in chunks:
        data, i = carry + chunk, 0
        while len(data) - i >= PACKET:
            if data[i] != 0x47:
                found = data.find(b"\x47", i + 1)
                i = found if found >= 0 else len(data)
                continue
            count = (len(data) - i) // PACKET
            syncs = np.frombuffer(data, np.uint8, count * PACKET, i)[::PACKET]
            lost = np.flatnonzero(syncs != 0x47)
            whole = int(lost[0]) if len(lost) else count
            yield data[i : i + whole * PACKET]
            i += whole * PACKET
        carry = data[i:]


def is_transport(source: str) -> bool:
    """A stream address that carries a transport stream as bytes (udp://, srt://), or a recording that is one."""
    scheme = urlsplit(source).scheme
    if scheme in ("udp", "srt"):
        return True
    if (scheme and len(scheme) > 1) or not os.path.isfile(source):
        return False
    with contextlib.suppress(OSError), open(source, "rb") as f:  # a file ticker only sniffs
        head = f.read(3 * PACKET + 1)
        return len(head) > 2 * PACKET and head[0] == head[PACKET] == head[2 * PACKET] == 0x47
    return False


@contextlib.contextmanager
def tapped(
    source: str, service: int | None, options: dict[str, str] | None = None, timeout: tuple[float, float] | None = None
) -> Iterator[tuple[Tap, av.container.InputContainer]]:
    """The transport stream at `source` through a Tap, and the container the decoder reads the chosen programme
    from. TapProblem when the programme cannot be found."""
    if not urlsplit(source).scheme:  # a recording: read in large pieces (a stream's reads are as they come)
        with open(source, "rb") as f, programme_of(iter(functools.partial(f.read, FILE_READ), b""), service) as found:
            yield found
        return
    raw_options = {**(options or {}), "raw_packet_size": str(PACKET * 256)}  # 48 KB reads at most
    with (
        av.open(source, format="data", options=raw_options, timeout=timeout) as raw,
        programme_of((bytes(p) for p in raw.demux()), service) as found,
    ):
        yield found


@contextlib.contextmanager
def programme_of(
    chunks: Iterator[bytes], service: int | None = None
) -> Iterator[tuple[Tap, av.container.InputContainer]]:
    """A stream's bytes through a Tap, and the container the decoder reads the chosen programme from;
    TapProblem (or the source's own error) when it cannot be opened."""
    tap = Tap(packets_of(chunks), service)
    try:
        container = av.open(tap, "r", format="mpegts", options=PROBE)
    except av.error.FFmpegError:
        if tap.failure is not None:  # what the decoder found at the start: the source's own fault
            raise tap.failure from None
        raise
    with container:
        yield tap, container
