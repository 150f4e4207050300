"""Invoice numbers: ``INV-00001``, per user, allocated atomically and without gaps, by the
shared ``common.numbering`` rules on a per-user counter document (``counters``,
``_id: "invoice:<user id>"``)."""

from ..common.numbering import Numbering
from . import INVOICE_COUNTERS, INVOICES

COUNTERS = INVOICE_COUNTERS
NUMBERING = Numbering(COUNTERS, "invoice", INVOICES, "invoice_number")

counter_id = NUMBERING.counter_id
allocate = NUMBERING.allocate
release = NUMBERING.release
withdraw = NUMBERING.withdraw
insert_numbered = NUMBERING.insert_numbered
