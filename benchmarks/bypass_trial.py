"""The headend's bypass tried: a multiplexer's input switch taking ticker air's output and falling back to the
channel's own stream when ticker's stops, and back when it returns. The multiplexer is Astra (Cesbo Astra's
open fork, astra-sm: a headend streamer whose channel takes a list of inputs and moves to the next when one is
off air), built by whoever runs this; its path is given.

On 127.0.0.1: ffmpeg sends a 576i50 programme in real time to ticker air and to the multiplexer's second input
(the channel as it came); ticker air's output is its first; the multiplexer's output is recorded by a plain
socket. ticker air is killed (SIGKILL: no goodbye) KILL seconds in and started again BACK seconds in. Printed:
the longest silence of the multiplexer's output, when the multiplexer moved from one input to the other (from
its log), and the pictures of its output that decode.

    python benchmarks/bypass_trial.py --astra /opt/astra/bin/astra [--seconds 30]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import av

from ticker.encode import ffmpeg_exe

KILL, BACK = 10.0, 18.0
AIR = """
import signal, sys, threading
from ticker.air.stream import Inserter, run
from ticker.media import PROFILES
from ticker.station.file import Channel, Network
from ticker.stopping import Stopped
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
network = Network(8, 7, 101, 0x01, "mpeg2", 4_000_000)
try:
    run(sys.argv[1], sys.argv[2], Channel("HGTV", "576i50", False, network),
        Inserter(lambda: (), PROFILES["576i50"]), stop=stop)
except Stopped:
    pass
"""
CHANNEL = """make_channel({{
    name = "HGTV",
    input = {{ "udp://127.0.0.1:{air_out}", "udp://127.0.0.1:{own}" }},
    output = {{ "udp://127.0.0.1:{headend}" }},
}})
"""


def _ports(n: int) -> list[int]:
    held = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n)]
    for s in held:
        s.bind(("127.0.0.1", 0))
    found = [s.getsockname()[1] for s in held]
    for s in held:
        s.close()
    return found


def main() -> None:
    given = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    given.add_argument("--astra", required=True, help="the multiplexer's program")
    given.add_argument("--seconds", type=int, default=30)
    args = given.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        programme = folder / "programme.ts"
        subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                        "testsrc2=size=720x576:rate=50,interlace=scan=tff:lowpass=0", "-f", "lavfi", "-i",
                        "sine=frequency=1000:sample_rate=48000", "-t", str(args.seconds), "-c:v", "mpeg2video", "-b:v",
                        "6M", "-flags", "+ildct+ilme", "-c:a", "mp2", "-f", "mpegts", str(programme)],
                       check=True)  # fmt: skip
        air_in, own, air_out, headend = _ports(4)
        (folder / "channel.lua").write_text(CHANNEL.format(air_out=air_out, own=own, headend=headend))
        rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        rx.bind(("127.0.0.1", headend))
        rx.settimeout(0.2)
        arrivals: list[float] = []
        done = threading.Event()

        def record() -> None:
            with open(folder / "headend.ts", "wb") as f:
                while not done.is_set():
                    try:
                        data = rx.recv(65536)
                    except TimeoutError:
                        continue
                    arrivals.append(time.monotonic())
                    f.write(data)

        threading.Thread(target=record, daemon=True).start()
        air_cmd = [sys.executable, "-c", AIR, f"udp://127.0.0.1:{air_in}", f"udp://127.0.0.1:{air_out}"]
        with open(folder / "astra.log", "w") as log:
            astra = subprocess.Popen([args.astra, str(folder / "channel.lua")], stdout=log, stderr=subprocess.STDOUT)
            air = subprocess.Popen(air_cmd)
            time.sleep(1)
            start = time.monotonic()
            tee = f"[f=mpegts]udp://127.0.0.1:{air_in}?pkt_size=1316|[f=mpegts]udp://127.0.0.1:{own}?pkt_size=1316"
            sender = subprocess.Popen([ffmpeg_exe(), "-v", "error", "-re", "-readrate_initial_burst", "0", "-i",
                                       str(programme), "-map", "0", "-c", "copy", "-f", "tee", tee])  # fmt: skip
            time.sleep(KILL)
            air.send_signal(signal.SIGKILL)
            killed = time.monotonic() - start
            time.sleep(BACK - KILL)
            air = subprocess.Popen(air_cmd)
            back = time.monotonic() - start
            sender.wait()
            time.sleep(1)
            for p in (air, astra):
                p.terminate()
                p.wait(10)
        done.set()
        time.sleep(0.3)
        gaps = [(b - a, a - start) for a, b in itertools.pairwise(arrivals)]
        longest, at = max(gaps)
        pictures = 0
        with av.open(str(folder / "headend.ts")) as c:
            for packet in c.demux(video=0):
                with contextlib.suppress(av.error.FFmpegError):
                    pictures += len(packet.decode())
        switches = [line.strip() for line in (folder / "astra.log").read_text().splitlines() if "Active input" in line]
        print(f"ticker air killed at {killed:.2f} s, started again at {back:.2f} s")
        print(f"the multiplexer's output: longest silence {longest * 1000:.0f} ms, at {at:.2f} s; "
              f"{pictures} pictures decoded of {args.seconds * 25} sent")  # fmt: skip
        print("the multiplexer's inputs:", *switches, sep="\n  ")


if __name__ == "__main__":
    main()
