"""What the approvers look at: the preview clip and the proof page."""

from ticker.review.proof import make_proof

__all__ = ["make_proof"]
