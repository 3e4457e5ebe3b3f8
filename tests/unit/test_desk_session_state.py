"""The desk's session table, on a clock of the test's own."""

from __future__ import annotations

from ticker.desk.sessions import SESSION_HOURS, Sessions


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_lives_until_it_is_ended_or_its_hours_are_over():
    clock = Clock()
    sessions = Sessions(clock)
    lan, minh = sessions.begin("lan", "stamp-1"), sessions.begin("minh", "stamp-2")
    assert lan != minh and len(lan) >= 32
    assert sessions.get(lan).name == "lan" and sessions.get(lan).stamp == "stamp-1"
    sessions.end(lan)
    assert sessions.get(lan) is None and sessions.get(minh) is not None
    assert sessions.get("made-up") is None
    clock.now += SESSION_HOURS * 3600
    assert sessions.get(minh) is None
    sessions.begin("lan", "stamp-1")
    assert len(sessions) == 1, "sessions past their hours are forgotten"
