"""Helpers for bench scripts: a throwaway Hunar environment, gunicorn, wrk and /proc memory.

Nothing here knows a particular page. A script in bench/ imports it as ``_server`` (Python puts
the script's own directory on ``sys.path``).
"""

import contextlib
import gzip
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TICKS = os.sysconf("SC_CLK_TCK")
GUNICORN = Path(sys.executable).with_name("gunicorn")
# BENCH_REDIS_DB moves both to one Redis database of the caller's (key prefixes keep them apart).
_REDIS_DB = os.environ.get("BENCH_REDIS_DB")
BROKER_URL = f"redis://127.0.0.1:6379/{_REDIS_DB or 14}"  # production only checks it is set
REDIS_CACHE_URL = f"redis://127.0.0.1:6379/{_REDIS_DB or 13}"
# BENCH_PORTS=8400-8499: servers the benches start bind only to a port in that range.
_PORTS = os.environ.get("BENCH_PORTS", "")


# --- Environment --------------------------------------------------------------------------------


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def bench_environment(tmp: Path) -> tuple[dict[str, str], list[str]]:
    """Environment for manage.py, snippets and gunicorn, and lines saying what was chosen.

    Production settings refuse SQLite and non-Redis caches at import time. Without
    BENCH_DATABASE_URL (or without Redis) a generated settings module imports
    lms.settings.production with a placeholder for the refused value, then swaps the bench's
    SQLite database (or file cache) in: everything else stays production's. The SQLite database
    keeps production's connection policy (DATABASE_CONN_MAX_AGE, default 60 s, as base.py gives
    PostgreSQL): reopening SQLite on every request would charge the page a cost production never
    pays. With BENCH_PROPOSED=1 the module also applies the settings changes in PROPOSED that are
    not in lms/settings yet, and the notes say so.
    """
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    has_redis = redis_answers()
    cache_url = (
        f"{REDIS_CACHE_URL}?key_prefix=bench-{secrets.token_hex(4)}"  # no stale keys across runs
        if has_redis
        else f"filecache://{tmp / 'cache'}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": BROKER_URL,
        "CACHE_URL": cache_url,
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "AWS_STORAGE_BUCKET_NAME": "",  # a developer's .env must not move media to S3
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
    }
    swap_db, swap_cache = database_url.startswith("sqlite"), not has_redis
    proposed = proposed_settings()
    notes = [f"database: {_redacted(database_url)}"]
    if swap_db:
        notes[-1] += " (persistent connections, as production's PostgreSQL)"
    notes.append(f"cache: {cache_url if has_redis else 'file cache (Redis does not answer)'}")
    if swap_db or swap_cache or proposed:
        (tmp / "bench_settings.py").write_text(_settings_shim(swap_db, swap_cache, proposed))
        env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
        swapped = " and ".join(
            name for name, on in (("SQLite", swap_db), ("a file cache", swap_cache)) if on
        )
        notes.append(
            f"settings: lms.settings.production with {swapped} swapped in after its checks"
            if swapped
            else "settings: lms.settings.production"
        )
    else:
        notes.append("settings: lms.settings.production")
    if proposed:
        notes.append(
            "PROPOSED settings changes, applied where lms/settings lacks them (BENCH_PROPOSED): "
            + "; ".join(PROPOSED[name][0] for name in proposed)
        )
    return env, notes


# Settings changes the bench's owner has asked the lead for, as code run after the settings;
# each applies only where lms/settings does not have it yet. BENCH_PROPOSED=1 (or "all") applies
# them all, or a comma list of their names (e.g. BENCH_PROPOSED=routing,cache).
PROPOSED = {
    "routing": (
        "content.middleware.PageRoutingMiddleware after LocaleMiddleware",
        """
if "content.middleware.PageRoutingMiddleware" not in MIDDLEWARE:
    _at = MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1
    MIDDLEWARE = [*MIDDLEWARE[:_at], "content.middleware.PageRoutingMiddleware", *MIDDLEWARE[_at:]]
""",
    ),
    "cache": (
        "lms.redis_cache.RedisCache as the backend of every Redis cache",
        """
for _alias in CACHES:
    if CACHES[_alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        CACHES[_alias]["BACKEND"] = "lms.redis_cache.RedisCache"
""",
    ),
    "sessions": (
        'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"',
        """
if globals().get("SESSION_ENGINE", "django.contrib.sessions.backends.db").endswith(".db"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
""",
    ),
}


def proposed_settings() -> list[str]:
    """Names in PROPOSED that BENCH_PROPOSED asks for."""
    wanted = os.environ.get("BENCH_PROPOSED", "").strip()
    if wanted in ("", "0"):
        return []
    if wanted in ("1", "all"):
        return list(PROPOSED)
    names = [name.strip() for name in wanted.split(",") if name.strip()]
    unknown = set(names) - set(PROPOSED)
    if unknown:
        raise SystemExit(f"BENCH_PROPOSED: unknown {sorted(unknown)}; known: {sorted(PROPOSED)}")
    return names


def _redacted(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def _settings_shim(swap_db: bool, swap_cache: bool, proposed: list[str] = ()) -> str:
    placeholders, after = {}, []
    if swap_db:
        placeholders["DATABASE_URL"] = "postgres://placeholder@127.0.0.1:9/placeholder"
        after += [
            'DATABASES = {"default": {**env.db("DATABASE_URL"), "OPTIONS": SQLITE_OPTIONS}}',
            "# Production's connection policy (base.py gives it to PostgreSQL), not SQLite's.",
            'DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)',
            'DATABASES["default"]["CONN_HEALTH_CHECKS"] = True',
        ]
    if swap_cache:
        placeholders["CACHE_URL"] = "redis://127.0.0.1:9/0"
        after += [
            'CACHES = {"default": env.cache("CACHE_URL")}',
            'CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "renditions"}',
            "CELERY_TASK_ALWAYS_EAGER = True  # no Redis: /healthz must not wait for a broker",
        ]
    for name in proposed:
        label, code = PROPOSED[name]
        after.append(f"# Proposed: {label}{code}")
    return "\n".join(
        [
            '"""Generated by bench/_server.py; deleted with the bench\'s temp directory."""',
            "import os",
            f"_real = {{name: os.environ[name] for name in {tuple(placeholders)!r}}}",
            f"os.environ.update({placeholders!r})",
            "from lms.settings.production import *  # noqa: E402, F403",
            "from lms.settings.base import SQLITE_OPTIONS, env  # noqa: E402",
            "os.environ.update(_real)",
            *after,
            "",
        ]
    )


def run(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout[-2000:] + result.stderr[-4000:]).strip()
        label = " ".join(cmd[1:3])[:60]
        raise SystemExit(f"{label}… failed ({result.returncode}):\n{output}")
    return result.stdout


def manage(env: dict[str, str], *args: str) -> None:
    run([sys.executable, "manage.py", *args], env)


def seed_demo(env: dict[str, str]) -> None:
    """``seed_demo`` under the bench's settings plus the demo app, which production settings
    never install (docs/decisions/0015-demo-app.md); the servers measured run without it."""
    tmp = Path(env["PYTHONPATH"].split(os.pathsep)[0])
    (tmp / "bench_demo_settings.py").write_text(
        f"from {env['DJANGO_SETTINGS_MODULE']} import *  # noqa: F403\n"
        'INSTALLED_APPS = ["demo", *INSTALLED_APPS]  # noqa: F405\n'
    )
    demo_env = {**env, "DJANGO_SETTINGS_MODULE": "bench_demo_settings"}
    manage(demo_env, "seed_demo", "--i-know-this-creates-public-demo-accounts")


def django_json(env: dict[str, str], script: str, *args: str, stdin: str | None = None) -> dict:
    """Run ``script`` after ``django.setup()`` in a fresh process; its last line is JSON."""
    code = "import django, json, sys\ndjango.setup()\n" + script
    return json.loads(run([sys.executable, "-c", code, *args], env, stdin).splitlines()[-1])


# --- HTTP ---------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (e.g. to a login page) comes back as its own status


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None):
    """GET ``url`` without following redirects: (status, headers, body as sent)."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 -- our 127.0.0.1
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def gzipped_size(headers, body: bytes) -> int:
    """Bytes on the wire with gzip: as sent if the server compressed, else gzip level 6."""
    if headers.get("Content-Encoding") == "gzip":
        return len(body)
    return len(gzip.compress(body, compresslevel=6))


def free_port() -> int:
    """A free port: any, or the first free one in BENCH_PORTS (``low-high``)."""
    low, _, high = _PORTS.partition("-")
    candidates = range(int(low), int(high or low) + 1) if low else [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise SystemExit(f"no free port in BENCH_PORTS={_PORTS}")


# --- gunicorn -----------------------------------------------------------------------------------


class Gunicorn:
    """``gunicorn lms.wsgi`` with sync workers in its own session; a context manager."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        cmd = [str(GUNICORN), "lms.wsgi", "--workers", str(workers)]
        cmd += ["--bind", f"127.0.0.1:{self.port}"]  # no access log: it costs CPU
        with open(log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if fetch(self.url + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(
            f"gunicorn never answered /healthz 200:\n{self.log_path.read_text()[-3000:]}"
        )

    def memory_mib(self) -> dict[str, float]:
        """RSS and PSS of the master and its workers (RSS counts pages shared after fork twice)."""
        pids = [self.proc.pid, *_children(self.proc.pid)]
        rss = sum(_proc_kib(pid, "status", "VmRSS") for pid in pids)
        pss = sum(_proc_kib(pid, "smaps_rollup", "Pss") for pid in pids)
        return {"processes": len(pids), "rss_mib": rss / 1024, "pss_mib": pss / 1024}

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the master and its workers have used so far.

        Workers the master has replaced (``max_requests``) still count: the master's own figure
        includes the children it has reaped.
        """
        master = _proc_cpu_seconds(self.proc.pid, reaped_children=True)
        return master + sum(_proc_cpu_seconds(pid) for pid in _children(self.proc.pid))

    def workers(self) -> set[int]:
        """Process ids of the current workers (a replaced worker comes back with a new one)."""
        return set(_children(self.proc.pid))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # the master stops its workers gracefully
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        # Workers left behind, if any: the process group this class started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            kids.append(int(stat.parent.name))
    return kids


def _proc_cpu_seconds(pid: int, reaped_children: bool = False) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    used = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped_children:
        used += int(fields[13]) + int(fields[14])  # cutime, cstime: children waited for
    return used / _TICKS


def busy_cpu_seconds() -> float:
    """CPU time all processes have used (all cores), from /proc/stat.

    Interrupt time is left out: loopback traffic of the bench itself lands there.
    """
    user, nice, system = map(int, Path("/proc/stat").read_text().split()[1:4])
    return (user + nice + system) / _TICKS


def _proc_kib(pid: int, name: str, key: str) -> int:
    for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


# --- wrk ----------------------------------------------------------------------------------------


def wrk_ensure() -> bool:
    """Is wrk installed? Installs Debian's package when running as root."""
    if shutil.which("wrk"):
        return True
    if os.geteuid() != 0:
        print("wrk is missing: sudo apt-get install -y wrk")
        return False
    print("Installing wrk: apt-get install -y wrk", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True)
        subprocess.run(install, capture_output=True)
    return bool(shutil.which("wrk"))


_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
_BYTES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def wrk(url: str, seconds: int, headers: dict[str, str], threads=2, connections=16) -> dict:
    cmd = ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def wrk_with_cpu(server: Gunicorn, url: str, seconds: int, headers: dict[str, str]) -> dict:
    """wrk, plus the server's CPU time per request and the CPU share other processes took.

    CPU per request does not depend on what else runs on the machine, requests/s does: when
    other processes took a large share, compare CPU per request rather than requests/s.
    """
    wait_for_quiet()
    started, busy, served = time.monotonic(), busy_cpu_seconds(), server.cpu_seconds()
    loader = _children_cpu_seconds()
    result = wrk(url, seconds, headers)
    wall, busy = time.monotonic() - started, busy_cpu_seconds() - busy
    served, loader = server.cpu_seconds() - served, _children_cpu_seconds() - loader
    result["server_cpu_ms_per_request"] = round(served * 1000 / max(result["requests"], 1), 3)
    other = max(busy - served - loader, 0.0) / (wall * (os.cpu_count() or 1))
    result["other_processes_cpu_share"] = round(other, 3)
    return result


def wait_for_quiet(limit: float = 0.10, patience: float = 120) -> None:
    """Wait (up to ``patience`` seconds) until other processes use under ``limit`` of the CPU."""
    started, cores = time.monotonic(), os.cpu_count() or 1
    while True:
        busy = busy_cpu_seconds()
        time.sleep(1)
        share = (busy_cpu_seconds() - busy) / cores
        waited = time.monotonic() - started
        if share < limit or waited > patience:
            if waited > 2:
                print(f"  (waited {waited:.0f} s for other work to stop; now {share:.0%} busy)")
            return
        time.sleep(2)


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has been waited for
    return usage.ru_utime + usage.ru_stime


def parse_wrk(out: str) -> dict:
    def number(pattern: str, default: str | None = None) -> str:
        match = re.search(pattern, out, re.MULTILINE)
        if match is None and default is None:
            raise SystemExit(f"Could not read {pattern!r} in wrk's output:\n{out}")
        return match[1] if match else default

    def latency(percent: int) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)$", out, re.MULTILINE)
        return round(float(match[1]) * _MS[match[2]], 2) if match else float("nan")

    requests = int(number(r"(\d+) requests in"))
    read = re.search(r"requests in [\d.]+\w+, ([\d.]+)([KMG]?B) read", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    kinds = ("connect", "read", "write", "timeout")
    return {
        "requests_per_s": float(number(r"Requests/sec:\s+([\d.]+)")),
        "requests": requests,
        "p50_ms": latency(50),
        "p90_ms": latency(90),
        "p99_ms": latency(99),
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)", "0")),
        "socket_errors": dict(zip(kinds, map(int, errors.groups()), strict=True)) if errors else {},
        "bytes_per_response": round(float(read[1]) * _BYTES[read[2]] / max(requests, 1)),
    }
