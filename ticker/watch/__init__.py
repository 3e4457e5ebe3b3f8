"""What aired, seen on air: a campaign's crawl recognised in a channel's output, field by field, from what the
engine knows it looks like; the airings found written to the records (source `watch`)."""

from ticker.watch.accounts import Account, accounts
from ticker.watch.live import check_source, status_path, watch_live
from ticker.watch.match import Airing, Matcher, Tracker
from ticker.watch.recording import Watched, watch_recording
from ticker.watch.reference import Reference, references
from ticker.watch.sources import Srt, is_live

__all__ = [
    "Account", "Airing", "Matcher", "Reference", "Srt", "Tracker", "Watched", "accounts", "check_source", "is_live",
    "references", "status_path", "watch_live", "watch_recording",
]  # fmt: skip
