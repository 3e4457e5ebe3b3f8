"""The formats ticker writes, one row each, by family (one module a family: ticker.media.formats.prores, …)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ticker.media.formats.base import Format
from ticker.media.formats.h264 import H264
from ticker.media.formats.mxf import Mxf
from ticker.media.formats.png import PNG_COLOUR, Png
from ticker.media.formats.prores import PRORES_COLOUR, ProRes
from ticker.media.formats.qtrle import QTRLE_GOP, Qtrle
from ticker.media.formats.ts import TsH264, TsMpeg2
from ticker.media.formats.vp9 import Vp9

FORMATS: Mapping[str, Format] = MappingProxyType(
    {
        f.id: f
        for f in (
            ProRes(
                "prores4444",
                ".mov",
                "yuva444p10le",
                True,
                (("profile:v", "4"), ("vendor", "apl0")),
                interlaced_flags="+ildct",
                copyable=True,
                sliced=True,
                colour_names=PRORES_COLOUR,
            ),
            Qtrle(
                "qtrle",
                ".mov",
                "argb",
                True,
                (("g", str(QTRLE_GOP)),),
                pipe_fmt="argb",
                threaded=False,
                copyable=True,
                sliced=True,
            ),
            Png("png", "", "rgba", True, copyable=True, colour_names=PNG_COLOUR),
            H264(
                "h264",
                ".mp4",
                "yuv420p",
                False,
                (("preset", "fast"), ("crf", "18"), ("movflags", "+faststart")),
                interlaced_flags="+ildct+ilme",
            ),
            # previews for web pages and approvers (ticker preview; not a delivery format)
            H264(
                "preview", ".mp4", "yuv420p", False, (("preset", "veryfast"), ("crf", "23"), ("movflags", "+faststart"))
            ),
            ProRes(
                "fillkey",
                ".mov",
                "yuv422p10le",
                True,
                (("profile:v", "3"), ("vendor", "apl0")),
                interlaced_flags="+ildct",
                copyable=True,
                sliced=True,
                pair=True,
                colour_names=PRORES_COLOUR,
            ),
            Mxf("mxf-fillkey", ".mxf", "yuv422p", True, interlaced_flags="+ildct+ilme", pair=True),
            TsH264("ts-h264", ".ts", "yuv420p", False, interlaced_flags="+ildct+ilme"),
            TsMpeg2("ts-mpeg2", ".ts", "yuv420p", False, interlaced_flags="+ildct+ilme"),
            Vp9(
                "vp9",
                ".webm",
                "yuva420p",
                True,
                (("b:v", "0"), ("crf", "24"), ("deadline", "good"), ("cpu-used", "4"), ("row-mt", "1"), ("g", "50")),
                progressive_only=True,
            ),
        )
    }
)  # read-only: nothing registers a profile, format or target at run time
PREVIEW = "preview"  # the format of previews, not offered for delivery
DELIVERY_FORMATS = tuple(f for f in FORMATS if f != PREVIEW)  # what a campaign's outputs may name
# the decoder that keeps a stream's alpha, by the stream's codec as decoders name it, where ffmpeg's own drops it
ALPHA_DECODERS: Mapping[str, str] = MappingProxyType(dict(f.alpha_decoder for f in FORMATS.values() if f.alpha_decoder))
