"""How long a job of the desk has left, from its own rate so far, and how a page says it.

A nightly run counts its clips (done of the day's total); a preview counts the pictures of its clip as they are
encoded, then makes its animation and contact sheet and checks the clip, with no count of its own. That part
decodes and encodes every picture again, so it lasts about as long as the encoding did times FINISHING: 0.49 to
0.63 of it measured over three campaigns' 60-second previews (740 and 1500 pictures) on one machine, both parts
bound to the same core. No estimate is given before there is a rate to make it from (nothing counted yet), nor
once a preview runs past its own."""

from __future__ import annotations

import math

from ticker.desk.words import words

FINISHING = 0.6  # a preview's animation, sheet and checks, as a share of the time its pictures took to encode


def time_left(done: int, total: int, elapsed: float) -> float | None:
    """Seconds left for `total - done` more at the rate of `done` in `elapsed` seconds; None until one is done."""
    if total <= 0 or done <= 0 or elapsed <= 0:
        return None
    return max(0.0, elapsed / done * (total - done))


def preview_left(done: int, total: int, elapsed: float, since_last: float | None = None) -> float | None:
    """Seconds a preview has left: its pictures still to encode at the rate so far, and the part after them
    (FINISHING of the time all its pictures take). `elapsed`: seconds since its first picture was asked for;
    once every picture is encoded, `since_last` is the seconds since, and `elapsed` stops at the last one.
    None before a rate, or once the part after runs past its estimate."""
    encoding = time_left(done, total, elapsed)
    if encoding is None:
        return None
    after = FINISHING * (elapsed + encoding)
    if done < total:
        return encoding + after
    left = after - (since_last or 0.0)
    return left if left > 0 else None


def said_left(seconds: float | None, lang: str) -> str:
    """How a page says the time left ("còn khoảng 40 giây", "about 40 s left"): under ten seconds "a few",
    under a minute by fives, under an hour by minutes, then hours and minutes; "" for no estimate."""
    if seconds is None or not math.isfinite(seconds):
        return ""
    w = words(lang)
    if seconds < 10:
        return w["left_moment"]
    if seconds < 60:
        return w["left_seconds"].format(n=min(55, 5 * math.ceil(seconds / 5)))
    minutes = round(seconds / 60)
    if minutes < 60:
        return w["left_minutes"].format(n=minutes)
    return w["left_hours"].format(h=minutes // 60, m=minutes % 60)


def said_elapsed(seconds: float | None, lang: str) -> str:
    """How long it has been running, in whole seconds (minutes and seconds past a minute)."""
    if seconds is None or not math.isfinite(seconds):
        return ""
    s = int(seconds)
    w = words(lang)
    return w["elapsed_seconds"].format(n=s) if s < 60 else w["elapsed_minutes"].format(m=s // 60, s=s % 60)
