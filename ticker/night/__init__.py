"""The nights: every campaign's clips made and published each night, on one machine or a farm; the listing of
what airs when."""

from ticker.night.listing import day_rows, print_schedule
from ticker.night.nightly import load_folder, nightly
from ticker.night.recording import words

__all__ = ["day_rows", "load_folder", "nightly", "print_schedule", "words"]
