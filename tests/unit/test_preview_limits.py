"""The desk's places for moving previews: one of a file at a time, one for each person at a time, and at most
so many in all; a place is free again once its preview ends, however it ends."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from ticker.desk.previews import PREVIEWS_AT_ONCE, Busy, Previews


def refused(previews: Previews, name: str, person: str) -> str:
    """The sentence a preview of `name` asked for by `person` is refused with now."""
    with pytest.raises(Busy) as busy, previews.making(name, person):
        pass
    assert busy.value.status == 429
    return busy.value.sentence


def test_one_preview_of_a_file_and_one_for_each_person_at_a_time():
    previews = Previews()
    with previews.making("a.toml", "lan"):
        assert refused(previews, "a.toml", "minh").startswith("a.toml: a preview of it is being made now")
        assert refused(previews, "b.toml", "lan").startswith("you have a preview still being made")
        with previews.making("b.toml", "minh"):
            pass
    with previews.making("a.toml", "minh"):
        assert refused(previews, "c.toml", "minh").startswith("you have a preview still being made")


def test_the_desk_makes_at_most_so_many_at_once():
    previews = Previews()
    with ExitStack() as held:
        for n in range(PREVIEWS_AT_ONCE):
            held.enter_context(previews.making(f"{n}.toml", f"person {n}"))
        said = refused(previews, "more.toml", "someone else")
        assert f"making {PREVIEWS_AT_ONCE} previews now, the most it makes at once" in said
    with previews.making("more.toml", "someone else"):
        pass


def test_a_place_is_free_again_when_its_preview_fails_and_a_refusal_takes_none():
    previews = Previews(most=1)
    with pytest.raises(RuntimeError), previews.making("a.toml", ""):
        raise RuntimeError("the render failed")
    with previews.making("a.toml", ""):
        assert refused(previews, "b.toml", "").startswith("you have a preview still being made")
    with previews.making("b.toml", "lan"):
        pass
