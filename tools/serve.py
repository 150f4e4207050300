"""`make run`: start the embedded database (unless MONGO_URI is set), a redis-server for
rate limits and jobs (unless RATELIMIT_STORAGE_URI is set) and a local mail sink (unless
SMTP_URL is set: every e-mail lands in instance/mail/*.eml), apply migrations, serve with
gunicorn beside one job worker until Ctrl-C, then stop what it started.

The embedded database is supervised: if it dies it is restarted (with backoff, logged) on the
same port and data directory, and the API, which answered 503 meanwhile, reconnects by itself.
"""

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orbix.config import instance_dir  # noqa: E402
from orbix.dev.embedded_db import EmbeddedDatabase  # noqa: E402
from orbix.dev.mail_sink import MailSink  # noqa: E402
from orbix.dev.redis_server import RedisServer  # noqa: E402


def _interrupt(*_):
    raise KeyboardInterrupt


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    signal.signal(signal.SIGTERM, _interrupt)  # until gunicorn runs: stop what was started, like Ctrl-C
    env = dict(os.environ)
    database = redis = sink = worker = None
    try:
        if not env.get("MONGO_URI"):
            data_dir = instance_dir() / "ferretdb"
            database = EmbeddedDatabase(data_dir=data_dir, listen=env.get("ORBIX_DB_LISTEN", "127.0.0.1:27117"))
            env["MONGO_URI"] = database.start().rstrip("/") + "/orbix"
            database.supervise()
            print(f"embedded database at {env['MONGO_URI']} (data in {data_dir})", flush=True)
        if not env.get("RATELIMIT_STORAGE_URI"):
            redis = RedisServer(port=int(env.get("ORBIX_REDIS_PORT", "6479")))
            env["RATELIMIT_STORAGE_URI"] = redis.start()
            print(f"rate-limit storage at {env['RATELIMIT_STORAGE_URI']}", flush=True)
        if not env.get("SMTP_URL"):
            mail_dir = instance_dir() / "mail"
            sink = MailSink(directory=mail_dir, port=int(env.get("ORBIX_MAIL_PORT", "8025")))
            env["SMTP_URL"] = sink.start()
            print(f"mail sink at {env['SMTP_URL']}: every e-mail sent is written to {mail_dir}/*.eml", flush=True)
        bin_dir = Path(sys.executable).parent
        subprocess.run([str(bin_dir / "flask"), "--app", "wsgi", "migrate"], env=env, cwd=ROOT, check=True)
        worker = subprocess.Popen([sys.executable, "-m", "orbix.jobs.worker"], env=env, cwd=ROOT)
        print("job worker started (e-mail, periodic tasks)", flush=True)
        server = subprocess.Popen([str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], env=env, cwd=ROOT)
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.send_signal(signal.SIGINT)
            return server.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        if worker:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        if sink:
            sink.stop()
        if redis:
            redis.stop()
        if database:
            database.stop()
            print("embedded database stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
