"""The picture formats, output formats, inserters and codec levels ticker knows: value types, no processes."""
