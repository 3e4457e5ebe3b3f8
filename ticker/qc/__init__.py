"""Quality control: files read back the way a headend would, before they are published."""
