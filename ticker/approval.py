"""What an approval is bound to: the key of what airs — the messages in the form they will air, the look,
the QR code, the window and the airing slots — not the campaign file's bytes, so that a comment, a key moved
or an output added does not void it, and any change to what the audience will see does.

The key is the SHA-256 of a canonical JSON of those parts; each part also has a digest of its own, so that a
voided approval can say in words what changed ("message 1 changed", "the look changed").
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from ticker.config import Campaign
from ticker.crawl import aired_form
from ticker.inputs import FONT_LIMIT, PICTURE_LIMIT, read_input
from ticker.style import Style
from ticker.text import BUNDLED_FONTS, resolve_font

KEY_PREFIX = "sha256:"
_FONT_FIELDS = ("font", "fallback_font", "label_font")


def _digest(value: Any) -> str:
    canonical = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _file(path: Path, limit: int, what: str) -> dict[str, str]:
    """A file the look draws with, by its name and its bytes (a new logo under the old name is a new look)."""
    return {"file": path.name, "sha256": hashlib.sha256(read_input(path, what, limit)).hexdigest()}


def _font(name: str | None, campaign: Campaign) -> Any:
    if name is None or name.removesuffix(".ttf") in BUNDLED_FONTS:
        return name
    return _file(resolve_font(name, campaign.base_dir, campaign_file=campaign.path), FONT_LIMIT, "font")


def _look(style: Style, campaign: Campaign) -> dict[str, Any]:
    look: dict[str, Any] = {}
    for f in dataclasses.fields(style):
        value = getattr(style, f.name)
        if f.name in _FONT_FIELDS:
            value = _font(value, campaign)
        elif f.name == "fonts":
            value = {weight: _font(font, campaign) for weight, font in value}
        elif isinstance(value, Path):
            value = _file(value, PICTURE_LIMIT, f"style.{f.name}")
        elif isinstance(value, tuple):
            value = list(value)
        look[f.name] = value
    return look


def parts(campaign: Campaign) -> dict[str, Any]:
    """What the approver saw, part by part (the messages one by one)."""
    named = sorted({o.style for o in campaign.outputs if o.style is not None})
    looks = {"style": _look(campaign.style, campaign)}
    looks.update({f"preset.{n}": _look(dict(campaign.presets)[n], campaign) for n in named})
    found: dict[str, Any] = {
        f"message {i}": {"text": aired_form(m), "color": list(m.color) if m.color else None, "weight": m.weight}
        for i, m in enumerate(campaign.messages, 1)
    }
    qr = campaign.qr
    found["look"] = looks
    found["qr"] = None if qr is None else {k: getattr(qr, k) for k in ("url", "hide_url", "replace_with", "side")}
    found["window"] = {"start": campaign.start.isoformat(), "end": campaign.end.isoformat(), "tz": campaign.timezone}
    found["slots"] = [
        {"at": [t.isoformat() for t in s.times], "seconds": s.seconds, "passes": s.passes, "channels": list(s.channels)}
        for s in campaign.slots
    ]
    return found


def part_digests(campaign: Campaign) -> dict[str, str]:
    return {name: _digest(value) for name, value in parts(campaign).items()}


def content_key(campaign: Campaign) -> str:
    """The key an approval records: one digest of every part."""
    return KEY_PREFIX + _digest(part_digests(campaign))


_NAMES = {"look": "the look", "qr": "the QR code", "window": "the window", "slots": "the airing times"}


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What changed between two part_digests, in words: "message 1 changed", "message 3 added", "the look
    changed" (in the order the parts are shown)."""
    said = []
    for name in dict.fromkeys([*before, *after]):
        shown = _NAMES.get(name, name)
        if name not in before:
            said.append(f"{shown} added")
        elif name not in after:
            said.append(f"{shown} removed")
        elif before[name] != after[name]:
            said.append(f"{shown} changed")
    return said
