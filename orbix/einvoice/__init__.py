"""Standard e-invoices: EN 16931 as Factur-X / ZUGFeRD (CII XML in a PDF/A-3) and UBL 2.1
(Peppol BIS Billing 3.0, XRechnung).

Owns no collection: an invoice (owned by ``invoices``) is turned into one neutral document
(``model``), which the CII and UBL writers serialise without knowing the invoice's shape."""
