"""Benchmark: would PNG pictures of a crawl be worth assembling from the band's rows, as ProRes and qtrle files are?

A PNG's picture is one zlib stream of filtered rows (ffmpeg's encoder: filter "none", a 0 byte before each row,
zlib's default level). The rows outside the band are the same in every picture, so their compressed bytes could
be made once: the rows above the band compressed and flushed to a byte boundary (a full flush: nothing after it
refers back), the band's rows compressed anew for each picture and flushed the same way, the rows below
compressed once as the stream's last block; the Adler-32 of the whole combined from the three parts' own
(zlib's adler32_combine, here in Python), the IDAT's CRC-32 over the compressed bytes. The picture decoded is the
same; the file is not ffmpeg's byte for byte.

Measured in one run, on the pictures of a --seconds 1080p50 PNG sequence ticker renders of the Hậu Giang
message: ffmpeg's PNG encoder given the whole pictures (what a PNG sequence costs now, its encoder alone) against
the assembly above in Python, each picture's result decoded with Pillow and compared with the picture. Best of
--repeat rounds for each.

Run from the repository root:  .venv/bin/python benchmarks/bench_png_rows.py [--seconds 6] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from ticker.campaign.config import Output, load_campaign  # noqa: E402
from ticker.encode.ffmpeg_args import ffmpeg_exe  # noqa: E402
from ticker.engine.text_stage import prepare  # noqa: E402
from ticker.render import render  # noqa: E402

CONFIG = ROOT / "configs" / "hau-giang-ncovi.toml"
BASE = 65521  # Adler-32's modulus


def adler32_combine(a1: int, a2: int, len2: int) -> int:
    """The Adler-32 of two pieces from each piece's and the second's length (zlib's adler32_combine)."""
    rem = len2 % BASE
    sum1 = a1 & 0xFFFF
    sum2 = (rem * sum1) % BASE
    sum1 += (a2 & 0xFFFF) + BASE - 1
    sum2 += ((a1 >> 16) & 0xFFFF) + ((a2 >> 16) & 0xFFFF) + BASE - rem
    sum1 %= BASE
    sum2 %= BASE
    return sum1 | (sum2 << 16)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def filtered(rows: np.ndarray) -> bytes:
    """Rows of RGBA pixels with PNG's filter byte "none" before each."""
    out = np.zeros((rows.shape[0], rows.shape[1] * 4 + 1), np.uint8)
    out[:, 1:] = rows.reshape(rows.shape[0], -1)
    return out.tobytes()


class RowAssembler:
    """PNG files of pictures whose rows outside [y0, y1) are the still picture's."""

    def __init__(self, still: np.ndarray, y0: int, y1: int):
        h, w = still.shape[:2]
        self.y0, self.y1 = y0, y1
        top, bottom = filtered(still[:y0]), filtered(still[y1:])
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.top = c.compress(top) + c.flush(zlib.Z_FULL_FLUSH)
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.bottom = c.compress(bottom) + c.flush(zlib.Z_FINISH)
        self.adler_top, self.adler_bottom, self.len_bottom = zlib.adler32(top), zlib.adler32(bottom), len(bottom)
        self.head = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
        self.tail = chunk(b"IEND", b"")

    def png(self, picture: np.ndarray) -> bytes:
        band = filtered(picture[self.y0 : self.y1])
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        middle = c.compress(band) + c.flush(zlib.Z_FULL_FLUSH)
        adler = adler32_combine(adler32_combine(self.adler_top, zlib.adler32(band), len(band)), self.adler_bottom,
                                self.len_bottom)  # fmt: skip
        stream = b"\x78\x9c" + self.top + middle + self.bottom + struct.pack(">I", adler)
        return self.head + chunk(b"IDAT", stream) + self.tail


def pictures(seconds: float, tmp: Path) -> list[np.ndarray]:
    crawl = prepare(load_campaign(CONFIG))
    # fast enough for one pass in `seconds`: the pictures of a band, whatever its speed
    result = render(crawl, Output("1080p50", "png", False, seconds), tmp / "seq", speed=2400.0, straight=True)
    files = sorted(Path(result.path).glob("*.png"))
    return [np.asarray(Image.open(f).convert("RGBA")) for f in files]


def ffmpeg_png(frames: list[np.ndarray]) -> tuple[float, int]:
    """ffmpeg's PNG encoder on the whole pictures: wall seconds, bytes written."""
    h, w = frames[0].shape[:2]
    cmd = [ffmpeg_exe(), "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{w}x{h}", "-r", "50",
           "-i", "pipe:", "-c:v", "png", "-f", "image2pipe", "pipe:"]  # fmt: skip
    raw = b"".join(f.tobytes() for f in frames)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, input=raw, capture_output=True, check=True)
    return time.perf_counter() - t0, len(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_png_rows_"))
    try:
        frames = pictures(args.seconds, tmp)
        stack = np.stack(frames)
        moving = np.flatnonzero((stack != stack[:1]).any(axis=(0, 2, 3)))
        y0, y1 = int(moving.min()), int(moving.max()) + 1
        h = frames[0].shape[0]
        print(f"{len(frames)} pictures 1920x{h}; the rows that change: {y0}–{y1} ({y1 - y0} of {h})")
        theirs = [ffmpeg_png(frames) for _ in range(args.repeat)]
        ours: list[float] = []
        size = 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            made = RowAssembler(frames[0], y0, y1)
            files = [made.png(f) for f in frames]
            ours.append(time.perf_counter() - t0)
            size = sum(map(len, files))
        same = all(
            np.array_equal(np.asarray(Image.open(io.BytesIO(p)).convert("RGBA")), f) for p, f in zip(files, frames)
        )
        t_theirs, t_ours = min(t for t, _ in theirs), min(ours)
        n = len(frames)
        print(
            f"ffmpeg png, whole pictures   {1000 * t_theirs / n:6.2f} ms a picture   {theirs[0][1] / n / 1e3:7.1f} kB"
        )
        print(f"assembled from the rows      {1000 * t_ours / n:6.2f} ms a picture   {size / n / 1e3:7.1f} kB")
        print(f"ratio {t_ours / t_theirs:.3f} (best of {args.repeat} each); pictures decoded "
              f"{'identical' if same else 'DIFFERENT'}")  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
