"""Readability verdicts for the campaigns list: what `ticker check` warns of, for every output of a campaign.

Drawing a crawl to measure it takes a fraction of a second, too long to repeat for a folder of two hundred
campaigns on every look at the list or every start of the desk. So a verdict is kept by everything it was
worked out from (verdict_key): the campaign file's bytes and path, the bytes of every font and picture its
crawls are drawn from, the day its placeholders are filled for, and ticker's version. A file edited by hand or
by the desk, a font replaced, another day for a {date} or another ticker is measured again: the verdicts kept
are never the truth, only a memo of it.

`ticker serve` keeps them across its restarts in STORE beside the campaigns (mode 0600, written whole, read
only when it is the desk's own: read_store), so that a second start shows every verdict of the list at once."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import PIL
from PIL import features

import ticker
from ticker.campaign import Campaign, campaign_from
from ticker.campaign.config import parse_toml
from ticker.campaign.placeholders import fill_day
from ticker.engine import Caches, drawn_from, plan
from ticker.errors import FileProblem, TickerError
from ticker.files import CAMPAIGN_LIMIT, Memo, file_key, read_input, write_atomic
from ticker.files.inputs import PICTURE_LIMIT
from ticker.files.manifest import DIGESTS
from ticker.files.publish import open_own
from ticker.vietnamese.text import layout_engine

MOST = 1024  # verdicts kept
STORE = ".ticker-verdicts.json"  # ticker serve's, beside the campaigns
STORE_LIMIT = 16 * 1024 * 1024  # bytes of a store read
WRITE_AFTER = 2.0  # seconds from a verdict kept to the store written (once for all those kept meanwhile)
KIND = "ticker desk verdicts"
KEY = re.compile(r"[0-9a-f]{64}")
log = logging.getLogger("ticker.desk")
Verdict = Literal["ok", "warnings", "error"]
VERDICTS: tuple[str, ...] = get_args(Verdict)


@dataclass(frozen=True)
class Readability:
    """What `ticker check` says of a campaign's outputs, as the campaigns list shows it: "error" with its
    sentence (in `warnings`), or "ok", or "warnings"; a figures line for each output."""

    verdict: Verdict
    warnings: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @classmethod
    def refused(cls, sentence: str | None = None) -> Readability:
        return cls("error", (sentence,) if sentence is not None else ())

    def as_json(self) -> dict[str, Any]:
        """As the API answers it: {"verdict", "warnings": [...], "figures": [lines], "notes": [...]}."""
        return {
            "verdict": self.verdict,
            "warnings": list(self.warnings),
            "figures": list(self.figures),
            "notes": list(self.notes),
        }


def measure(campaign: Campaign, caches: Caches | None = None) -> Readability:
    try:
        planned = plan(campaign, caches=caches)
    except TickerError as e:
        return Readability.refused(str(e))
    return Readability(
        verdict="warnings" if planned.warnings else "ok",
        warnings=planned.warnings,
        figures=tuple(sv.figures.line() for sv in planned.surveys),
        notes=planned.notes,
    )


@functools.cache
def version() -> str:
    """ticker's version as a verdict depends on it: its release, the bytes of its modules (how it measures may
    change between releases), and the Pillow, FreeType and layout engine that shape and draw the text."""
    root = Path(ticker.__file__).parent
    code = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        code.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return (
        f"ticker {ticker.__version__} ({code.hexdigest()[:16]}), Pillow {PIL.__version__}, "
        f"FreeType {features.version('freetype2')}, {layout_engine()}"
    )


def verdict_key(campaign: Campaign, data: bytes, of: str, digests: Memo[str] | None = None) -> str | None:
    """What a verdict of `campaign` (read from the bytes `data`) is known by, for ticker's version `of`: a
    SHA-256 of the file's path and bytes, the day its placeholders are filled for, and the path and SHA-256
    of every font and picture it is drawn with (`digests`: kept while each file is the same, so that a start
    hashes each font once). None when a font or picture cannot be read: such a verdict is not kept."""
    try:
        files = [(str(p), _digest(p, digests or DIGESTS)) for p in drawn_from(campaign)]
    except TickerError:
        return None
    day, _ = fill_day(campaign, None)
    said = {
        "ticker": of,
        "file": str(campaign.path),
        "bytes": hashlib.sha256(data).hexdigest(),
        "day": day.isoformat() if day else None,
        "drawn_from": files,
    }
    return hashlib.sha256(json.dumps(said, sort_keys=True).encode()).hexdigest()


def _digest(path: Path, digests: Memo[str]) -> str:
    """The SHA-256 of a font or picture file: a regular file (never a FIFO, which would hold the reader) of
    at most PICTURE_LIMIT bytes, read once while it is the same file (ticker.files.memo)."""
    key = file_key(path)
    if key is None:
        raise FileProblem(path, "cannot be read")
    return digests.get((key, True), lambda: hashlib.sha256(read_input(path, "file", PICTURE_LIMIT)).hexdigest())


class Verdicts:
    """The verdicts kept, at most MOST, the least recently asked for dropped first; safe to share between
    threads (two asking for the same verdict at once: one measures it, the other waits for it).

    With a `store` (a file of the desk's own: read_store), they are read from it when made and written to it
    a few seconds after a verdict is kept, and at close(). `version`: ticker's, by default version()."""

    def __init__(self, store: Path | None = None, version_: str | None = None) -> None:
        self.version = version_ if version_ is not None else version()
        self.store = store
        kept = read_store(store, self.version) if store is not None else []
        self._kept: OrderedDict[str, Readability] = OrderedDict(kept[-MOST:])
        self._running: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._timer: threading.Timer | None = None
        self._unwritten = False
        self.measured = 0  # verdicts worked out by drawing the crawls, since this was made

    def of(self, path: Path, caches: Caches | None = None) -> Readability:
        """The verdict of the campaign file at `path` as it is now: kept, or measured (and kept)."""
        digests = caches.digests if caches is not None else None
        try:
            campaign, key = self._read(path, digests)
        except TickerError as e:
            return Readability.refused(str(e))
        if key is None:
            return self._measured(campaign, caches)
        while True:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key]
                waiting = self._running.get(key)
                if waiting is None:
                    done = self._running[key] = threading.Event()
                    break
            waiting.wait()  # measured by another request: then it is kept (unless its files changed meanwhile)
        try:
            found = self._measured(campaign, caches)
            try:
                same = self._read(path, digests)[1] == key  # nothing it was measured from changed meanwhile
            except TickerError:
                same = False
            if same:
                self._keep(key, found)
        finally:
            with self._lock:
                del self._running[key]
            done.set()
        return found

    def kept(self) -> list[tuple[str, Readability]]:
        """The verdicts kept, the least recently asked for first."""
        with self._lock:
            return list(self._kept.items())

    def write(self) -> None:
        """The verdicts kept written to the store now (a store that cannot be written is said in the log)."""
        if self.store is None:
            return
        with self._writing:  # one write at a time: the last written is the last kept
            with self._lock:
                if self._timer is not None:
                    self._timer.cancel()
                    self._timer = None
                kept = list(self._kept.items())
            if not write_store(self.store, self.version, kept, quiet=self._unwritten):
                self._unwritten = True  # said once in the log: the next tries are silent

    def close(self) -> None:
        """Written once more if anything was kept since the last write (the desk is stopping)."""
        with self._lock:
            pending = self._timer is not None
        if pending:
            self.write()

    def _keep(self, key: str, found: Readability) -> None:
        with self._lock:
            self._kept[key] = found
            while len(self._kept) > MOST:
                self._kept.popitem(last=False)
            if self.store is not None and self._timer is None:  # a start measures many: one write for them
                self._timer = threading.Timer(WRITE_AFTER, self.write)
                self._timer.daemon = True
                self._timer.start()

    def _read(self, path: Path, digests: Memo[str] | None) -> tuple[Campaign, str | None]:
        data = read_input(path, "campaign file", CAMPAIGN_LIMIT)
        campaign = campaign_from(parse_toml(data, path), path)
        return campaign, verdict_key(campaign, data, self.version, digests)

    def _measured(self, campaign: Campaign, caches: Caches | None) -> Readability:
        with self._lock:
            self.measured += 1
        return measure(campaign, caches)


def read_store(path: Path, of: str) -> list[tuple[str, Readability]]:
    """The verdicts a store holds for ticker's version `of`, oldest first. None when there is no store, or it
    is not the desk's own: a link, not a regular file, another user's, one others may read or write, larger
    than STORE_LIMIT, not its JSON or another version's (said in the log). An entry not as the desk writes
    them is passed over; nothing in it is believed but a verdict under its key."""
    try:
        fd = open_own(path)  # never through a link, only a regular file
    except FileNotFoundError:
        return []
    except OSError as e:
        log.warning("%s: the verdicts kept are not read (%s)", path, e.strerror or e)
        return []
    try:
        st = os.fstat(fd)
        if st.st_uid != os.geteuid() or st.st_mode & 0o077 or st.st_size > STORE_LIMIT:
            log.warning("%s: the verdicts kept are not read (not the desk's own file)", path)
            return []
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(STORE_LIMIT + 1)
    except OSError as e:
        log.warning("%s: the verdicts kept are not read (%s)", path, e.strerror or e)
        return []
    finally:
        os.close(fd)
    try:
        doc = json.loads(data) if len(data) <= STORE_LIMIT else None
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or doc.get("kept") != KIND or not isinstance(doc.get("verdicts"), list):
        log.warning("%s: the verdicts kept are not read (not the desk's JSON)", path)
        return []
    if doc.get("ticker") != of:
        return []  # another ticker's: measured again
    return [found for entry in doc["verdicts"] if (found := _entry(entry)) is not None][-MOST:]


def _entry(entry: object) -> tuple[str, Readability] | None:
    if not isinstance(entry, dict) or set(entry) != {"key", "verdict", "warnings", "figures", "notes"}:
        return None
    key, verdict = entry["key"], entry["verdict"]
    lists = [entry[k] for k in ("warnings", "figures", "notes")]
    if not (isinstance(key, str) and KEY.fullmatch(key) and verdict in VERDICTS):
        return None
    if not all(isinstance(x, list) and all(isinstance(s, str) for s in x) for x in lists):
        return None
    return key, Readability(verdict, *(tuple(x) for x in lists))


def write_store(path: Path, of: str, kept: list[tuple[str, Readability]], quiet: bool = False) -> bool:
    """The store written whole (mode 0600, renamed over what was there, never written through a link); False
    when it could not be (said in the log unless `quiet`): the desk goes on, its verdicts kept in memory."""
    doc = {"kept": KIND, "ticker": of, "verdicts": [{"key": k, **r.as_json()} for k, r in kept]}
    try:
        write_atomic(path, json.dumps(doc, ensure_ascii=False) + "\n", mode=0o600)
    except TickerError as e:
        if not quiet:
            log.warning("the verdicts kept are not written: %s", e)
        return False
    return True
