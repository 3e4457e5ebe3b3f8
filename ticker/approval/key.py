"""What an approval is bound to: the key of what airs — the messages in the form they will air, the look and
its speed, the QR code, the window and the airing slots — not the campaign file's bytes, so that a comment, a key moved
or an output added does not void it, and any change to what the audience will see does.

The key is the SHA-256 of a canonical JSON of those parts; each part also has a digest of its own, so that a
voided approval can say in words what changed ("message 1 changed", "the look changed").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from ticker.approval import audit, versions
from ticker.campaign import Campaign, Style, campaign_from
from ticker.campaign import lock as campaign_lock
from ticker.campaign.config import parse_toml, utf8_text
from ticker.campaign.editing import Changed
from ticker.campaign.provenance import draft_problem
from ticker.campaign.signoff import Approval, approval_note, approver_name
from ticker.engine.text_stage import aired_form
from ticker.errors import InputError
from ticker.files import CAMPAIGN_LIMIT, read_input, write_atomic
from ticker.files.inputs import FONT_LIMIT, PICTURE_LIMIT
from ticker.vietnamese import resolve_font
from ticker.vietnamese.text import BUNDLED_FONTS

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
    found["motion"] = dataclasses.asdict(campaign.motion)  # how fast it reads is part of what was approved
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


_NAMES = {
    "look": "the look",
    "motion": "the speed",
    "qr": "the QR code",
    "window": "the window",
    "slots": "the airing times",
}


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


@dataclass(frozen=True)
class State:
    """Whether a campaign may air: approved (its key is what airs now), and the sentence that says so."""

    approved: bool
    sentence: str
    changed: tuple[str, ...] = ()  # for an approval voided by a change: what changed, in words
    voided: bool = False

    def as_json(self, campaign: Campaign) -> dict[str, Any]:
        a = campaign.approval
        return {
            "approved": self.approved,
            "voided": self.voided,
            "by": a.by if a else None,
            "at": a.at.isoformat() if a else None,
            "key": a.key if a else None,
            "note": a.note if a else None,
            "changed": list(self.changed),
            "sentence": self.sentence,
        }


def state(campaign: Campaign) -> State:
    a, path = campaign.approval, campaign.path
    if a is None:
        return State(False, f"{path}: not approved: it goes on no air until someone says yes to it "
                            f"(ticker approve {path} --by NAME).")  # fmt: skip
    if a.key == content_key(campaign):
        return State(True, f"{path}: approved {a.said()}" + (f" ({a.note})" if a.note else "") + ".")
    seen = next((e for e in reversed(audit.entries(path)) if e["action"] == "approved" and e.get("key") == a.key), None)
    parts_then = seen.get("parts") if seen else None
    changed = tuple(changes(parts_then, part_digests(campaign))) if isinstance(parts_then, dict) else ()
    what = ", ".join(changed) if changed else "what airs changed"
    return State(
        False,
        f"{path}: approved {a.said()}, but {what} since: it is unapproved again (ticker approve {path} --by NAME).",
        changed,
        voided=True,
    )


def record_voided(campaign: Campaign, st: State) -> None:
    """A voided approval written to the trail once (the first run that sees the change says it)."""
    if not st.voided or campaign.approval is None:
        return
    key = content_key(campaign)
    # the approval's own lines (and a restored version, which may have made it valid again), not the desk's saves
    # and comments between
    own = ("approved", "revoked", "voided", "restored version")
    last = next((e for e in reversed(audit.entries(campaign.path)) if e["action"] in own), None)
    if last and last["action"] == "voided" and last.get("now") == key:
        return
    audit.append(
        campaign.path,
        {
            "at": _now(campaign).isoformat(),
            "action": "voided",
            "file": campaign.path.name,
            "by": campaign.approval.by,
            "key": campaign.approval.key,
            "now": key,
            "changed": list(st.changed) or ["what airs changed"],
        },
    )


def _now(campaign: Campaign) -> dt.datetime:
    return dt.datetime.now(zoneinfo.ZoneInfo(campaign.timezone)).replace(microsecond=0)


def _read(path: Path) -> tuple[bytes, Campaign]:
    """The campaign file's bytes and the campaign they are, read as `ticker check` reads them."""
    raw = read_input(path, "campaign file", CAMPAIGN_LIMIT)
    return raw, campaign_from(parse_toml(raw, path), path)


def approve(path: Path, by: str, note: str = "", seen: str | None = None) -> Approval:
    """Records in the campaign file (its comments and layout kept) that `by` says yes to what airs now, and
    appends it to the audit trail. `seen`: the content key of what the approver looked at; if what airs is
    not that any more, nothing is approved (editing.Changed). So is it when the file changes between this
    reading and the writing of the approval (a save landing in between): the approval is of what was read, or of
    nothing."""
    if not by.strip():
        raise InputError("give the approver's name; nothing was approved.")
    by, note = approver_name(by), approval_note(note)  # printed by check, shown at the desk, kept in the trail
    raw, campaign = _read(path)
    key = content_key(campaign)
    if seen is not None and seen != key:
        raise Changed(
            path,
            f"{path}: what it airs changed since it was looked at; look again before approving (nothing was approved).",
        )
    if problem := draft_problem(campaign):
        raise InputError(f"{problem[:-1]}; a draft cannot be approved.")
    approval = Approval(by=by, at=_now(campaign), key=key, note=note)
    table = tomlkit.table()
    table.add(tomlkit.comment("written by ticker approve: the key of what airs (a change to it voids this)"))
    table.add("by", approval.by)
    table.add("at", approval.at)
    table.add("key", approval.key)
    if approval.note:
        table.add("note", approval.note)
    entry = {
        "at": approval.at.isoformat(),
        "action": "approved",
        "file": path.name,
        "by": approval.by,
        "key": approval.key,
        "note": approval.note,
        "parts": part_digests(campaign),
    }
    _rewrite(path, raw, lambda doc: doc.__setitem__("approval", table), entry, keeps=key)
    return approval


def revoke(path: Path, by: str) -> Approval:
    """Takes the approval out of the campaign file and says so in the audit trail."""
    by = approver_name(by) if by.strip() else ""
    raw, campaign = _read(path)
    if campaign.approval is None:
        raise InputError(f"{path}: is not approved: there is nothing to revoke.")
    entry = {
        "at": _now(campaign).isoformat(),
        "action": "revoked",
        "file": path.name,
        "by": by or campaign.approval.by,
        "key": campaign.approval.key,
    }
    _rewrite(path, raw, lambda doc: doc.remove("approval"), entry)
    return campaign.approval


def _rewrite(
    path: Path,
    raw: bytes,
    change: Callable[[tomlkit.TOMLDocument], object],
    entry: dict[str, Any],
    keeps: str | None = None,
) -> None:
    """The campaign file read as `raw` changed as tomlkit keeps it, and `entry` appended to the audit trail,
    once the trail is known to take the line. Under the folder's lock (ticker.campaign.lock), the file is
    first read again: if it is not `raw` any more (a save landed since), nothing is written (Changed). With
    `keeps`, the text written must still be a campaign of that content key, read as nightly reads it, and it is
    kept as the approved version (ticker.approval.versions) that the trail's line names, before it is written."""
    audit.writable(path)
    try:
        doc = tomlkit.parse(utf8_text(raw, path))
        change(doc)
        data = tomlkit.dumps(doc).encode("utf-8")
    except (TOMLKitError, RecursionError) as e:
        raise InputError(
            f"{path}: ticker cannot rewrite this file keeping its layout ({e}); nothing was changed."
        ) from None
    if keeps is not None and content_key(campaign_from(parse_toml(data, path), path)) != keeps:
        raise InputError(f"{path}: ticker cannot write the approval into this file without changing what airs.")
    with campaign_lock.hold(path.parent):
        now = read_input(path, "campaign file", CAMPAIGN_LIMIT)
        if now != raw:
            said = f"{path}: changed while it was being approved or revoked; nothing was written: look at it again."
            raise Changed(path, said)
        if keeps is not None:
            entry["version"] = versions.keep(path.parent, data)
        write_atomic(path, data)
        audit.append(path, entry)
