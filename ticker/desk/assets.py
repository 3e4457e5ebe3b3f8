"""The files a campaign text from a request may name (fonts, a logo, a background picture): only files inside
CAMPAIGN_DIR, checked before anything is opened.

On the command line a campaign file may name any font or picture its author can read. A text sent to the desk
is typed by whoever has a session, and the desk would draw the picture it names into the preview it sends
back, or tell from its sentence whether a file exists: so every such value is resolved (links followed, as
reading would) and refused unless it stays inside the campaign folder. A bundled font's name resolves inside
the folder too (it names no file there) and is found among ticker's own fonts as usual."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ticker.campaign.editing import text_toml
from ticker.desk.guard import DeskError
from ticker.errors import FileProblem, Refusal
from ticker.files import user_path

NAMED = ("font", "fallback_font", "label_font", "logo", "background")  # keys of a style whose value may be a file


def _values(path: Path, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(key as the CLI names it, value) of every string that may name a file."""
    tables: list[tuple[str, Any]] = [("style", data.get("style"))]
    presets = data.get("preset")
    if isinstance(presets, dict):
        tables += [(f"preset.{name}", t) for name, t in presets.items()]
    found = []
    for where, table in tables:
        if not isinstance(table, dict):
            continue
        found += [(f"{where}.{k}", table[k]) for k in NAMED if isinstance(table.get(k), str)]
        fonts = table.get("fonts")
        if isinstance(fonts, dict):
            found += [(f"{where}.fonts.{k}", v) for k, v in fonts.items() if isinstance(v, str)]
    return found


def check_assets(path: Path, text: str, folder: Path) -> None:
    """Refuses (422) a text whose style names a file outside `folder`, read as the file would be (a text the
    reader cannot read is refused with the CLI's sentence, never let through unlooked at)."""
    data = text_toml(path, text)
    root = folder.resolve()
    for key, value in _values(path, data):
        try:
            inside = user_path(value, root).is_relative_to(root)
        except FileProblem:
            inside = False
        if not inside:
            raise DeskError(
                f"{path}: {key} names a file outside {root}; the desk uses only files in the campaigns' folder "
                f"(put it there, or name it in the file by hand).",
                422,
                (Refusal(key, value, "names a file outside the campaigns' folder", "outside-folder"),),
            )
