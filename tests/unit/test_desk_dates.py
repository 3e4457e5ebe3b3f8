"""The edit form's dates, day first as Vietnamese letters write them (12/3/2020), and the file's ISO dates."""

from __future__ import annotations

import pytest

from ticker.desk.fields import answers, day_first, form_fields

TEXT = '[campaign]\nname = "x"\nstart = 2020-03-12\nend = 2020-03-15\n'


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("12/3/2020", "2020-03-12"),
        ("05/03/2020", "2020-03-05"),
        (" 12 - 3 - 2020 ", "2020-03-12"),
        ("12.3.2020", "2020-03-12"),
        ("2020-03-12", "2020-03-12"),  # the file's own way, as it is
        ("31/2/2020", "31/2/2020"),  # no such day: as typed, for the check to name
        ("3/12", "3/12"),
    ],
)
def test_a_date_typed_day_first_is_written_as_the_file_takes_it(typed, kept):
    fields = form_fields(TEXT)
    assert answers({"campaign.start": typed}, fields)["campaign.start"] == kept


def test_the_files_dates_are_shown_day_first_and_anything_else_as_it_is():
    assert day_first("2020-03-12") == "12/3/2020" and day_first("2020-12-01") == "1/12/2020"
    assert day_first("") == "" and day_first("soon") == "soon"
