"""Make factur-x's XMP metadata readable by PDF/A validators.

factur-x 7.8 writes its XMP packet with the ``rdf`` namespace declared only on ``x:xmpmeta`` and
``rdf:Description`` elements without ``rdf:about``. Adobe's XMP parser, which veraPDF (and so
Mustang and most PDF/A checkers) uses, refuses such a packet ("Invalid attributes of rdf:RDF
element"): it then sees no PDF/A identification, falls back to PDF/A-1b and fails the file. With
the declaration repeated on ``rdf:RDF`` and ``rdf:about=""`` on each description (both valid RDF,
same meaning) veraPDF reads the packet and finds the file PDF/A-3b compliant."""

import io
import re

from pypdf import PdfReader, PdfWriter

RDF_NS = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF = b"<rdf:RDF>"
_DESCRIPTION = re.compile(rb"<rdf:Description(?![^>]*rdf:about)")


def readable_xmp(packet):
    """The XMP packet with the RDF declaration on rdf:RDF and rdf:about on every description."""
    packet = packet.replace(_RDF, b'<rdf:RDF xmlns:rdf="' + RDF_NS + b'">')
    return _DESCRIPTION.sub(b'<rdf:Description rdf:about=""', packet)


def with_readable_xmp(pdf):
    """``pdf`` (bytes of a Factur-X PDF) with its document XMP rewritten by ``readable_xmp``."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header
    metadata = writer.root_object["/Metadata"].get_object()
    metadata.set_data(readable_xmp(metadata.get_data()))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
