"""The engine: from a campaign (a day, the command line's overrides, a programme) to its planned outputs, and
from a planned output to its pictures. Render, check, the proof page, the desk and the farm all come in here.

    found = engine.plan(campaign, day=day)          # every output checked, its crawl drawn, its motion planned
    found.warnings, found.notes                      # what is said of them, each once
    sv = found.outputs[0].survey
    sv.blitter().frame(i), sv.pictures()             # its pictures, one at a time or as they are asked for
"""

from ticker.engine.caches import Caches, drawn_from
from ticker.engine.plan import Overrides, Plan, Planned, plan, plan_output
from ticker.engine.still import Still, band_frame, neutral_picture, over_picture
from ticker.engine.survey import Survey

__all__ = [
    "Caches",
    "Overrides",
    "Plan",
    "Planned",
    "Still",
    "Survey",
    "band_frame",
    "drawn_from",
    "neutral_picture",
    "over_picture",
    "plan",
    "plan_output",
]
