"""Which Dask schedulers ticker sends jobs to (`--scheduler`).

Dask runs whatever a client that reaches the scheduler submits, on every worker: the farm's TLS (client
certificates signed by the farm's CA) is what decides who may send jobs. A scheduler reached without TLS is
taken only on this machine's loopback, where no other machine can reach it (tests and a one-machine farm);
anywhere else plain `tcp://` (or `ws://`, `ucx://`, or an address with no scheme, which Dask takes as tcp) is
refused before any connection is tried.

A name is this machine only if every address it resolves to is a loopback address: `localhost`, usually; a
name that also resolves elsewhere, or not at all, is not.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from ticker.errors import InputError

TLS_SCHEMES = ("tls", "wss")  # Dask's transports that run over TLS
DEFAULT_SCHEME = "tcp"  # what Dask takes an address without a scheme as

Resolver = Callable[[str], Iterable[str]]


def resolve(host: str) -> list[str]:
    """Every address `host` resolves to here (the system's resolver: /etc/hosts, then DNS)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]


def is_loopback(address: str) -> bool:
    """An IP address of this machine's loopback (127.0.0.0/8, ::1, or 127.x mapped into IPv6)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def on_this_machine(host: str, resolver: Resolver = resolve) -> bool:
    """Whether `host` (an IP address or a name) reaches this machine's loopback only."""
    if not host:
        return False
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return is_loopback(host)
    except ValueError:
        pass
    try:
        found = set(resolver(host))
    except (OSError, UnicodeError):  # no such name (socket.gaierror), or one IDNA cannot encode
        return False
    return bool(found) and all(is_loopback(a) for a in found)


def scheme_of(address: str) -> str:
    """The transport a scheduler's address names, as written: Dask knows its schemes in lower case only (to it
    TLS:// is no transport, and no TLS); an address without one is Dask's tcp."""
    scheme, sep, _ = address.partition("://")
    return scheme if sep else DEFAULT_SCHEME


def scheduler_problem(address: str, resolver: Resolver = resolve) -> str | None:
    """Why ticker will not send jobs to the scheduler at `address`, or None: TLS, or this machine."""
    scheme = scheme_of(address)
    if scheme in TLS_SCHEMES:
        return None
    try:
        host = urlsplit(f"//{address.split('://', 1)[-1]}").hostname or ""
    except ValueError:
        host = ""
    if on_this_machine(host, resolver):
        return None
    where = f"{host} is not this machine's loopback" if host else "it names no host"
    return (
        f"{scheme}:// is neither encrypted nor authenticated, and {where}: anyone who reaches that port could run "
        f"anything on the farm's workers; use tls:// with the farm's certificates (TLS is what authenticates the "
        f"farm), or a scheduler on 127.0.0.1"
    )


def check_scheduler(address: str) -> None:
    """InputError, in one sentence, for a scheduler ticker will not send jobs to."""
    if problem := scheduler_problem(address):
        raise InputError(f"--scheduler {address}: {problem}.")
