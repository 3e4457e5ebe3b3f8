"""What ticker reads and writes: inputs read with limits, folders held by descriptor, files published
whole, the manifest and the playout tree."""
