"""Branding: how the documents a client receives look (the account's logo and accent colour)
and which language and locale they are in, bundled as one ``DocumentStyle`` that the invoice
PDF, the public invoice page and the contract PDF take. No collections of its own: the logo's
bytes belong to ``files``, the settings to ``auth``."""
