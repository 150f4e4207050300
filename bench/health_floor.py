"""How close any Orbix ``/health`` can come to bare Flask's: wrk against the bare app
(``bench/bare_app.py``) and the floor app (``bench/health_floor_app.py``: the same answer with
only the headers, request id and metrics Orbix's carries), both under gunicorn.conf.py, in
alternating rounds; prints the floor's throughput as a share of the bare app's.

    .venv/bin/python bench/health_floor.py [--seconds 8] [--rounds 3] [--connections 32]
"""

import argparse
import sys
import tempfile
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import bare_server, ensure_wrk, lua_script, measure  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    ensure_wrk()
    with tempfile.TemporaryDirectory() as workdir, bare_server() as bare, \
            bare_server("bench.health_floor_app:app") as floor:
        script = lua_script(workdir, "health")
        apps = {"bare Flask": bare, "floor": floor}
        for base, pid in apps.values():
            measure(base, "/health", script, 3, args.connections, pid)
        rounds = [{name: measure(base, "/health", script, args.seconds, args.connections, pid)
                   for name, (base, pid) in apps.items()} for _ in range(args.rounds)]
    for name in apps:
        runs = [r[name] for r in rounds]
        print(f"{name:12} {median(r['rps'] for r in runs):9.1f} req/s, p99 {median(r['p99'] for r in runs):6.1f} ms, "
              f"worker CPU {median(r['cpu_ms'] for r in runs):.3f} ms/request")
    shares = [r["floor"]["rps"] / r["bare Flask"]["rps"] for r in rounds]
    listed = ", ".join(f"{x:.0%}" for x in shares)
    print(f"floor / bare Flask throughput: {median(shares):.0%} median (rounds: {listed})")


if __name__ == "__main__":
    main()
