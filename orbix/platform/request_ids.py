"""Fresh request ids, for the request-id header and the id a 500 names."""

import itertools
import os


class RequestIds:
    """Fresh request ids: 32 hex digits, a random per-process prefix and a counter. As unique as
    ``uuid4().hex`` across processes (64 random bits a process, renewed in every forked worker)
    without a system call for randomness on every request."""

    def __init__(self):
        self._renew()
        os.register_at_fork(after_in_child=self._renew)

    def _renew(self):
        self._prefix = os.urandom(8).hex()
        self._counter = itertools.count(int.from_bytes(os.urandom(4)))

    def new(self):
        return f"{self._prefix}{next(self._counter) & 0xFFFFFFFFFFFFFFFF:016x}"


request_ids = RequestIds()
