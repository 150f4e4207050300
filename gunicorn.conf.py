"""gunicorn settings for production and `make run` (read by `gunicorn -c gunicorn.conf.py`)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"

# Threaded workers: bcrypt releases the GIL, so a ~300 ms hash in one thread does not
# block the other requests of that worker. Workers from CPU count, capped for small dynos.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A request may take a while (PDF rendering, an AI call with its own 30 s timeout),
# but a worker silent for 60 s is stuck and gets replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# In-flight requests get this long to finish after SIGTERM (Heroku allows 30 s).
graceful_timeout = 25
keepalive = 5

# Recycle workers now and then to cap slow memory growth; the jitter keeps them
# from all restarting at the same moment.
max_requests = 5000
max_requests_jitter = 500

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# Hide the server banner.
proc_name = "orbix"
