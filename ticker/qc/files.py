"""`ticker qc`: files checked against what they should be, as the command line says or else as ticker's note
in each file records (profile, format, frames, loop), and a fill+key pair's key beside its fill."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av

from ticker.files.inputs import kind_of
from ticker.media import FORMATS, PROFILES
from ticker.media.formats import fill_path, key_path, read_note
from ticker.qc.decode import Expect, Report, expect_for, inspect


def recorded(path: Path) -> dict[str, str]:
    """What ticker wrote about the file in its comment tag (profile, format, frames, loop), if anything."""
    try:
        with av.open(str(path)) as c:
            comment = c.metadata.get("comment", "")
    except (av.FFmpegError, OSError):
        return {}
    return read_note(comment)


def check_files(
    paths: list[Path],
    *,
    profile: str | None = None,
    fmt: str | None = None,
    frames: int | None = None,
    seconds: float | None = None,
    loop: bool = False,
) -> list[Report]:
    """`ticker qc`: each file against what it should be — as given, or else as ticker recorded in it — and the
    key of a fill+key pair beside its fill, with the same length."""
    reports = []
    for path in paths:
        try:
            kind = None if path.is_dir() else kind_of(path.stat().st_mode)  # a folder: a picture sequence
        except (OSError, ValueError):
            reports.append(Report(path, problems=["no such file"]))
            continue
        if kind is not None:  # a FIFO would block the demuxer for ever
            reports.append(Report(path, problems=[f"is {kind}, not a file ticker can check"]))
            continue
        rec = recorded(path)
        prof = PROFILES.get(profile or rec.get("profile", ""))
        form = FORMATS.get(fmt or rec.get("format", ""))
        want = frames
        if want is None and seconds is not None and prof is not None:
            want = round(seconds * prof.rate)
        elif want is None and seconds is None and rec.get("frames", "").isdigit():
            want = int(rec["frames"])
        is_loop = loop or rec.get("loop") == "1"
        if prof is not None and form is not None:
            expect = expect_for(form, prof, want, is_loop)
        else:
            expect = Expect(frames=want, loop=is_loop, rate=(prof.rate if prof else None))
        report = inspect(path, expect)
        if seconds is not None and prof is None and report.facts.get("rate"):
            want = round(Fraction(seconds).limit_denominator(1000) * report.facts["rate"])
            if report.facts.get("frames") != want:
                report.problems.append(f"holds {report.facts.get('frames')} frames, not {want} ({seconds:g} s)")
        reports.append(report)
        if form is not None and form.pair and not path.stem.endswith("_A"):
            key = key_path(path)
            if not key.exists():
                report.problems.append(f"its key {key.name} is missing")
            elif key not in paths:
                key_report = inspect(key, expect)
                reports.append(key_report)
                if key_report.facts.get("frames") != report.facts.get("frames"):
                    report.problems.append(
                        f"holds {report.facts.get('frames')} frames but its key {key_report.facts.get('frames')}"
                    )
    given = {r.path: r for r in reports}
    for path, report in given.items():  # a fill and its key both given: the same length
        fill = fill_path(path)
        if path.stem.endswith("_A") and fill in given and given[fill].facts.get("frames") != report.facts.get("frames"):
            given[fill].problems.append(
                f"holds {given[fill].facts.get('frames')} frames but its key {report.facts.get('frames')}"
            )
    return reports
