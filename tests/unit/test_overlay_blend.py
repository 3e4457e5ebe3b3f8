"""ticker.air.overlay.blend against the composite worked out independently in float64: the clip's RGB taken to
limited-range Y'CbCr with the matrix's coefficients, each pixel blended with its alpha, and each chroma sample the
mean of its block's composite at full resolution (two lines of one field in an interlaced 4:2:0 picture), then
rounded. Also the colours a broadcast engineer knows by heart, the pixels blend must not touch, the chroma of an
interlaced picture kept with its field, and the area it finds."""

from __future__ import annotations

import numpy as np
import pytest

from ticker.air.blend import ROWS, Box, blend, blend_ready, chroma_of, find_area, ready

KR_KB = {"bt601": (0.299, 0.114), "bt709": (0.2126, 0.0722)}
H, W = 96, 160
SUBSAMPLING = {"420": (2, 2), "422": (1, 2), "444": (1, 1)}


def clip_picture(rng: np.random.Generator, h: int = H, w: int = W) -> np.ndarray:
    """A band like a crawl's: lines 40..75 of random colour and alpha (some 0, some 255, the rest between), a
    box above it on the right (a QR code's place), transparent elsewhere, and colour left in transparent pixels
    (straight alpha says nothing of them)."""
    rgba = rng.integers(0, 256, (h, w, 4), np.uint8)
    alpha = rng.choice(np.array([0, 255, 17, 128, 230, 254, 1], np.uint8), (h, w))
    alpha[:, :] = np.where(rng.random((h, w)) < 0.5, alpha, rng.integers(0, 256, (h, w)))
    keep = np.zeros((h, w), bool)
    keep[41:75] = True
    keep[21:41, 113:149] = True
    rgba[..., 3] = np.where(keep, alpha, 0)
    return rgba


def picture(rng: np.random.Generator, sub: tuple[int, int], h: int = H, w: int = W):
    vsub, hsub = sub
    return (
        rng.integers(0, 256, (h, w), np.uint8),
        rng.integers(0, 256, (h // vsub, w // hsub), np.uint8),
        rng.integers(0, 256, (h // vsub, w // hsub), np.uint8),
    )


def reference(planes, rgba, matrix, sub, interlaced):
    """The composite in float64, rounded: luma pixel by pixel; each chroma sample the mean over its block of
    a·C + (1 − a)·D (D the sample as it was), the block two lines of one field when `interlaced`."""
    kr, kb = KR_KB[matrix]
    kg = 1 - kr - kb
    r, g, b, a = (rgba[..., k].astype(np.float64) for k in range(4))
    a = a / 255
    luma = kr * r + kg * g + kb * b
    y = 16 + 219 / 255 * luma
    cb = 128 + 224 / 255 * (b - luma) / (2 - 2 * kb)
    cr = 128 + 224 / 255 * (r - luma) / (2 - 2 * kr)
    out_y = np.rint(planes[0] * (1 - a) + y * a)
    vsub, hsub = sub
    h, w = a.shape
    outs = []
    for under, over in zip(planes[1:], (cb, cr)):
        d = under.astype(np.float64)
        # each luma pixel's chroma sample: its line's (two lines of a field per sample when interlaced)
        lines = np.arange(h)
        sample_line = (lines // 4 * 2 + lines % 2) if (interlaced and vsub == 2) else lines // vsub
        full = d[sample_line][:, np.arange(w) // hsub]
        composite = over * a + full * (1 - a)
        sums = np.zeros(d.shape)
        np.add.at(sums, (sample_line[:, None], (np.arange(w) // hsub)[None, :]), composite)
        outs.append(np.rint(sums / (vsub * hsub)))
    return out_y, outs[0], outs[1]


@pytest.mark.parametrize("matrix", ["bt601", "bt709"])
@pytest.mark.parametrize(
    "sub, interlaced", [("420", False), ("420", True), ("422", False), ("422", True), ("444", False)]
)
def test_blend_is_the_float_composite_rounded(matrix, sub, interlaced):
    rng = np.random.default_rng(34)
    rgba = clip_picture(rng)
    planes = picture(rng, SUBSAMPLING[sub])
    want = reference(planes, rgba, matrix, SUBSAMPLING[sub], interlaced)
    blend(planes, rgba, matrix, interlaced=interlaced)
    for name, got, expect in zip("Y'CbCr", planes, want):
        off = got.astype(np.int64) - expect
        assert np.abs(off).max() <= 1, f"{name} differs by {np.abs(off).max()}"
        # float32 rounds as float64 does but at a tie: barely ever
        assert np.count_nonzero(off) <= off.size // 10_000, f"{name}: {np.count_nonzero(off)} of {off.size} differ"


@pytest.mark.parametrize("sub, interlaced", [("420", False), ("420", True), ("422", True), ("444", False)])
def test_a_clip_picture_made_ready_once_blends_as_blend_does_pass_after_pass(sub, interlaced):
    """What is kept of a clip's picture between a loop's passes gives the bytes blend gives, and is itself kept
    unchanged by blending."""
    rng = np.random.default_rng(35)
    rgba = clip_picture(rng)
    area = find_area(rgba)
    first, second = picture(rng, SUBSAMPLING[sub]), picture(rng, SUBSAMPLING[sub])
    chroma = chroma_of(first, interlaced)
    made = ready(rgba, area, "bt709", chroma)
    kept = [a.copy() for r in made for a in (r.keep, r.lift, r.block_keep, r.cb, r.cr)]
    for planes in (first, second):
        want = tuple(p.copy() for p in planes)
        blend(want, rgba, "bt709", area=area, interlaced=interlaced)
        blend_ready(planes, made, chroma)
        assert all((got == w).all() for got, w in zip(planes, want, strict=True))
    assert all((a == k).all() for a, k in zip([a for r in made for a in (r.keep, r.lift, r.block_keep, r.cb, r.cr)],
                                              kept, strict=True))  # fmt: skip


@pytest.mark.parametrize("kept", [True, False])
def test_two_boxes_of_one_size_made_ready_each_blend_their_own(kept):
    rng = np.random.default_rng(37)
    rgba = clip_picture(rng)
    area = (Box(8, 16, 0, W), Box(40, 48, 0, W))  # (two bands of one size: work arrays are by size)
    planes, want = picture(rng, (2, 2)), None
    want = tuple(p.copy() for p in planes)
    blend(want, rgba, "bt601", area=area, interlaced=True)
    chroma = chroma_of(planes, True)
    blend_ready(planes, ready(rgba, area, "bt601", chroma, kept=kept), chroma)
    assert all((a == b).all() for a, b in zip(planes, want, strict=True))


@pytest.mark.parametrize(
    "matrix, colour, want",
    [
        ("bt709", (255, 255, 255), (235, 128, 128)),
        ("bt709", (0, 0, 0), (16, 128, 128)),
        ("bt709", (255, 0, 0), (63, 102, 240)),
        ("bt709", (0, 255, 0), (173, 42, 26)),
        ("bt709", (0, 0, 255), (32, 240, 118)),
        ("bt601", (255, 0, 0), (81, 90, 240)),
        ("bt601", (0, 255, 0), (145, 54, 34)),
        ("bt601", (0, 0, 255), (41, 240, 110)),
    ],
)
def test_opaque_colours_are_the_standard_s_codes(matrix, colour, want):
    """BT.709 and BT.601 100 % colour bars' codes (ITU-R BT.709-6 and BT.601-7 tables)."""
    rng = np.random.default_rng(1)
    rgba = np.zeros((H, W, 4), np.uint8)
    rgba[8:24, 16:48] = (*colour, 255)
    planes = picture(rng, (2, 2))
    blend(planes, rgba, matrix)
    assert (planes[0][8:24, 16:48] == want[0]).all()
    assert (planes[1][4:12, 8:24] == want[1]).all() and (planes[2][4:12, 8:24] == want[2]).all()


def test_nothing_outside_the_clip_s_alpha_is_touched():
    rng = np.random.default_rng(7)
    rgba = clip_picture(rng)
    planes = picture(rng, (2, 2))
    before = [p.copy() for p in planes]
    blend(planes, rgba, "bt709")
    clear = rgba[..., 3] == 0
    assert (planes[0][clear] == before[0][clear]).all()
    blocks = ~(rgba[..., 3].reshape(H // 2, 2, W // 2, 2) > 0).any(axis=(1, 3))
    assert (planes[1][blocks] == before[1][blocks]).all() and (planes[2][blocks] == before[2][blocks]).all()
    assert (planes[0][~clear] != before[0][~clear]).any()


def test_blend_touches_only_the_area_it_is_given():
    """The area is what the clip says; a pixel with alpha outside it is not blended (the clip found it once)."""
    rng = np.random.default_rng(8)
    rgba = clip_picture(rng)
    planes = picture(rng, (2, 2))
    before = [p.copy() for p in planes]
    blend(planes, rgba, "bt601", area=(Box(40, 48, 0, W),))
    assert (planes[0][:40] == before[0][:40]).all() and (planes[0][48:] == before[0][48:]).all()
    assert (planes[1][:20] == before[1][:20]).all() and (planes[1][24:] == before[1][24:]).all()
    assert (planes[0][41:48] != before[0][41:48]).any()


def test_an_interlaced_picture_s_chroma_stays_with_its_field():
    """Opaque white on the top field's lines only: with `interlaced`, the top field's chroma lines (0, 2, …)
    take the white's chroma whole and the bottom field's (1, 3, …) are untouched; frame by frame each chroma line
    would be half of each."""
    rgba = np.zeros((H, W, 4), np.uint8)
    rgba[40:56:2] = (40, 200, 30, 255)  # a green on the top field's lines 40, 42, …, 54
    rng = np.random.default_rng(3)
    fields = picture(rng, (2, 2))
    fields[1][:] = 128
    frame = tuple(p.copy() for p in fields)
    before = fields[1].copy()
    blend(fields, rgba, "bt709", interlaced=True)
    blend(frame, rgba, "bt709", interlaced=False)
    top, bottom = slice(20, 28, 2), slice(21, 28, 2)  # chroma lines of luma 40..55: top field's and bottom's
    kr, kb = KR_KB["bt709"]
    cb = round(128 + 224 / 255 * (30 - (kr * 40 + (1 - kr - kb) * 200 + kb * 30)) / (2 - 2 * kb))
    assert (fields[1][top] == cb).all()
    assert (fields[1][bottom] == before[bottom]).all()
    assert (frame[1][20:28] != cb).all(), "frame by frame, a chroma line mixes both fields"


def test_a_picture_not_in_whole_chroma_blocks_is_refused():
    rgba = np.zeros((H, W, 4), np.uint8)
    with pytest.raises(ValueError, match="not one blend takes"):
        blend(picture(np.random.default_rng(0), (3, 2)), rgba, "bt709")
    with pytest.raises(ValueError, match=r"not \(96, 160, 4\) uint8"):
        blend(picture(np.random.default_rng(0), (2, 2)), rgba[:, :100], "bt709")
    with pytest.raises(ValueError, match="not in whole chroma blocks"):
        blend(picture(np.random.default_rng(0), (2, 2)), rgba, "bt709", area=(Box(42, 48, 0, W),), interlaced=True)


def test_the_area_holds_every_pixel_with_alpha_in_few_aligned_boxes():
    """A 576i50 crawl's layout: the band on lines 490..545 across the picture, a QR code above its right end."""
    h, w = 576, 720
    rgba = clip_picture(np.random.default_rng(5), h, w)
    rgba[..., 3] = 0
    rgba[490:546, :, 3] = 230
    rgba[401:490, 582:684, 3] = 255
    rgba[500:520:3, 100:300:7, 3] = 0  # letters' holes
    area = find_area(rgba)
    inside = np.zeros((h, w), bool)
    for box in area:
        assert box.top % ROWS == 0 and box.left % 2 == 0 and box.right % 2 == 0
        assert not inside[box.top : box.bottom, box.left : box.right].any(), "boxes do not overlap"
        inside[box.top : box.bottom, box.left : box.right] = True
    assert not (rgba[..., 3] > 0)[~inside].any()
    # the band's lines whole, the QR code's apart: not the picture's width over the code's lines
    assert area == (Box(400, 488, 582, 684), Box(488, 548, 0, w))
    assert find_area(np.zeros((H, W, 4), np.uint8)) == ()


def test_a_band_at_the_picture_s_last_lines():
    h = 90  # not a whole number of ROWS: the last box ends at the picture's end
    rgba = np.zeros((h, W, 4), np.uint8)
    rgba[85:, :, :] = (10, 20, 30, 200)
    assert find_area(rgba) == (Box(84, 90, 0, W),)
