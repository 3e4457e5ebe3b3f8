"""The frame synchroniser's reserve and its packet of AAC silence, without a stream (ticker.air.sync)."""

from __future__ import annotations

import datetime as dt

from ticker.air.intake import Came, Cued, Heard, Opened
from ticker.air.sync import SETTLED, Reserve, _adts
from ticker.watch.live import WRAP_SECONDS, Anchor

NOW = dt.datetime(2026, 3, 12, 6, 30, tzinfo=dt.UTC)


def came(t: float, got: float = 0.0) -> Came:
    return Came(None, t, NOW, got)  # type: ignore[arg-type]  # (the picture itself is not looked at)


def heard(t: float) -> Heard:
    return Heard(0, None, t)  # type: ignore[arg-type]


def test_the_burst_of_an_opening_is_let_go_but_for_the_newest_pictures_and_their_sound():
    reserve = Reserve()
    for i in range(10):
        reserve.add(heard(i * 0.04))
        reserve.add(came(i * 0.04))
    assert reserve.trim(6) == 4 and reserve.pictures == 6
    assert isinstance(reserve.items[0], Came) and reserve.items[0].t == 0.16  # the sound before it went with it
    assert [i.t for i in reserve.before_picture()] == [] and reserve.picture().t == 0.16
    assert [i.t for i in reserve.before_picture()] == [0.2]  # the next picture's sound, before it


def test_an_opening_is_kept_in_the_reserve_where_it_came():
    reserve = Reserve()
    for item in (came(0.0), Opened(()), heard(5.0), came(5.0)):
        reserve.add(item)
    assert reserve.trim(1) == 1 and isinstance(reserve.items[0], Opened)


def test_cues_let_go_with_a_burst_are_kept_in_their_order():
    reserve = Reserve()
    for item in (came(0.0), Cued(b"one"), came(0.04), Opened(()), Cued(b"two"), came(5.0), came(5.04)):
        reserve.add(item)
    assert reserve.trim(2) == 2
    kept = [i.section if isinstance(i, Cued) else i.t if isinstance(i, Came) else "opened" for i in reserve.items]
    assert kept == [b"one", "opened", b"two", 5.0, 5.04]


def test_the_output_starts_once_the_input_comes_at_its_pace_not_while_its_burst_is_decoded():
    burst, paced = Reserve(), Reserve()
    for i in range(SETTLED + 4):
        burst.add(came(i * 0.04, got=100 + i * 0.003))  # decoded as fast as it can be: read while it was probed
        paced.add(came(i * 0.04, got=100 + i * 0.04 + (0.015 if i % 3 else 0)))  # at its pace, give or take
    assert not burst.settled() and paced.settled()
    for i in range(SETTLED + 4, 2 * SETTLED + 4):
        burst.add(came(i * 0.04, got=100 + i * 0.04))
    assert burst.settled()


def test_a_pcr_and_a_picture_s_time_are_one_clock_across_the_26_5_hour_wrap():
    anchor = Anchor(across_wrap=True)
    assert not anchor.see(WRAP_SECONDS - 0.5, 1000.0)
    assert not anchor.see(0.3, 1000.8)  # the PCR went round: no jump
    on_air = anchor.wall(WRAP_SECONDS + 0.2).timestamp()  # a picture's time as libavformat carries it on
    assert abs(on_air - 1000.7) < 1e-6 and abs(anchor.wall(0.2).timestamp() - 1000.7) < 1e-6  # or brings back
    assert anchor.see(300.0, 1001.0)  # a true jump still is one
    assert not Anchor().see(0.0, 0.0) and Anchor().see(1.0, 0.0) is False


def test_the_reserves_low_point_is_looked_at_once_a_second():
    reserve = Reserve()
    for t in range(8):
        reserve.add(came(t * 0.04))
    reserve.note()
    reserve.picture(), reserve.picture()
    reserve.note()
    assert reserve.looked() == 6 and reserve.looked() == 6  # (the next look starts from where it is)


def test_aac_silence_goes_out_in_an_adts_frame_that_says_its_length_rate_and_channels():
    framed = _adts(b"\x21\x10\x04\x60\x8c\x1c", 48000, 2)
    assert framed[:2] == b"\xff\xf1" and len(framed) == 13
    assert (framed[2] >> 6) + 1 == 2  # AAC LC
    assert (framed[2] >> 2) & 0x0F == 3  # 48 kHz
    assert ((framed[2] & 1) << 2) | (framed[3] >> 6) == 2  # two channels
    assert ((framed[3] & 3) << 11) | (framed[4] << 3) | (framed[5] >> 5) == 13  # the frame's length, header too
    assert framed[7:] == b"\x21\x10\x04\x60\x8c\x1c"


def test_the_picture_taken_after_a_burst_is_let_go_comes_after_the_opening_kept_before_it():
    from ticker.air.stream import Synchroniser

    reserve = Reserve()
    for item in (came(0.0), came(0.04), Opened(()), came(5.0), came(5.04)):
        reserve.add(item)
    reserve.trim(2)  # the opening is put back at the head, before the pictures it opened
    sync = object.__new__(Synchroniser)  # its reserve and clock state alone: nothing else is touched here
    sync.reserve, sync.newest, sync.opening = reserve, 7.0, False  # sent up to 7.0 on the lost input's clock
    taken = sync._take(paced=True)
    assert taken is not None and taken.t == 5.0 and sync.opening  # the new clock's first picture, not a crash
