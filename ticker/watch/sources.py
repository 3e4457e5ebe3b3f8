"""Where a channel's output is read from, live: a UDP transport stream (multicast or not), with the input buffer a
channel's feed needs; SRT, which the decoder's library is built without, received by ffmpeg (imageio-ffmpeg's,
built with libsrt) and handed over byte for byte (`-f data` in and out); RTP and HLS, read by the decoder's
library itself. A transport stream (UDP, SRT) goes through a Tap (ticker.watch.tap): its programme chosen by
service id, its packets kept."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

import av
import av.container

from ticker.encode import ffmpeg_exe
from ticker.watch.tap import PROBE, Tap, TapProblem, programme_of, tapped

LIVE = ("udp", "rtp", "srt", "http", "https")
UDP_DEFAULTS = {"fifo_size": "1000000", "overrun_nonfatal": "1", "buffer_size": "8388608"}
OPEN_SECONDS, READ_SECONDS = 10.0, 5.0  # to open the stream; without data before it is said to have stalled
SrtMode = Literal["caller", "listener", "rendezvous"]


@dataclass(frozen=True)
class Srt:
    """SRT's connection: who calls whom, the latency it buffers (ms) and the passphrase that encrypts it (read
    from a file, never given on ticker's command line nor shown)."""

    mode: SrtMode | None = None
    latency_ms: int | None = None
    passphrase: str | None = None


def is_live(source: str) -> bool:
    return urlsplit(source).scheme in LIVE


def address(source: str, srt: Srt | None = None) -> str:
    """The stream's address with the options it needs added where it does not give them: a UDP feed's large
    input buffer that survives an overrun; SRT's mode, latency (in µs, as libsrt takes it) and passphrase."""
    parts = urlsplit(source)
    given = dict(parse_qsl(parts.query, keep_blank_values=True))
    if parts.scheme == "udp":
        added = UDP_DEFAULTS
    elif parts.scheme == "srt" and srt is not None:
        chosen = {"mode": srt.mode, "latency": None if srt.latency_ms is None else str(srt.latency_ms * 1000),
                  "passphrase": srt.passphrase}  # fmt: skip
        added = {k: v for k, v in chosen.items() if v is not None}
    else:
        return source
    return parts._replace(query=urlencode({**added, **given})).geturl()


def shown(source: str) -> str:
    """The address as ticker says it: a passphrase in it is never repeated."""
    parts = urlsplit(source)
    query = [(k, "…" if k == "passphrase" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return parts._replace(query=urlencode(query, safe="…")).geturl() if query else source


@contextlib.contextmanager
def opened(
    source: str, service: int | None = None, srt: Srt | None = None
) -> Iterator[tuple[Tap | None, av.container.InputContainer]]:
    """The live stream at `source`, opened: its Tap (None for RTP and HLS) and the container of the picture's
    programme. TapProblem or av's errors when it cannot be."""
    scheme = urlsplit(source).scheme
    if scheme == "udp":
        with tapped(address(source), service, timeout=(OPEN_SECONDS, READ_SECONDS)) as found:
            yield found
    elif scheme == "srt":
        with _relayed(address(source, srt)) as chunks, programme_of(chunks, service) as found:
            yield found
    else:
        if service is not None:
            raise TapProblem(f"a service is chosen in a transport stream (udp://, srt://), not in a {scheme} one")
        with av.open(source, options=PROBE, timeout=(OPEN_SECONDS, READ_SECONDS)) as container:
            yield None, container


@contextlib.contextmanager
def _relayed(url: str) -> Iterator[Iterator[bytes]]:
    """The bytes of the SRT stream at `url`, as ffmpeg receives them; ffmpeg ends with this (or, should ticker be
    killed, at its next write)."""
    with tempfile.TemporaryFile(prefix="ticker-srt-") as said:
        relay = subprocess.Popen(
            [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "data", "-i", url,
             "-map", "0", "-c", "copy", "-f", "data", "pipe:1"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=said,
        )  # fmt: skip
        assert relay.stdout is not None
        secret = dict(parse_qsl(urlsplit(url).query)).get("passphrase")
        try:
            yield _chunks(relay.stdout.fileno(), relay, said, secret)
        finally:
            relay.kill()
            relay.wait()
            relay.stdout.close()


def _chunks(fd: int, relay: subprocess.Popen[bytes], said: IO[bytes], secret: str | None) -> Iterator[bytes]:
    waited = OPEN_SECONDS
    while True:
        if not select.select([fd], [], [], waited)[0]:
            raise TapProblem(f"no data for {waited:g} s")
        data = os.read(fd, 1 << 16)
        if not data:
            relay.wait()
            said.seek(0)
            text = said.read(4096).decode("utf-8", "replace")
            last = (text.replace(secret, "…") if secret else text).strip().splitlines()
            raise TapProblem(f"ffmpeg could not receive it ({last[-1].strip()})" if last else "it ended")
        waited = READ_SECONDS
        yield data
