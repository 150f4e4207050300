"""What a piece of code asks Redis: not a test module."""

import uuid

import redis


def commands_sent(uri, call):
    """``call()``'s result and the commands clients sent to the Redis at ``uri`` while it ran, in
    order (MONITOR shows every command; those a Lua script runs are marked ``lua``, left out)."""
    with redis.Redis.from_url(uri).monitor() as monitor:
        result = call()
        marker = f"end-{uuid.uuid4().hex}"
        redis.Redis.from_url(uri).echo(marker)
        commands = []
        for event in monitor.listen():
            if marker in event["command"]:
                break
            if event["client_type"] != "lua":
                commands.append(event["command"])
    return result, commands
