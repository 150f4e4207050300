"""gunicorn settings for production and `make run` (read by `gunicorn -c gunicorn.conf.py`)."""

import multiprocessing
import os
import shutil
import tempfile

from gunicorn.http import wsgi as _gunicorn_wsgi

# No version banner: the Server header says only "orbix".
_gunicorn_wsgi.SERVER = "orbix"

# Prometheus multiprocess mode: every worker writes its metrics to files in one directory,
# which /metrics aggregates. Set before the app is imported.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="orbix-metrics-")
else:
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"

# Threaded workers: bcrypt releases the GIL, so a ~300 ms hash in one thread does not
# block the other requests of that worker. Workers from CPU count, capped for small dynos.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# How many connections a worker holds at once (in flight plus idle keep-alive). With gthread's
# default (1000) one worker can grab most connections of a burst while the others idle: in a
# 32-connection load run one worker held 18 and another 3, so its clients waited ~6x longer
# (p99 of /health 200-340 ms; see bench/README.md). Two per thread keeps every worker busy and
# leaves surplus connections in the kernel's queue, where the next worker with room takes them;
# a worker keeps at most (this - threads) idle keep-alive connections. Behind a proxy (Heroku,
# Render, nginx) connections are few and reused; raise it if many clients connect directly.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", threads * 2))

# A request may take a while (PDF rendering, an AI call with its own 30 s timeout),
# but a worker silent for 60 s is stuck and gets replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# In-flight requests get this long to finish after SIGTERM (Heroku allows 30 s).
graceful_timeout = 25
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# The longest request line (method, URL with its query string, protocol) gunicorn accepts.
# 8190 is gunicorn's maximum (the default is 4094): list filters with long `q` values in
# non-Latin scripts, percent-encoded at up to 12 bytes a character, outgrow 4 KiB. Longer
# lines still get gunicorn's own 414 before the app sees them.
limit_request_line = 8190

# The app is imported once, in the master, and workers fork from it: a worker starts (or is
# replaced) in milliseconds instead of re-importing everything (~1 s of CPU each time), and
# the imported code is shared copy-on-write. Safe here because nothing connects at import:
# MongoDB clients are made per process on first use, and redis-py reconnects after a fork.
preload_app = True

# Recycle workers now and then to cap slow memory growth (PDF rendering and fonts are the
# likeliest source). Rarely: a fresh worker forked from the preloaded master pays copy-on-write
# page faults on its first requests while the connections it inherits wait, so each restart is
# a latency blip (under wrk, p99 of /health 1.5 s with restarts every 3,000 requests, 31 ms with
# none; bench/README.md), and it drops the worker's warm caches. 100,000 requests is days at
# freelancer-scale traffic and minutes under a load test; worker memory stayed flat at 114 - 124
# MB through several-minute load runs. The jitter (up to half again) keeps workers that share
# the load evenly from restarting together. 0 turns recycling off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100000))
max_requests_jitter = max_requests // 2

# The app itself writes one JSON access line per request to stdout (with request id,
# user id and duration), so gunicorn's plain-text access log is off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
proc_name = "orbix"


def worker_exit(server, worker):
    """Hand the exiting worker's last second of request metrics to the shared files."""
    from orbix.platform import metrics

    metrics.flush()


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the aggregated metrics."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
