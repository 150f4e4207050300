"""Requests sent at the same moment, for the tests of races."""

import threading


def at_once(app, *requests):
    """Sends each of ``requests`` (a function of a test client) from a thread and a client of
    its own, all released together; returns the responses in the order of ``requests``."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def send(index, request):
        http = app.test_client()
        barrier.wait()
        responses[index] = request(http)

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses
