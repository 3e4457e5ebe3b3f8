"""The transport stream's tap, on packets made here by the book (ISO/IEC 13818-1): the programme chosen by service
id (or the first with video), only its packets given on, a damaged table not read, a change of its streams ending
the stream, the packet ring's clips opening at the key frame before an airing's start, and the ring bounded."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from ticker.watch.tap import KEEP, PACKET, Tap, TapProblem, packets_of

PMT = {1: 0x100, 2: 0x110, 3: 0x120}
PICTURE = 3600  # 90 kHz ticks of a picture at 25 a second


def crc(data: bytes) -> int:
    """MPEG-2's CRC-32, bit by bit."""
    value = 0xFFFFFFFF
    for byte in data:
        value ^= byte << 24
        for _ in range(8):
            value = ((value << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if value & 0x80000000 else (value << 1) & 0xFFFFFFFF
    return value


def section(table: int, extension: int, body: bytes, damaged: bool = False) -> bytes:
    length = 5 + len(body) + 4
    head = bytes([table, 0xB0 | (length >> 8), length & 0xFF, extension >> 8, extension & 0xFF, 0xC1, 0, 0]) + body
    return head + (crc(head) ^ damaged).to_bytes(4, "big")


def pat(programmes: dict[int, int], damaged: bool = False) -> bytes:
    body = b"".join(n.to_bytes(2, "big") + (0xE000 | pid).to_bytes(2, "big") for n, pid in programmes.items())
    return packet(0, b"\0" + section(0x00, 1, body, damaged), start=True)


def pmt(service: int, streams: list[tuple[int, int]]) -> bytes:
    pcr = streams[0][1]
    body = (0xE000 | pcr).to_bytes(2, "big") + b"\xf0\x00"
    body += b"".join(bytes([kind]) + (0xE000 | pid).to_bytes(2, "big") + b"\xf0\x00" for kind, pid in streams)
    return packet(PMT[service], b"\0" + section(0x02, service, body), start=True)


def packet(pid: int, payload: bytes, start: bool = False, key: bool = False, counter: int = 0) -> bytes:
    head = bytes([0x47, (0x40 if start else 0) | pid >> 8, pid & 0xFF])
    if key:
        head += bytes([0x30 | counter, 0x01, 0x40])  # an adaptation field of one byte: random_access_indicator
    else:
        head += bytes([0x10 | counter])
    return (head + payload).ljust(PACKET, b"\xff")[:PACKET]


def picture(pid: int, pts: int, key: bool = False) -> bytes:
    stamp = bytes([0x21 | ((pts >> 29) & 0x0E), (pts >> 22) & 0xFF, ((pts >> 14) & 0xFE) | 1, (pts >> 7) & 0xFF,
                   ((pts << 1) & 0xFE) | 1])  # fmt: skip
    return packet(pid, b"\0\0\1\xe0\0\0\x80\x80\x05" + stamp, start=True, key=key)


def tables() -> list[bytes]:
    """Three programmes: 1 sound only, 2 and 3 with video; the PMTs in the order 3, 1, 2."""
    return [pat(PMT), pmt(3, [(0x02, 0x300)]), pmt(1, [(0x04, 0x101)]), pmt(2, [(0x1B, 0x200), (0x0F, 0x201)])]


def pid_of(p: bytes) -> int:
    return ((p[1] & 0x1F) << 8) | p[2]


def read_all(tap: Tap) -> list[bytes]:
    data = b""
    while chunk := tap.read(PACKET * 7):
        data += chunk
    return [data[i : i + PACKET] for i in range(0, len(data), PACKET)]


def stream(*tail: bytes, runs: bool = False) -> Iterator[bytes]:
    """The tables, then `tail`: packet by packet, or (`runs`) in runs of 50 packets, as a live stream's reads give
    them (the tables then read one by one among packets sorted at once)."""
    packets = [*tables(), *tail]
    if not runs:
        return iter(packets)
    return iter([b"".join(packets[i : i + 50]) for i in range(0, len(packets), 50)])


RUNS = pytest.mark.parametrize("runs", [False, True], ids=["packets", "runs"])


@RUNS
def test_the_first_programme_with_video_is_chosen_and_only_its_packets_go_on(runs: bool):
    others = [packet(0x101, b"s"), packet(0x300, b"v3"), packet(0x200, b"v2"), packet(0x201, b"a2")]
    tap = Tap(stream(*others, runs=runs))
    given = read_all(tap)
    assert tap.chosen is not None and tap.chosen.service == 2 and tap.chosen.video == 0x200
    assert [pid_of(p) for p in given[:2]] == [0, PMT[2]]  # the PAT, then the programme's PMT
    assert {pid_of(p) for p in given[2:]} == {0x200, 0x201} and tap.failure is None


def test_a_programme_is_chosen_by_its_service_id():
    tap = Tap(stream(packet(0x300, b"v3"), packet(0x200, b"v2")), service=3)
    assert [pid_of(p) for p in read_all(tap)] == [0, PMT[3], 0x300] and tap.chosen and tap.chosen.service == 3


def test_a_service_the_stream_does_not_carry_is_said_with_those_it_does():
    tap = Tap(stream(packet(0x200, b"v2")), service=7)
    assert read_all(tap) == []
    assert isinstance(tap.failure, TapProblem) and str(tap.failure) == "it carries no service 7 (it carries 1, 2, 3)"


def test_a_service_without_video_is_refused():
    tap = Tap(stream(packet(0x101, b"s")), service=1)
    read_all(tap)
    assert str(tap.failure) == "service 1 has no video"


def test_a_damaged_table_is_not_read():
    tap = Tap(iter([pat(PMT, damaged=True), pmt(2, [(0x1B, 0x200)]), packet(0x200, b"v2")]))
    assert read_all(tap) == [] and tap.chosen is None


@RUNS
@pytest.mark.parametrize("streams", [[(0x1B, 0x210)], [(0x02, 0x200), (0x0F, 0x201)]], ids=["pids", "format"])
def test_a_change_of_the_programmes_streams_ends_the_stream(runs: bool, streams: list[tuple[int, int]]):
    """Another PID, or the same PIDs in another format (MPEG-2 video where H.264 was): never fed to the decoder."""
    tap = Tap(stream(packet(0x200, b"v2"), pmt(2, streams), packet(0x200, b"new"), runs=runs))
    assert [pid_of(p) for p in read_all(tap)] == [0, PMT[2], 0x200]
    assert str(tap.failure) == "service 2 changed its streams"


def test_a_source_that_fails_ends_the_stream_with_what_it_said():
    def failing() -> Iterator[bytes]:
        yield from tables()
        yield packet(0x200, b"v2")
        raise OSError("Connection timed out")

    tap = Tap(failing())
    assert len(read_all(tap)) == 3 and isinstance(tap.failure, OSError)


def pictures(count: int, every_key: int = 10, first: int = 900_000) -> list[bytes]:
    made = []
    for k in range(count):
        made += [picture(0x200, first + k * PICTURE, key=k % every_key == 0), packet(0x200, bytes([k % 256]) * 4)]
    return made


@RUNS
def test_a_clip_opens_at_the_key_frame_before_the_start_with_the_tables_in_front(runs: bool):
    tap = Tap(stream(*pictures(100), runs=runs))
    read_all(tap)
    start = (900_000 + 25 * PICTURE) / 90_000  # picture 25; the key frame before it is picture 20
    clip = tap.clip(start, 1.0)
    assert clip is not None and len(clip) % PACKET == 0
    packets = [clip[i : i + PACKET] for i in range(0, len(clip), PACKET)]
    assert [pid_of(p) for p in packets[:2]] == [0, PMT[2]]
    assert packets[2] == picture(0x200, 900_000 + 20 * PICTURE, key=True)
    shown = [p for p in packets if p[1] & 0x40 and pid_of(p) == 0x200]
    assert len(shown) == 5 + 26  # pictures 20 to 50: to a second after the start
    assert tap.clip(start + 3.0, 1.0) is None  # the ring does not hold a second after that yet


@RUNS
def test_the_ring_keeps_the_last_seconds_only(runs: bool):
    count = int((KEEP + 10) * 25)
    tap = Tap(stream(*pictures(count), runs=runs))
    read_all(tap)
    assert tap.clip(900_000 / 90_000, 1.0) is None  # the start has gone from the ring
    held = (len(tap.ring) - 1) * PICTURE / 90_000
    assert KEEP - 1 <= held <= KEEP + 1


def test_packets_are_found_again_when_the_bytes_lose_step():
    made = [packet(0x200, bytes([k]) * 10) for k in range(5)]
    data = b"junk" + made[0] + made[1] + b"\x00" * 7 + made[2] + made[3] + made[4]
    chunks = [data[i : i + 100] for i in range(0, len(data), 100)]
    runs = list(packets_of(iter(chunks)))
    assert b"".join(runs) == b"".join(made) and all(r[i] == 0x47 for r in runs for i in range(0, len(r), PACKET))


@pytest.mark.parametrize("pts", [0, 1 << 32, (1 << 33) - 1])
def test_the_pes_timestamp_is_read_over_its_33_bits(pts):
    from ticker.watch.tap import pes_pts

    assert pes_pts(picture(0x200, pts)) == pts


@pytest.mark.parametrize("split", [None, 7], ids=["one by one", "in runs"])
def test_packets_lost_are_counted_by_their_continuity_counters(split):
    counters = [0, 1, 2, 3, 3, 4, 7, 8, 9, 15, 0, 1, 5]  # a duplicate (allowed), then 2, then 5, then 3 lost
    video = [packet(0x200, b"v", counter=c) for c in counters]
    sound = [packet(0x201, b"a", counter=c % 16) for c in range(20)]  # none lost
    both = [p for pair in itertools.zip_longest(video, sound) for p in pair if p]
    given = both if split is None else [b"".join(both[:split]), b"".join(both[split:])]
    tap = Tap(iter([*tables(), *given]))
    read_all(tap)
    assert tap.continuity_errors == 3


def pcr_packet(pid: int, seconds: float) -> bytes:
    """A packet of adaptation field only, carrying a PCR."""
    base = round(seconds * 90_000)
    field = bytes([7, 0x10]) + (base >> 1).to_bytes(4, "big") + bytes([((base & 1) << 7) | 0x7E, 0])
    return (bytes([0x47, pid >> 8, pid & 0xFF, 0x20]) + field).ljust(PACKET, b"\xff")


def test_the_pcrs_read_before_anyone_listens_are_kept_with_when_they_came():
    """What the decoder's probe reads before ticker air's clock listens is not lost to it (ticker.air.intake)."""
    tap = Tap(stream(*[pcr_packet(0x200, 1.0 + i / 10) for i in range(120)], runs=True))
    tap.read(PACKET * 60)  # (runs of 50 packets: the first read packet by packet, the programme not chosen yet)
    assert [round(pcr, 3) for pcr, _ in tap.unheard] == [10.5]  # the second run's last
    heard: list[float] = []
    tap.on_pcr = heard.append
    read_all(tap)
    assert [round(pcr, 3) for pcr in heard] == [12.9] and len(tap.unheard) == 1
