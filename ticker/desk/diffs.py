"""Two texts of a campaign file shown as their difference, line by line: the conflict page (the file on disk
against the text that could not be saved) and an approved version against the file now. A page shows the rows
(each line with its number on either side, marked as only on the left, only on the right, or both, runs of
unchanged lines beyond CONTEXT folded into a gap); the API gives the unified diff."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from ticker.campaign.editing import Conflict

CONTEXT = 2  # unchanged lines shown around each change
MOST_ROWS = 2000  # rows a page shows; beyond them it says how many more there are
RowKind = Literal["same", "left", "right", "gap"]
# the conflict page goes below the form, not into it (it holds a form of its own), and is scrolled to
RETARGET = {"HX-Retarget": "#conflict", "HX-Reswap": "innerHTML show:top"}


@dataclass(frozen=True)
class Row:
    kind: RowKind
    left: int | None  # the line's number in the left text (None: not there)
    right: int | None
    text: str


@dataclass(frozen=True)
class Difference:
    rows: tuple[Row, ...]
    more: int = 0  # rows not shown (beyond MOST_ROWS)

    @property
    def same(self) -> bool:
        return not self.rows


def difference(left: str, right: str, context: int = CONTEXT) -> Difference:
    """The rows that show how `right` differs from `left`; none when the texts' lines are the same."""
    a, b = left.splitlines(), right.splitlines()
    rows: list[Row] = []
    end = len(a)  # where the last group ended in `left`: a gap after it if lines follow
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if rows or group[0][1] > 0:  # lines folded away before this group
            rows.append(Row("gap", None, None, ""))
        end = group[-1][2]
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [Row("same", i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
                continue
            rows += [Row("left", i + 1, None, a[i]) for i in range(i1, i2)]
            rows += [Row("right", None, j + 1, b[j]) for j in range(j1, j2)]
    if rows and end < len(a):
        rows.append(Row("gap", None, None, ""))
    return Difference(tuple(rows[:MOST_ROWS]), max(0, len(rows) - MOST_ROWS))


def unified(left: str, right: str, names: tuple[str, str] = ("theirs", "yours")) -> str:
    """The unified diff of the two texts (the API's), empty when their lines are the same."""
    lines = difflib.unified_diff(left.splitlines(), right.splitlines(), *names, n=CONTEXT, lineterm="")
    return "\n".join(lines)


def conflict(error: Conflict) -> dict[str, Any]:
    """What the conflict page shows of a save refused because the file changed (or went) since it was opened:
    the difference from the file on disk to the text typed, both texts, and the key to save the typed one over
    the file as it is now."""
    theirs = error.theirs
    return {
        "diff": difference(theirs or "", error.yours),
        "theirs": theirs,
        "theirs_key": error.theirs_key,
        "yours": error.yours,
        "gone": theirs is None,
    }
