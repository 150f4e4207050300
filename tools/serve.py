"""`make run`: start the embedded database (unless MONGO_URI is set) and a redis-server for
rate limits (unless RATELIMIT_STORAGE_URI is set), apply migrations, serve with gunicorn
until Ctrl-C, then stop what it started."""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orbix.config import instance_dir  # noqa: E402
from orbix.dev.embedded_db import EmbeddedDatabase  # noqa: E402
from orbix.dev.redis_server import RedisServer  # noqa: E402


def main():
    env = dict(os.environ)
    database = None
    if not env.get("MONGO_URI"):
        data_dir = instance_dir() / "ferretdb"
        database = EmbeddedDatabase(data_dir=data_dir, listen=env.get("ORBIX_DB_LISTEN", "127.0.0.1:27117"))
        env["MONGO_URI"] = database.start().rstrip("/") + "/orbix"
        print(f"embedded database at {env['MONGO_URI']} (data in {data_dir})", flush=True)
    redis = None
    if not env.get("RATELIMIT_STORAGE_URI"):
        redis = RedisServer(port=int(env.get("ORBIX_REDIS_PORT", "6479")))
        env["RATELIMIT_STORAGE_URI"] = redis.start()
        print(f"rate-limit storage at {env['RATELIMIT_STORAGE_URI']}", flush=True)
    bin_dir = Path(sys.executable).parent
    try:
        subprocess.run([str(bin_dir / "flask"), "--app", "wsgi", "migrate"], env=env, cwd=ROOT, check=True)
        server = subprocess.Popen([str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], env=env, cwd=ROOT)
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.send_signal(signal.SIGINT)
            return server.wait()
    finally:
        if redis:
            redis.stop()
        if database:
            database.stop()
            print("embedded database stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
