"""What the approvers look at: the preview clip and the proof page."""
