"""Helpers for the fault tests (a stopped Redis, a database outage): not a test module."""

import threading


def answered_within(call, seconds):
    """The result of ``call()`` run in a thread, or None if it had not returned in ``seconds``
    (for faults whose defect is a hang: the caller asserts it answered at all)."""
    result = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    return result[0] if result else None
