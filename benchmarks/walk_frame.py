"""How many ticker modules (files) the desk's frame request passes through, from its handler
(`ticker/desk/api.py: frame`) down to the blitter (the first call into `ticker.engine.blit.Blitter`).

A real request (GET /api/campaigns/{file}/frame.png, the example campaign copied into a temporary folder) is
driven through the desk's application with FastAPI's TestClient, under a profiler set in every thread. From
the handler's call on, the *room* is the ticker module of the innermost ticker frame; each change of room is a
move. The script prints the rooms in the order first entered, how many moves there were, and how many of them
were *re-entries* (a return to a module already left). Modules are imported before the request, and the
process is fresh, so nothing is cached from an earlier request: the walk is that of a first look at a campaign.

    python benchmarks/walk_frame.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from fastapi.testclient import TestClient

import ticker
from ticker.desk.app import Desk, create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "configs" / "hau-giang-ncovi.toml"
PACKAGE = Path(ticker.__file__).resolve().parent


def room(frame: FrameType | None) -> str | None:
    """The ticker module of the innermost ticker frame at or above `frame` (None outside ticker)."""
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(str(PACKAGE)):
            return str(Path(name).relative_to(PACKAGE))
        frame = frame.f_back
    return None


class Walk:
    def __init__(self) -> None:
        self.on = False
        self.done = False
        self.rooms: list[str] = []  # in the order first entered
        self.moves = 0
        self.reentries: Counter[str] = Counter()
        self.here: str | None = None
        self.path: list[str] = []  # every room entered, in order
        self.lock = threading.Lock()

    def step(self, frame: FrameType, event: str, arg: Any) -> None:
        if self.done or event not in ("call", "return"):
            return
        code = frame.f_code
        with self.lock:
            if not self.on:
                if event == "call" and code.co_name == "frame" and code.co_filename.endswith("desk/api.py"):
                    self.on = True
                    self.enter("desk/api.py")
                return
            if (
                event == "call"
                and code.co_filename.endswith("ticker/engine/blit.py")
                and code.co_qualname.startswith("Blitter")
            ):
                self.enter("engine/blit.py")
                self.done = True
                return
            where = room(frame if event == "call" else frame.f_back)
            if where is not None:
                self.enter(where)

    def enter(self, where: str) -> None:
        if where == self.here:
            return
        if where in self.rooms:
            self.reentries[where] += 1
        else:
            self.rooms.append(where)
        if self.here is not None:
            self.moves += 1
        self.here = where
        self.path.append(where)


def by_package(path: list[str]) -> tuple[list[str], int, int]:
    """The same walk with a package for a room (ticker/engine/strip.py is in `engine`; ticker/render.py is
    `render`): the packages in the order first entered, the moves between them and the re-entries."""
    seen: list[str] = []
    moves = back = 0
    here = None
    for where in path:
        package = where.split("/")[0].removesuffix(".py")
        if package == here:
            continue
        if package in seen:
            back += 1
        else:
            seen.append(package)
        moves += here is not None
        here = package
    return seen, moves, back


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="walk-frame-"))
    try:
        campaigns, out = work / "campaigns", work / "out"
        campaigns.mkdir()
        out.mkdir()
        shutil.copy(EXAMPLE, campaigns / EXAMPLE.name)
        desk = Desk(campaigns=campaigns, out=out, proofs_dir=work / "proofs")
        walk = Walk()
        with TestClient(create_app(desk, hosts=None)) as client:
            threading.setprofile(walk.step)
            sys.setprofile(walk.step)
            try:
                answer = client.get(f"/api/campaigns/{EXAMPLE.name}/frame.png")
            finally:
                sys.setprofile(None)
                threading.setprofile(None)  # type: ignore[arg-type]
        assert answer.status_code == 200, answer.text
        assert walk.done, "the request never reached the blitter"
        print(f"rooms (ticker files) from the handler to the blitter: {len(walk.rooms)}")
        back = sum(walk.reentries.values())
        print(f"moves between rooms: {walk.moves}; re-entries (returns to a room already left): {back}")
        print("rooms, in the order first entered: " + " → ".join(walk.rooms))
        print("most re-entered: " + ", ".join(f"{r} {n}" for r, n in walk.reentries.most_common(8)))
        packages, moves, back = by_package(walk.path)
        print(f"packages from the handler to the blitter: {len(packages)}: " + " → ".join(packages))
        print(f"moves between packages: {moves}; re-entries: {back}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
