"""Letters from departments: read (PDF, .docx, text), their requests found, and a draft campaign written."""
