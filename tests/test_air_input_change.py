"""`ticker air` when the channel's input changes under it without a break: its picture format changed mid-day
(720×576 to 544×576, as SD channels do) and its clock started again (an encoder upstream restarted): the
output keeps its format, its timeline and its pace, and carries the new pictures, scaled to it."""

from __future__ import annotations

import itertools
import subprocess
import threading

import av
import numpy as np
import pytest

from ticker.air.stream import Inserter, run
from ticker.encode.ffmpeg_args import ffmpeg_exe
from ticker.media import PROFILES
from ticker.station.file import Channel, Network

NETWORK = Network(original_network_id=8, transport_stream_id=7, service_id=101, service_type=0x01, encoder="mpeg2",
                  bitrate=4_000_000)  # fmt: skip
CHANNEL = Channel("HGTV", "576i50", essential=False, network=NETWORK)
BEFORE, AFTER = 4, 3  # seconds of each part


def _part(path, source: str, size: str, seconds: int) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", f"{source}=size={size}:rate=50,"
                 "interlace=scan=tff:lowpass=0", "-f", "lavfi", "-i", "sine=frequency=800:sample_rate=48000",
                 "-t", str(seconds), "-c:v", "mpeg2video", "-b:v", "6M", "-flags", "+ildct+ilme", "-c:a", "mp2",
                 "-f", "mpegts", str(path)], check=True)  # fmt: skip


def _pictures(path) -> list[av.VideoFrame]:
    with av.open(str(path)) as c:
        return list(c.decode(video=0))


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.mark.slow
def test_a_format_change_and_a_clock_started_again_mid_stream_are_carried_at_the_output_s_format(tmp_path):
    first, second, joined = tmp_path / "a.ts", tmp_path / "b.ts", tmp_path / "joined.ts"
    _part(first, "testsrc2", "720x576", BEFORE)
    _part(second, "smptebars", "544x576", AFTER)  # (its timestamps start where the first's did)
    joined.write_bytes(first.read_bytes() + second.read_bytes())  # one stream, as it came off the wire
    out = tmp_path / "aired.ts"
    sent = run(str(joined), str(out), CHANNEL, Inserter(lambda: (), PROFILES["576i50"]), stop=threading.Event())

    pictures = _pictures(out)
    assert sent == len(pictures) and {(p.width, p.height) for p in pictures} == {(720, 576)}
    ticks = sorted(p.pts for p in pictures)
    assert all(b - a == 3600 for a, b in itertools.pairwise(ticks)), "one timeline, a picture a period"
    bars = next(iter(_pictures(second))).reformat(width=720, height=576).to_ndarray(format="gray")
    after = [p for p in pictures if _psnr(p.to_ndarray(format="gray"), bars) > 30]  # (the bars stand still)
    assert len(after) >= AFTER * 25 - 6, len(after)  # the second part's pictures, scaled, all but the decoder's first
    assert after == pictures[-len(after) :], "after the first part's"
