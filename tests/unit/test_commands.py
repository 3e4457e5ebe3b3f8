"""The ffmpeg argument list of every format at every profile, against the golden lists (no ffmpeg run).

tests/unit/golden/ffmpeg_args.json holds the lists as ticker wrote them when the files were last checked by
the decoding tests and by the clients downstream (tests/test_clients.py). A change to any option shows here
first, in seconds; if it is meant, the decoding tests must pass with it, and the golden file is rewritten
with `python tests/unit/test_commands.py --rewrite`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, fields, replace
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import pytest

from ticker.encode.ffmpeg_args import Encoding, build_command, ffmpeg_exe
from ticker.media.formats import FORMATS, Delivery, Placement, Programme, key_path, table
from ticker.media.formats.mpeg2 import Mpeg2Broadcast
from ticker.media.formats.ts import TsMpeg2
from ticker.media.profiles import PROFILES, Profile

GOLDEN = Path(__file__).with_name("golden") / "ffmpeg_args.json"
VIDEO = Programme(Path("prog.ts"), False, 1920, 1080, Fraction(25), "tt", 250, True)
STILL = Programme(Path("still.png"), True, 1280, 720, None, "progressive", None, False)


def variants(fid: str, pid: str) -> dict[str, Encoding]:
    """The encodings checked for a format at a profile: each kind of background and delivery it takes."""
    fmt, profile = table.FORMATS[fid], PROFILES[pid]  # the table as it is now (a test may put a format in)
    band = Placement(profile.width, 104, profile.height - 160)
    if fmt.burn:
        return {
            "video": Encoding(fmt, profile, band, VIDEO, Delivery(comment="c")),
            "still": Encoding(fmt, profile, band, STILL, Delivery(audio_codec="aac", video_bitrate=8_000_000)),
        }
    if fmt.pair:
        return {
            "premultiplied": Encoding(fmt, profile, band, None, Delivery(comment="c")),
            "straight": Encoding(fmt, profile, band, None, Delivery(fill="straight")),
        }
    if fmt.alpha:
        return {"plain": Encoding(fmt, profile, band, None, Delivery(comment="c", first_picture=0))}
    return {
        "colour": Encoding(fmt, profile, band, (16, 32, 48), Delivery(comment="c")),
        "picture": Encoding(fmt, profile, band, Path("bg.png"), Delivery()),
    }


def arguments(fid: str, pid: str, encoding: Encoding) -> list[str]:
    target = Path("out") / f".clip_{pid}_{fid}.partial"
    targets = [target, key_path(target)] if encoding.fmt.pair else [target]
    exe = ffmpeg_exe()
    return ["ffmpeg" if a == exe else a for a in build_command(encoding, targets, 250)]


CASES = [(f, p, name) for f in FORMATS for p in PROFILES for name in variants(f, p) if FORMATS[f].made_at(PROFILES[p])]


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fid, pid, name", CASES)
def test_the_ffmpeg_arguments_are_the_golden_ones(golden, fid, pid, name):
    found, want = arguments(fid, pid, variants(fid, pid)[name]), golden[f"{fid} {pid} {name}"]
    assert found == want, f"{fid} at {pid} ({name}): not the golden arguments: {_changed(found, want)}"


def _changed(found: list[str], want: list[str]) -> str:
    """The first argument that differs, with the option it belongs to."""
    at = next((i for i, (a, b) in enumerate(zip(found, want)) if a != b), min(len(found), len(want)))
    return f"{' '.join(found[max(0, at - 1) : at + 1])!r}, not {' '.join(want[max(0, at - 1) : at + 1])!r}"


@dataclass(frozen=True)
class SdAsHd(Mpeg2Broadcast):
    """A slip in the MPEG-2 coding: SD services said to be HD ones."""

    def service_type(self, profile: Profile) -> int:
        return 0x11


@dataclass(frozen=True)
class WrongTsMpeg2(TsMpeg2):
    video = SdAsHd()


@pytest.mark.parametrize(
    "fid, wrong, where",
    [
        ("ts-mpeg2", lambda f: WrongTsMpeg2(**{k.name: getattr(f, k.name) for k in fields(f)}), ("576i50",)),
        ("prores4444", lambda f: replace(f, options=(("profile:v", "4"), ("vendor", "ap10"))), tuple(PROFILES)),
        ("qtrle", lambda f: replace(f, pipe_fmt="rgba"), tuple(PROFILES)),
    ],
    ids=["subclass", "options", "pipe"],
)
def test_a_wrong_family_module_fails_the_golden_lists_naming_the_format_and_profile(
    monkeypatch, golden, fid, wrong, where
):
    monkeypatch.setattr(table, "FORMATS", MappingProxyType({**table.FORMATS, fid: wrong(table.FORMATS[fid])}))
    failed = {}
    for f, p, name in CASES:
        try:
            test_the_ffmpeg_arguments_are_the_golden_ones(golden, f, p, name)
        except AssertionError as e:
            failed[f, p, name] = str(e)
    assert failed, "the changed format's arguments differ from the golden lists"
    assert {f for f, _, _ in failed} == {fid}, "only the changed format differs"
    assert all(p.startswith(where) for _, p, _ in failed)
    for (f, p, name), said in failed.items():
        assert said.startswith(f"{f} at {p} ({name}): not the golden arguments: "), said


def test_every_golden_list_is_checked(golden):
    assert {f"{f} {p} {n}" for f, p, n in CASES} == {k for k, v in golden.items() if isinstance(v, list)}


if __name__ == "__main__" and sys.argv[1:] == ["--rewrite"]:
    GOLDEN.write_text(
        json.dumps(
            {f"{f} {p} {n}": arguments(f, p, variants(f, p)[n]) for f, p, n in CASES}, indent=0, ensure_ascii=False
        ),
        encoding="utf-8",
    )
