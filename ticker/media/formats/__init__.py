"""Delivery formats: what each one is and refuses, and how its files are handed over.

One class per codec family (ticker.media.formats.prores, qtrle, png, h264, vp9, mxf, ts; mpeg2 holds the MPEG-2
coding MXF and TS share), each answering the interface of ticker.media.formats.base, registered in one read-only
table. ticker.encode.ffmpeg_args writes their options into ffmpeg's arguments; ticker.qc.decode reads the files
back against them; `check_output` refuses an output before anything is written. Nothing here runs ffmpeg.
"""

from ticker.media.formats.base import Format
from ticker.media.formats.check import check_output, said
from ticker.media.formats.delivery import (
    AUDIO_CODECS,
    PICTURE_DIGITS,
    Delivery,
    Placement,
    Programme,
    fill_path,
    key_path,
    read_note,
)
from ticker.media.formats.table import ALPHA_DECODERS, DELIVERY_FORMATS, FORMATS, PREVIEW

__all__ = [
    "ALPHA_DECODERS",
    "AUDIO_CODECS",
    "DELIVERY_FORMATS",
    "FORMATS",
    "PICTURE_DIGITS",
    "PREVIEW",
    "Delivery",
    "Format",
    "Placement",
    "Programme",
    "check_output",
    "fill_path",
    "key_path",
    "read_note",
    "said",
]
