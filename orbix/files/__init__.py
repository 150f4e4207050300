"""Stored files: receipts and the user's logo, bytes in GridFS.

Owns the GridFS bucket ``files`` (``files.files``: one document per file, with its owner and
the type sniffed from its bytes; ``files.chunks``: the bytes) and ``file_writes`` (uploads and
deletions in progress, so a crash leaves no unseen chunks behind). Other packages check
references through ``files.service`` (``require_file``, ``file_stands``)."""

FILES_BUCKET = "files"
FILES = "files.files"
FILE_CHUNKS = "files.chunks"
FILE_WRITES = "file_writes"
