"""Vietnamese text: legacy encodings (TCVN3, VNI, VIQR), detecting them, syllables, clean NFC and the
fonts' glyphs."""
