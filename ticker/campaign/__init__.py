"""A campaign: its file read key by key, its look, its outputs, its calendar and placeholders, edits and their
lock."""

from ticker.campaign.calendar import airings, clips, expand
from ticker.campaign.config import Campaign, Output, campaign_from, load_campaign
from ticker.campaign.outputs import file_name, outputs_for
from ticker.campaign.style import Style

__all__ = [
    "Campaign",
    "Output",
    "Style",
    "airings",
    "campaign_from",
    "clips",
    "expand",
    "file_name",
    "load_campaign",
    "outputs_for",
]
