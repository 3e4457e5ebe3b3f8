"""ticker: broadcast crawls (chạy chữ) for Vietnamese television."""

__version__ = "0.1.0"
