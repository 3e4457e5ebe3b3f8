"""What ticker reads and writes: inputs read with limits, folders held by descriptor (the one module that
deletes), files published whole, the manifest and the playout tree."""

from ticker.files.held import Held, remove
from ticker.files.inputs import CAMPAIGN_LIMIT, read_input, user_path
from ticker.files.manifest import MANIFEST, read_manifest, write_manifest
from ticker.files.memo import Memo, file_key
from ticker.files.playout_tree import hold_lock
from ticker.files.publish import Workspace, publish_all, write_atomic

__all__ = [
    "CAMPAIGN_LIMIT",
    "MANIFEST",
    "Held",
    "Memo",
    "Workspace",
    "file_key",
    "hold_lock",
    "publish_all",
    "read_input",
    "read_manifest",
    "remove",
    "user_path",
    "write_atomic",
    "write_manifest",
]
