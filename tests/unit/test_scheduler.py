"""Which Dask schedulers ticker sends jobs to: over TLS anywhere, without it only on this machine's loopback
(a name counts as loopback only if every address it resolves to is one). Names are resolved here by a table of
the test's own, so that nothing is looked up."""

from __future__ import annotations

import pytest

from ticker.errors import InputError
from ticker.night.scheduler import TLS_SCHEMES, check_scheduler, scheduler_problem, scheme_of

NAMES = {
    "localhost": ["127.0.0.1", "::1"],
    "loopback-only": ["127.0.1.1"],
    "farm.station.vn": ["10.20.0.5"],
    "split": ["127.0.0.1", "192.0.2.7"],  # also elsewhere: not this machine alone
    "nothing": [],
    "127.0.0.1.example.net": ["192.0.2.8"],  # reads as loopback, resolves elsewhere
}


def resolver(host: str) -> list[str]:
    if host not in NAMES:
        raise OSError(f"no such name: {host}")  # as socket.gaierror is
    return NAMES[host]


@pytest.mark.parametrize(
    "address",
    [
        "tls://farm.station.vn:8786",
        "wss://farm.station.vn:8786",
        "tcp://127.0.0.1:8786",
        "tcp://127.8.9.10:8786",
        "tcp://[::1]:8786",
        "tcp://[::ffff:127.0.0.1]:8786",
        "tcp://localhost:8786",
        "tcp://LOCALHOST:8786",
        "tcp://loopback-only:8786",
        "127.0.0.1:8786",
        "ws://localhost:8786",
    ],
)
def test_tls_anywhere_and_plain_transports_on_loopback_are_taken(address):
    assert scheduler_problem(address, resolver) is None


@pytest.mark.parametrize(
    "address, host",
    [
        ("tcp://192.0.2.1:8786", "192.0.2.1"),
        ("192.0.2.1:8786", "192.0.2.1"),  # no scheme: Dask's tcp
        ("tcp://[2001:db8::1]:8786", "2001:db8::1"),
        ("tcp://0.0.0.0:8786", "0.0.0.0"),
        ("tcp://farm.station.vn:8786", "farm.station.vn"),
        ("tcp://split:8786", "split"),
        ("tcp://nothing:8786", "nothing"),
        ("tcp://unknown.invalid:8786", "unknown.invalid"),  # no such name: the resolver raises, as a real one does
        ("ws://farm.station.vn:8786", "farm.station.vn"),
        ("ucx://10.0.0.2:13337", "10.0.0.2"),
        ("tcp://127.0.0.1.example.net:8786", "127.0.0.1.example.net"),
        ("TLS://192.0.2.1:8786", "192.0.2.1"),  # Dask knows tls:// only in lower case: this is no TLS
    ],
)
def test_a_plain_transport_to_another_machine_is_refused_saying_tls_authenticates(address, host):
    problem = scheduler_problem(address, resolver)
    assert problem is not None and f"{host} is not this machine's loopback" in problem
    assert "TLS is what authenticates the farm" in problem and "tls://" in problem


@pytest.mark.parametrize("address", ["tcp://:8786", "tcp://[zz:1", "tcp://"])
def test_an_address_without_a_host_is_refused(address):
    assert scheduler_problem(address, resolver) is not None


def test_the_refusal_is_one_sentence_naming_the_address():
    with pytest.raises(InputError) as refused:
        check_scheduler("tcp://192.0.2.1:8786")
    said = str(refused.value)
    assert said.startswith("--scheduler tcp://192.0.2.1:8786: tcp:// is neither encrypted nor authenticated")
    assert said.endswith(".") and said.count(". ") == 0
    check_scheduler("tcp://127.0.0.1:8786")


def test_the_scheme_is_read_as_written():
    written = {"tls://h:1": "tls", "wss://h:1": "wss", "TLS://h:1": "TLS", "Tcp://h:1": "Tcp", "h:1": "tcp"}
    assert {a: scheme_of(a) for a in written} == written
    assert set(TLS_SCHEMES) == {"tls", "wss"}  # Dask's, in lower case only: TLS:// is no transport of its
