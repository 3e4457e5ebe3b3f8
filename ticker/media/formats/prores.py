"""Apple ProRes (ffmpeg's prores_aw) in QuickTime: 4444 with its alpha, or 422 HQ as a fill+key pair. Its
pictures are coded in independent slices, so a picture is assembled from the band's encoded rows
(ticker.encode.prores, ticker.encode.assemble), and every run of pictures can be joined by stream copy."""

from __future__ import annotations

from dataclasses import dataclass

from ticker.media.formats.base import Format

# A ProRes frame header (SMPTE RDD 36) carries the transfer in BT.709 numbering (the BT.601 curve is the same
# one) and the matrix as BT.709, BT.601 (smpte170m, the same coefficients as the 625-line bt470bg) or BT.2020;
# prores_aw writes 0 for any other name, which decoders read as "GBR, reserved". So SD ProRes says 5/1/6 in
# its frame headers and in the MOV's colr atom alike, as Apple's own PAL ProRes files do.
PRORES_COLOUR = (("transfer", "smpte170m", "bt709"), ("matrix", "bt470bg", "smpte170m"))


@dataclass(frozen=True)
class ProRes(Format):
    codec = "prores_aw"
    muxer = "mov"
    carries_note = True
