"""The baseline for ``bench/load.py``: a bare Flask app answering ``/health`` with the same JSON
body as Orbix, served by the same ``gunicorn.conf.py``. Orbix's ``/health`` throughput is
reported as a share of this one's: what the framework and server cost is not ours to save."""

from flask import Flask

app = Flask("bare")


@app.get("/health")
def health():
    return {"status": "ok"}
