"""Readers of the written files that ticker did not write: libpng, pngcheck, the ProRes frame header as RDD 36
lays it out (what bmx's rdd36dump prints), and a transport stream's SDT as EN 300 468 lays it out."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import av

# libpng is called in a process of its own: a file it cannot read makes it abort, which must fail one test,
# not the session. The program is libpng's own sequence: read the header chunks, ask for the pixel aspect.
_LIBPNG = r"""
import ctypes, ctypes.util, sys
png = ctypes.CDLL(ctypes.util.find_library("png16") or "libpng16.so.16")
libc = ctypes.CDLL(ctypes.util.find_library("c"))
P = ctypes.c_void_p
png.png_get_libpng_ver.restype = ctypes.c_char_p
png.png_get_libpng_ver.argtypes = [P]
png.png_create_read_struct.restype = P
png.png_create_read_struct.argtypes = [ctypes.c_char_p, P, P, P]
png.png_create_info_struct.restype = P
png.png_create_info_struct.argtypes = [P]
png.png_init_io.argtypes = [P, P]
png.png_read_info.argtypes = [P, P]
png.png_get_pixel_aspect_ratio.restype = ctypes.c_float
png.png_get_pixel_aspect_ratio.argtypes = [P, P]
png.png_destroy_read_struct.argtypes = [ctypes.POINTER(P), ctypes.POINTER(P), P]
libc.fopen.restype = P
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.fclose.argtypes = [P]
fp = libc.fopen(sys.argv[1].encode(), b"rb")
read = png.png_create_read_struct(png.png_get_libpng_ver(None), None, None, None)
info = png.png_create_info_struct(read)
png.png_init_io(read, fp)
png.png_read_info(read, info)
print(png.png_get_libpng_ver(None).decode(), png.png_get_pixel_aspect_ratio(read, info))
r, i = P(read), P(info)
png.png_destroy_read_struct(ctypes.byref(r), ctypes.byref(i), None)
libc.fclose(fp)
"""


def libpng_pixel_aspect(path: Path) -> tuple[str, float]:
    """libpng's version and its `png_get_pixel_aspect_ratio()` of the picture."""
    done = subprocess.run([sys.executable, "-c", _LIBPNG, str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"libpng could not read {path}: {done.stderr}"
    version, aspect = done.stdout.split()
    return version, float(aspect)


def pngcheck(*paths: Path) -> subprocess.CompletedProcess:
    """Debian's pngcheck, verbose: every chunk named, and the verdict."""
    exe = shutil.which("pngcheck")
    assert exe, "Debian's pngcheck is needed (bash .ci/test-tools installs it)"
    return subprocess.run([exe, "-v", *map(str, paths)], capture_output=True, text=True, check=False)


def prores_header(path: Path, picture: int = 0) -> dict:
    """The frame header of one ProRes picture (SMPTE RDD 36, 5.1): what bmx's rdd36dump reports."""
    with av.open(str(path)) as c:
        packets = (p for p in c.demux(c.streams.video[0]) if p.size)
        for _ in range(picture):
            next(packets)
        data = bytes(next(packets))
    assert data[4:8] == b"icpf", "not a ProRes frame"
    h = data[8:]
    return {
        "encoder": h[4:8].decode("ascii"),
        "width": int.from_bytes(h[8:10], "big"),
        "height": int.from_bytes(h[10:12], "big"),
        "chroma_format": h[12] >> 6,
        "interlace_mode": (h[12] >> 2) & 3,
        "color_primaries": h[14],
        "transfer_characteristic": h[15],
        "matrix_coefficients": h[16],
        "alpha_channel_type": h[17] & 15,
    }


def sdt_services(path: Path) -> list[dict]:
    """The services of a transport stream's first SDT (EN 300 468, 5.2.3), with their service descriptors."""
    data = Path(path).read_bytes()
    section = b""
    for at in range(0, len(data) - 187, 188):
        packet = data[at : at + 188]
        assert packet[0] == 0x47, f"lost TS sync at byte {at}"
        pid = ((packet[1] & 0x1F) << 8) | packet[2]
        if pid != 0x11:
            continue
        start, control = bool(packet[1] & 0x40), (packet[3] >> 4) & 3
        payload = packet[4:] if control == 1 else packet[5 + packet[4] :] if control == 3 else b""
        if start:
            section = payload[1 + payload[0] :]
        elif section:
            section += payload
        if len(section) >= 3 and section[0] == 0x42 and len(section) >= 3 + (((section[1] & 0x0F) << 8) | section[2]):
            break
    else:
        raise AssertionError("no SDT in the stream")
    length = ((section[1] & 0x0F) << 8) | section[2]
    body, services = section[11 : 3 + length - 4], []  # after the header, before the CRC
    while body:
        loop = ((body[3] & 0x0F) << 8) | body[4]
        service = {"service_id": int.from_bytes(body[0:2], "big"), "running_status": body[3] >> 5}
        descriptors = body[5 : 5 + loop]
        while descriptors:
            tag, size = descriptors[0], descriptors[1]
            d = descriptors[2 : 2 + size]
            if tag == 0x48:
                provider = d[2 : 2 + d[1]]
                name = d[3 + d[1] : 3 + d[1] + d[2 + d[1]]]
                service |= {"service_type": d[0], "provider": _dvb_text(provider), "name": _dvb_text(name)}
            descriptors = descriptors[2 + size :]
        services.append(service)
        body = body[5 + loop :]
    return services


def _dvb_text(raw: bytes) -> str:
    """EN 300 468 Annex A: 0x15 selects UTF-8; no selector is the Latin table (read as Latin-1 here)."""
    return raw[1:].decode("utf-8") if raw[:1] == b"\x15" else raw.decode("latin-1")


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "big")


def rdd36_frame(data: bytes) -> dict:
    """A whole ProRes frame read as SMPTE RDD 36 lays it out (5.1 the frame header, 5.2 the pictures, 5.3 the
    slices), every size checked against the bytes it counts: the frame header's fields, then each picture
    (two for an interlaced frame, the second at the first's picture_size), its slice table and every slice's
    header."""
    assert len(data) >= 8 and data[4:8] == b"icpf", "not a ProRes frame"
    frame_size = int.from_bytes(data[0:4], "big")
    assert frame_size == len(data), f"frame_size {frame_size}, the frame has {len(data)} bytes"
    header_size = _u16(data, 8)
    flags = data[27]
    luma_matrix, chroma_matrix = bool(flags & 2), bool(flags & 1)
    assert header_size == 20 + 64 * (luma_matrix + chroma_matrix), f"frame_header_size {header_size}"
    frame = {
        "frame_size": frame_size,
        "frame_header_size": header_size,
        "bitstream_version": data[11],
        "encoder": data[12:16].decode("ascii"),
        "width": _u16(data, 16),
        "height": _u16(data, 18),
        "chroma_format": data[20] >> 6,
        "interlace_mode": (data[20] >> 2) & 3,
        "aspect_ratio_information": data[21] >> 4,
        "frame_rate_code": data[21] & 15,
        "color_primaries": data[22],
        "transfer_characteristic": data[23],
        "matrix_coefficients": data[24],
        "alpha_channel_type": data[25] & 15,
        "load_luma_quantization_matrix": luma_matrix,
        "load_chroma_quantization_matrix": chroma_matrix,
        "pictures": [],
    }
    at = 8 + header_size
    for _ in range(2 if frame["interlace_mode"] else 1):
        frame["pictures"].append(_rdd36_picture(data, at, frame["alpha_channel_type"] != 0))
        at += frame["pictures"][-1]["picture_size"]
    assert at == len(data), f"the pictures end at byte {at} of a frame of {len(data)}"
    return frame


def _rdd36_picture(data: bytes, at: int, alpha: bool) -> dict:
    head = data[at] >> 3
    size = int.from_bytes(data[at + 1 : at + 5], "big")
    count = _u16(data, at + 5)
    assert head == 8, f"picture_header_size {head}"
    assert at + size <= len(data), f"picture_size {size} runs past the frame"
    sizes = [_u16(data, at + head + 2 * i) for i in range(count)]
    slices, offset = [], at + head + 2 * count
    assert head + 2 * count + sum(sizes) == size, "the slice table does not add up to picture_size"
    for slice_size in sizes:
        s = data[offset : offset + slice_size]
        slice_head = s[0] >> 3
        assert slice_head == (8 if alpha else 6), f"slice_header_size {slice_head}"
        one = {"size": slice_size, "header_size": slice_head, "qscale": s[1], "y": _u16(s, 2), "cb": _u16(s, 4)}
        if alpha:
            one |= {"cr": _u16(s, 6)}
            one["alpha"] = slice_size - slice_head - one["y"] - one["cb"] - one["cr"]
            assert one["alpha"] >= 0, f"a slice's sizes pass its {slice_size} bytes: {one}"
        else:
            one["cr"] = slice_size - slice_head - one["y"] - one["cb"]
            assert one["cr"] >= 0, f"a slice's sizes pass its {slice_size} bytes: {one}"
        assert 1 <= one["qscale"] <= 224, f"quantization_index {one['qscale']}"
        slices.append(one)
        offset += slice_size
    return {
        "picture_header_size": head,
        "picture_size": size,
        "slice_count": count,
        "log2_slice_mbs_width": (data[at + 7] >> 4) & 3,
        "log2_slice_mbs_height": data[at + 7] & 3,
        "slices": slices,
    }


def rdd36_frames(path: Path) -> list[dict]:
    """Every frame of a ProRes file's video stream, read by `rdd36_frame`."""
    with av.open(str(path)) as c:
        return [rdd36_frame(bytes(p)) for p in c.demux(c.streams.video[0]) if p.size]
