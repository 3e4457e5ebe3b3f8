"""How the desk shows two texts' difference (ticker.desk.diffs): the changed lines marked on their side with
their numbers, unchanged runs folded, nothing for two texts of the same lines."""

from __future__ import annotations

from ticker.desk.diffs import CONTEXT, Row, difference, unified

LEFT = "".join(f"line {n}\n" for n in range(1, 21))


def test_a_changed_line_is_shown_on_each_side_with_its_number_and_the_rest_folded():
    right = LEFT.replace("line 10\n", "LINE TEN\n")
    rows = difference(LEFT, right).rows
    assert rows[0] == Row("gap", None, None, "") and rows[-1] == Row("gap", None, None, "")
    changed = [r for r in rows if r.kind in ("left", "right")]
    assert changed == [Row("left", 10, None, "line 10"), Row("right", None, 10, "LINE TEN")]
    same = [r.left for r in rows if r.kind == "same"]
    assert same == [*range(10 - CONTEXT, 10), *range(11, 11 + CONTEXT)]  # only the lines around the change


def test_lines_added_at_the_start_and_removed_at_the_end_count_on_their_own_side():
    right = "new first\n" + LEFT.replace("line 20\n", "")
    rows = difference(LEFT, right).rows
    assert rows[0] == Row("right", None, 1, "new first") and rows[1] == Row("same", 1, 2, "line 1")
    assert rows[-1] == Row("left", 20, None, "line 20")
    assert sum(r.kind == "gap" for r in rows) == 1  # between the two changes, none after the last line


def test_two_texts_of_the_same_lines_have_no_difference():
    assert difference(LEFT, LEFT).same and unified(LEFT, LEFT) == ""
    assert difference(LEFT, LEFT.rstrip("\n")).same  # a missing last newline is no line of its own
    assert difference("", "one\ntwo").rows == (Row("right", None, 1, "one"), Row("right", None, 2, "two"))


def test_the_unified_diff_names_the_two_sides():
    said = unified("a\nb\n", "a\nc\n")
    assert said.splitlines() == ["--- theirs", "+++ yours", "@@ -1,2 +1,2 @@", " a", "-b", "+c"]
