"""The station file (`station.toml`): the station's own names, which the letters it writes back carry, and its
channels: each with its picture format, whether it may ever be taken down, whether it must be relayed intact
(nothing inserted into it), and what its transport stream carries (the network ids and PIDs the live commands
put on air). One file for the station, read by `report`, `draft`, the desk and the live commands; the desk's
settings page writes it (ticker.station.form).

It lives beside the campaigns (CAMPAIGN_DIR/station.toml: the campaigns folder, or the folder of the one
campaign file given) unless `--station FILE` names another; nightly and the desk do not take it for a campaign.
Every problem is one sentence naming the file and the key as the file writes it (`channel[2].network.video_pid`),
carrying its Refusal for the desk to word (ticker.campaign.tables)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from ticker.campaign.config import DEFAULT_TIMEZONE, parse_toml, zone_problem
from ticker.campaign.tables import REQUIRED, Table, between, invisible, one_of
from ticker.errors import FileProblem, InputError, Reason
from ticker.files import CAMPAIGN_LIMIT, read_input, user_path
from ticker.media import PROFILES

STATION_FILE = "station.toml"
WHAT = "station file"
NAME_KEYS = ("name", "short", "place", "signer_title", "signer")  # what a letter back says of the station
STATION_KEYS = [*NAME_KEYS, "records", "timezone"]
CHANNEL_KEYS = ["name", "picture", "essential", "must_carry", "network"]
NETWORK_KEYS = ["original_network_id", "transport_stream_id", "service_id", "pmt_pid", "video_pid", "audio_pid",
                "service_type", "encoder", "preset", "bitrate", "ttl", "interface"]  # fmt: skip
PIDS = ("pmt_pid", "video_pid", "audio_pid")
PID_DEFAULTS = {"pmt_pid": 0x1000, "video_pid": 0x100, "audio_pid": 0x101}  # as `ticker render` writes a stream
PID_RANGE = (0x20, 0x1FFE)  # below 0x20: the tables DVB reserves; 0x1FFF: null packets
# DVB service types (EN 300 468, table 87) of the streams ticker makes
SERVICE_TYPES = {0x01: "MPEG-2 SD", 0x11: "MPEG-2 HD", 0x16: "H.264 SD", 0x19: "H.264 HD"}
Encoder = Literal["mpeg2", "h264"]
ENCODERS: tuple[Encoder, ...] = get_args(Encoder)
BITRATE_RANGE = (500_000, 80_000_000)  # bits a second, as `ticker render --video-bitrate` takes them
BITRATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$")


@dataclass(frozen=True)
class Network:
    """What a channel's transport stream carries, as a headend's multiplexer knows it."""

    original_network_id: int
    transport_stream_id: int
    service_id: int
    service_type: int  # SERVICE_TYPES
    encoder: Encoder
    bitrate: int  # bits a second
    pmt_pid: int = PID_DEFAULTS["pmt_pid"]
    video_pid: int = PID_DEFAULTS["video_pid"]
    audio_pid: int = PID_DEFAULTS["audio_pid"]
    preset: str | None = None  # the encoder's preset (x264's "veryfast"), when not ticker's
    ttl: int = 1  # hops of the multicast it is sent on
    interface: str | None = None  # the network interface it leaves by ("eth1"), when not the system's


@dataclass(frozen=True)
class Channel:
    name: str  # as the campaigns' [[slot]] channels name it
    picture: str | None = None  # a profile of ticker.media.PROFILES ("576i50", "1080i50")
    essential: bool = True  # a channel that must never be taken down (a crawl fails off it, never the channel)
    network: Network | None = None
    must_carry: bool = False  # kênh thiết yếu: pay-TV must relay it intact, so nothing is ever inserted into it


@dataclass(frozen=True)
class Station:
    """The station: "Công ty TNHH Truyền hình cáp Hậu Giang", short "HGCTV" (for "Số: …/BC-HGCTV")."""

    name: str
    short: str = ""
    place: str = ""  # the place of the date line ("Hậu Giang, ngày …"); default: the letter's
    signer_title: str = "GIÁM ĐỐC"
    signer: str = ""  # the signer's name; may be left for the hand that signs
    records: Path | None = None  # the records folder, resolved from the station file's folder
    timezone: str = DEFAULT_TIMEZONE
    channels: tuple[Channel, ...] = ()

    def as_json(self) -> dict[str, str]:
        """The station's names, as the report's facts carry them."""
        return {k: getattr(self, k) for k in NAME_KEYS}

    def channel(self, name: str) -> Channel | None:
        return next((c for c in self.channels if c.name == name), None)


def campaign_dir(campaigns: Path) -> Path:
    """CAMPAIGN_DIR: the campaigns folder, or the folder of the one campaign file given."""
    return campaigns if campaigns.is_dir() else campaigns.parent


def station_path(campaigns: Path, given: Path | None) -> Path:
    """The station file: `given` (--station FILE), else CAMPAIGN_DIR/station.toml."""
    return given if given is not None else campaign_dir(campaigns) / STATION_FILE


def records_folder(campaigns: Path, given: Path | None, station: Station | None) -> Path:
    """The records folder: `given` (--records DIR), else the station file's `records`, else CAMPAIGN_DIR/records."""
    if given is not None:
        return given
    if station is not None and station.records is not None:
        return station.records
    return campaign_dir(campaigns) / "records"


def given_station(given: Path | None, beside: Path | None) -> Station | None:
    """The station a command names: `given` (--station FILE, which must be there), else the station file of the
    folder of `beside` (a campaign file a command writes) when there is one there; else None."""
    if given is not None:
        if (station := load_station(given)) is None:
            raise InputError(f"--station {given}: no such station file.")
        return station
    return load_station(station_path(beside, None)) if beside is not None else None


def load_station(path: Path) -> Station | None:
    """The station file at `path`; None when there is none (nothing at all there). A bad one is refused in one
    sentence (ConfigError naming the key, FileProblem for a file ticker will not read)."""
    if not os.path.lexists(path):
        return None
    return station_from(parse_toml(read_input(path, WHAT, CAMPAIGN_LIMIT), path), path)


def station_from(data: dict, path: Path) -> Station:
    """The station of a station file's TOML, read already; `path` is the file it is (or will be): errors name
    it, and `records` is found from its folder."""
    top = Table(path, "(top level)", data, ["station", "channel"])
    top.get("station", REQUIRED, dict)
    s = Table(path, "station", data["station"], STATION_KEYS)
    name = _name(s, "name", REQUIRED)
    records = s.get("records", None, str, _path_problem)
    raw_channels = top.get("channel", [], list)
    channels = tuple(_channel(Table(path, f"channel[{i}]", c, CHANNEL_KEYS)) for i, c in enumerate(raw_channels, 1))
    seen: dict[str, int] = {}
    for i, channel in enumerate(channels, 1):
        if channel.name in seen:
            t = Table(path, f"channel[{i}]", raw_channels[i - 1], CHANNEL_KEYS)
            t.fail("name", Reason(f"is {channel.name!r}, the name of channel[{seen[channel.name]}] too; each channel "
                                  "has its own", "taken", other=seen[channel.name]), channel.name)  # fmt: skip
        seen[channel.name] = i
    return Station(
        name=name,
        short=_name(s, "short", ""),
        place=_name(s, "place", ""),
        signer_title=_name(s, "signer_title", "GIÁM ĐỐC"),
        signer=_name(s, "signer", ""),
        records=None if records is None else user_path(records, path.parent),
        timezone=s.get("timezone", DEFAULT_TIMEZONE, str, zone_problem),
        channels=channels,
    )


def _name(t: Table, key: str, default: Any) -> str:
    """A name of one line: no control or invisible character; the station's and a channel's not empty."""
    value = t.get(key, default, str, _text_problem).strip()
    if default is REQUIRED and not value:
        t.fail(key, "is empty; it is required", value, "required")
    return value


def _text_problem(text: str) -> Reason | None:
    bad = invisible(text)
    return None if bad is None else Reason(f"holds {bad}, a control or invisible character", "invisible", code=bad)


def _path_problem(text: str) -> Reason | None:
    if not text.strip():
        return Reason("is empty (leave it out for CAMPAIGN_DIR/records)", "required")
    try:
        user_path(text, Path("/"))
    except FileProblem as e:
        return Reason(e.reason, "path")
    return None


def _channel(t: Table) -> Channel:
    picture = t.get("picture", None, str, one_of(tuple(PROFILES)))
    return Channel(
        name=_name(t, "name", REQUIRED),
        picture=picture,
        essential=t.get("essential", True, bool),
        must_carry=t.get("must_carry", False, bool),
        network=_network(Table(t.path, t.key("network"), t.table["network"], NETWORK_KEYS), picture)
        if "network" in t.table
        else None,
    )


def _network(t: Table, picture: str | None) -> Network:
    ids = {k: t.get(k, REQUIRED, int, between(0, 0xFFFF)) for k in NETWORK_KEYS[:3]}
    pids = {k: t.get(k, PID_DEFAULTS[k], int, _pid_problem) for k in PIDS}
    for n, key in enumerate(PIDS):
        for other in PIDS[:n]:
            if pids[key] == pids[other]:
                t.fail(key, Reason(f"is {hex_pid(pids[key])}, the same PID as {other}; each stream has its own",
                                   "same-pid", other=other, pid=hex_pid(pids[key])), pids[key])  # fmt: skip
    encoder = t.get("encoder", REQUIRED, str, one_of(ENCODERS))
    choices = ", ".join(f"{k:#04x} ({v})" for k, v in SERVICE_TYPES.items())
    kind = t.get("service_type", None, int, lambda v: None if v in SERVICE_TYPES else
                 Reason(f"must be one of {choices}", "choice", choices=choices))  # fmt: skip
    if kind is None:
        if picture is None:
            t.fail("service_type", "is required when the channel names no picture format", None, "required")
        hd = PROFILES[picture].height > 576
        kind = {("mpeg2", False): 0x01, ("mpeg2", True): 0x11, ("h264", False): 0x16, ("h264", True): 0x19}[
            (encoder, hd)
        ]
    preset = t.get("preset", None, str, _text_problem)
    interface = t.get("interface", None, str, _text_problem)
    return Network(
        **ids,
        service_type=kind,
        encoder=encoder,
        bitrate=bitrate(t),
        **pids,
        preset=preset.strip() or None if preset is not None else None,
        ttl=t.get("ttl", 1, int, between(1, 255)),
        interface=interface.strip() or None if interface is not None else None,
    )


def _pid_problem(value: int) -> Reason | None:
    lo, hi = PID_RANGE
    if lo <= value <= hi:
        return None
    return Reason(f"must be between {hex_pid(lo)} and {hex_pid(hi)}", "range", lo=hex_pid(lo), hi=hex_pid(hi))


def hex_pid(pid: int) -> str:
    """A PID as a headend's screens show it: 0x0100."""
    return f"0x{pid:04X}"


def bitrate(t: Table) -> int:
    """The network's bit rate: a number of bits a second, or a text such as "4M" or "4000k"."""
    value = t.get("bitrate", REQUIRED, (int, str))
    lo, hi = BITRATE_RANGE
    if isinstance(value, str):
        m = BITRATE.match(value)
        if m is None:
            t.fail("bitrate", f'is not a bit rate (bits a second, or a text such as "4M" or "4000k"; got {value!r})',
                   value, "bitrate")  # fmt: skip
        bits = float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    else:
        bits = value
    if not lo <= bits <= hi:
        said = f"must be between 500k and 80M bits a second (got {value!r})"
        t.fail("bitrate", Reason(said, "range", lo="500k", hi="80M"), value)
    return int(bits)
