"""CSV downloads: the csv module for quoting, spreadsheet-formula neutralising, streaming.

A cell that starts with ``= + - @`` (or a tab / carriage return) would run as a
formula when opened in a spreadsheet; such text cells get a leading apostrophe.
Rows are produced lazily so a year of entries never sits in memory.
"""

import csv
import io
from decimal import Decimal
from typing import NamedTuple

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows in one download (the ``X-Row-Limit`` header says so): a stream holds a worker thread
# for as long as it runs, and gunicorn never times a gthread request out. 100,000 rows is
# decades of time entries or invoices; narrow ``from``/``to`` to export the rest.
MAX_ROWS = 100_000


class CsvExport(NamedTuple):
    """What a service hands to a route to download: column names, lazy rows, a file name."""

    header: tuple
    rows: object
    filename: str


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")  # never exponent notation (1.2E+2)
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush():
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return data

    writer.writerow(header)
    yield flush()
    for count, row in enumerate(rows, 1):
        writer.writerow([safe_cell(cell) for cell in row])
        if count % 200 == 0:
            yield flush()
    yield flush()
