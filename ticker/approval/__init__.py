"""The approval: the key of what airs, approving and revoking it, and its audit trail."""

from ticker.approval.key import approve, content_key, record_voided, revoke, state

__all__ = ["approve", "content_key", "record_voided", "revoke", "state"]
