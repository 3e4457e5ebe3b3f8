"""What headends and playout take, read back as their engineers would: fill+key pairs, MXF, burned-in
transport streams, VP9 with alpha, slots copied from one period, and the checks made before publication."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from pymediainfo import MediaInfo

from ticker.engine.text_stage import prepare

from support.campaigns import write_campaign
from support.media import ffmpeg, framemd5, mediainfo
from support.running import run_ticker

FAST = "[motion]\ncrossing_seconds = 4\n"  # short loops: a few seconds at any profile
COLOUR = {
    "1080i50": ("BT.709", "BT.709", "BT.709"),  # MediaInfo's names: primaries, transfer, matrix
    "576i50": ("BT.601 PAL", "BT.601", "BT.470 System B/G"),
}


def render_json(tmp_path: Path, cfg: Path, *args) -> dict:
    done = run_ticker("render", cfg, "-o", tmp_path / "out", "--json", *args, cwd=tmp_path)
    (o,) = json.loads(done.stdout)["outputs"]
    return o


def planes(path, indices=None, decoder: str | None = None):
    """Yield (index, {Y, Cb, Cr[, A]} as floats at 8-bit scale, Y and A in 0..1) of decoded pictures."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        dec = av.CodecContext.create(decoder, "r") if decoder else None
        n = 0
        for packet in c.demux(s):
            for frame in dec.decode(packet if packet.size else None) if dec else packet.decode():
                if indices is None or n in indices:
                    name = frame.format.name
                    bits = int(m.group(1)) if (m := re.search(r"p(\d+)le$", name)) else 8
                    dtype, scale = (np.uint8, 1) if bits == 8 else ("<u2", 1 << (bits - 8))
                    out = {}
                    for i, key in enumerate(("Y", "Cb", "Cr", "A")[: len(frame.planes)]):
                        p = frame.planes[i]
                        a = np.frombuffer(p, dtype).reshape(p.height, -1)[:, : p.width].astype(np.float64) / scale
                        out[key] = a
                    out["Y"] = (out["Y"] - 16) / 219
                    if "A" in out:
                        out["A"] = out["A"] * scale / ((1 << bits) - 1)
                    yield n, out
                n += 1


# --- fill + key ------------------------------------------------------------------------------------------


@pytest.fixture
def overlay_and_pair(matrix):
    """A 576i50 overlay, its fill+key pair and the pair with a straight fill: the session's matrix's."""
    overlay, pair, straight = (matrix[f, "576i50"] for f in ("prores4444", "fillkey", "fillkey-straight"))
    assert Path(straight["path"]).name == "test_576i50_fillkey_straight_loop.mov"  # beside the other pair
    return overlay, pair, straight


@pytest.mark.xdist_group("matrix")
def test_fill_and_key_are_a_pair_of_the_same_length_with_alpha_as_luma(overlay_and_pair):
    overlay, pair, straight = overlay_and_pair
    fill, key = Path(pair["path"]), Path(pair["key"])
    assert key.name == fill.name.replace(".mov", "_A.mov") and pair["fill"] == "premultiplied"
    for f in (fill, key):
        info = mediainfo(f)
        assert info["format"] == "ProRes" and info["format_profile"] == "422 HQ", info.get("format_profile")
        assert (info["scan_type"], info["scan_order"]) == ("Interlaced", "TFF")
        assert float(info["pixel_aspect_ratio"]) == pytest.approx(64 / 45, abs=1e-3)
    counts = {p: sum(1 for _ in planes(p)) for p in (fill, key, Path(overlay["path"]))}
    assert set(counts.values()) == {pair["frames"]} and pair["frames"] == overlay["frames"], counts

    some = set(range(0, pair["frames"], max(1, pair["frames"] // 6)))
    over = dict(planes(overlay["path"], some))
    keys, fills, straight_fills = (
        dict(planes(key, some)),
        dict(planes(fill, some)),
        dict(planes(straight["path"], some)),
    )
    for i in some:
        alpha, k = over[i]["A"], keys[i]
        # the key's luma is the overlay's alpha in video range: Y = 16 + 219·α; its chroma is neutral
        assert np.abs(k["Y"] - alpha).max() < 0.03 and np.abs(k["Y"] - alpha).mean() < 0.002
        assert np.all(k["Cb"] == 128) and np.all(k["Cr"] == 128)
        assert alpha[300:].max() > 0.8 and alpha[:300].max() == 0  # the band is at the bottom, and only there
        # premultiplied fill: the overlay's colour times its alpha; straight fill: the colour itself
        solid = alpha > 0.5
        assert np.abs(fills[i]["Y"] - over[i]["Y"] * alpha)[solid].mean() < 0.01
        assert np.abs(straight_fills[i]["Y"] - over[i]["Y"])[solid].mean() < 0.01
        assert np.abs(fills[i]["Y"] - straight_fills[i]["Y"])[solid].mean() > 0.01


@pytest.mark.xdist_group("matrix")
def test_qc_reads_the_pair_and_says_what_the_fill_is(overlay_and_pair, tmp_path):
    _, pair, _ = overlay_and_pair
    done = run_ticker("qc", pair["path"], "--json", cwd=tmp_path)
    files = json.loads(done.stdout)["files"]
    assert [Path(f["path"]).name for f in files] == [Path(pair["path"]).name, Path(pair["key"]).name]
    assert all(f["ok"] for f in files) and files[0]["facts"]["frames"] == files[1]["facts"]["frames"]
    with av.open(pair["path"]) as c:
        assert "fill=premultiplied" in c.metadata["comment"]  # ProRes cannot say it itself


@pytest.mark.parametrize(
    "fmt, seconds, failing, named",
    [
        ("fillkey", None, "_A.mov", "_A.mov"),  # the key fails: its fill is not published either
        ("png", 40, "_png_40s", "test_576i50_png_40s: "),  # a slot of pictures fails, its runs still on disk
        ("qtrle", 40, ".seg1", "test_576i50_qtrle_40s.mov (frames"),  # a run of a slot fails
    ],
)
def test_a_file_that_fails_its_checks_is_not_published(tmp_path, monkeypatch, fmt, seconds, failing, named):
    from ticker import render as r
    from ticker.campaign.config import Output, load_campaign

    real = r.inspect

    def failing_one(path, expect=None, **kw):  # the real checks, and one more problem for one file
        report = real(path, expect, **kw)
        if failing in Path(path).name:
            report.problems.append("failed on purpose")
        return report

    monkeypatch.setattr(r, "inspect", failing_one)
    campaign = load_campaign(write_campaign(tmp_path, FAST))
    output = Output("576i50", fmt, seconds is None, seconds)
    with pytest.raises(r.QCError, match=f"{re.escape(named)}.*failed on purpose"):
        r.render(prepare(campaign), output, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_pair_is_published_key_first(tmp_path, monkeypatch):
    """Playout loads a pair by the fill's name: it appears only once the key is there."""
    from ticker import render as r
    from ticker.campaign.config import Output, load_campaign
    from ticker.files import publish as p

    published, real = [], p.publish
    monkeypatch.setattr(p, "publish", lambda temp, final: (published.append(final.name), real(temp, final)))
    campaign = load_campaign(write_campaign(tmp_path, FAST))
    r.render(prepare(campaign), Output("576i50", "fillkey", True, None), tmp_path / "out")
    assert published == ["test_576i50_fillkey_loop_A.mov", "test_576i50_fillkey_loop.mov"]


def test_a_loop_encoded_in_parallel_runs_has_its_seam_checked(tmp_path, monkeypatch):
    from ticker import render as r
    from ticker.campaign.config import Output, load_campaign
    from ticker.qc import decode as qc

    seen, real = [], qc.seam
    monkeypatch.setattr(r, "seam", lambda frames, expect, report: (seen.append(report), real(frames, expect, report)))
    campaign = load_campaign(write_campaign(tmp_path, "[motion]\ngap = 2\n"))
    # qtrle encoded whole (--straight): its encoder uses one core, so the loop is cut into runs, one per core
    result = r.render(prepare(campaign), Output("576i50", "qtrle", True, None), tmp_path / "out", straight=True)
    assert result.frames >= 500  # long enough for one run per core
    assert len(seen) == 1 and not seen[0].problems
    assert abs(seen[0].facts["seam step"] - seen[0].facts["step"]) < 0.1


# --- MXF --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile, name, height, audio, dar",
    [
        ("1080i50", "XDCAM HD422", 1080, 8, "1.778"),
        ("576i50", "IMX 50", 608, 1, "1.778"),
        ("576i50-4x3", "IMX 50", 608, 1, "1.333"),
    ],
)
def test_mxf_pairs_are_what_playout_servers_take(tmp_path, profile, name, height, audio, dar):
    o = render_json(
        tmp_path,
        write_campaign(tmp_path, FAST),
        "--profile",
        profile,
        "--format",
        "mxf-fillkey",
        "--loop",
        "--timecode",
        "09:59:50:00",
    )
    for path in (o["path"], o["key"]):
        tracks = MediaInfo.parse(path).tracks
        general, video = tracks[0].to_data(), next(t.to_data() for t in tracks if t.track_type == "Video")
        assert general["format"] == "MXF" and video["commercial_name"] == name
        assert (video["scan_type"], video["scan_order"]) == ("Interlaced", "TFF")
        assert video["bit_rate_mode"] == "CBR" and video["display_aspect_ratio"] == dar
        # MXF has one label for the BT.601 and BT.709 transfer curve: primaries and matrix tell them apart
        # (MediaInfo names the 625-line matrix "BT.601" when it reads it from MXF's descriptor)
        colour = COLOUR[profile.removesuffix("-4x3")]
        assert video["color_primaries"] == colour[0]
        assert video["matrix_coefficients"] in (colour[2], "BT.709" if profile == "1080i50" else "BT.601")
        assert len([t for t in tracks if t.track_type == "Audio"]) == audio
        codes = {t.to_data().get("time_code_of_first_frame") for t in tracks if t.track_type == "Other"}
        assert "09:59:50:00" in codes, codes
        with av.open(path) as c:
            s = c.streams.video[0]
            assert s.codec_context.height == height  # IMX keeps its 32 lines of VBI above the picture
            sar = Fraction(s.sample_aspect_ratio)  # of the stored frame, VBI included: the same display aspect
            assert round(float(sar * s.codec_context.width / height), 3) == float(dar)
            assert sum(1 for p in c.demux(s) if p.size) == o["frames"]
            assert all(a.codec_context.sample_rate == 48000 for a in c.streams.audio)


# --- burned-in transport streams --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile, fmt, sar",
    [("1080i50", "ts-h264", "1:1"), ("576i50", "ts-mpeg2", "64:45"), ("576i50", "ts-h264", "64:45")],
)
def test_burned_in_transport_stream_plays_keeps_the_sound_and_is_flagged(tmp_path, programme, profile, fmt, sar):
    o = render_json(
        tmp_path,
        write_campaign(tmp_path, FAST),
        "--profile",
        profile,
        "--format",
        fmt,
        "--over",
        programme,
        "--service-name",
        "HGTV",
        "--service-provider",
        "Đài PTTH Hậu Giang",
        "--video-pid",
        "0x200",
        "--audio-pid",
        "0x201",
        "--audio-codec",
        "mp2",
    )
    path = o["path"]
    assert Path(path).name == f"test_{profile}_{fmt}_over-programme.ts"
    assert o["frames"] == 100  # the programme's 4 s at 25 frames a second
    played = ffmpeg("-v", "error", "-i", path, "-f", "null", "-")
    assert played.returncode == 0 and played.stderr == "", played.stderr
    listing = ffmpeg("-i", path).stderr
    assert "service_name    : HGTV" in listing and "Đài PTTH Hậu Giang" in listing
    assert f"SAR {sar}" in listing and "top first" in listing
    with av.open(path) as c:
        assert len(c.streams.audio) == 1  # the programme's first sound track
        v, a = c.streams.video[0], c.streams.audio[0]
        assert (v.id, a.id) == (0x200, 0x201) and a.codec_context.name == "mp2"
        assert v.codec_context.field_order == 2  # top field first
        sound = np.concatenate([f.to_ndarray().mean(axis=0) for f in c.decode(a)])
    assert 3.9 < sound.size / 48000 < 4.1
    spectrum = np.abs(np.fft.rfft(sound[:48000]))
    assert abs(np.argmax(spectrum) - 440) <= 2  # the programme's tone
    info = {t.track_type: t.to_data() for t in MediaInfo.parse(path).tracks}
    assert info["General"]["overall_bit_rate_mode"] == "CBR" and info["Video"]["bit_rate_mode"] == "CBR"
    v = info["Video"]
    assert (v["color_primaries"], v["transfer_characteristics"], v["matrix_coefficients"]) == COLOUR[profile]
    assert v.get("color_range", "Limited") == "Limited"  # MPEG-2 has no range flag: always video range
    assert (info["Video"]["scan_order"], info["Video"]["scan_type"] in ("Interlaced", "MBAFF")) == ("TFF", True)
    # the crawl is burned in: the band's lines are mostly the band colour, the lines above it the programme
    _, first = next(planes(path, {50}))
    band = slice(o["band_y"] + 2, o["band_y"] + o["band_height"] - 2)
    crawl = slice(*o["crawl"])
    assert first["Y"][band, crawl].mean() < 0.35 and first["Y"][: band.start - 40].std() > 0.2


def test_a_still_picture_under_a_timed_crawl(tmp_path):
    still = tmp_path / "still.png"
    assert ffmpeg("-f", "lavfi", "-i", "testsrc2=s=1280x720", "-frames:v", 1, still).returncode == 0
    o = render_json(
        tmp_path,
        write_campaign(tmp_path, FAST),
        "--profile",
        "576i50",
        "--format",
        "ts-mpeg2",
        "--over",
        still,
        "--seconds",
        12,
    )
    with av.open(o["path"]) as c:
        assert len(c.streams.audio) == 0 and sum(1 for p in c.demux(video=0) if p.size) == 300


# --- VP9 with alpha ---------------------------------------------------------------------------------------


def test_vp9_keeps_alpha_for_signage_and_web(tmp_path):
    o = render_json(tmp_path, write_campaign(tmp_path, FAST), "--profile", "720p50", "--format", "vp9", "--loop")
    assert o["path"].endswith(".webm")
    ((_, native),) = planes(o["path"], {0})
    assert "A" not in native  # ffmpeg's own VP9 decoder drops the alpha channel
    decoded = dict(planes(o["path"], None, decoder="libvpx-vp9"))
    assert len(decoded) == o["frames"]
    alpha = decoded[0]["A"]
    band = slice(o["band_y"] + 4, o["band_y"] + o["band_height"] - 4)
    assert alpha[: o["band_y"] - 4].max() < 0.02 and np.median(alpha[band]) == pytest.approx(0.85, abs=0.02)
    png = tmp_path / "first.png"  # what a signage player's libvpx gives: the alpha channel
    assert ffmpeg("-v", "error", "-c:v", "libvpx-vp9", "-i", o["path"], "-frames:v", 1, png).returncode == 0
    with Image.open(png) as im:
        assert im.mode == "RGBA" and im.getchannel("A").getextrema() == (0, 255)
    run_ticker("qc", o["path"], cwd=tmp_path)


def test_every_output_is_checked_before_the_first_is_written(tmp_path):
    cfg = write_campaign(
        tmp_path,
        FAST
        + """
[[output]]
profile = "576i50"
format = "prores4444"
loop = true
[[output]]
profile = "576i50"
format = "vp9"
loop = true
""",
    )
    for command in (("render", cfg, "-o", "out"), ("check", cfg)):
        done = run_ticker(*command, cwd=tmp_path, check_status=2)
        assert "--format vp9 is for progressive profiles; 576i50 is interlaced." in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("--profile", "1080i50", "--format", "vp9"),
            "--format vp9 is for progressive profiles; 1080i50 is interlaced.",
        ),
        (
            ("--profile", "720p50", "--format", "mxf-fillkey"),
            "--format mxf-fillkey is made at 1080i50 (XDCAM HD422) and 576i50 or 576i50-4x3 (IMX50), not at 720p50.",
        ),
        (("--profile", "576i50", "--format", "ts-h264"), "--format ts-h264 burns the crawl into a programme"),
        (("--format", "prores4444", "--over", "x.png"), "--over: --format prores4444 is an overlay"),
        (("--format", "ts-mpeg2", "--over", "nothing.ts"), "--over nothing.ts: no such file."),
        (("--format", "ts-mpeg2", "--over", "c.toml"), "--over c.toml: has no picture (no video stream)."),
        (("--format", "ts-h264", "--video-pid", "0x101", "--audio-pid", "0x101", "--over", "x.png"), "must differ"),
        (
            ("--profile", "576i50", "--format", "ts-mpeg2", "--video-bitrate", "20M", "--over", "x.png"),
            "--video-bitrate 20M: MPEG-2 at 576i50 (Main Profile @ Main Level) allows at most 15M.",
        ),
        (
            ("--profile", "1080i50", "--format", "ts-h264", "--video-bitrate", "70M", "--over", "x.png"),
            "no H.264 High level allows it at 1080i50 (interlaced coding stops at level 4.1, 62.5M).",
        ),
    ],
)
def test_delivery_options_that_do_not_fit_are_refused(tmp_path, args, message):
    write_campaign(tmp_path, FAST)
    (tmp_path / "x.png").write_bytes(b"")
    if "x.png" in args:
        assert ffmpeg("-f", "lavfi", "-i", "color=s=64x36", "-frames:v", 1, "-y", tmp_path / "x.png").returncode == 0
    done = run_ticker("render", "c.toml", "-o", "out", "--loop", *args, cwd=tmp_path, check_status=2)
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


# --- slots ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile, fmt", [("576i50", "prores4444"), ("720p50", "qtrle"), ("576i50", "png"), ("576i50", "fillkey")]
)
def test_a_slot_copied_from_one_period_is_the_straight_render(tmp_path, profile, fmt):
    cfg = write_campaign(tmp_path, FAST)
    slot = render_json(tmp_path, cfg, "--profile", profile, "--format", fmt, "--seconds", 30, "-o", tmp_path / "s")
    straight = render_json(
        tmp_path, cfg, "--profile", profile, "--format", fmt, "--seconds", 30, "--straight", "-o", tmp_path / "t"
    )
    assert slot["frames"] == straight["frames"] == straight["encoded"] == 30 * (50 if profile == "720p50" else 25)
    assert slot["encoded"] < slot["frames"] / 2
    assert framemd5(Path(slot["path"])) == framemd5(Path(straight["path"]))
    if slot["key"]:
        assert framemd5(Path(slot["key"])) == framemd5(Path(straight["key"]))


def test_a_slot_says_what_it_copied_and_h264_is_encoded_straight(tmp_path):
    cfg = write_campaign(tmp_path, FAST)
    done = run_ticker(
        "render", cfg, "-o", "out", "--profile", "720p50", "--format", "prores4444", "--seconds", 30, cwd=tmp_path
    )
    assert re.search(r"1500 frames .* \d+ encoded and the rest copied", done.stdout), done.stdout
    done = run_ticker(
        "render", cfg, "-o", "out", "--profile", "720p50", "--format", "h264", "--seconds", 30, "--json", cwd=tmp_path
    )
    (o,) = json.loads(done.stdout)["outputs"]
    assert o["encoded"] == o["frames"] == 1500
    assert "every frame encoded: h264 pictures depend on each other" in done.stderr


# --- QC ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loop_file(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("qc")
    return render_json(tmp, write_campaign(tmp, FAST), "--profile", "576i50", "--format", "prores4444", "--loop")


def _qc(tmp_path, *args, status):
    done = run_ticker("qc", *args, cwd=tmp_path, check_status=status)
    assert "Traceback" not in done.stderr
    return done.stdout


def test_qc_passes_a_good_loop_and_reads_its_seam(tmp_path, loop_file):
    out = _qc(tmp_path, loop_file["path"], status=0)
    assert ": ok" in out and f"frames {loop_file['frames']}" in out and "field order" in out
    step, seam = (float(x) for x in re.search(r"step ([\d.]+), seam step ([\d.]+)", out).groups())
    assert abs(step - seam) < 0.1 and step > 1


def test_qc_fails_a_truncated_file(tmp_path, loop_file):
    cut = tmp_path / "truncated.mov"
    data = Path(loop_file["path"]).read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    out = _qc(tmp_path, cut, status=1)
    assert "FAILED" in out and "cannot be opened" in out and "truncated" in out


def test_qc_fails_a_file_of_the_wrong_length(tmp_path, loop_file):
    n = loop_file["frames"]
    short = tmp_path / "short.mov"
    assert ffmpeg("-v", "error", "-i", loop_file["path"], "-c", "copy", "-frames:v", n - 3, short).returncode == 0
    out = _qc(tmp_path, short, status=1)  # ticker noted the length it wrote in the file
    assert f"holds {n - 3} frames, not {n}" in out
    out = _qc(tmp_path, short, "--loop", "--frames", n - 3, status=1)  # the right length for it, but the seam
    assert "the loop's seam jumps" in out
    out = _qc(tmp_path, short, "--seconds", n / 25, status=1)
    assert f"holds {n - 3} frames, not {n}" in out


def test_qc_fails_a_transport_stream_cut_short(tmp_path):
    ts = tmp_path / "clip.ts"
    assert ffmpeg("-f", "lavfi", "-i", "testsrc2=s=720x576:r=25", "-t", 4, "-c:v", "mpeg2video", ts).returncode == 0
    data = ts.read_bytes()
    (tmp_path / "cut.ts").write_bytes(data[: len(data) * 2 // 3])
    assert ": ok" in _qc(tmp_path, ts, "--seconds", 4, status=0)
    out = _qc(tmp_path, "cut.ts", "--seconds", 4, "--profile", "576i50", "--format", "ts-mpeg2", status=1)
    assert re.search(r"holds \d+ frames, not 100", out)
    assert "problem: no such file" in _qc(tmp_path, "missing.mov", status=1)


@pytest.mark.parametrize("gap", [0.05, 0.5, 1.05, 1.5, 4])
def test_a_slot_play_list_gives_every_frame_its_picture(tmp_path, gap):
    """Without encoding: the blitter's picture of every frame equals that of the frame the play list plays
    in its place, for any gap and lengths where the last pass ends just before the clip does."""
    from ticker.campaign.config import load_campaign
    from ticker.campaign.outputs import outputs_for
    from ticker.engine.blit import Blitter
    from ticker.engine.strip import phase_strips
    from ticker.engine.survey import survey
    from ticker.media.formats import FORMATS

    campaign = load_campaign(write_campaign(tmp_path, f"[motion]\ncrossing_seconds = 4\ngap = {gap}\n"))
    crawl = prepare(campaign)
    checked = 0
    for seconds in (17, 20, 27, 28, 40, 79, 150):
        try:
            sv = survey(crawl, outputs_for(campaign, profile="576i50", fmt="qtrle", seconds=seconds)[0])
        except Exception as e:  # too short for one pass at this gap
            assert "too short for one pass" in str(e)
            continue
        plan, slot = sv.plan, sv.plan.repeats()
        if slot is None:
            continue
        runs, playlist = slot.pieces()
        played = [i for k, n in playlist for i in runs[k][:n]]
        assert len(played) == plan.frames and all(n > 0 for _, n in playlist)
        strips = phase_strips(sv.track.at(plan.phases), sv.look, plan.period, 720, FORMATS["qtrle"].channels)
        blitter = Blitter(strips, sv.scene, plan, True, buffers=2, windows=2)  # a frame and its copy, in turn
        for f in range(plan.frames):
            if played[f] != f:
                here = blitter.frame(f).copy()
                assert np.array_equal(here, blitter.frame(played[f])), (seconds, f, played[f])
        checked += 1
    assert checked >= 3


# --- inserter targets -------------------------------------------------------------------------------------


def test_mediaconvert_takes_a_png_sequence_numbered_from_zero(tmp_path):
    """A slot joined from copied runs too: every picture renumbered from 0, six digits each."""
    cfg = write_campaign(
        tmp_path, FAST + '[[output]]\nprofile = "576i50"\nformat = "png"\nseconds = 20\ntarget = "mediaconvert"\n'
    )
    o = render_json(tmp_path, cfg)
    folder = Path(o["path"])
    assert folder.name == "test_576i50_png_mediaconvert_20s" and o["target"] == "mediaconvert"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{folder.name}_{n:06d}.png" for n in range(500)]  # MediaConvert: from _000000.png
    assert o["encoded"] < o["frames"]  # made from one encoded period
    done = run_ticker("qc", folder, "--profile", "576i50", "--format", "png", "--seconds", 20, cwd=tmp_path)
    assert ": ok" in done.stdout and "first picture 0" in done.stdout
    straight = render_json(tmp_path, cfg, "--straight", "-o", tmp_path / "straight")
    assert framemd5(folder) == framemd5(Path(straight["path"]))


def test_casparcg_gets_its_name_a_key_beside_a_straight_fill(tmp_path):
    cfg = write_campaign(tmp_path, FAST)
    o = render_json(tmp_path, cfg, "--profile", "576i50", "--format", "fillkey", "--loop", "--target", "casparcg")
    fill, key = Path(o["path"]), Path(o["key"])
    assert (fill.name, key.name) == (
        "test_576i50_fillkey_straight_casparcg_loop.mov",
        "test_576i50_fillkey_straight_casparcg_loop_A.mov",
    )
    assert o["fill"] == "straight"  # CasparCG keys the fill as straight colour
    with av.open(str(fill)) as c:
        assert "fill=straight" in c.metadata["comment"]


@pytest.mark.parametrize(
    "target, args, message",
    [
        (
            "mediaconvert",
            ("--format", "prores4444"),
            (
                "--target mediaconvert: AWS Elemental MediaConvert inserts QuickTime Animation (RLE) .mov files "
                "and PNG sequences numbered from zero; use qtrle or png, not prores4444."
            ),
        ),
        (
            "elemental-live",
            ("--format", "fillkey"),
            (
                "--target elemental-live: AWS Elemental Live overlays QuickTime RLE .mov files at the channel's "
                "frame rate and PNG sequences; use qtrle or png, not fillkey."
            ),
        ),
        ("casparcg", ("--format", "png"), "--target casparcg: CasparCG Server keys clips with alpha or a NAME_A key"),
        (
            "casparcg",
            ("--format", "fillkey", "--fill", "premultiplied"),
            (
                "--target casparcg: CasparCG Server keys a fill+key pair as straight fill; leave fill out or set "
                "it to straight."
            ),
        ),
    ],
)
def test_a_target_refuses_what_it_does_not_take_before_anything_is_written(tmp_path, target, args, message):
    cfg = write_campaign(tmp_path, FAST)
    done = run_ticker("render", cfg, "-o", "out", "--loop", "--target", target, *args, cwd=tmp_path, check_status=2)
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "extra, message",
    [
        ('target = "mediaconvert"\nformat = "h264"', "output[1].target is mediaconvert: AWS Elemental MediaConvert"),
        (
            'target = "casparcg"\nformat = "fillkey"\nfill = "premultiplied"',
            "output[1].target is casparcg: CasparCG Server keys a fill+key pair as straight fill",
        ),
        (
            'target = "caspar"\nformat = "qtrle"',
            "output[1].target must be one of casparcg, mediaconvert, elemental-live",
        ),
    ],
)
def test_a_campaign_output_for_a_target_it_cannot_serve_is_one_sentence(tmp_path, extra, message):
    cfg = write_campaign(tmp_path, FAST + f'[[output]]\nprofile = "1080i50"\nloop = true\n{extra}\n')
    for command in (("render", cfg, "-o", "out"), ("check", cfg)):
        done = run_ticker(*command, cwd=tmp_path, check_status=2)
        assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
