"""Encoding: ffmpeg's arguments, the sinks that feed it pictures, slots assembled by stream copy."""
