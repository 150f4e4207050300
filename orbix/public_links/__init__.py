"""Public links: random tokens that open one document to anyone holding the link, with no login
(the public invoice page ``/i/<token>``; the contract signing and estimate pages are meant to use
them too).

Owns ``public_links``: one document per link, ``_id`` = the SHA-256 (hex) of the token, so the
plain token is never stored and a lookup is a primary-key read. ``links`` issues, resolves and
revokes them; ``pages`` holds what every public HTML page shares (the stylesheet, the 404 page,
the response headers)."""

PUBLIC_LINKS = "public_links"
