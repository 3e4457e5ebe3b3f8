"""`ticker serve`: the desk started with uvicorn, after every refusal that can be made before it listens.

A desk on 127.0.0.1 (the default) serves the one person at the machine. Any other address reaches the
station's network, so it needs a users file: names, roles and argon2 hashes (`ticker serve --users FILE
--add-user NAME --role approver`); without one ticker refuses to start, in one sentence. The running desk reads
the file again whenever it changes.

SIGTERM or Ctrl-C ends the desk within seconds: a letter being read is given up at once (its child process
killed), and the other requests in flight have GRACE seconds to end before they are cancelled."""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from ticker.desk.guard import LOCAL_HOSTS
from ticker.desk.users import ROLES, UsersFile, add_user, read_password
from ticker.errors import InputError
from ticker.station import load_station, records_folder, station_path

if TYPE_CHECKING:
    from ticker.desk.app import Desk

LOCAL_NAMES = ("localhost",)
log = logging.getLogger("ticker.desk")
GRACE = 3  # seconds a stopping desk waits for the requests in flight to end, after which they are cancelled


def is_local(host: str) -> bool:
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_folders(campaigns: Path, out: Path) -> tuple[Path, Path]:
    if not campaigns.is_dir() or campaigns.is_symlink():
        raise InputError(f"{campaigns}: no such folder (the campaign files' folder, as ticker nightly reads it).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"-o {out}: cannot make the folder ({e.strerror}).") from None
    if out.is_symlink() or not out.is_dir():
        raise InputError(f"-o {out}: is not a folder of ticker's own.")
    return campaigns.resolve(), out.resolve()


def station_folders(campaigns: Path, given: Path | None, records: Path | None) -> tuple[Path, Path]:
    """The station file the desk reads and its settings page writes (--station, else CAMPAIGN_DIR/station.toml;
    it need not be there yet, its folder must), and the records folder (--records, else the station file's
    `records`, else CAMPAIGN_DIR/records: a bad station file is refused then, as the folder cannot be known)."""
    station = given.absolute() if given is not None else station_path(campaigns, None)
    if not station.parent.is_dir():
        raise InputError(f"--station {station}: the folder {station.parent} does not exist.")
    if station.is_dir():
        raise InputError(f"--station {station}: is a folder; give the station file (such as station.toml).")
    if records is None:
        records = records_folder(campaigns, None, load_station(station))
    return station, records.absolute()


def desk_users(host: str, users_file: Path | None) -> UsersFile | None:
    if users_file is None:
        if not is_local(host):
            raise InputError(
                f"--host {host}: a desk other machines can reach needs --users FILE, its users and their roles "
                f"(make it with ticker serve --users FILE --add-user NAME --role approver); nothing was started."
            )
        return None
    return UsersFile(users_file)


def add(users_file: Path | None, name: str, role: str, stdin: TextIO, stderr: TextIO) -> None:
    if users_file is None:
        raise InputError("--add-user: give the users file with --users FILE.")
    if role not in ROLES:
        raise InputError(f"--role {role}: must be {' or '.join(ROLES)}.")
    add_user(users_file, name, role, read_password(stdin, stderr))
    print(f"{users_file}: {name} ({role}) can log in to the desk.", file=stderr)


def serve(
    campaigns: Path,
    out: Path,
    host: str,
    port: int,
    users_file: Path | None,
    secure_cookies: bool = False,
    *,
    house: Path | None = None,
    station: Path | None = None,
    records: Path | None = None,
) -> int:
    users = desk_users(host, users_file)
    campaigns, out = check_folders(campaigns, out)
    if house is not None and not house.is_file():
        raise InputError(f"--house {house}: no such campaign file.")
    station, records = station_folders(campaigns, station, records)
    import uvicorn

    from ticker.desk.app import Desk, create_app
    from ticker.desk.keeping import sessions_path, signing_key
    from ticker.desk.sessions import Sessions
    from ticker.desk.verdicts import STORE, Verdicts

    # a desk with users keeps its key and sessions beside the users file: a restart logs nobody out
    secret = signing_key(users_file) if users_file is not None else None
    sessions = Sessions(store=sessions_path(users_file)) if users_file is not None else Sessions()
    proofs = tempfile.TemporaryDirectory(prefix="ticker-desk-proofs-")  # the proof pages, gone when it stops
    desk = Desk(campaigns=campaigns, out=out, station=station, records=records, users=users, house=house,
                proofs_dir=Path(proofs.name), sessions=sessions,
                verdicts=Verdicts(store=campaigns / STORE))  # fmt: skip
    app = create_app(desk, secret=secret, secure_cookies=secure_cookies,
                     hosts=(*LOCAL_HOSTS, host) if is_local(host) else None)  # fmt: skip
    shown = f"[{host}]" if ":" in host else host
    print(f"ticker desk: http://{shown}:{port}/ over {campaigns}, nights into {out} (Ctrl-C stops it)", file=sys.stderr)
    # uvicorn believes a proxy's X-Forwarded-Proto and -For from FORWARDED_ALLOW_IPS (by default 127.0.0.1 and
    # ::1): the scheme that marks the cookie Secure, and the client's address that the login back-off counts
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=os.environ.get("TICKER_DESK_LOG", "warning"),
        timeout_graceful_shutdown=GRACE,
        use_colors=False,  # stderr escapes what it prints: colour codes would show as text
    )
    server = _server(config, desk.stopping)
    threading.Thread(target=warm, args=(desk,), name="verdicts", daemon=True).start()
    try:
        server.run()
    except (KeyboardInterrupt, SystemExit):  # the stop's signal raised again once stopped; or it could not listen
        pass
    finally:
        desk.stopping.set()
        desk.verdicts.close()
        proofs.cleanup()
    if not server.started:
        raise InputError(f"--host {host} --port {port}: the desk could not listen there (in use?).")
    return 0


def warm(desk: Desk) -> None:
    """The readability verdicts of the campaigns list worked out from the desk's start, one file after another,
    until the desk stops: a verdict kept from an earlier start is only looked up, one that is not (a file
    changed meanwhile, another ticker) is measured before the list asks for it, or while it does (then it is
    measured once, and both have it)."""
    from ticker.desk import actions

    try:
        for row in actions.campaigns(desk, verdicts=False):
            if desk.stopping.is_set():
                return
            actions.verdict(desk, row)
    except Exception as e:  # the list says what it says of each file when asked: here only the log
        log.warning("the verdicts were not all worked out at the start: %s: %s", type(e).__name__, e)


def _server(config: Any, stopping: threading.Event) -> Any:
    """uvicorn's server, whose stop (SIGTERM, Ctrl-C) also tells the desk's requests that it is stopping: a letter
    being read is given up at once (ticker.desk.api.drafted) rather than hold the stop for READ_SECONDS."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            stopping.set()
            super().handle_exit(sig, frame)

    return Server(config)
