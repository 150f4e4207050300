"""One Lua script, called on every request, over a Redis connection of the calling thread's own.

The rate limiter's round trip (``platform.ratelimit``) runs on every request that is counted.
Through redis-py's generic command path it cost ~0.13 ms of CPU, a quarter of a cached read:
checking a connection out of the pool and back (a lock, its metrics bookkeeping), encoding each
argument, the retry wrapper. Here the command is packed in one pass and sent on a connection the
thread keeps (made by the pool's own connection class and settings, so timeouts, TLS and auth are
the same), which halves that. redis-py still does the socket work and reads the reply.

Errors are redis-py's: a timeout or a broken connection raises ``RedisError`` after redis-py has
closed the connection (the next call reconnects); a Redis that lost the script (restart,
``SCRIPT FLUSH``) gets it loaded again, once per call.
"""

import os
import threading

from redis.exceptions import NoScriptError


def pack(*items):
    """The RESP array of ``items`` (str, bytes or int), as one bytes object."""
    out = [b"*%d\r\n" % len(items)]
    for item in items:
        kind = type(item)
        data = item.encode() if kind is str else b"%d" % item if kind is int else item
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class ThreadScript:
    """``script(keys, args)``: EVALSHA of ``source`` on ``client``'s server, as redis-py's
    ``Script`` would answer it."""

    def __init__(self, client, source):
        self.script = client.register_script(source)
        self.client = client
        self._local = threading.local()

    def _connection(self):
        """This thread's connection (a new one after a fork: a socket is never shared)."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            pool = self.client.connection_pool
            local.connection = pool.connection_class(**pool.connection_kwargs)
            local.pid = os.getpid()
        return local.connection

    def __call__(self, keys, args):
        command = pack("EVALSHA", self.script.sha, len(keys), *keys, *args)
        connection = self._connection()
        try:
            connection.send_packed_command((command,), check_health=False)
            return connection.read_response()
        except NoScriptError:
            self.client.script_load(self.script.script)
            connection.send_packed_command((command,), check_health=False)
            return connection.read_response()
