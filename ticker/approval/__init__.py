"""The approval: the key of what airs, approving and revoking it, and its audit trail."""
