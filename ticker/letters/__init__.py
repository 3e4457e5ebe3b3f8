"""Letters from departments: read (PDF, .docx, text; in a child process, ticker.letters.child), their requests
found, and a draft campaign written from them."""

from ticker.letters.draft import draft_document, write_draft
from ticker.letters.findings import read_findings
from ticker.letters.read import LETTER_LIMIT

__all__ = ["LETTER_LIMIT", "draft_document", "read_findings", "write_draft"]
