"""ticker air: the approved crawl put into a live channel at its minute."""
