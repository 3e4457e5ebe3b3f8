"""What the clients read from a written file: PyAV, MediaInfo, Debian's ffmpeg, framemd5."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av

from ticker.encode.ffmpeg_args import ffmpeg_exe


def stream_info(path) -> dict:
    """What PyAV (ffmpeg's libraries) reads from a file's first video stream, and its packet count."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        cc = s.codec_context
        info = dict(
            codec=cc.name,
            profile=cc.profile,
            pix_fmt=cc.pix_fmt,
            width=cc.width,
            height=cc.height,
            field_order=cc.field_order,
            sar=s.sample_aspect_ratio,
            rate=s.average_rate,
            primaries=cc.color_primaries,
            transfer=cc.color_trc,
            matrix=cc.colorspace,
            range=cc.color_range,
        )
        info["packets"] = sum(1 for p in c.demux(s) if p.size)
    return info


def mediainfo(path) -> dict:
    """MediaInfo's reading of the video track: what playout engineers look at."""
    from pymediainfo import MediaInfo

    video = [t for t in MediaInfo.parse(str(path)).tracks if t.track_type == "Video"]
    assert video, f"MediaInfo finds no video track in {path}"
    return video[0].to_data()


def ffmpeg(*args) -> subprocess.CompletedProcess:
    return subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", *map(str, args)], capture_output=True, text=True)


def framemd5(path: Path) -> list[str]:
    if path.is_dir():
        args = ["-i", path / f"{path.name}_%06d.png"]
    else:
        args = ["-i", path]
    done = ffmpeg("-v", "error", *args, "-map", "0:v", "-f", "framemd5", "-")
    assert done.returncode == 0, done.stderr
    return [line.split(",")[-1].strip() for line in done.stdout.splitlines() if not line.startswith("#")]
