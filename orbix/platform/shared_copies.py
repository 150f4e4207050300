"""The read cache's copies, shared by every worker through Redis (``platform.read_cache``).

Each worker keeps its own copies, so after a write every worker read the same page afresh:
under load, four workers missing a 100-invoice page at once made four FerretDB reads and four
marshmallow dumps of it (~40 ms each, 10 ms of it CPU) on two cores, and everything else waited
(the invoice page's p99 after each round's writes in bench/README.md). Here a worker that misses
asks Redis first, in one round trip: a copy filed under the same data version is used as it is;
else the worker either claims the read (it reads, then files its copy for the others) or, when
another worker holds the claim, waits for that worker's copy (up to ``WAIT_SECONDS``, then reads
itself). A claim lapses after ``CLAIM_SECONDS`` if its worker dies.

A shared copy is trusted exactly as a worker's own is: only under the data version and UTC day
it was filed under, for at most ``READ_CACHE_SECONDS`` (Redis expires it). When Redis does not
answer, every worker reads for itself.
"""

import functools
import hashlib
import json
import time

CLAIM_SECONDS = 5
WAIT_SECONDS = 2
FIRST_POLL_SECONDS, LAST_POLL_SECONDS = 0.005, 0.05  # how often a waiting worker asks again
SEPARATOR = b"\x00"

# KEYS: the copy, its claim. ARGV: the version prefix a usable copy starts with, the claim's
# lifetime in ms, the oldest filing time (ms) still usable. A copy is the prefix, its filing time
# (13 digits), then its headers (JSON) and body after a separator each. Returns {1, copy} for a
# usable copy, {2} when this worker now holds the claim, {0} when another worker does.
LOOKUP = """
local copy = redis.call('GET', KEYS[1])
local n = #ARGV[1]
if copy and string.sub(copy, 1, n) == ARGV[1]
    and tonumber(string.sub(copy, n + 1, n + 13)) >= tonumber(ARGV[3]) then
  return {1, copy}
end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {2} end
return {0}
"""
COPY, CLAIMED = 1, 2  # LOOKUP's answers; 0: another worker holds the claim


def _version_prefix(version):
    data_version, day = version
    return data_version + b"|" + day.isoformat().encode() + SEPARATOR


class SharedCopies:
    """The copies of one worker's ``cache`` (a ``ReadCache``: its age and size limits apply)."""

    def __init__(self, gate, cache):
        self.gate = gate
        self.cache = cache
        self.lookup = gate.client.register_script(LOOKUP)

    def _keys(self, key):
        digest = hashlib.sha256("\x00".join(key).encode()).hexdigest()
        copy = f"{self.gate.prefix}:read-copy:{digest}"
        return copy, copy + ":claim"

    def fetch_or_claim(self, key, version):
        """(body, headers) of another worker's copy, waiting while one is being read; None when
        this worker should read (it then holds the claim, or Redis is away, or waiting ran out)."""
        keys = self._keys(key)
        prefix = _version_prefix(version)
        deadline = time.monotonic() + WAIT_SECONDS
        pause = FIRST_POLL_SECONDS
        while True:
            args = [prefix, CLAIM_SECONDS * 1000, int((time.time() - self.cache.max_age) * 1000)]
            found = self.gate.call("read copies not shared until Redis answers",
                                   functools.partial(self._lookup, keys, args))
            if found is None or found[0] == CLAIMED:
                return None
            if found[0] == COPY:
                headers, _, body = found[1][len(prefix) + 13:].partition(SEPARATOR)
                return body, [tuple(pair) for pair in json.loads(headers)]
            if time.monotonic() >= deadline:
                return None
            time.sleep(pause)
            pause = min(pause * 1.5, LAST_POLL_SECONDS)

    def _lookup(self, keys, args, client):
        return self.lookup(keys=keys, args=args, client=client)

    def file(self, key, version, body, headers):
        """Share this worker's fresh copy (``body`` None: nothing to share) and drop the claim."""
        copy_key, claim_key = self._keys(key)

        def share(client):
            pipe = client.pipeline(transaction=False)
            if body is not None and self.cache.keeps(body):
                filed_at = b"%013d" % int(time.time() * 1000)
                value = _version_prefix(version) + filed_at + json.dumps(headers).encode() + SEPARATOR + body
                pipe.set(copy_key, value, px=max(1, int(self.cache.max_age * 1000)))
            pipe.delete(claim_key)
            pipe.execute()

        self.gate.call("read copies not shared until Redis answers", share)
