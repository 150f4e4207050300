"""Reading the CSV and PDF documents the API answers with."""

import csv
import io

from pypdf import PdfReader


def csv_rows(response):
    """The rows of a CSV response (asserted to be one)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def pdf_reader(response):
    """A reader of a PDF response (asserted to be one)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(response.data))


def reader_text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_text(response):
    """The text of every page of a PDF response."""
    return reader_text(pdf_reader(response))
