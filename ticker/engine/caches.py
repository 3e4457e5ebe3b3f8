"""What a run keeps of what it has read and drawn, owned by the run: a command creates one, the desk holds one
for as long as it serves. Everything kept from a file is kept by the file's identity (ticker.files.memo), so a font
or a picture replaced under the same name is read again, however long the owner lives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ticker.campaign import Campaign
from ticker.campaign.config import style_fonts
from ticker.engine.strip import Look, Piece, Track, rasterise
from ticker.files import Memo, file_key
from ticker.vietnamese.text import FontFacts


@dataclass
class Caches:
    tracks: Memo[Track] = field(default_factory=lambda: Memo(8))  # crawls drawn: check, then render, draw once
    fonts: Memo[FontFacts] = field(default_factory=lambda: Memo(16))  # the characters and capitals of fonts
    backgrounds: Memo[np.ndarray] = field(default_factory=lambda: Memo(8))  # the still's pictures, by size
    digests: Memo[str] = field(default_factory=lambda: Memo(4096))  # files' SHA-256 (ticker.files.manifest)

    def track(self, pieces: tuple[Piece, ...], look: Look) -> Track:
        """The crawl drawn (ticker.engine.strip.rasterise), kept by what is drawn and the files it is drawn from."""
        paths: set[Path] = {p.font_path for p in pieces if p.font_path is not None}
        paths |= {p for p in (look.font_path, look.fallback_path, look.logo) if p is not None}
        files = tuple(file_key(p) or str(p) for p in sorted(paths))
        return self.tracks.get((pieces, look, files), lambda: rasterise(pieces, look, facts=self.fonts))


def drawn_from(campaign: Campaign) -> tuple[Path, ...]:
    """Every file a campaign's crawls are drawn from, as plan finds them: the fonts of the styles its outputs use
    (each style's font, fallback, label font and weights) and their pictures (logo, background). A value worked
    out from the campaign's outputs holds while these files and the campaign file are the same. A ConfigError
    for a font that cannot be found, as loading the campaign says it."""
    styles = {o.style: campaign.style_for(o) for o in campaign.outputs} or {None: campaign.style}
    found: set[Path] = set()
    for preset, style in styles.items():
        found |= {path for _, path in style_fonts(campaign, style, preset)}
        found |= {p for p in (style.logo, style.background) if isinstance(p, Path)}
    return tuple(sorted(found))
