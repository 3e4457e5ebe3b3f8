"""What a format refuses, in parts: every refusal of an output at once (key as the campaign file names it, the
value, an English reason with no option in it, an id), and the sentence the command line prints, which names
the option (the CLI's own tests, tests/test_delivery.py, read the same sentences from the real command)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ticker.errors import InputError, Refused
from ticker.media.formats import FORMATS, Delivery, Format, check_output, said
from ticker.media.profiles import PROFILES, Profile


@dataclass(frozen=True)
class Out:
    profile: Profile
    format: Format
    target: str | None = None
    fill: str = "premultiplied"


def refused(fid: str, pid: str, *, target: str | None = None, fill: str = "premultiplied", **options) -> Refused:
    with pytest.raises(Refused) as e:
        check_output(Out(PROFILES[pid], FORMATS[fid], target, fill), **options)
    assert isinstance(e.value, InputError)  # exit status 2 at the CLI, as every refusal before it
    return e.value


@pytest.mark.parametrize(
    "fid, pid, options, key, value, why, sentence",
    [
        (
            "vp9",
            "1080i50",
            {},
            "format",
            "vp9",
            "progressive-only",
            "--format vp9 is for progressive profiles; 1080i50 is interlaced.",
        ),
        (
            "mxf-fillkey",
            "720p50",
            {},
            "format",
            "mxf-fillkey",
            "mxf-profiles",
            "--format mxf-fillkey is made at 1080i50 (XDCAM HD422) and 576i50 or 576i50-4x3 (IMX50), not at 720p50.",
        ),
        (
            "ts-h264",
            "576i50",
            {},
            "over",
            None,
            "needs-programme",
            "--format ts-h264 burns the crawl into a programme: give it with --over FILE.",
        ),
        (
            "prores4444",
            "1080i50",
            {"over": Path("x.png")},
            "over",
            None,
            "overlay",
            "--over: --format prores4444 is an overlay; the programme goes under ts-h264 or ts-mpeg2.",
        ),
        (
            "ts-mpeg2",
            "576i50",
            {"delivery": Delivery(video_bitrate=20_000_000), "over": Path("x.png")},
            "video_bitrate",
            20_000_000,
            "mpeg2-bitrate",
            "--video-bitrate 20M: MPEG-2 at 576i50 (Main Profile @ Main Level) allows at most 15M.",
        ),
        (
            "ts-h264",
            "1080i50",
            {"delivery": Delivery(video_bitrate=70_000_000), "over": Path("x.png")},
            "video_bitrate",
            70_000_000,
            "h264-level",
            "--video-bitrate 70M: no H.264 High level allows it at 1080i50 (interlaced coding stops at level 4.1, "
            "62.5M).",
        ),
        (
            "ts-mpeg2",
            "1080p50",
            {"over": Path("x.png")},
            "format",
            "ts-mpeg2",
            "mpeg2-level",
            "--format ts-mpeg2: MPEG-2 at 1080p50 (Main Profile @ High Level) carries at most 62.7 million luma "
            "samples a second; 1080p50 has 103.7 million; ts-h264 carries it.",
        ),
    ],
)
def test_a_refusal_comes_in_parts_and_the_command_line_names_its_option(fid, pid, options, key, value, why, sentence):
    e = refused(fid, pid, **options)
    (r,) = e.refusals
    assert (r.key, r.value, r.why) == (key, value, why)
    assert str(e) == sentence == f"{said(r)}."
    assert "--" not in r.reason and "FILE" not in r.reason and "x.png" not in r.reason


def test_every_refusal_of_an_output_is_carried_the_first_one_said():
    """vp9 at 1080i50 for MediaConvert over a programme: three things wrong, all of them in the error."""
    e = refused("vp9", "1080i50", target="mediaconvert", over=Path("x.png"))
    assert [(r.key, r.why) for r in e.refusals] == [
        ("format", "progressive-only"),
        ("target", "target-format"),
        ("over", "overlay"),
    ]
    assert str(e) == "--format vp9 is for progressive profiles; 1080i50 is interlaced."
    target = e.refusals[1]
    assert target.value == "mediaconvert" and target.facts["format"] == "vp9"
    assert said(target) == (
        "--target mediaconvert: AWS Elemental MediaConvert inserts QuickTime Animation (RLE) .mov files and PNG "
        "sequences numbered from zero; use qtrle or png, not vp9"
    )
    assert all("--" not in r.reason for r in e.refusals)


def test_a_target_s_refusal_comes_first_when_the_format_suits_the_profile():
    e = refused("fillkey", "1080i50", target="casparcg", fill="premultiplied", over=Path("x.png"))
    assert [r.why for r in e.refusals] == ["target-fill", "overlay"]
    assert str(e) == (
        "--target casparcg: CasparCG Server keys a fill+key pair as straight fill; leave fill out or set it to "
        "straight."
    )


def test_an_output_a_format_suits_is_not_refused():
    for fid in ("prores4444", "qtrle", "png", "h264", "fillkey", "vp9"):
        check_output(Out(PROFILES["1080p50"], FORMATS[fid]))
    check_output(Out(PROFILES["1080i50"], FORMATS["mxf-fillkey"], "casparcg", "straight"))
    check_output(Out(PROFILES["576i50"], FORMATS["ts-mpeg2"]), over=Path("x.png"))
    check_output(Out(PROFILES["576i50"], FORMATS["ts-h264"]), need_over=False)
