"""ticker.air.overlay on clips ticker renders (a band with a QR code above it): a Clip gives each picture of a
QuickTime Animation and a ProRes 4444 file as ffmpeg's libraries decode it (RGBA, straight alpha), in any
order; it refuses in one sentence a file without alpha, of another size or rate, a link, or not a video. blend
over a real clip picture gives what ffmpeg's overlay filter gives, within one code value. picture_planes writes
into a decoded picture and never into the pictures the decoder predicts the next ones from."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from ticker.air.blend import blend, blend_ready, chroma_of, matrix_of, picture_planes
from ticker.air.overlay import KEEP, Clip
from ticker.air.plan import Insertion
from ticker.air.stream import Inserter
from ticker.errors import FileProblem, InputError
from ticker.media import PROFILES

from support.campaigns import write_campaign
from support.matrix import LOOK
from support.media import ffmpeg
from support.running import run_ticker

OUTPUTS = (("qtrle", "576i50"), ("qtrle", "1080i50"), ("prores4444", "1080i50"))


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[tuple[str, str], dict]:
    """The three clips' outputs (render --json), by (format, profile): loops of a second and a half."""
    base = tmp_path_factory.mktemp("air-clips")
    outputs = "".join(f'[[output]]\nprofile = "{p}"\nformat = "{f}"\nloop = true\n' for f, p in OUTPUTS)
    done = run_ticker("render", write_campaign(base, outputs, base=LOOK), "-o", base / "out", "--json", cwd=base)
    return {(o["format"], o["profile"]): o for o in json.loads(done.stdout)["outputs"]}


def decoded(path: Path, step: int) -> tuple[int, dict[int, np.ndarray]]:
    """How many pictures the file holds, and every `step`-th and the last as PyAV converts them to RGBA."""
    pictures, i, last = {}, -1, None
    with av.open(str(path)) as c:
        for i, last in enumerate(c.decode(video=0)):
            if i % step == 0:
                pictures[i] = last.to_ndarray(format="rgba")
        pictures[i] = last.to_ndarray(format="rgba")
    return i + 1, pictures


@pytest.mark.parametrize("key", OUTPUTS, ids=["-".join(k) for k in OUTPUTS])
def test_a_clip_gives_each_picture_as_decoded(clips, key):
    made = clips[key]
    count, pictures = decoded(Path(made["path"]), 1 if key[1] == "576i50" else 6)  # HD: a sample
    exact = key[0] == "qtrle"  # ProRes is Y'CbCr: converted here with its matrix, by ffmpeg's swscale there
    with Clip(Path(made["path"]), PROFILES[key[1]]) as clip:
        assert (clip.frames, clip.rate) == (made["frames"], Fraction(25)) and clip.frames == count > 30
        for i, want in pictures.items():
            got = clip.frame(i)
            seen = want[..., 3] > 0
            assert 0.05 < seen.mean() < 0.3, "a band, a tenth of the picture or so"
            off = np.abs(got.astype(np.int16) - want)
            assert off[..., 3].max() <= (0 if exact else 1)
            assert off[seen][:, :3].max() <= (0 if exact else 1), f"picture {i}"
            assert not got[~seen][:, 3].any()
            area = clip.area(i)
            inside = np.zeros(seen.shape, bool)
            for box in area:
                inside[box.top : box.bottom, box.left : box.right] = True
            assert not (seen & ~inside).any() and inside.mean() < 0.2
            assert not got.flags.writeable


def test_frames_come_in_any_order(clips):
    path = Path(clips["qtrle", "576i50"]["path"])
    with Clip(path, PROFILES["576i50"]) as clip:
        order = [*range(clip.frames)]
        sequential = [clip.frame(i).copy() for i in order]
        asked = [5, 6, 2, clip.frames - 1, 0, 1, 0, 30, 3, 3, 29]
        for i in asked:
            assert (clip.frame(i) == sequential[i]).all(), f"frame {i} after the frames before it"
        assert len({sequential[i].tobytes() for i in asked}) == len(set(asked)), "the frames differ from each other"
        with pytest.raises(IndexError, match=f"has frames 0 to {clip.frames - 1}, not {clip.frames}"):
            clip.frame(clip.frames)


@pytest.mark.parametrize("keep", [0, 1_500_000, KEEP], ids=["none kept", "some kept", "all kept"])
def test_a_loop_s_next_pass_blends_what_its_first_did(clips, keep):
    """A clip's frames made ready to blend are kept while they fit; a frame kept, or made again, blends as its
    frame does."""
    path, profile = Path(clips["qtrle", "576i50"]["path"]), PROFILES["576i50"]
    rng = np.random.default_rng(36)
    base = (rng.integers(16, 236, (576, 720), np.uint8), *[rng.integers(16, 241, (288, 360), np.uint8)] * 2)
    chroma = chroma_of(base, True)
    with Clip(path, profile, keep=keep) as clip:
        frames, seen, again = range(0, clip.frames, 7), {}, 0
        for i in [*frames, *frames]:  # a loop's two passes
            made = clip.ready(i, "bt601", chroma)
            again += seen.get(i) is made  # (kept: the very arrays)
            seen[i] = made
            got, want = tuple(p.copy() for p in base), tuple(p.copy() for p in base)
            blend_ready(got, made, chroma)
            blend(want, clip.frame(i), "bt601", area=clip.area(i), interlaced=True)
            assert all((a == b).all() for a, b in zip(got, want, strict=True)), f"frame {i}"
    expected = {0: range(0, 1), 1_500_000: range(1, len(frames)), KEEP: range(len(frames), len(frames) + 1)}
    assert again in expected[keep], (again, len(frames))


def _refusal(path: Path, profile=PROFILES["576i50"]) -> str:
    with pytest.raises(FileProblem) as refused:
        Clip(path, profile)
    return str(refused.value)


def test_a_clip_that_cannot_key_the_crawl_is_refused_in_one_sentence(clips, tmp_path):
    path = Path(clips["qtrle", "576i50"]["path"])
    assert _refusal(path, PROFILES["1080i50"]) == f"{path}: is 720x576, not the 1920x1080 of 1080i50."
    other_rate = dataclasses.replace(PROFILES["576i50"], rate=Fraction(30000, 1001))
    assert _refusal(path, other_rate) == f"{path}: runs at 25 frames a second, not the 30000/1001 of 576i50."
    for codec, pix_fmt in (("qtrle", "rgb24"), ("prores_ks", "yuv422p10le")):
        flat = tmp_path / f"{codec}.mov"
        done = ffmpeg("-v", "error", "-f", "lavfi", "-i", "color=c=red:s=720x576:r=25", "-frames:v", 2,
                      "-c:v", codec, "-pix_fmt", pix_fmt, flat)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert _refusal(flat) == (
            f"{flat}: decodes to {pix_fmt}, without an alpha channel to key the crawl by; a clip for air is "
            f"QuickTime Animation (ARGB) or ProRes 4444 with alpha."
        )
    link = tmp_path / "link.mov"
    link.symlink_to(path)
    assert _refusal(link) == f"{link}: cannot be read (Too many levels of symbolic links)."
    text = tmp_path / "words.mov"
    text.write_text("not a film")
    assert _refusal(text).startswith(f"{text}: cannot be opened as a video (")


def _picture(height: int, width: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A picture's planes: a ramp with noise, and chroma ramps."""
    rng = np.random.default_rng(seed)
    columns = np.arange(width)[None, :]
    luma = ((columns * 200 // width + 20 + rng.integers(0, 30, (height, width))) % 256).astype(np.uint8)
    cb = np.broadcast_to(np.arange(width // 2)[None, :] * 100 // (width // 2) + 80, (height // 2, width // 2))
    cr = np.broadcast_to(np.arange(height // 2)[:, None] * 100 // (height // 2) + 70, (height // 2, width // 2))
    return luma, cb.astype(np.uint8), cr.astype(np.uint8)


def ffmpeg_overlay(planes, rgba: np.ndarray, matrix: str) -> list[np.ndarray]:
    """The picture with the clip's picture over it by ffmpeg's overlay filter (yuv420), in PyAV's filter graph.
    The clip goes to Y'CbCr with the picture's matrix, limited range, its chroma the mean of 2×2 (swscale's
    area); its alpha is carried apart (alphaextract, alphamerge): swscale's own conversion of RGBA to yuva420p
    moves some alphas by one (230 to 231), which puts ffmpeg's composite up to two codes off."""
    height, width = planes[0].shape
    colourspace = {"bt601": "bt470bg", "bt709": "bt709"}[matrix]
    g = av.filter.Graph()
    main = g.add("buffer", f"video_size={width}x{height}:pix_fmt=yuv420p:time_base=1/25:pixel_aspect=1/1:"
                           f"colorspace={colourspace}:range=tv")  # fmt: skip
    clip = g.add("buffer", f"video_size={width}x{height}:pix_fmt=rgba:time_base=1/25:pixel_aspect=1/1")
    split, alpha, merge = g.add("split"), g.add("alphaextract"), g.add("alphamerge")
    scale = g.add("scale", f"out_color_matrix={colourspace}:out_range=tv:flags=area")
    to420, overlay, sink = g.add("format", "yuv420p"), g.add("overlay", "format=yuv420"), g.add("buffersink")
    clip.link_to(split)
    split.link_to(scale, 0, 0)
    split.link_to(alpha, 1, 0)
    scale.link_to(to420)
    to420.link_to(merge, 0, 0)
    alpha.link_to(merge, 0, 1)
    main.link_to(overlay, 0, 0)
    merge.link_to(overlay, 0, 1)
    overlay.link_to(sink)
    g.configure()
    picture = av.VideoFrame(width, height, "yuv420p")
    for plane, values in zip(picture_planes(picture), planes):
        plane[...] = values
    over = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgba), format="rgba")
    picture.pts = over.pts = 0
    main.push(picture)
    clip.push(over)
    out = sink.pull()
    return [np.frombuffer(memoryview(p), np.uint8).reshape(p.height, -1)[:, : p.width].copy() for p in out.planes]


@pytest.mark.parametrize("profile", ["576i50", "1080i50"])
def test_blend_is_ffmpeg_s_overlay_within_one_code(clips, profile):
    with Clip(Path(clips["qtrle", profile]["path"]), PROFILES[profile]) as clip:
        rgba, area = clip.frame(20), clip.area(20)
    matrix = matrix_of(PROFILES[profile])
    planes = _picture(rgba.shape[0], rgba.shape[1], seed=len(profile))
    want = ffmpeg_overlay(planes, rgba, matrix)
    got = tuple(p.copy() for p in planes)
    blend(got, rgba, matrix, area=area)
    alpha = rgba[..., 3].reshape(rgba.shape[0] // 2, 2, rgba.shape[1] // 2, 2)
    even = alpha.min(axis=(1, 3)) == alpha.max(axis=(1, 3))  # chroma samples whose four pixels share one alpha
    for name, g, w, before in zip("YUV", got, want, planes):
        changed = w != before
        assert changed.mean() > 0.05, "ffmpeg's overlay put the band in"
        off = np.abs(g.astype(np.int16) - w)
        if name == "Y":
            assert off.max() <= 1, f"Y differs by up to {off.max()} from ffmpeg's"
            continue
        assert off[even].max() <= 1, f"{name} differs by up to {off[even].max()} from ffmpeg's"
        # ffmpeg takes a block's chroma unweighted by its alphas; ticker weighs each pixel's by its own (the
        # composite averaged): at a letter's edge over the band they differ, by two codes at most
        edges = ~even & changed
        assert off[edges].max() <= 2 and (off[edges] == 2).sum() < 0.01 * changed.sum()


def test_picture_planes_write_into_the_picture_not_the_decoder_s_references(tmp_path):
    """An MPEG-2 stream with P and B pictures decoded twice: plainly, and with a box of white written into
    each picture as soon as it is decoded. Every picture is the plain one but for its box: the decoder
    predicted from pictures that were not written into."""
    stream = tmp_path / "ipb.m2v"
    done = ffmpeg("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=720x576:r=25", "-frames:v", 12,
                  "-c:v", "mpeg2video", "-g", 12, "-bf", 2, "-q:v", 4, stream)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with av.open(str(stream)) as c:
        plain = [f.to_ndarray() for f in c.decode(video=0)]
    box = (slice(200, 360), slice(200, 520))
    with av.open(str(stream)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            luma, _, _ = picture_planes(frame)
            luma[box] = 235
            seen = frame.to_ndarray()
            assert (seen[box] == 235).all(), "written into the picture itself"
            seen[box] = plain[i][box]
            assert (seen == plain[i]).all(), f"picture {i} is the plain one but for its box"
    assert len(plain) == 12


@pytest.mark.parametrize("pix_fmt", ["yuvj420p", "rgb24", "yuv420p10le", "nv12"])
def test_pictures_blend_does_not_take_are_refused(pix_fmt):
    with pytest.raises(InputError, match=rf"^The channel's pictures are {pix_fmt}; the crawl is blended into 8-bit"):
        picture_planes(av.VideoFrame(64, 48, pix_fmt))
    full = av.VideoFrame(64, 48, "yuv420p")
    full.color_range = 2
    with pytest.raises(InputError, match=r"^The channel's pictures are yuv420p, full range; "):
        picture_planes(full)


def test_an_airing_whose_clip_cannot_be_read_is_dropped_once_and_the_picture_passes_untouched(tmp_path):
    start = dt.datetime(2020, 3, 12, 6, 30, tzinfo=dt.UTC)
    gone = Insertion("one", "Một", tmp_path / "gone.mov", start, start + dt.timedelta(seconds=3), "sha256:x", ())
    said = []
    inserter = Inserter(lambda: [gone], PROFILES["576i50"], on_drop=lambda i, why: said.append((i.campaign, why)))
    for n in range(5):
        frame = av.VideoFrame.from_ndarray(np.full((576 * 3 // 2, 720), 100, np.uint8), format="yuv420p")
        inserter.picture(start + dt.timedelta(seconds=n * 0.04), n * 0.04, frame)
        assert (frame.to_ndarray() == 100).all()
    assert len(said) == 1 and said[0][0] == "one" and "gone.mov" in said[0][1] and not inserter.opened
