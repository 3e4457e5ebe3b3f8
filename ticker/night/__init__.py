"""The nights: every campaign's clips made and published each night, on one machine or a farm."""
