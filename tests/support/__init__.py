"""The tests' helpers: campaigns, running ticker, reading files back, a desk on a port, letters."""
