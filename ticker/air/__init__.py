"""On air without an inserter: `ticker air` puts the approved crawl into a channel's live stream at its minute.
What a channel airs on a day, and the set-up's check: ticker.air.plan."""

from ticker.air.plan import SRT_NOTE, Insertion, Skipped, check_setup, day_plan, must_carry, srt_received

__all__ = ["SRT_NOTE", "Insertion", "Skipped", "check_setup", "day_plan", "must_carry", "srt_received"]
