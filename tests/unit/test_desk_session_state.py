"""The desk's session table and the back-off of failed logins, on a clock of the test's own."""

from __future__ import annotations

import asyncio
import concurrent.futures

from ticker.desk.sessions import (
    ADDRESS_TRIES,
    FORGET,
    LONGEST_WAIT,
    MOST_KEPT,
    NAME_TRIES,
    SESSION_HOURS,
    VERIFYING,
    Logins,
    Sessions,
)


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


def test_a_name_waits_after_its_free_failures_twice_as_long_each_time_up_to_the_longest():
    clock = Clock()
    logins = Logins(clock)
    for _ in range(NAME_TRIES - 1):
        logins.failed("Lê Văn Đức", "10.0.0.1")
        assert logins.wait("Lê Văn Đức", "10.0.0.1") is None
    waits = []
    for _ in range(14):
        logins.failed("Lê Văn Đức", "10.0.0.1")
        what, seconds = logins.wait("Le\u0302 Va\u0306n Đức", "10.0.0.2")  # the same name in NFD, elsewhere
        waits.append(seconds)
        assert what == "name"
        clock.now += seconds
    assert waits[:5] == [1, 2, 4, 8, 16] and max(waits) == LONGEST_WAIT == waits[-1]
    assert logins.wait("someone else", "10.0.0.2") is None


def test_a_success_clears_the_names_failures_and_not_the_addresss():
    clock = Clock()
    logins = Logins(clock)
    for i in range(ADDRESS_TRIES - 1):
        logins.failed("lan" if i < NAME_TRIES - 1 else f"guess{i}", "10.0.0.1")
    logins.succeeded("lan")
    logins.failed("lan", "10.0.0.1")
    assert logins.wait("minh", "10.0.0.1") == ("address", 1.0)
    assert logins.wait("lan", "10.0.0.9") is None, "lan's count began again at the success"


def test_failures_are_forgotten_after_a_quiet_hour_and_the_table_stays_bounded():
    clock = Clock()
    logins = Logins(clock)
    for _ in range(NAME_TRIES - 1):
        logins.failed("lan", "10.0.0.1")
    clock.now += FORGET + 1
    logins.failed("lan", "10.0.0.1")
    assert logins.wait("lan", "10.0.0.1") is None
    for i in range(MOST_KEPT + 50):
        logins.failed(f"made-up-{i}", f"10.1.{i // 256}.{i % 256}")
    assert len(logins._failures) <= MOST_KEPT


def test_at_most_verifying_passwords_are_checked_at_once():
    async def run() -> tuple[int, int]:
        logins = Logins()
        inside = most = 0
        gate = asyncio.Event()

        async def one() -> None:
            nonlocal inside, most
            async with logins.turn():
                inside += 1
                most = max(most, inside)
                await gate.wait()
                inside -= 1

        tasks = [asyncio.create_task(one()) for _ in range(7)]
        while logins.checking + logins.waiting < 7:
            await asyncio.sleep(0)
        seen = logins.checking
        gate.set()
        await asyncio.gather(*tasks)
        return seen, most

    # an event loop of its own, on a thread of its own: the test run's Chromium (conftest) keeps one running
    with concurrent.futures.ThreadPoolExecutor(1) as own:
        assert own.submit(asyncio.run, run()).result() == (VERIFYING, VERIFYING)
