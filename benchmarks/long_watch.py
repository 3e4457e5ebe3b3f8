"""An hour of programme without the crawl, watched: `ticker watch` must invent no airing in it.

The hour is twelve parts of five minutes at 576i50 (MPEG-2 at 4 Mb/s, interlaced, in one MPEG-TS), each a
different moving picture from ffmpeg (test patterns, cellular automata, noise, gradients, a zone plate), three of
them with the channel's own news band in the campaign's place and look carrying other words (ticker's render of
another campaign). It is watched for the campaign as a channel is, and the records are read back: no airing, the
look-alike bands `unrecognised` (never aired), the hour covered. Exit status 1 if an airing was invented.

    python benchmarks/long_watch.py [--minutes 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from ticker.encode.ffmpeg_args import ffmpeg_exe

CAMPAIGN = """[campaign]
name = "{name}"
start = 2020-03-12
end = 2020-03-15
[[message]]
text = "{words}"
[motion]
crossing_seconds = 6
[[output]]
profile = "576i50"
format = "qtrle"
loop = true
"""
WORDS = "Đề nghị người dân tải ứng dụng NCOVI để khai báo y tế."
OTHER = "Bản tin thời sự địa phương: thời tiết hôm nay nắng nóng, nhiệt độ 35 độ, đề nghị hạn chế ra đường."
STATION = '[station]\nname = "Truyền hình cáp Thử"\nshort = "THC"\n\n[[channel]]\nname = "HGTV"\n'
START = dt.datetime(2020, 3, 12, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
SIZE = "720x576"
PARTS = [  # (ffmpeg's picture at 50 pictures a second, the look-alike band over it)
    (f"testsrc2=size={SIZE}:rate=50", False),
    (f"testsrc=size={SIZE}:rate=50,hue=H=t/3", False),
    (f"life=size={SIZE}:rate=50:mold=10:ratio=0.1:death_color=#C83232:life_color=#00ff00", False),
    (f"cellauto=size={SIZE}:rate=50:rule=110:scroll=1", False),
    (f"smptehdbars=size={SIZE}:rate=50,drawbox=x='mod(t*400,iw-64)':y=ih/3:w=64:h=64:c=white:t=fill", False),
    (f"testsrc2=size={SIZE}:rate=50", True),
    (f"gradients=size={SIZE}:rate=50:speed=0.02", False),
    (f"rgbtestsrc=size={SIZE}:rate=50,rotate=a=t/4", True),
    (f"sierpinski=size={SIZE}:rate=50", False),
    (f"color=c=0x203040:size={SIZE}:rate=50,noise=alls=60:allf=t+u", False),
    (f"zoneplate=size={SIZE}:rate=50:kt2=2:ky2=1", False),
    (f"life=size={SIZE}:rate=50:ratio=0.3:life_color=#ffffff", True),
]
VIDEO = ["-c:v", "mpeg2video", "-b:v", "4M", "-maxrate", "4M", "-bufsize", "1835k", "-g", "12", "-bf", "2",
         "-flags", "+ildct+ilme", "-field_order", "tt"]  # fmt: skip


def render(folder: Path, name: str, words: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    campaign = folder / f"{name}.toml"
    campaign.write_text(CAMPAIGN.format(name=name, words=words), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ticker", "render", str(campaign), "-o", str(folder), "--date",
                    "2020-03-12"], check=True, capture_output=True)  # fmt: skip
    return folder / f"{name}_576i50_qtrle_loop.mov"


def part(folder: Path, k: int, source: str, band: Path | None, seconds: float) -> Path:
    """One part: the picture interlaced (two pictures of motion a frame, top field first), the band over it."""
    path = folder / f"part{k:02}.ts"
    picture = f"{source},trim=end_frame={round(seconds * 50)},interlace=scan=tff:lowpass=0,setsar=64/45"
    inputs = ["-f", "lavfi", "-i", picture]
    graph = "[0:v]scale=out_color_matrix=bt601:out_range=tv,format=yuv444p[u];"
    if band is not None:
        inputs += ["-stream_loop", "-1", "-i", str(band)]
        graph += "[u][1:v]overlay=format=yuv444:eof_action=repeat,"
    else:
        graph += "[u]"
    graph += "scale=interl=1,format=yuv420p[v]"
    subprocess.run([ffmpeg_exe(), "-v", "fatal", "-y", *inputs, "-filter_complex", graph, "-map", "[v]",
                    "-frames:v", str(round(seconds * 25)), *VIDEO, "-f", "mpegts", str(path)], check=True)  # fmt: skip
    return path


def hour(folder: Path, minutes: float) -> tuple[Path, list[tuple[float, float]]]:
    """The programme, and where the look-alike band is in it (seconds from its start)."""
    other = render(folder / "other", "tin", OTHER)
    seconds = minutes * 60 / len(PARTS)
    parts, bands = [], []
    for k, (source, band) in enumerate(PARTS):
        parts.append(part(folder, k, source, other if band else None, seconds))
        if band:
            bands.append((k * seconds, (k + 1) * seconds))
    listing = folder / "parts.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts), encoding="utf-8")
    path = folder / "hour.ts"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-c",
                    "copy", "-f", "mpegts", str(path)], check=True)  # fmt: skip
    return path, bands


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=60, help="of programme (60)")
    ap.add_argument("--keep", type=Path, help="make the programme in this folder, and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        made = folder / "hour.ts"
        bands_file = folder / "bands.json"
        if made.exists() and bands_file.exists():
            programme, bands = made, [tuple(b) for b in json.loads(bands_file.read_text())]
        else:
            programme, bands = hour(folder, args.minutes)
            bands_file.write_text(json.dumps(bands))
        campaigns = folder / "campaigns"
        render(campaigns, "ncovi", WORDS)
        (campaigns / "station.toml").write_text(STATION, encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "ticker", "watch", str(campaigns), str(programme), "--channel",
                        "HGTV", "--start", START.isoformat()], check=True)  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        lines = [json.loads(t) for t in (campaigns / "records" / "2020-03-12" / "watch@HGTV.jsonl").read_text(
            encoding="utf-8").splitlines()]  # fmt: skip
    airings = [x for x in lines if x["kind"] == "airing"]
    unlike = [x for x in lines if x["kind"] == "unrecognised"]
    covered = sum((dt.datetime.fromisoformat(x["end"]) - dt.datetime.fromisoformat(x["start"])).total_seconds()
                  for x in lines if x["kind"] == "covered")  # fmt: skip

    def offset(x: dict, key: str) -> float:
        return (dt.datetime.fromisoformat(x[key]) - START).total_seconds()

    inside = [x for x in unlike if any(offset(x, "start") < b and a < offset(x, "end") for a, b in bands)]
    shown = sum(b - a for a, b in bands)
    said = sum(offset(x, "end") - offset(x, "start") for x in unlike)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"{args.minutes:g} minutes of programme without the crawl, {len(PARTS)} kinds of picture, the look-alike "
          f"band in {len(bands)} of them ({shown:.0f} s)")  # fmt: skip
    print(f"  airings invented: {len(airings)}")
    print(f"  look-alike bands said unrecognised: {len(unlike)} ({said:.0f} s of the {shown:.0f} s), "
          f"{len(unlike) - len(inside)} where there was none")  # fmt: skip
    print(f"  covered: {covered / 60:.1f} min; ticker watch: {cpu:.1f} s CPU")
    for x in airings:
        print(f"  INVENTED: {x['start']} – {x['end']} (confidence {x['confidence']})")
    return 1 if airings else 0


if __name__ == "__main__":
    sys.exit(main())
