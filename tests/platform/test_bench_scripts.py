"""The benchmark and tool scripts still start: they import the app's modules by path, and a
module that moves (as ``orbix.embedded_db`` did, to ``orbix.dev``) breaks them silently, since
nothing else runs them."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in [*ROOT.glob("bench/*.py"), *ROOT.glob("tools/*.py")]
    if "argparse" in path.read_text()
)


def test_the_scripts_are_found():
    assert "bench/embedded_db.py" in COMMANDS and "bench/load.py" in COMMANDS


@pytest.mark.parametrize("script", COMMANDS)
def test_a_script_answers_help(script):
    done = subprocess.run([sys.executable, script, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
