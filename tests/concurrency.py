"""Requests sent at the same moment, for the tests of races."""

import threading


def together(*calls):
    """Runs each zero-argument function in a thread of its own, all released at once; returns
    their results in the order of ``calls``."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def at_once(app, *requests):
    """Sends each of ``requests`` (a function of a test client) with a client of its own, all
    released together; returns the responses in the order of ``requests``."""
    pairs = [(request, app.test_client()) for request in requests]
    return together(*[lambda pair=pair: pair[0](pair[1]) for pair in pairs])
