"""A farm reached without TLS is refused unless it is this machine: `ticker nightly --scheduler tcp://` to an
address of another machine stops with one sentence before anything is written or any connection is tried, and
nightly() refuses it the same way when the library is called directly. 192.0.2.1 is TEST-NET-1 (RFC 5737):
nothing answers there, so a client that tried would wait for its timeout and then say it cannot reach the
scheduler (a RenderError, not this refusal)."""

from __future__ import annotations

import datetime as dt

import pytest

from ticker.cli import commands as cli
from ticker.errors import InputError
from ticker.night.nightly import nightly

from support.campaigns import write_campaign
from support.running import run_ticker

FAR = "tcp://192.0.2.1:8786"
SENTENCE = (
    f"ticker: --scheduler {FAR}: tcp:// is neither encrypted nor authenticated, and 192.0.2.1 is not this "
    f"machine's loopback: anyone who reaches that port could run anything on the farm's workers; use tls:// with "
    f"the farm's certificates (TLS is what authenticates the farm), or a scheduler on 127.0.0.1."
)
OUTPUT = '[[output]]\nprofile = "576i50"\nformat = "qtrle"\nloop = true\n'


def test_nightly_refuses_a_plain_scheduler_on_another_machine_before_anything(tmp_path):
    write_campaign(tmp_path)
    done = run_ticker(
        "nightly", "c.toml", "-o", "out", "--date", "2020-03-12", "--scheduler", FAR, cwd=tmp_path, check_status=2
    )
    assert done.stderr.strip() == SENTENCE and done.stdout == ""
    assert not (tmp_path / "out").exists()


def test_an_address_without_a_scheme_is_dasks_tcp_and_refused_the_same(tmp_path, capsys):
    write_campaign(tmp_path)
    address = "192.0.2.1:8786"
    command = ["nightly", str(tmp_path / "c.toml"), "-o", str(tmp_path / "out"), "--date", "2020-03-12"]
    assert cli.main([*command, "--scheduler", address]) == 2
    said = capsys.readouterr()
    assert said.err.strip() == SENTENCE.replace(FAR, address) and said.out == ""
    assert not (tmp_path / "out").exists()


def test_the_library_refuses_it_before_anything(tmp_path):
    """nightly() called directly, with a campaign to make: refused before its folder, lock, lease or log."""
    write_campaign(tmp_path, OUTPUT)
    with pytest.raises(InputError) as refused:
        nightly(tmp_path, tmp_path / "out", dt.date(2020, 3, 12), scheduler=FAR, allow_unapproved=True)
    assert f"ticker: {refused.value}" == SENTENCE
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "address, said",
    [
        ("wss://127.0.0.1:8786", "TLS needs this client's certificates"),  # TLS as tls:// is
        ("TLS://127.0.0.1:8786", "unknown address scheme 'TLS'"),  # no TLS to Dask, and taken on loopback only
    ],
)
def test_a_tls_scheme_asks_for_certificates_and_one_dask_does_not_know_is_one_sentence(tmp_path, address, said):
    pytest.importorskip("distributed")
    write_campaign(tmp_path, OUTPUT)
    with pytest.raises(InputError) as refused:
        nightly(tmp_path, tmp_path / "out", dt.date(2020, 3, 12), scheduler=address, allow_unapproved=True)
    assert str(refused.value).startswith(f"--scheduler {address}: ") and said in str(refused.value)
