"""The report back to the department: its facts, its words, .docx, .html and .json."""

from ticker.reports.files import Request, write_reports

__all__ = ["Request", "write_reports"]
