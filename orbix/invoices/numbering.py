"""Invoice numbers (``INV-00001``) and credit note numbers (``CN-00001``): two per-user series,
allocated atomically and without gaps by the shared ``common.numbering`` rules on per-user
counter documents (``counters``, ``_id: "invoice:<user id>"`` and ``"credit_note:<user id>"``)."""

from ..common.numbering import Numbering
from . import CREDIT_NOTES, INVOICE_COUNTERS, INVOICES

COUNTERS = INVOICE_COUNTERS
NUMBERING = Numbering(COUNTERS, "invoice", INVOICES, "invoice_number")
CREDIT_NOTE_NUMBERING = Numbering(COUNTERS, "credit_note", CREDIT_NOTES, "credit_note_number")

counter_id = NUMBERING.counter_id
allocate = NUMBERING.allocate
release = NUMBERING.release
withdraw = NUMBERING.withdraw
insert_numbered = NUMBERING.insert_numbered
