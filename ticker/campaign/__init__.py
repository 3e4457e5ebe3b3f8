"""A campaign: its file read key by key, its look, its outputs, its calendar and placeholders, edits and
their lock."""
