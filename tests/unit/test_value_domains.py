"""The value domains a campaign file's keys take are the types of the fields they fill: every value the type
allows is read into the campaign, any other is refused with a sentence that lists exactly the type's values,
and each field's default lies inside its type."""

from __future__ import annotations

import dataclasses
from typing import Any, get_args

import pytest

from ticker.campaign.config import QR, Campaign, QRLevel, load_campaign
from ticker.campaign.provenance import Status
from ticker.campaign.style import Position, Rule, SafeArea, Side, Style
from ticker.errors import ConfigError

from support.campaigns import MINIMAL, write_campaign

QR_TABLE = '[qr]\nurl = "https://ncovi.vn"\n'
# (the table the key is in, its TOML heading, the key, the type of its field, the field read back)
DOMAINS: list[tuple[str, str, str, Any, Any]] = [
    ("style", "[style]\n", "position", Position, lambda c: c.style.position),
    ("style", "[style]\n", "rule", Rule, lambda c: c.style.rule),
    ("style", "[style]\n", "logo_side", Side, lambda c: c.style.logo_side),
    ("style", "[style]\n", "safe_area", SafeArea, lambda c: c.style.safe_area),
    ("qr", QR_TABLE, "side", Side, lambda c: c.qr.side),
    ("qr", QR_TABLE, "error", QRLevel, lambda c: c.qr.error),
]
IDS = [f"{table}.{key}" for table, _, key, _, _ in DOMAINS]


def _campaign_with(tmp_path, heading: str, key: str, value: str) -> Campaign:
    return load_campaign(write_campaign(tmp_path, f'{heading}{key} = "{value}"\n'))


@pytest.mark.parametrize(("table", "heading", "key", "domain", "read"), DOMAINS, ids=IDS)
def test_every_value_of_the_type_is_read_and_no_other(tmp_path, table, heading, key, domain, read):
    for value in get_args(domain):
        assert read(_campaign_with(tmp_path, heading, key, value)) == value
    with pytest.raises(ConfigError) as refused:
        _campaign_with(tmp_path, heading, key, "nowhere")
    assert f"{table}.{key} must be one of {', '.join(get_args(domain))} (got 'nowhere')." in str(refused.value)


def test_the_campaigns_status_is_read_from_its_type(tmp_path):
    def campaign(value: str) -> Campaign:
        return load_campaign(
            write_campaign(tmp_path, base=MINIMAL.replace("[campaign]\n", f'[campaign]\nstatus = "{value}"\n'))
        )

    for value in get_args(Status):
        assert campaign(value).status == value
    with pytest.raises(ConfigError, match=r"campaign\.status must be one of ready, draft \(got 'nowhere'\)"):
        campaign("nowhere")


@pytest.mark.parametrize(
    ("record", "name", "domain"),
    [
        (Style, "position", Position),
        (Style, "rule", Rule),
        (Style, "logo_side", Side),
        (Style, "safe_area", SafeArea),
        (QR, "side", Side),
        (QR, "error", QRLevel),
        (Campaign, "status", Status),
    ],
)
def test_each_fields_default_lies_in_its_type(record, name, domain):
    default = {f.name: f.default for f in dataclasses.fields(record)}[name]
    assert default in get_args(domain)
