"""ProRes files assembled from the band's encoded slices, and qtrle files from its encoded lines (the default),
against the same files encoded whole (`--straight`): the same pictures decoded, and the same file to every
reader downstream: the frame and picture headers and slice tables as RDD 36 lays them out, MediaInfo, and
Debian's own ffmpeg and ffprobe."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support.clients import rdd36_frames
from support.matrix import ASSEMBLED, PRORES, QTRLE, coded_pix_fmt, decoded_md5s, md5s, packet_digests
from support.media import mediainfo

CASES = ASSEMBLED  # name: (format, profile, the output's other keys)
pytestmark = pytest.mark.xdist_group("matrix")  # the session's matrix, made once on one worker
# RDD 36's slices: a macroblock row cut into slices of 8 macroblocks, the rest into 4, 2 and 1
SLICES_PER_ROW = {1920: 15, 720: 7, 1080: 9}  # 120 MBs; 45 = 5×8+4+1; 67.5 → 68 = 8×8+4
DEBIAN_FFMPEG, DEBIAN_FFPROBE = Path("/usr/bin/ffmpeg"), Path("/usr/bin/ffprobe")


@pytest.fixture
def made(matrix) -> dict:
    """Every case rendered twice from one campaign: by default (assembled) and with --straight. For each case,
    the two outputs' JSON and the (assembled, straight) pairs of files: one, or a fill and its key
    (tests/matrix.py, made once in the test run)."""
    return matrix.pairs


def test_a_timed_clip_is_assembled_from_copied_runs(made):
    a, s = made["576i50-6s"]["assembled"], made["576i50-6s"]["straight"]
    assert a["frames"] == s["frames"] == 150
    assert a["encoded"] < a["frames"] and s["encoded"] == s["frames"]  # copies by default, --straight encodes all
    q, qs = made["qtrle-576i50-6s"]["assembled"], made["qtrle-576i50-6s"]["straight"]
    assert q["frames"] == qs["frames"] == 150 and q["encoded"] < q["frames"]
    for case in made.values():
        assert case["assembled"]["frames"] == case["straight"]["frames"] > 20


@pytest.mark.parametrize("case", CASES)
def test_assembled_file_decodes_to_the_straight_encodes_pictures(made, case):
    for assembled, straight in made[case]["files"]:
        # The requirement: the same pictures, decoded.
        md5 = decoded_md5s(assembled)
        assert len(md5) == made[case]["assembled"]["frames"]
        assert md5 == decoded_md5s(straight), assembled.name
        if case in QTRLE:  # encoded whole, qtrle is cut into runs for two cores: key frames elsewhere
            continue  # (tests/test_assembled_check.py compares packets with one process's)
        # What the assembly gives today: the same frames, packet for packet and byte for byte (prores_aw
        # starts a flat slice from its first quantiser; each packet's size and SHA-256 compared). A change of the
        # encoder may lose this and keep the above.
        a, s = packet_digests(assembled), packet_digests(straight)
        assert len(a) == len(s) == len(md5) and all(x == y for x, y in zip(a, s)), assembled.name


def _header(frame: dict) -> dict:
    return {k: v for k, v in frame.items() if k not in ("frame_size", "pictures")}


@pytest.mark.parametrize("case", PRORES)
def test_assembled_frames_are_whole_rdd36_frames(made, case):
    profile = made[case]["assembled"]
    width, height, interlaced = profile["width"], profile["height"], profile["interlaced"]
    for assembled, straight in made[case]["files"]:
        frames, model = rdd36_frames(assembled), rdd36_frames(straight)[0]
        assert len(frames) == profile["frames"]
        four = made[case]["assembled"]["format"] == "prores4444"
        expected = {
            "frame_header_size": 148,  # both quantisation matrices
            "encoder": "apl0",
            "width": width,
            "height": height,
            "chroma_format": 3 if four else 2,  # 4:4:4, 4:2:2 (fill and key are 422 HQ)
            "interlace_mode": 1 if interlaced else 0,  # top field first
            "alpha_channel_type": 2 if four else 0,  # 16-bit alpha; none
            "load_luma_quantization_matrix": True,
            "load_chroma_quantization_matrix": True,
        }
        assert {k: model[k] for k in expected} == expected, straight.name
        per_row = SLICES_PER_ROW[width]
        lines = [(height + 1) // 2, height // 2] if interlaced else [height]
        rows = [-(-h // 16) for h in lines]
        for i, frame in enumerate(frames):
            assert _header(frame) == _header(model), f"{assembled.name} frame {i}"
            assert len(frame["pictures"]) == len(rows)
            for picture, r in zip(frame["pictures"], rows):
                assert picture["log2_slice_mbs_width"] == 3 and picture["slice_count"] == r * per_row
                assert len(picture["slices"]) == picture["slice_count"]
                assert all(s["header_size"] == (8 if four else 6) for s in picture["slices"])
            size = 8 + frame["frame_header_size"] + sum(p["picture_size"] for p in frame["pictures"])
            assert frame["frame_size"] == size


MEDIAINFO = (
    "format",
    "format_profile",
    "format_version",
    "codec_id",
    "width",
    "height",
    "sampled_width",
    "sampled_height",
    "frame_rate",
    "frame_rate_mode",
    "frame_count",
    "duration",
    "scan_type",
    "scan_order",
    "scan_type__store_method",
    "color_primaries",
    "transfer_characteristics",
    "matrix_coefficients",
    "colour_description_present",
    "color_space",  # YUVA: the alpha channel
    "chroma_subsampling",
    "bit_depth",
    "display_aspect_ratio",
    "pixel_aspect_ratio",
    "format_settings",
    "writing_library",
)


@pytest.mark.parametrize("case", CASES)
def test_mediainfo_reads_the_assembled_file_as_the_straight_one(made, case):
    for assembled, straight in made[case]["files"]:
        a, s = mediainfo(assembled), mediainfo(straight)
        assert {k: a.get(k) for k in MEDIAINFO} == {k: s.get(k) for k in MEDIAINFO}, assembled.name
        r = made[case]["assembled"]
        assert (a["width"], a["height"]) == (r["width"], r["height"])
        assert int(a["frame_count"]) == made[case]["assembled"]["frames"]
        if case in QTRLE:
            assert (a["format"], a["codec_id"].strip()) == ("RLE", "rle")
            continue
        assert a["format"] == "ProRes"
        assert a["scan_type"] == ("Interlaced" if made[case]["assembled"]["interlaced"] else "Progressive")
        assert a["color_space"] == ("YUVA" if CASES[case][0] == "prores4444" else "YUV")


def _debian(exe: Path) -> str:
    assert exe.exists(), f"Debian's ffmpeg package is needed ({exe}; bash .ci/test-tools installs it)"
    return str(exe)


def _debian_framemd5(path: Path, pix_fmt: str, *check: str) -> subprocess.CompletedProcess:
    args = ["-hide_banner", "-nostdin", "-v", "error", *check, "-i", str(path), "-map", "0:v", "-pix_fmt", pix_fmt]
    return subprocess.run([_debian(DEBIAN_FFMPEG), *args, "-f", "framemd5", "-"], capture_output=True, text=True)


def _ffprobe(path: Path) -> dict:
    """Debian's ffprobe's reading of the video stream, its packets counted."""
    args = ["-v", "error", "-select_streams", "v:0", "-count_packets", "-show_streams", "-of", "json", str(path)]
    done = subprocess.run([_debian(DEBIAN_FFPROBE), *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["streams"][0]


STREAM_FIELDS = (
    "codec_name",
    "profile",
    "codec_tag_string",
    "width",
    "height",
    "pix_fmt",
    "field_order",
    "color_range",
    "color_space",
    "color_transfer",
    "color_primaries",
    "sample_aspect_ratio",
    "display_aspect_ratio",
    "r_frame_rate",
    "avg_frame_rate",
    "nb_frames",
    "bits_per_raw_sample",
)


@pytest.mark.parametrize("case", CASES)
def test_debians_ffmpeg_decodes_every_assembled_frame_as_the_straight_ones(made, case):
    # Versions of ffmpeg may decode ProRes to other pixel formats: both are asked for the same one, so that
    # the two MD5s of a picture are of the same samples.
    pix_fmt = {"prores4444": "yuva444p12le", "fillkey": "yuv422p10le", "qtrle": "argb"}[CASES[case][0]]
    frames = made[case]["assembled"]["frames"]
    for assembled, straight in made[case]["files"]:
        assert coded_pix_fmt(assembled) == pix_fmt
        strict = _debian_framemd5(assembled, pix_fmt, "-xerror", "-err_detect", "crccheck+buffer+explode")
        assert strict.returncode == 0 and not strict.stderr, strict.stderr
        md5 = md5s(strict.stdout)
        assert len(md5) == frames
        # the same pictures as the ffmpeg ticker runs decodes, from this file and from the straight one
        assert tuple(md5) == decoded_md5s(assembled) == decoded_md5s(straight), assembled.name
        probed = [_ffprobe(f) for f in (assembled, straight)]
        a, s = ({k: p.get(k) for k in STREAM_FIELDS} for p in probed)
        assert a == s, assembled.name
        assert a["codec_name"] == ("qtrle" if case in QTRLE else "prores") and a["pix_fmt"] == pix_fmt
        assert a["nb_frames"] == probed[0]["nb_read_packets"] == str(frames)
        if case not in QTRLE:
            assert a["field_order"] == ("tb" if made[case]["assembled"]["interlaced"] else "progressive")
