"""Encoding: ffmpeg's arguments, the sinks that feed it the band's pictures, ProRes assembled, slots joined by
stream copy."""

from ticker.encode.assemble import open_assembled
from ticker.encode.ffmpeg_args import Encoding, ffmpeg_exe
from ticker.encode.sink import Sink, open_sink

__all__ = ["Encoding", "Sink", "ffmpeg_exe", "open_assembled", "open_sink"]
