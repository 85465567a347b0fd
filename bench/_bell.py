"""The morning bell for bench_load.py: learners sign in for real, open "My learning", then a lesson.

Each learner's sign-in arrives at a random moment within BENCH_BELL_SECONDS (default 60) of the
first; each then fetches the sign-in form, posts the password (the production hasher), opens
"My learning" and the lesson to continue, one request after another, as a lab browser does. A
static file is fetched twice a second all along: the floor, measured in the same seconds.
Cookies are handled by hand (production marks them Secure; this is plain HTTP).

Also here, interleaved so the machine's noise falls on both sides alike: real sign-ins with a
PBKDF2 hash (before this change) and an argon2id one (after), and wrk at capacity on
"My learning", the lesson and the static file, one after another, twice.
"""

import random
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import _server

_OPENER = urllib.request.build_opener(_server._NoRedirect)
CLIENT_THREADS = 48


def _request(url, data=None, cookies=None):
    """(status, headers, body, ms); status 0 when the connection failed."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 -- 127.0.0.1
    started = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=120) as response:
            status, got_headers, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, got_headers, content = error.code, error.headers, error.read()
    except OSError:
        return 0, {}, b"", (time.perf_counter() - started) * 1000
    return status, got_headers, content, (time.perf_counter() - started) * 1000


def _cookies(headers) -> dict[str, str]:
    jar = {}
    for line in headers.get_all("Set-Cookie") or [] if headers else []:
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def sign_in(base: str, username: str, password: str, record=None):
    """Sign in through the form; the session cookie, or None. ``record(name, ms, status)``."""
    record = record or (lambda *args: None)
    status, headers, body, ms = _request(base + "/accounts/login/")
    record("sign-in form", ms, status)
    if status != 200:
        return None
    jar = _cookies(headers)
    token = body.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    status, headers, _body, ms = _request(
        base + "/accounts/login/", form, {"csrftoken": jar.get("csrftoken", "")}
    )
    ok = status == 302 and "/learning/" in (headers.get("Location", "") if headers else "")
    record("sign-in", ms, status if ok or status >= 500 or status == 0 else 499)
    session = _cookies(headers).get("sessionid") if ok else None
    return {"sessionid": session, "csrftoken": jar.get("csrftoken", "")} if session else None


def sign_in_costs(server, base: str, pairs: list[tuple[str, str]], password: str) -> dict:
    """Server CPU ms of one sign-in (form + post) per hasher, alternating (PBKDF2, argon2id)."""
    spent = {"pbkdf2": [], "argon2id": []}
    for pbkdf2_user, argon2_user in pairs:
        for label, username in (("pbkdf2", pbkdf2_user), ("argon2id", argon2_user)):
            before = server.cpu_seconds()
            if sign_in(base, username, password) is None:
                raise SystemExit(f"sign-in of {username} failed")
            spent[label].append((server.cpu_seconds() - before) * 1000)
    return {label: round(statistics.median(values), 1) for label, values in spent.items()}


def run_bell(server, base: str, learners: list[dict], password: str, spread: float, static: str):
    """Every learner's morning; returns records [(start, name, ms, status)] and per-learner
    seconds from the first sign-in's arrival to their lesson's answer."""
    records, lock = [], threading.Lock()
    stop = threading.Event()
    rng = random.Random(14)
    offsets = sorted(rng.uniform(0, spread) for _ in learners)
    started = time.monotonic() + 1.0
    done_at = {}

    def record(name, ms, status, at=None):
        with lock:
            records.append((at or time.monotonic(), name, ms, status))

    def floor():
        while not stop.is_set():
            status, _h, _b, ms = _request(base + static)
            record("static (floor)", ms, status)
            stop.wait(0.5)

    def morning(index):
        learner = learners[index]
        time.sleep(max(0.0, started + offsets[index] - time.monotonic()))
        jar = sign_in(base, learner["username"], password, record)
        if jar is None:
            return
        status, _h, _b, ms = _request(base + "/learning/", cookies=jar)
        record("my learning", ms, status)
        status, _h, _b, ms = _request(base + learner["lesson"], cookies=jar)
        record("lesson page", ms, status)
        if status == 200:
            done_at[index] = time.monotonic() - started

    watcher = threading.Thread(target=floor, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        # Threads take learners in arrival order; a learner waits for its own arrival time.
        list(pool.map(morning, range(len(learners))))
    stop.set()
    watcher.join()
    return records, done_at, started


def summarise(records, started: float) -> dict:
    by_name: dict[str, list] = {}
    for _at, name, ms, status in records:
        by_name.setdefault(name, []).append((ms, status))
    figures = {}
    for name, rows in sorted(by_name.items()):
        times = sorted(ms for ms, _status in rows)
        figures[name] = {
            "requests": len(rows),
            "p50_ms": round(times[len(times) // 2], 1),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * (len(times) - 1) + 0.5))], 1),
            "p99_ms": round(times[min(len(times) - 1, int(0.99 * (len(times) - 1) + 0.5))], 1),
            "5xx": sum(1 for _ms, status in rows if status >= 500),
            "failed": sum(1 for _ms, status in rows if status == 0 or status == 499),
        }
    floor = figures.get("static (floor)")
    if floor:
        for row in figures.values():
            row["p95_over_static"] = round(row["p95_ms"] / max(floor["p95_ms"], 0.1), 1)
    return figures


def capacity(server, urls: dict[str, str], cookies: dict[str, str], seconds: int) -> dict:
    """wrk at capacity on each URL in turn, twice (interleaved): req/s, p99 and CPU ms/request,
    the better of the two rounds by requests/s."""
    if not _server.wrk_ensure():
        raise SystemExit("wrk is missing")
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    best: dict[str, dict] = {}
    for _round in range(2):
        for name, url in urls.items():
            _server.wait_for_quiet(limit=0.25, patience=10)
            cpu = server.cpu_seconds()
            result = _server.wrk(url, seconds, header)
            cpu = server.cpu_seconds() - cpu
            result["server_cpu_ms_per_request"] = round(cpu * 1000 / max(result["requests"], 1), 2)
            if name not in best or result["requests_per_s"] > best[name]["requests_per_s"]:
                best[name] = result
    return best
