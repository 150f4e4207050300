"""File download responses (PDF, CSV, stored files) with safe headers; services hand routes the bytes or
rows, and only routes build responses."""

import unicodedata
from itertools import chain, islice
from urllib.parse import quote

from flask import Response, stream_with_context

from ..common.csvexport import MAX_ROWS, csv_lines

NO_STORE = "private, no-store"


def content_disposition(disposition, filename):
    """A ``Content-Disposition`` value that HTTP can carry for any user-given file name.

    Header values are Latin-1 on the wire (gunicorn refuses anything else, answering its own
    HTML 500 outside the app), so ``filename`` is an ASCII fallback ("Résumé 履歴書" ->
    "Resume____"), and a name that needed changing travels intact, percent-encoded UTF-8, in
    ``filename*`` (RFC 6266), which browsers prefer."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in filename)
    decomposed = unicodedata.normalize("NFKD", safe)
    fallback = "".join(ch if ch.isascii() else "_" for ch in decomposed if not unicodedata.combining(ch))
    value = f'{disposition}; filename="{fallback}"'
    if fallback != safe:
        value += f"; filename*=UTF-8''{quote(safe, safe='')}"
    return value


def document_response(data, mimetype, filename, inline=True):
    """A generated document (PDF, XML) as a download response with a safe file name."""
    disposition = content_disposition("inline" if inline else "attachment", filename)
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition, "Cache-Control": NO_STORE})


def pdf_response(data, filename, inline=True):
    """A PDF download response with a safe file name."""
    return document_response(data, "application/pdf", filename, inline)


def file_response(chunks, length, mimetype, filename, inline=True):
    """A stored file's bytes (an iterable of pieces, closed when sent), as the type it was
    sniffed to be; ``nosniff`` so no browser second-guesses it."""
    return Response(
        chunks,
        mimetype=mimetype,
        headers={
            "Content-Disposition": content_disposition("inline" if inline else "attachment", filename),
            "Content-Length": str(length),
            "Cache-Control": NO_STORE,
            "X-Content-Type-Options": "nosniff",
        },
    )


def csv_download(export):
    """Stream a ``common.csvexport.CsvExport`` as a CSV attachment.

    The first row is produced before the response starts, so whatever a service does
    lazily (building the query from the filters, running it) fails as a proper error
    response, never as a 200 that breaks off after the header line."""
    rows = islice(export.rows, MAX_ROWS)
    first = list(islice(rows, 1))
    return Response(
        stream_with_context(csv_lines(export.header, chain(first, rows))),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"', "Cache-Control": NO_STORE,
                 "X-Row-Limit": str(MAX_ROWS)},
    )
