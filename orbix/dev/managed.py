"""What the development processes (database, Redis, mail sink) share: ``with X() as x``
starts it and ends it, however the block ends."""


class Managed:
    """A context manager over ``start()`` and ``close()`` (``stop()`` unless overridden)."""

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.stop()
