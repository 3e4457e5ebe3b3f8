"""What was delivered and what aired, kept apart from the clips: the records folder, its one line format, its
seals, its retention, and the one rule that counts an airing from them."""

from ticker.records.as_run import AsRunSource, as_run_source, export_csv, import_as_run, read_as_run, read_source
from ticker.records.count import MATCH, STRENGTH, Counted, Extra, Mine, Slot, Strength, count, stem
from ticker.records.folder import EvidenceKind, Reading, Records
from ticker.records.lines import (
    Aired,
    Approved,
    Clock,
    Covered,
    DeliveredFile,
    Delivery,
    Kind,
    LeftOut,
    Planned,
    Record,
    Source,
    Unrecognised,
    moment,
)
from ticker.records.retention import KEEP_DAYS, KEEP_EVIDENCE_DAYS, Retention, retire
from ticker.records.seal import DayCheck, seal, seal_over, verify

__all__ = [
    "KEEP_DAYS", "KEEP_EVIDENCE_DAYS", "MATCH", "STRENGTH", "Aired", "Approved", "AsRunSource", "Clock", "Counted",
    "Covered", "DayCheck", "DeliveredFile", "Delivery", "EvidenceKind", "Extra", "Kind", "LeftOut", "Mine", "Planned",
    "Reading", "Record", "Records", "Retention", "Slot", "Source", "Strength", "Unrecognised", "as_run_source",
    "count", "export_csv", "import_as_run", "moment", "read_as_run", "read_source", "retire", "seal", "seal_over",
    "stem", "verify",
]  # fmt: skip
