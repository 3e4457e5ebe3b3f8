"""What a run keeps of what it has read and drawn, owned by the run: a command creates one, the desk holds one
for as long as it serves. Everything kept from a file is kept by the file's identity (ticker.files.memo), so a font
or a picture replaced under the same name is read again, however long the owner lives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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
