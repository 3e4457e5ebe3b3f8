"""The report back to the department: its facts, its words, .docx, .html and .json."""
