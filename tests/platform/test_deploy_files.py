"""The deploy files agree with the code: render.yaml (Render Blueprint) and app.json (Heroku) set
only settings Orbix reads, run the Procfile's commands, and give a production start-up everything
it requires; the Procfile's release and worker commands run for real against the test stack."""

import ast
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from orbix import config as config_module
from orbix.app import create_app
from tests.conftest import TEST_DB_NAME

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"^[A-Z][A-Z0-9_]+$")
# What the platforms set themselves, read by gunicorn.conf.py (PORT) or Heroku's dyno manager.
PLATFORM_SET = {"PORT"}
# Stand-ins for what Render and Heroku fill in (generated secrets, prompted values, add-ons).
PROMPTED = {"MONGO_URI": "mongodb+srv://orbix:pw@cluster0.example.mongodb.net/orbix",
            "SMTP_URL": "smtp://apikey:pw@smtp.example.com:587", "MAIL_FROM": "Orbix <billing@example.com>",
            "PUBLIC_BASE_URL": "https://orbix.example.com"}
RENDER_KEY_VALUE = "redis://red-d0example:6379"
HEROKU_REDIS_URL = "rediss://:pw@ec2-0-0-0-0.compute-1.amazonaws.com:6380"


def _read(name):
    return (ROOT / name).read_text()


def _procfile():
    return dict(line.split(": ", 1) for line in _read("Procfile").splitlines() if line.strip())


def _settings_read_by(path):
    """Names passed to os.environ.get and config.py's readers (``_int("X", ...)``, ``_first("X", "Y")``)."""
    names = set()
    for node in ast.walk(ast.parse(_read(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        reader = (isinstance(func, ast.Attribute) and func.attr == "get" and ast.unparse(func.value) == "os.environ"
                  or isinstance(func, ast.Name) and func.id.startswith("_"))
        if reader:
            names |= {arg.value for arg in node.args if isinstance(arg, ast.Constant)
                      and isinstance(arg.value, str) and SETTING.match(arg.value)}
    return names


SETTINGS = _settings_read_by("orbix/config.py") | _settings_read_by("gunicorn.conf.py")


@pytest.fixture(scope="module")
def render():
    return yaml.safe_load(_read("render.yaml"))


@pytest.fixture(scope="module")
def heroku():
    return json.loads(_read("app.json"))


def _services(render, kind):
    return [service for service in render["services"] if service["type"] == kind]


def _render_env(render, service):
    """The environment Render gives ``service``: values, group values, generated and prompted ones."""
    groups = {group["name"]: group["envVars"] for group in render.get("envVarGroups", [])}
    entries = []
    for entry in service["envVars"]:
        entries += groups[entry["fromGroup"]] if "fromGroup" in entry else [entry]
    env = {}
    for entry in entries:
        if "value" in entry:
            env[entry["key"]] = str(entry["value"])
        elif entry.get("generateValue"):
            env[entry["key"]] = "R" * 44  # a base64-encoded 256-bit value
        elif entry.get("sync") is False:
            env[entry["key"]] = PROMPTED[entry["key"]]
        else:
            source = entry["fromService"]
            [target] = [s for s in render["services"] if s["name"] == source["name"]]
            assert target["type"] == source["type"] == "keyvalue" and source["property"] == "connectionString"
            env[entry["key"]] = RENDER_KEY_VALUE
    return env


def _heroku_env(heroku):
    """The config vars of a Heroku app made from app.json (the Redis add-on sets REDIS_URL)."""
    env = {"REDIS_URL": HEROKU_REDIS_URL} if any(a["plan"].startswith("heroku-redis") for a in heroku["addons"]) else {}
    for key, spec in heroku["env"].items():
        if "value" in spec:
            env[key] = spec["value"]
        elif spec.get("generator") == "secret":
            env[key] = "f" * 64
        else:
            env[key] = PROMPTED[key]
    return env


def _production_config(monkeypatch, env):
    """What the app reads from exactly ``env`` (and that it starts on it)."""
    for name in SETTINGS | {"FLASK_ENV", "REDIS_URL"}:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = config_module.load_config()
    create_app()  # every start-up check (rate-limit storage, limits) passes
    return config


def _assert_runs_orbix_in_production(config):
    assert config["PRODUCTION"] and config["MONGO_URI"] and config["RATELIMIT_STORAGE_URI"]
    assert config["SMTP_URL"] and config["MAIL_FROM"] and config["PROXY_FIX_HOPS"] == 1
    assert config["PAYMENTS_ENABLED"] and len(config["ENCRYPTION_KEYS"]) == 1  # Stripe secrets can be stored


def test_every_variable_the_deploy_files_set_is_a_setting_orbix_reads(render, heroku):
    keys = set(_heroku_env(heroku))
    for service in _services(render, "web") + _services(render, "worker"):
        keys |= set(_render_env(render, service))
    assert keys - SETTINGS - PLATFORM_SET == set()
    settings_table = _read("README.md").split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    assert [key for key in sorted(keys) if f"`{key}`" not in settings_table] == []  # documented there


def test_render_runs_the_procfile_commands_with_redis_and_a_health_check(render):
    procfile = _procfile()
    [web], [worker], [redis] = _services(render, "web"), _services(render, "worker"), _services(render, "keyvalue")
    assert web["preDeployCommand"] == procfile["release"]
    assert web["startCommand"] == procfile["web"] and worker["startCommand"] == procfile["worker"]
    assert web["buildCommand"] == worker["buildCommand"] == "pip install ."
    assert web["runtime"] == worker["runtime"] == "python" and web["healthCheckPath"] == "/health"
    assert redis["maxmemoryPolicy"] == "noeviction" and redis["ipAllowList"] == []  # a queue; private network


def test_render_gives_web_and_worker_a_production_configuration(render, monkeypatch):
    for service in _services(render, "web") + _services(render, "worker"):
        config = _production_config(monkeypatch, _render_env(render, service))
        _assert_runs_orbix_in_production(config)
        assert config["RATELIMIT_STORAGE_URI"] == RENDER_KEY_VALUE and config["REDIS_TLS_VERIFY"]


def test_heroku_app_json_matches_the_procfile_and_configures_production(heroku, monkeypatch):
    assert set(heroku["formation"]) == set(_procfile()) - {"release"}
    assert heroku["buildpacks"] == [{"url": "heroku/python"}] and "repository" not in heroku
    assert heroku["env"]["JWT_SECRET_KEY"]["generator"] == "secret" and heroku["env"]["MONGO_URI"]["required"]
    config = _production_config(monkeypatch, {**_heroku_env(heroku), "PORT": "31000"})
    _assert_runs_orbix_in_production(config)
    assert config["RATELIMIT_STORAGE_URI"] == HEROKU_REDIS_URL and config["REDIS_TLS_VERIFY"] is False


def test_heroku_and_render_find_the_python_version_and_the_requirements():
    assert _read(".python-version").strip() == "3.11"  # setup.cfg: python_requires >= 3.11; the Dockerfile's
    requirements = [line for line in _read("requirements.txt").splitlines() if line and not line.startswith("#")]
    assert requirements == ["."]  # the package itself, dependencies from setup.cfg


def _run(command, mongo_uri, redis_uri, *extra):
    """A Procfile command as the platform runs it, in production, against the test database and Redis."""
    argv = shlex.split(command) + list(extra)
    tools = Path(sys.executable).parent
    argv[0] = sys.executable if argv[0] == "python" else str(tools / argv[0])
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS | {"REDIS_URL", "FLASK_ENV"}}
    env.update(ORBIX_ENV="production", JWT_SECRET_KEY="deploy-check-secret-0123456789abcdef0123",
               ORBIX_ENCRYPTION_KEY="deploy-check-encryption-secret-0123456789",
               MONGO_URI=mongo_uri, MONGO_DB_NAME=TEST_DB_NAME, RATELIMIT_STORAGE_URI=redis_uri,
               JOBS_QUEUE="orbix-deploy-check", LOG_LEVEL="WARNING")
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_release_command_applies_migrations(app, mongo_uri, redis_uri):
    result = _run(_procfile()["release"], mongo_uri, redis_uri)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "database is up to date"  # the session's app applied them already


def test_the_worker_command_starts_a_worker(app, mongo_uri, redis_uri):
    result = _run(_procfile()["worker"], mongo_uri, redis_uri, "--burst")
    assert result.returncode == 0, result.stderr
