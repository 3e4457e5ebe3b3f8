"""Quality control: files read back the way a headend would, before they are published (and for `ticker qc`)."""

from ticker.qc.assembled import Assembly
from ticker.qc.decode import Expect, Report, expect_for, inspect
from ticker.qc.files import check_files

__all__ = ["Assembly", "Expect", "Report", "check_files", "expect_for", "inspect"]
