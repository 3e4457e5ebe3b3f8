"""The station: its own names and its channels, in the station file (station.toml) beside the campaigns, and
that file as the desk's settings page edits it."""

from ticker.station.file import (
    STATION_FILE,
    Channel,
    Network,
    Station,
    campaign_dir,
    given_station,
    load_station,
    records_folder,
    station_from,
    station_path,
)
from ticker.station.form import ChannelFields, StationFields, apply_station, fields_of, open_station, write_station

__all__ = [
    "STATION_FILE",
    "Channel",
    "ChannelFields",
    "Network",
    "Station",
    "StationFields",
    "apply_station",
    "campaign_dir",
    "fields_of",
    "given_station",
    "load_station",
    "open_station",
    "records_folder",
    "station_from",
    "station_path",
    "write_station",
]
