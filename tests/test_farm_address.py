"""A farm reached without TLS is refused unless it is this machine: `ticker nightly --scheduler tcp://` to an
address of another machine stops with one sentence before anything is written or any connection is tried, and
the farm's client (ticker.jobs) refuses it the same way when the library is called directly. 192.0.2.1 is
TEST-NET-1 (RFC 5737): nothing answers there, so a client that tried would wait for its timeout and then say it
cannot reach the scheduler (a RenderError, not this refusal)."""

from __future__ import annotations

import datetime as dt

import pytest

from ticker.errors import InputError
from ticker.nightly import nightly

from conftest import run_ticker, write_campaign

FAR = "tcp://192.0.2.1:8786"
SENTENCE = (
    f"ticker: --scheduler {FAR}: tcp:// is neither encrypted nor authenticated, and 192.0.2.1 is not this "
    f"machine's loopback: anyone who reaches that port could run anything on the farm's workers; use tls:// with "
    f"the farm's certificates (TLS is what authenticates the farm), or a scheduler on 127.0.0.1."
)


@pytest.mark.parametrize("address", [FAR, "192.0.2.1:8786"])
def test_nightly_refuses_a_plain_scheduler_on_another_machine_before_anything(tmp_path, address):
    write_campaign(tmp_path)
    done = run_ticker(
        "nightly", "c.toml", "-o", "out", "--date", "2020-03-12", "--scheduler", address, cwd=tmp_path, check_status=2
    )
    assert done.stderr.strip() == SENTENCE.replace(FAR, address) and done.stdout == ""
    assert not (tmp_path / "out").exists()


def test_the_farms_client_refuses_it_before_connecting(tmp_path):
    """The library's own check, where the jobs are sent: a campaign to make, and no `ticker nightly` before."""
    write_campaign(tmp_path, '[[output]]\nprofile = "576i50"\nformat = "qtrle"\nloop = true\n')
    with pytest.raises(InputError) as refused:
        nightly(tmp_path, tmp_path / "out", dt.date(2020, 3, 12), scheduler=FAR, allow_unapproved=True)
    assert f"ticker: {refused.value}" == SENTENCE
    assert not list((tmp_path / "out").glob(".ticker-lease.*"))
