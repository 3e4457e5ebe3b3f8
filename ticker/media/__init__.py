"""The picture profiles, the delivery formats (ticker.media.formats) and the inserters ticker knows: value types
that run no process."""

from ticker.media.formats import FORMATS, Delivery, Format, check_output
from ticker.media.profiles import PROFILES, Profile
from ticker.media.targets import TARGETS, Fill

__all__ = ["FORMATS", "PROFILES", "TARGETS", "Delivery", "Fill", "Format", "Profile", "check_output"]
