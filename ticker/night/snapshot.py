"""A job's snapshot: the campaign file and the files one output of it uses, as bytes, and how a worker lays
them out again without letting a name reach outside the job's folder.

Packed (where `ticker nightly` runs): the campaign file (valid TOML, at most CAMPAIGN_BYTES) and the fonts, logo
and background of the style that output uses, nothing of the other presets. Each is a regular file (no device,
FIFO or link), at most ASSET_BYTES, and what it must be: a font a TrueType, OpenType or collection file with
outlines that fontTools reads, a picture one Pillow identifies (its header, nothing decoded). A picture of a
style the output does not use is sent as a 1×1 stand-in, so that the campaign file reads the same where the
job runs (every [preset] is read with the file) without its contents leaving this machine.

Unpacked (on a worker): every name is checked before anything is written: relative, normalised (no `.`,
`..`, empty part or NUL), not twice, not a folder of another name; the files are created exclusively
(O_CREAT|O_EXCL|O_NOFOLLOW) in a folder the job made for itself.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from PIL import Image

from ticker.campaign import Campaign, Output
from ticker.campaign.config import parse_toml
from ticker.campaign.style import font_fields
from ticker.errors import ConfigError, FileProblem, InputError
from ticker.files import CAMPAIGN_LIMIT, read_input
from ticker.files.inputs import FONT_LIMIT, PICTURE_LIMIT, picture_from
from ticker.vietnamese import resolve_font
from ticker.vietnamese.text import bundled_fonts_dir, font_problem


def _table(campaign: Campaign, output: Output) -> str:
    return "style" if output.style is None else f"preset.{output.style}"


def used_files(campaign: Campaign, output: Output) -> dict[Path, tuple[str, str]]:
    """The files an output's style names that do not come with ticker: path → (key, kind: font | picture)."""
    style, table = campaign.style_for(output), _table(campaign, output)
    bundled = bundled_fonts_dir().resolve()
    found: dict[Path, tuple[str, str]] = {}
    for key, name in font_fields(style).items():
        if name:
            path = resolve_font(name, campaign.base_dir, f"{table}.{key}").resolve()
            if not path.is_relative_to(bundled):
                found.setdefault(path, (f"{table}.{key}", "font"))
    for key, value in (("logo", style.logo), ("background", style.background)):
        if isinstance(value, Path):
            found.setdefault(value.resolve(), (f"{table}.{key}", "picture"))
    return found


def _read(path: Path, kind: str, where: str) -> bytes:
    """A file's bytes as inputs.py reads them, never through a link (the paths are resolved: a link here is
    one swapped in since), and what its kind must be; one sentence naming `where` for anything else."""
    what, limit = {"campaign": ("campaign file", CAMPAIGN_LIMIT), "font": ("font file", FONT_LIMIT)}.get(
        kind, ("picture", PICTURE_LIMIT)
    )
    try:
        data = read_input(path, what, limit, follow=False)
        if kind == "font" and (problem := font_problem(data)):
            raise FileProblem(path, problem)
        if kind == "picture":
            picture_from(data, path).close()
    except FileProblem as e:
        raise ConfigError(f"{where} ({path}) {e.reason}.") from None
    return data


@cache
def _stand_in() -> bytes:
    """A 1×1 transparent PNG: what a picture of a style the output does not use is sent as."""
    buffer = io.BytesIO()
    Image.new("RGBA", (1, 1)).save(buffer, "PNG")
    return buffer.getvalue()


def _unused_pictures(campaign: Campaign, used: dict[Path, tuple[str, str]]) -> set[Path]:
    styles = {campaign.style, *dict(campaign.presets).values()}
    return {
        p.resolve() for s in styles for p in (s.logo, s.background) if isinstance(p, Path) and p.resolve() not in used
    }


def check_names(names: list[str], campaign: str) -> None:
    """Every name relative, normalised and inside the folder it is unpacked in; one sentence for the first that
    is not. Nothing is written before this has passed."""
    seen: set[str] = set()
    folders: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            raise InputError(f"the job's snapshot holds a name that is not text ({type(name).__name__}).")
        parts = PurePosixPath(name).parts
        if (
            not name
            or "\0" in name
            or name.startswith("/")
            or str(PurePosixPath(name)) != name
            or not parts
            or any(p in ("", ".", "..") for p in parts)
        ):
            raise InputError(
                f"the job's snapshot holds the name {name!r}, which is not a plain relative name inside the job's "
                f"folder (absolute, '..', '.', empty or NUL); nothing was unpacked."
            )
        if name in seen:
            raise InputError(f"the job's snapshot holds {name!r} twice; nothing was unpacked.")
        seen.add(name)
        folders |= {str(PurePosixPath(*parts[:i])) for i in range(1, len(parts))}
    if clash := sorted(seen & folders):
        raise InputError(f"the job's snapshot holds {clash[0]!r} as a file and as a folder; nothing was unpacked.")
    if campaign not in seen:
        raise InputError(f"the job's snapshot does not hold its campaign file {campaign!r}; nothing was unpacked.")


@dataclass(frozen=True)
class Snapshot:
    """A campaign file and the files one output of it uses, as bytes, laid out as they are beside each other."""

    campaign: str  # the campaign file's path inside the snapshot
    files: tuple[tuple[str, bytes], ...]
    root: str  # where the files were: messages name them there

    @classmethod
    def of(cls, campaign: Campaign, output: Output) -> Snapshot:
        """The campaign file and what `output` uses, each checked for what it must be (module docstring)."""
        source = campaign.path.resolve()
        used = used_files(campaign, output)
        data = {source: _read(source, "campaign", f"{campaign.path}: the campaign file")}
        parse_toml(data[source], campaign.path)
        for path, (key, kind) in used.items():
            if path == source:
                raise ConfigError(f"{campaign.path}: {key} names the campaign file itself.")
            data[path] = _read(path, kind, f"{campaign.path}: {key}")
        for path in _unused_pictures(campaign, used) - {source}:
            data[path] = _stand_in()
        root = Path(os.path.commonpath([p.parent for p in data]))
        return cls(
            campaign=str(source.relative_to(root)),
            files=tuple((str(p.relative_to(root)), data[p]) for p in sorted(data)),
            root=str(root),
        )

    def unpack(self, into: Path) -> Path:
        """Lay the files out in `into` (a folder the job made, empty) after checking every name; the campaign
        file's path there."""
        if not isinstance(self.files, tuple) or not all(
            isinstance(f, tuple) and len(f) == 2 and isinstance(f[1], bytes) for f in self.files
        ):
            raise InputError("the job's snapshot is not a list of names and bytes; nothing was unpacked.")
        check_names([name for name, _ in self.files], self.campaign)
        for name, data in self.files:
            path = into / name
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
            except OSError as e:
                raise InputError(f"the job's snapshot: {name} could not be unpacked ({e.strerror or e}).") from None
        return into / self.campaign
