"""What aired, seen on air: a campaign's crawl recognised in a channel's output, field by field, from what the
engine knows it looks like; the airings found written to the records (source `watch`)."""

from ticker.watch.match import Airing, Matcher, Tracker
from ticker.watch.recording import Watched, watch_recording
from ticker.watch.reference import Reference, references

__all__ = ["Airing", "Matcher", "Reference", "Tracker", "Watched", "references", "watch_recording"]
