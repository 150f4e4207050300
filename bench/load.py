"""Load benchmark: the production gunicorn config against the embedded database, driven by wrk.

Starts FerretDB (temporary directory), a redis-server and gunicorn with gunicorn.conf.py on a
free port, plus a bare Flask app (``bench/bare_app.py``) answering ``/health`` with the same JSON
under the same gunicorn config, seeds one user with clients, 120 invoices and a project, warms
every scenario up at full load, then runs wrk (Debian's package; installed if missing) for each
scenario in rounds and prints the median requests/s, p50 and p99, the errors, Orbix's ``/health``
throughput as a share of the bare app's, the authenticated read's as a share of Orbix's
``/health``, and each worker's resident memory afterwards.

    .venv/bin/python bench/load.py [--seconds 10] [--rounds 3] [--connections 32] [--only clients ...]
                                   [--read-cache-bytes N]

The reads repeat, so with the read cache (``platform.read_cache``, on by default) they measure a
copy still current; ``--read-cache-bytes 0`` turns it off to measure every read from the database.
Rate limits are raised for the run (RATELIMIT_* settings) so the figures measure the app,
not the limiter's refusals; bcrypt keeps its production cost (12) so login is realistic.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
from contextlib import contextmanager
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orbix.dev.redis_server import free_port  # noqa: E402
from tools.live_stack import ROOT, call, live_stack  # noqa: E402

PASSWORD = "benchmark password"


def seed(base):
    user = call(
        base, "POST", "/api/auth/register", {"name": "Bench", "email": "bench@example.com", "password": PASSWORD}
    )
    token = user["token"]
    clients = [
        call(
            base,
            "POST",
            "/api/clients",
            {"name": f"Client {i}", "email": f"c{i}@example.com", "currency": "EUR"},
            token,
        )
        for i in range(20)
    ]
    for i in range(120):
        call(
            base,
            "POST",
            "/api/invoices",
            {
                "client_id": clients[i % 20]["_id"],
                "due_date": "2030-01-31",
                "items": [
                    {"description": f"Work {i}", "quantity": 2, "rate": 150},
                    {"description": "Hosting", "quantity": 1, "rate": 20},
                ],
            },
            token,
        )
    project = call(base, "POST", "/api/projects", {"name": "Bench project", "client_id": clients[0]["_id"]}, token)
    return token, clients[0]["_id"], project["_id"]


def lua_script(directory, name, method="GET", body=None, token=None):
    headers = ['wrk.headers["Content-Type"] = "application/json"']
    if token:
        headers.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    lines = [f'wrk.method = "{method}"', *headers]
    if body is not None:
        lines.append(f"wrk.body = [[{json.dumps(body)}]]")
    path = Path(directory) / f"{name}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def parse_latency(text, label):
    match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(url, script, seconds, connections, threads=2):
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    return {"rps": rps, "requests": requests, "p50": parse_latency(output, "50"), "p99": parse_latency(output, "99"),
            "errors": errors}


def drain(base, master_pid, quiet_ms=25, idle_share=0.03, timeout=60):
    """Wait until the server is idle again: requests wrk abandoned at the end of a run (logins
    queued behind bcrypt, mostly) keep the workers busy for seconds and would otherwise be
    charged to the next scenario. Idle: ``/health`` answers within ``quiet_ms`` and the workers
    used under ``idle_share`` of a core, three times in a row (a quick answer alone is not
    enough: a free thread answers while others still hash passwords)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        cpu, started = workers_cpu_seconds(master_pid), time.monotonic()
        call(base, "GET", "/health")
        fast = (time.monotonic() - started) * 1000 < quiet_ms
        time.sleep(0.25)
        busy = (workers_cpu_seconds(master_pid) - cpu) / (time.monotonic() - started)
        quiet = quiet + 1 if fast and busy < idle_share else 0


def _cpu_fields(pid):
    """utime, stime, cutime, cstime of a process in clock ticks (fields 14-17 of /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0, 0, 0, 0
    return tuple(int(x) for x in fields[11:15])


def workers_cpu_seconds(master_pid):
    """User + system CPU time used so far by the gunicorn master's workers: the live ones' own,
    plus the master's children total (workers recycled by max_requests, once reaped)."""
    pids = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True).stdout
    total = sum(sum(_cpu_fields(pid)[:2]) for pid in pids.split())
    total += sum(_cpu_fields(master_pid)[2:])
    return total / os.sysconf("SC_CLK_TCK")


def measure(base, path, script, seconds, connections, master_pid):
    """wrk's figures plus the workers' CPU milliseconds per request: throughput on this shared
    machine moves with other people's load, CPU per request much less."""
    cpu = workers_cpu_seconds(master_pid)
    result = run_wrk(base + path, script, seconds, connections)
    result["cpu_ms"] = (workers_cpu_seconds(master_pid) - cpu) * 1000 / max(result["requests"], 1)
    drain(base, master_pid)
    return result


def worker_rss_mb(master_pid):
    result = subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(master_pid)], capture_output=True, text=True)
    return {int(pid): int(rss) / 1024 for pid, rss in (line.split() for line in result.stdout.strip().splitlines())}


@contextmanager
def bare_server(app_path="bench.bare_app:app"):
    """A bare app (``bench/bare_app.py`` unless told) under gunicorn.conf.py on a free port;
    yields its base URL and master pid."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # gunicorn.conf.py makes one of its own
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
                               app_path], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call(base, "GET", "/health")
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise RuntimeError("the bare app did not start") from None
                time.sleep(0.2)
        yield base, server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    subprocess.run([str(Path(__file__).resolve().parent.parent / "tools" / "apt-install"), "wrk"], check=True)


BARE = "GET /health (bare Flask)"
HEALTH = "GET /health"
READ = "GET /api/clients/{id} (auth)"
INVOICES = "GET /api/invoices page of 100"


def print_ratio(rounds, name, baseline, label, target):
    """The median over rounds of ``name``'s throughput as a share of ``baseline``'s (same round)."""
    if name not in rounds[0]:
        return
    ratios = [r[name]["rps"] / r[baseline]["rps"] for r in rounds]
    by_cpu = median(r[baseline]["cpu_ms"] / r[name]["cpu_ms"] for r in rounds)
    print(f"{label} throughput: {median(ratios):.0%} median (rounds: {', '.join(f'{x:.0%}' for x in ratios)}; "
          f"target >= {target:.0%}); by worker CPU per request: {by_cpu:.0%}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each measured run")
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per scenario (medians are printed)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load per scenario first")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--only",
        nargs="*",
        metavar="WORD",
        help="run only scenarios whose name contains one of these words (health always runs)",
    )
    parser.add_argument("--read-cache-bytes", type=int, default=None,
                        help="READ_CACHE_BYTES for the server (0: every read from the database)")
    args = parser.parse_args()
    ensure_wrk()

    workdir = tempfile.mkdtemp(prefix="orbix-bench-")
    limits = {"RATELIMIT_DEFAULT": "10000000/minute", "RATELIMIT_AUTH": "10000000/minute"}
    if args.read_cache_bytes is not None:
        limits["READ_CACHE_BYTES"] = str(args.read_cache_bytes)
    with live_stack(**limits) as (base, server), bare_server() as (bare, bare_pid):
        try:
            token, client_id, project_id = seed(base)
            scenarios = [
                (BARE, "/health", lua_script(workdir, "health"), (bare, bare_pid)),
                (HEALTH, "/health", lua_script(workdir, "health")),
                (
                    READ,
                    f"/api/clients/{client_id}",
                    lua_script(workdir, "client", token=token),
                ),
                (
                    INVOICES,
                    "/api/invoices?page=1&page_size=100",
                    lua_script(workdir, "invoices", token=token),
                ),
                (
                    "POST /api/time-tracking",
                    "/api/time-tracking",
                    lua_script(
                        workdir,
                        "entry",
                        "POST",
                        {
                            "project_id": project_id,
                            "description": "bench",
                            "start_time": "2026-01-05T09:00:00Z",
                            "end_time": "2026-01-05T10:30:00Z",
                            "is_billable": True,
                        },
                        token,
                    ),
                ),
                (
                    "POST /api/auth/login",
                    "/api/auth/login",
                    lua_script(workdir, "login", "POST", {"email": "bench@example.com", "password": PASSWORD}),
                ),
            ]
            if args.only:
                scenarios = [s for s in scenarios if s[0] in (BARE, HEALTH) or any(w in s[0] for w in args.only)]
            scenarios = [
                (name, path, script, *(target or [(base, server.pid)])[0]) for name, path, script, *target in scenarios
            ]
            for _name, path, script, target, pid in scenarios:  # warm-up at full load: pools and caches grown
                measure(target, path, script, args.warmup, args.connections, pid)
            # Rounds, each running every scenario once: /health and the authenticated read are
            # compared within a round, and medians over rounds tame this shared machine's noise.
            rounds = [
                {
                    name: measure(target, path, script, args.seconds, args.connections, pid)
                    for name, path, script, target, pid in scenarios
                }
                for _ in range(args.rounds)
            ]
            rss = worker_rss_mb(server.pid)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    cache = "default" if args.read_cache_bytes is None else args.read_cache_bytes
    print(
        f"\n{args.connections} connections, {args.rounds} rounds of {args.seconds} s per scenario (medians), "
        f"wrk -t2 on this machine ({os.cpu_count()} cores), READ_CACHE_BYTES {cache}\n"
    )
    print(f"{'scenario':38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'worker CPU ms/req':>18}")
    for name in rounds[0]:
        runs = [r[name] for r in rounds]
        print(
            f"{name:38} {median(r['rps'] for r in runs):9.1f} {median(r['p50'] or 0 for r in runs):8.2f} "
            f"{median(r['p99'] or 0 for r in runs):8.2f} {sum(r['errors'] for r in runs):7d} "
            f"{median(r['cpu_ms'] for r in runs):18.2f}"
        )
    print()
    print_ratio(rounds, HEALTH, BARE, "Orbix /health / bare Flask /health", 0.8)
    print_ratio(rounds, READ, HEALTH, "authenticated read / Orbix /health", 0.5)
    print("p99 ms (target < 100): " + "; ".join(
        f"{name} {median(r[name]['p99'] or 0 for r in rounds):.1f}" for name in (HEALTH, READ, INVOICES)
        if name in rounds[0]
    ))
    print("errors (target 0): " + ", ".join(f"{name} {sum(r[name]['errors'] for r in rounds)}" for name in rounds[0]))
    print(
        "worker RSS after the run (MB): "
        + ", ".join(f"{mb:.0f}" for _pid, mb in sorted(rss.items()))
        + " (target < 150 each)"
    )


if __name__ == "__main__":
    main()
