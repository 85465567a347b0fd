"""Profile the bench lesson page in one process, through the real WSGI stack (no gunicorn, no wrk).

The quick loop for a change to the lesson page: the same throwaway Hunar as
``bench_lesson_page.py`` (production settings, the 25-block lesson, a signed-in enrolled learner),
kept in a directory so that later runs skip the set-up. Each request goes through Django's
WSGI handler, every middleware included, with the very cookie wrk sends.

    python bench/profile_lesson_page.py --dir /tmp/hunar-profile            # ms per request
    python bench/profile_lesson_page.py --dir /tmp/hunar-profile --pyinstrument
    python bench/profile_lesson_page.py --dir /tmp/hunar-profile --cprofile 40

Not a benchmark (``make bench`` does not run it) and nothing here is a target: compare timings
of two runs of this script on the same machine state only.
"""

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import _server
import bench_lesson_page as bench


def prepared_environment(directory: Path) -> dict[str, str]:
    """The bench environment in ``directory``, set up on the first call and reused after."""
    saved = directory / "profile-env.json"
    if saved.exists():
        return json.loads(saved.read_text())
    directory.mkdir(parents=True, exist_ok=True)
    env, notes = _server.bench_environment(directory)
    print("\n".join(["Preparing", *(f"  {note}" for note in notes)]), flush=True)
    learner = bench.prepare(env)
    env["BENCH_SESSIONID"] = learner["sessionid"]
    saved.write_text(json.dumps(env))
    return env


def wsgi_environ(path: str, sessionid: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={sessionid}",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "hunar-profile")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--path", default=bench.LESSON_URL)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--show-all", action="store_true", help="pyinstrument: every frame")
    parser.add_argument("--cprofile", type=int, metavar="N", help="print the top N by tottime")
    parser.add_argument("--save-stats", type=Path, help="cProfile: write the stats to this file")
    args = parser.parse_args()

    env = prepared_environment(args.dir)
    os.environ.update(env)
    sys.path[:0] = [p for p in env["PYTHONPATH"].split(os.pathsep) if p not in sys.path]
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    statuses: list[str] = []

    def request() -> bytes:
        body = application(
            wsgi_environ(args.path, env["BENCH_SESSIONID"]),
            lambda status, headers, exc_info=None: statuses.append(status),
        )
        try:
            return b"".join(body)
        finally:
            body.close()

    for _ in range(20):  # warm: templates, URL resolvers, caches
        request()
    if not statuses[-1].startswith("200"):
        raise SystemExit(f"{args.path} answered {statuses[-1]}")

    profiler = None
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
    elif args.cprofile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU time: other load does not count
        profiler.enable()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(args.requests):
        request()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if args.pyinstrument:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=args.show_all))
    elif args.cprofile:
        import pstats

        profiler.disable()
        if args.save_stats:
            profiler.dump_stats(args.save_stats)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.cprofile)
    print(
        f"{args.path}: {cpu * 1000 / args.requests:.2f} ms CPU, "
        f"{wall * 1000 / args.requests:.2f} ms wall per request over {args.requests}"
        f"{' (profiled)' if profiler else ''}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
