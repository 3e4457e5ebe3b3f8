"""The tests' station file: the station's names and two channels, one with its transport stream, with the
comments a station writes (which every write of the file keeps)."""

from __future__ import annotations

from pathlib import Path

STATION = """\
# Hậu Giang cable: the station's names and channels

[station]
name = "Công ty TNHH Truyền hình cáp Hậu Giang"
short = "HGCTV"          # Số: …/BC-HGCTV
place = "Hậu Giang"      # the date line's place
signer_title = "GIÁM ĐỐC"
signer = "Nguyễn Văn An"

[[channel]]
name = "HGTV"            # the province's channel, on every set-top box
picture = "576i50"

[[channel]]
name = "HGTV HD"
picture = "1080i50"
essential = false        # may be taken down for maintenance

[channel.network]        # the HD multiplex at the headend
original_network_id = 0x2001
transport_stream_id = 12
service_id = 101
pmt_pid = 0x1000
video_pid = 0x0100       # as the headend's EPG expects
audio_pid = 0x0101
encoder = "h264"
bitrate = "8M"
"""


def station_file(folder: Path, text: str = STATION, name: str = "station.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
