"""The systemd unit that runs a watch per channel: a Type=notify service with a watchdog, restarted when it stops,
whose command ticker's own parser takes (the example environment file's values put in); and the notifications
ticker sends it, on a socket made here."""

from __future__ import annotations

import configparser
import shlex
import socket
from pathlib import Path

from ticker.cli.args import parser
from ticker.watch.notify import Notifier

UNIT = Path(__file__).parents[2] / "configs" / "systemd" / "ticker-watch@.service"


def unit() -> configparser.ConfigParser:
    read = configparser.ConfigParser(strict=False, interpolation=None)
    read.optionxform = str  # type: ignore[assignment,method-assign]
    read.read_string(UNIT.read_text(encoding="utf-8"))
    return read


def test_the_unit_is_a_notify_service_with_a_watchdog_that_restarts():
    service = unit()["Service"]
    assert service["Type"] == "notify" and int(service["WatchdogSec"]) >= 30 and service["Restart"] == "always"
    assert service["KillSignal"] == "SIGTERM" and service["EnvironmentFile"] == "/etc/ticker/watch-%i.env"


def test_the_units_command_is_one_ticker_takes():
    text = UNIT.read_text(encoding="utf-8")
    example = dict(line.lstrip("# ").split("=", 1) for line in text.splitlines() if line.startswith("#   "))
    command = unit()["Service"]["ExecStart"]
    for key, value in example.items():
        command = command.replace("${" + key + "}", value).replace("$" + key, value)
    argv = shlex.split(command.replace("%I", "HGTV"))
    assert argv[0].endswith("/ticker")
    args = parser().parse_args(argv[1:])
    assert (args.command, args.channel, args.service, args.source) == ("watch", "HGTV", 101, example["SOURCE"])


def test_systemd_hears_ready_the_watchdog_and_stopping(tmp_path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(str(tmp_path / "notify"))
        told = Notifier({"NOTIFY_SOCKET": str(tmp_path / "notify")})
        told.ready("HGTV: watching udp://239.1.1.10:1234")
        told.alive("HGTV not watched: the stream ended")
        told.alive("HGTV not watched: the stream ended")  # too soon, and nothing new: nothing sent
        told.stopping()
        told.close()
        systemd.setblocking(False)
        heard = [systemd.recv(4096).decode() for _ in range(3)]
    assert heard == [
        "READY=1\nSTATUS=HGTV: watching udp://239.1.1.10:1234",
        "WATCHDOG=1\nSTATUS=HGTV not watched: the stream ended",
        "STOPPING=1\nSTATUS=stopping; what was seen is recorded",
    ]


def test_without_systemd_nothing_is_sent():
    told = Notifier({})
    told.ready("x")
    told.alive("y")
    assert told.socket is None
