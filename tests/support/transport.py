"""A transport stream as a headend engineer checks it, from its bytes: the PCR's spacing and the rate between
PCRs, the null packets, the continuity counters of each PID, the SDT's service; and a relay that puts a live
sender's stream on a chosen timeline (its first datagram forwarded at a given wall time, every other as far
after it as it came after the first) and says the stream's clock on the wall clock as it sent it (the least
offset between a datagram's leaving and the PCRs it carries: a receiver's clock, locked to the PCR)."""

from __future__ import annotations

import itertools
import json
import math
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NULL = 0x1FFF
SDT_PID = 0x11


@dataclass(frozen=True)
class Checked:
    packets: int
    nulls: int
    pcr_gaps_ms: tuple[float, ...]
    rates: tuple[float, ...]  # bits a second between each two PCRs
    continuity_errors: int
    service_ids: frozenset[int]  # of the SDT's services


def check(data: bytes) -> Checked:
    n = len(data) // 188
    pcrs: list[tuple[int, int]] = []
    nulls = errors = 0
    counters: dict[int, int] = {}
    services: set[int] = set()
    for i in range(n):
        p = data[i * 188 : (i + 1) * 188]
        assert p[0] == 0x47, f"packet {i} is out of sync"
        pid = ((p[1] & 0x1F) << 8) | p[2]
        if pid == NULL:
            nulls += 1
            continue
        control, counter = (p[3] >> 4) & 3, p[3] & 15
        if control in (1, 3):
            if pid in counters and counter != (counters[pid] + 1) % 16:
                errors += 1
            counters[pid] = counter
        if (pcr := _pcr(p)) is not None:
            pcrs.append((i, pcr))
        if pid == SDT_PID and p[1] & 0x40 and control in (1, 3):
            start = 4 + (1 + p[4] if control == 3 else 0)
            section = p[start + 1 + p[start] :]
            if section[0] == 0x42:  # the actual transport stream's SDT
                length = ((section[1] & 0x0F) << 8) | section[2]
                at = 11
                while at + 5 <= 3 + length - 4:
                    services.add((section[at] << 8) | section[at + 1])
                    at += 5 + (((section[at + 3] & 0x0F) << 8) | section[at + 4])
    gaps = tuple((b[1] - a[1]) / 27e3 for a, b in itertools.pairwise(pcrs))
    rates = tuple((b[0] - a[0]) * 188 * 8 / ((b[1] - a[1]) / 27e6) for a, b in itertools.pairwise(pcrs) if b[1] > a[1])
    return Checked(n, nulls, gaps, rates, errors, frozenset(services))


class Relay:
    """Datagrams from `port` forwarded to `to`, the first at wall time `first_at`, each other as long after it as it
    came after the first (received on one thread, sent on another, so that the wait never fills the socket); those
    due within `lost` (seconds after the first) never sent, as a cut cable loses them; each changed by `rewrite`
    (given its seconds after the first) when one is given."""

    def __init__(self, port: int, to: int, first_at: float, lost: tuple[float, float] | None = None,
                 rewrite: Callable[[float, bytes], bytes] | None = None):  # fmt: skip
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        self.out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.to, self.first_at, self.lost, self.rewrite = to, first_at, lost, rewrite
        self.first_arrival: float | None = None
        self.offset = math.inf  # wall seconds − the stream's clock, as a receiver locked to its PCR has it
        self.queue: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self.done = threading.Event()
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self._receive, self._send)]
        for t in self.threads:
            t.start()

    def _receive(self) -> None:
        while not self.done.is_set():
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            now = time.time()
            if self.first_arrival is None:
                self.first_arrival = now
            self.queue.put((self.first_at + (now - self.first_arrival), data))

    def _send(self) -> None:
        while not self.done.is_set():
            try:
                due, data = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if (wait := due - time.time()) > 0:
                time.sleep(wait)
            if self.lost is not None and self.lost[0] <= due - self.first_at < self.lost[1]:
                continue
            if self.rewrite is not None:
                data = self.rewrite(due - self.first_at, data)
            self.out.sendto(data, ("127.0.0.1", self.to))
            sent = time.time()
            for pcr in _pcrs(data):
                self.offset = min(self.offset, sent - pcr)

    def close(self) -> None:
        self.done.set()
        for t in self.threads:
            t.join(5)
        self.sock.close()
        self.out.close()


RECORD = """
import json, signal, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
s.bind(("127.0.0.1", int(sys.argv[1])))
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
sizes = []
try:
    with open(sys.argv[2], "wb", buffering=0) as f:
        print("ready", flush=True)
        while True:
            data = s.recv(65536)
            f.write(data)
            sizes.append(len(data))
finally:
    with open(sys.argv[3], "w") as f:
        json.dump(sizes, f)
"""


class Recorder:
    """A plain UDP socket writing every datagram it receives to a file, as it came (no remultiplexing), in a
    process of its own: a busy test process never makes it drop one."""

    def __init__(self, port: int, path: Path):
        self.path, self.sizes_at = path, path.with_suffix(".sizes.json")
        self.process = subprocess.Popen([sys.executable, "-c", RECORD, str(port), str(path), str(self.sizes_at)],
                                        stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "ready"

    def close(self) -> bytes:
        time.sleep(0.3)  # the last datagrams on their way
        self.process.terminate()
        self.process.wait(10)
        return self.path.read_bytes()

    def sizes(self) -> list[int]:
        """Each datagram's size, in the order they came (after `close`)."""
        return json.loads(self.sizes_at.read_text())


def _pcr(packet: bytes) -> int | None:
    """The PCR a packet carries (its adaptation field says so), in ticks of 27 MHz; None if it carries none."""
    if packet[3] & 0x20 and packet[4] > 0 and packet[5] & 0x10:
        b = packet[6:12]
        base = (b[0] << 25) | (b[1] << 17) | (b[2] << 9) | (b[3] << 1) | (b[4] >> 7)
        return base * 300 + (((b[4] & 1) << 8) | b[5])
    return None


def _pcrs(data: bytes) -> list[float]:
    """The PCRs of a datagram's packets, in seconds."""
    found = (_pcr(data[i : i + 188]) for i in range(0, len(data) - 187, 188) if data[i] == 0x47)
    return [pcr / 27e6 for pcr in found if pcr is not None]
