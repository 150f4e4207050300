# Orbix API image: gunicorn serving the Flask app; the database is an external MongoDB (MONGO_URI).
# Bookworm, like the development machines: the Noto font packages below install the same files.
FROM python:3.11-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ORBIX_ENV=production \
    HOST=0.0.0.0 \
    PORT=5000

# Fonts for the scripts the bundled DejaVu lacks in PDFs (CJK, Arabic, Hebrew, Devanagari, Thai,
# emoji): the packages `make fonts` installs, found under /usr/share/fonts (PDF_FONT_DIRS).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 orbix
WORKDIR /app

# Dependencies first, so code changes do not invalidate this layer.
COPY pyproject.toml setup.cfg README.md ./
COPY orbix/__init__.py orbix/__init__.py
RUN pip install --no-cache-dir . && pip uninstall -y orbix

# Then the code.
COPY orbix orbix
COPY migrations migrations
COPY wsgi.py gunicorn.conf.py ./
# Run from source in /app (migrations/ sits beside the package); no second install.
RUN chown -R orbix:orbix /app

USER orbix
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"5000\")}/health', timeout=4)" || exit 1

# Apply migrations (idempotent, locked), then serve.
CMD ["sh", "-c", "flask --app wsgi migrate && exec gunicorn -c gunicorn.conf.py wsgi:app"]
