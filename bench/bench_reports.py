"""How the dashboards, the exports and the learner's pages cost as the network grows
(`make bench`; PostgreSQL: BENCH_DATABASE_URL=postgres://…).

Builds a throwaway PostgreSQL database (``<name>_bench`` next to BENCH_DATABASE_URL's database,
dropped at the end; ``BENCH_KEEP_DB=1`` keeps it and a later run with the flag reuses it) with the
17 centers of the demo network and a curriculum of two tracks (3 courses of 10 lessons and a
quiz each), then grows it in steps — ``BENCH_SCALES`` (default ``1,10,100``) times 1,000
learners — with SQL (``INSERT … SELECT … FROM generate_series``), per learner:

- one membership in a cohort of 100 at a center, 2 enrollments, 20 lesson-progress rows
  (completed up to a random point), 3 quiz attempts (mostly graded), ~10 attendance marks
  (11 weekly sessions per cohort, ~9 % left off); certificates for completed enrollments,
  freelancing follow-ups for completed youth enrollments.

At 100 that is 100,000 learners, 200,000 enrollments, 2,000,000 progress rows, 300,000
attempts and ~1,000,000 marks. Before anything is generated, and after each step, in one
process with Django's test client (median of ``BENCH_ROUNDS`` requests, ``/healthz`` as the
floor of the same step):

- the learner's pages: "My learning" and a lesson, for one learner whose own data never
  changes (their cost must not grow with everybody else's rows);
- the programme overview (admin) and a center dashboard (its manager), both as stored figures
  (``reports.summaries``, refreshed once per step and timed) and as counted at request time;
  the overview's weekly trends (issue 16): the overview without them, with them counted, and
  stored (``reports.trend_snapshots``, refreshed and timed), and the centers side by side;
  the overview filtered (always counted); a cohort page;
- the center's learner export (CSV, streamed through the view): its time, size, and the peak
  resident memory of this process above what it was before the export (``/proc/self/statm``
  sampled every 5 ms).

Targets at the largest step: overview (stored) ≤ 1 s, center dashboard (stored) ≤ 300 ms,
lesson and "My learning" within 10 % of their cost before any data (as multiples of the floor),
and the export's peak memory at the largest step within 1.5 × that of the 10× step. Exit status
1 when one is missed. On SQLite the script says it needs PostgreSQL and exits 0.
"""

import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNIT = 1000  # learners at 1×
COHORT_SIZE = 100
COURSES_PER_TRACK = 3
LESSONS_PER_COURSE = 10
SESSIONS_PER_COHORT = 11
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10,100").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
PAGE_ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "200"))
KEEP = os.environ.get("BENCH_KEEP_DB") == "1"
OVERVIEW_BUDGET_MS = 1000
CENTER_BUDGET_MS = 300
LEARNER_PAGE_TOLERANCE = 0.10
QUERY_BUDGET = 40


def setup_django() -> bool:
    """True when the bench database already holds a network (kept from an earlier run)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite://")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"] + "_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=KEEP, serialize=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_cohort') IS NOT NULL")
        return cursor.fetchone()[0]


def teardown_django() -> None:
    from django.db import connection

    if connection.vendor == "postgresql" and not KEEP:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


# --- Data ---------------------------------------------------------------------------------------


def build_curriculum():
    from wagtail.rich_text import RichText

    from assessments.models import AssessmentPage
    from content.models import HomePage
    from courses.models import CoursePage, LessonPage, TrackPage

    home = HomePage.objects.get(depth=2)
    tracks = {}
    for audience, title in (("students", "Digital literacy"), ("youth", "Freelancing")):
        track = home.add_child(
            instance=TrackPage(title=title, slug=f"bench-{audience}", audience=audience,
                               summary=title)
        )  # fmt: skip
        track.save_revision().publish()
        courses = []
        for c in range(COURSES_PER_TRACK):
            course = track.add_child(
                instance=CoursePage(title=f"{title} {c + 1}", slug=f"{audience}-{c + 1}",
                                    summary="Bench", hours=20)
            )  # fmt: skip
            course.save_revision().publish()
            lessons = []
            for n in range(LESSONS_PER_COURSE):
                lesson = course.add_child(
                    instance=LessonPage(
                        title=f"Lesson {n + 1}", slug=f"lesson-{n + 1}",
                        body=[("paragraph", RichText("<p>Bench lesson.</p>"))],
                    )
                )  # fmt: skip
                lesson.save_revision().publish()
                lessons.append(lesson)
            quiz = course.add_child(
                instance=AssessmentPage(title="Quiz", slug="quiz", required_for_completion=False)
            )
            quiz.save_revision().publish()
            courses.append((course, lessons, quiz))
        tracks[audience] = courses
    return tracks


def build_foundation(tracks) -> None:
    """Centers, staff, the measured learner and the bench's own lookup tables."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from courses import services
    from demo.network import SCHOOL_LABS, TECH_HUBS
    from lms.models import Center, CenterStaff, Cohort, CohortMembership, LearnerProfile
    from lms.roles import CENTER_MANAGER, LEARNER

    User = get_user_model()
    centers = Center.objects.bulk_create(
        [
            Center(name=f"{district} School IT Center", code=code, kind="school_lab",
                   district=district, school_name=school)
            for district, code, school in SCHOOL_LABS
        ] + [
            Center(name=name, code=code, kind="tech_hub", district=district,
                   offers_school_hours=False)
            for district, code, name in TECH_HUBS
        ]
    )  # fmt: skip
    User.objects.create_superuser(username="bench-admin", password="x")  # noqa: S106
    manager = User.objects.create_user(username="bench-manager", password="x")  # noqa: S106
    manager.groups.add(Group.objects.get(name=CENTER_MANAGER))
    CenterStaff.objects.create(user=manager, center=centers[0], role="manager")

    # The measured learner: a cohort of their own at the first center, two courses, half done.
    course, lessons, _quiz = tracks["students"][0]
    cohort = Cohort.objects.create(
        center=centers[0], name="Measured cohort", shift="school_hours",
        curriculum=course.get_parent(), start_date=datetime.date.today(),
    )  # fmt: skip
    learner = User.objects.create_user(username="bench-learner", password="x")  # noqa: S106
    learner.groups.add(Group.objects.get(name=LEARNER))
    LearnerProfile.objects.create(
        user=learner, home_center=centers[0], full_name="Measured Learner",
        learner_type="student",
    )  # fmt: skip
    CohortMembership.objects.create(cohort=cohort, learner=learner)
    for course_, lessons_, _q in tracks["students"][:2]:
        services.enrollment_create(learner=learner, course=course_, cohort=cohort)
        for lesson in lessons_[:5]:
            services.lesson_complete(learner=learner, lesson=lesson)

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_center (pos int PRIMARY KEY, center_id bigint, shifts text[]);"
            "CREATE TABLE bench_course (audience text, pos int, course_id int, quiz_id int);"
            "CREATE TABLE bench_lesson (course_id int, pos int, lesson_id int, title text);"
            "CREATE TABLE bench_cohort (k int PRIMARY KEY, cohort_id bigint, center_id bigint,"
            " shift text, audience text, start date)"
        )
        for pos, center in enumerate(centers):
            cursor.execute(
                "INSERT INTO bench_center VALUES (%s, %s, %s)", [pos, center.pk, center.shifts]
            )
        for audience, courses in tracks.items():
            for pos, (course, lessons, quiz) in enumerate(courses):
                cursor.execute(
                    "INSERT INTO bench_course VALUES (%s, %s, %s, %s)",
                    [audience, pos, course.pk, quiz.pk],
                )
                for n, lesson in enumerate(lessons):
                    cursor.execute(
                        "INSERT INTO bench_lesson VALUES (%s, %s, %s, %s)",
                        [course.pk, n, lesson.pk, lesson.title],
                    )


GROW_SQL = """
INSERT INTO lms_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                      is_active, date_joined)
SELECT '!', false, 'bl' || lpad(n::text, 7, '0'), '', '', '', false, true, now()
FROM generate_series(%(a)s, %(b)s - 1) n;

CREATE TEMP TABLE bl ON COMMIT DROP AS
SELECT n, u.id AS user_id, c.cohort_id, c.center_id, c.audience
FROM generate_series(%(a)s, %(b)s - 1) n
JOIN lms_user u ON u.username = 'bl' || lpad(n::text, 7, '0')
JOIN bench_cohort c ON c.k = n / %(cohort_size)s;

INSERT INTO lms_learnerprofile (learner_type, preferred_language, full_name, full_name_ur, gender,
    year_of_birth, home_center_id, user_id, must_change_password, father_name)
SELECT CASE WHEN audience = 'students' THEN 'student' ELSE 'youth' END, 'en', 'Learner ' || n, '',
       (ARRAY['female', 'male', 'female', 'male', 'other'])[1 + n %% 5],
       CASE WHEN audience = 'students' THEN 2006 + n %% 9 ELSE 1995 + n %% 14 END,
       center_id, user_id, false, ''
FROM bl;

INSERT INTO lms_cohortmembership (joined_at, cohort_id, learner_id)
SELECT c.start + time '08:00', bl.cohort_id, bl.user_id
FROM bl JOIN bench_cohort c ON c.cohort_id = bl.cohort_id;

CREATE TEMP TABLE be ON COMMIT DROP AS
SELECT bl.n, bl.user_id, bl.center_id, bl.cohort_id, bc.course_id, bc.quiz_id, bc.audience,
       now() - make_interval(days => 20 + (bl.n * 13 + j * 29) %% 71) AS enrolled,
       (ARRAY[0, 2, 4, 6, 8, 10, 10, 10, 10, 10, 3])[1 + (bl.n * 7 + j * 3) %% 11] AS done,
       5 + (bl.n * 7 + j) %% 15 AS took_days
FROM bl CROSS JOIN (VALUES (0), (1)) AS js(j)
JOIN bench_course bc ON bc.audience = bl.audience AND bc.pos = (bl.n + j) %% 3;

INSERT INTO courses_enrollment (status, enrolled_at, started_at, completed_at, center_id,
                                cohort_id, course_id, learner_id)
SELECT CASE WHEN done = 10 THEN 'completed' ELSE 'active' END, enrolled, enrolled,
       CASE WHEN done = 10 THEN enrolled + make_interval(days => took_days) END,
       center_id, cohort_id, course_id, user_id
FROM be;

CREATE TEMP TABLE bee ON COMMIT DROP AS
SELECT e.id AS enrollment_id, e.status, e.completed_at, be.*
FROM be JOIN courses_enrollment e ON e.learner_id = be.user_id AND e.course_id = be.course_id;

INSERT INTO courses_lessonprogress (lesson_title, started_at, last_seen_at, completed_at,
                                    time_spent_seconds, enrollment_id, lesson_id)
SELECT l.title, bee.enrolled, seen.at, CASE WHEN l.pos < bee.done THEN seen.at END, 600,
       bee.enrollment_id, l.lesson_id
FROM bee JOIN bench_lesson l ON l.course_id = bee.course_id
CROSS JOIN LATERAL (
    SELECT LEAST(bee.enrolled + make_interval(days => l.pos,
                 hours => (floor(random() * 200) + 0 * bee.enrollment_id)::int), now()) AS at
) seen;

INSERT INTO lms_cohortsession (date, shift, topic, cohort_id)
SELECT c.start + 7 * w, c.shift, '', c.cohort_id
FROM bench_cohort c CROSS JOIN generate_series(0, %(sessions)s - 1) w
WHERE c.k >= %(a)s / %(cohort_size)s AND c.k < %(b)s / %(cohort_size)s;

INSERT INTO lms_attendancemark (status, marked_at, learner_id, marked_by_id, session_id)
SELECT (ARRAY['present', 'present', 'present', 'present', 'present', 'present', 'present',
              'late', 'absent', 'excused'])[1 + floor(random() * 10)::int],
       now(), bl.user_id, NULL, s.id
FROM bl JOIN lms_cohortsession s ON s.cohort_id = bl.cohort_id
WHERE random() < 0.91;

INSERT INTO assessments_attempt (number, status, snapshot, sequence, started_at, deadline,
    last_saved_at, submitted_at, submitted_late, graded_at, score, max_score, percent, passed,
    assessment_id, enrollment_id, learner_id)
SELECT num, CASE WHEN r.graded THEN 'graded' ELSE 'in_progress' END, '{"questions": []}', 0,
       r.started, NULL, NULL, CASE WHEN r.graded THEN r.started + interval '20 minutes' END,
       false, CASE WHEN r.graded THEN r.started + interval '21 minutes' END,
       CASE WHEN r.graded THEN r.pct / 10.0 END, 10, CASE WHEN r.graded THEN r.pct END,
       CASE WHEN r.graded THEN r.pct >= 60 END, bee.quiz_id, bee.enrollment_id, bee.user_id
FROM bee CROSS JOIN generate_series(1, 2) num
CROSS JOIN LATERAL (
    SELECT num = 1 OR random() < 0.9 AS graded,
           20 + floor(random() * 81)::int + 0 * bee.enrollment_id AS pct,
           now() - make_interval(days => 1 + floor(random() * 60)::int) AS started
) r
WHERE num = 1 OR bee.enrollment_id %% 2 = 0;

INSERT INTO certificates_certificate (code, serial, snapshot, payload, signature, kid, status,
    issued_at, revoked_at, revocation_reason, pdf, pdf_sha256, verification_count, center_id,
    enrollment_id, revoked_by_id, supersedes_id, template_id)
SELECT 'B' || lpad(enrollment_id::text, 11, '0'), 'BENCH-' || enrollment_id, '{}', '{}', '-',
       'bench', 'issued', completed_at, NULL, '', '', '',
       (ARRAY[0, 0, 1, 3])[1 + enrollment_id %% 4], center_id, enrollment_id, NULL, NULL, NULL
FROM bee WHERE status = 'completed';

INSERT INTO reports_followup (days_after, due_on, token_hash, language, sent_at, answered_at,
    has_marketplace_profile, has_first_paid_job, income_band, still_looking, enrollment_id)
SELECT d, (completed_at + make_interval(days => d))::date, '', '', now(),
       CASE WHEN r.answered THEN now() END, CASE WHEN r.answered THEN random() < 0.7 END,
       CASE WHEN r.answered THEN random() < 0.4 END,
       CASE WHEN r.answered
            THEN (ARRAY['none', 'under_10k', '10k_30k'])[1 + floor(random() * 3)::int]
            ELSE '' END,
       CASE WHEN r.answered THEN random() < 0.6 END, enrollment_id
FROM bee CROSS JOIN unnest(ARRAY[30, 90, 180]) d
CROSS JOIN LATERAL (SELECT random() < 0.5 + 0 * d + 0 * bee.enrollment_id AS answered) r
WHERE status = 'completed' AND audience = 'youth';
"""


def grow(tracks, first: int, last: int) -> float:
    """Learners ``first`` to ``last`` - 1 and everything they did; seconds taken."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from lms.models import Cohort

    started = time.perf_counter()
    start = timezone.localdate() - datetime.timedelta(weeks=SESSIONS_PER_COHORT + 2)
    curriculum = {a: courses[0][0].get_parent().pk for a, courses in tracks.items()}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pos, center_id, shifts FROM bench_center ORDER BY pos")
        centers = cursor.fetchall()
        made = []
        for k in range(first // COHORT_SIZE, last // COHORT_SIZE):
            _pos, center_id, shifts = centers[k % len(centers)]
            shift = shifts[(k // len(centers)) % len(shifts)]
            audience = "students" if shift == "school_hours" else "youth"
            made.append(
                (k, audience, Cohort(center_id=center_id, name=f"Cohort {k + 1}", shift=shift,
                                     curriculum_id=curriculum[audience], start_date=start))
            )  # fmt: skip
        Cohort.objects.bulk_create([cohort for _k, _a, cohort in made])
        cursor.executemany(
            "INSERT INTO bench_cohort VALUES (%s, %s, %s, %s, %s, %s)",
            [(k, c.pk, c.center_id, c.shift, a, start) for k, a, c in made],
        )
        cursor.execute(
            GROW_SQL,
            {"a": first, "b": last, "cohort_size": COHORT_SIZE, "sessions": SESSIONS_PER_COHORT},
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def table_counts() -> dict:
    from django.db import connection

    tables = {
        "learners": "lms_learnerprofile", "cohorts": "lms_cohort",
        "enrollments": "courses_enrollment", "progress rows": "courses_lessonprogress",
        "attempts": "assessments_attempt", "attendance marks": "lms_attendancemark",
        "certificates": "certificates_certificate", "follow-ups": "reports_followup",
    }  # fmt: skip
    with connection.cursor() as cursor:
        counts = {}
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 -- names above
            counts[name] = cursor.fetchone()[0]
    return counts


# --- Measuring ----------------------------------------------------------------------------------


def measure(client, url: str, rounds: int = ROUNDS, **params) -> dict:
    """Queries of one request; the lowest of five block medians of ``rounds`` requests (wall
    time, and this process's CPU time): a block disturbed by other processes does not count."""
    from django.db import connection

    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    queries = []

    def count(execute, sql, params_, many, context):
        queries.append(sql)
        return execute(sql, params_, many, context)

    with connection.execute_wrapper(count):
        client.get(url, params)
    blocks = 5 if rounds >= 50 else 1
    walls, cpus = [], []
    for _ in range(blocks):
        wall, cpu = [], []
        for _ in range(max(1, rounds // blocks)):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url, params)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        walls.append(statistics.median(wall))
        cpus.append(statistics.median(cpu))
    return {"queries": len(queries), "ms": min(walls) * 1000, "cpu_ms": min(cpus) * 1000}


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure_export(client, url: str) -> dict:
    """Stream the export through the view; time, bytes and peak RSS above the start."""
    import gc

    gc.collect()
    before = _rss()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return {"s": seconds, "bytes": size, "lines": lines, "rss_mib": (peak[0] - before) / 2**20}


def measure_step(users, urls, label: str, *, counted: bool = True) -> dict:
    """Every figure of one step; ``counted`` also times the dashboards counted at request time."""
    from django.test import Client

    from reports.filters import ReportFilters
    from reports.models import FigureSnapshot
    from reports.summaries import TREND_SCOPES, figure_snapshots_refresh
    from reports.trend_snapshots import trend_snapshots_refresh

    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    anonymous = Client()
    result = {"label": label, "floor": measure(anonymous, "/healthz", PAGE_ROUNDS)}
    result["my learning"] = measure(clients["learner"], urls["my learning"], PAGE_ROUNDS)
    result["lesson"] = measure(clients["learner"], urls["lesson"], PAGE_ROUNDS)
    if label == "before any data":
        return result
    if counted:
        FigureSnapshot.objects.all().delete()
        result["overview counted"] = measure(clients["admin"], urls["overview"], 3)
        result["center counted"] = measure(clients["manager"], urls["center"], 3)
    started = time.perf_counter()
    result["refresh rows"] = figure_snapshots_refresh()
    result["refresh s"] = time.perf_counter() - started
    # Weekly trends (issue 16): the overview without them (a zero series, no query), with them
    # counted at request time, and stored (the hourly refresh, timed).
    from unittest import mock

    from reports.trends import trend_of, trend_weeks

    zeros = trend_of({}, None, trend_weeks(filters=ReportFilters()))
    with (
        mock.patch("reports.views.trend_total", return_value=zeros),
        mock.patch("reports.views.trend_charts", return_value=[]),
    ):
        result["overview no trends"] = measure(clients["admin"], urls["overview"])
    FigureSnapshot.objects.filter(scope__in=TREND_SCOPES).delete()
    result["overview trends counted"] = measure(clients["admin"], urls["overview"], 3)
    result["centers side by side counted"] = measure(
        clients["admin"], urls["overview"], 3, trend="lessons"
    )
    started = time.perf_counter()
    result["trend refresh rows"] = trend_snapshots_refresh()
    result["trend refresh s"] = time.perf_counter() - started
    result["centers side by side"] = measure(clients["admin"], urls["overview"], trend="lessons")
    result["overview"] = measure(clients["admin"], urls["overview"])
    result["center"] = measure(clients["manager"], urls["center"])
    result["overview filtered"] = measure(
        clients["admin"], urls["overview"], 3, gender="female", shift="second_shift"
    )
    result["cohort"] = measure(clients["manager"], urls["cohort"], 3)
    result["export"] = measure_export(clients["manager"], urls["export"])
    return result


def print_step(r: dict) -> None:
    floor = r["floor"]["ms"]
    print(f"\n== {r['label']} ==")
    print(f"{'page':<30}{'queries':>8}{'ms':>10}{'CPU ms':>9}{'x floor':>9}")
    names = ["floor", "my learning", "lesson", "overview", "overview no trends",
             "overview trends counted", "overview counted", "centers side by side",
             "centers side by side counted", "center", "center counted", "overview filtered",
             "cohort"]  # fmt: skip
    for name in names:
        if name in r:
            f = r[name]
            print(
                f"{name:<30}{f['queries']:>8}{f['ms']:>10.2f}{f['cpu_ms']:>9.2f}"
                f"{f['ms'] / floor:>9.1f}"
            )
    if "refresh s" in r:
        print(f"stored figures refreshed in {r['refresh s']:.1f} s ({r['refresh rows']} rows)")
    if "trend refresh s" in r:
        print(f"stored trends refreshed in {r['trend refresh s']:.1f} s "
              f"({r['trend refresh rows']} rows)")  # fmt: skip
        base = r["overview no trends"]["ms"]
        print(f"overview with trends / without: stored {r['overview']['ms'] / base:.2f}, "
              f"counted {r['overview trends counted']['ms'] / base:.2f}")  # fmt: skip
    if "export" in r:
        e = r["export"]
        print(f"center learner export: {e['lines']:,} lines, {e['bytes']:,} bytes in "
              f"{e['s']:.1f} s; peak RSS +{e['rss_mib']:.1f} MiB")  # fmt: skip
    sys.stdout.flush()


def main() -> int:
    reused = setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench_reports.py needs PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
        return 0
    try:
        return run(reused)
    finally:
        teardown_django()


def cohort_url(center) -> str:
    from django.urls import reverse

    from lms.models import Cohort

    cohort = Cohort.objects.filter(center=center).exclude(name="Measured cohort").order_by("pk")
    return reverse("reports:cohort", args=[cohort.first().pk])


def run(reused: bool) -> int:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from courses.models import LessonPage
    from lms.models import Center

    if not reused:
        tracks = build_curriculum()
        build_foundation(tracks)
    else:
        tracks = None
    User = get_user_model()
    center = Center.objects.order_by("pk").first()
    users = {
        "admin": User.objects.get(username="bench-admin"),
        "manager": User.objects.get(username="bench-manager"),
        "learner": User.objects.get(username="bench-learner"),
    }
    lesson = LessonPage.objects.live().filter(slug="lesson-3").order_by("path").first()
    urls = {
        "my learning": reverse("learning_dashboard"),
        "lesson": lesson.url,
        "overview": reverse("reports:overview"),
        "center": reverse("reports:center", args=[center.pk]),
        "export": reverse("reports:center_learners_export", args=[center.pk, "csv"]),
    }
    steps = []
    if reused:
        urls["cohort"] = cohort_url(center)
        counts = table_counts()
        print("reused: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))
        steps.append(measure_step(users, urls, f"{counts['learners'] // UNIT}x (reused)"))
        print_step(steps[-1])
    else:
        steps.append(measure_step(users, urls, "before any data"))
        print_step(steps[-1])
        have = 0
        for scale in SCALES:
            seconds = grow(tracks, have, scale * UNIT)
            have = scale * UNIT
            counts = table_counts()
            print(f"\n{scale}x built in {seconds:.0f} s: "
                  + ", ".join(f"{n:,} {name}" for name, n in counts.items()))  # fmt: skip
            urls.setdefault("cohort", cohort_url(center))  # the same cohort at every step
            steps.append(measure_step(users, urls, f"{scale}x"))
            print_step(steps[-1])
    return verdict(steps)


def verdict(steps) -> int:
    """Targets at the largest step (see the module docstring); 1 when one is missed."""
    last = steps[-1]
    misses = []
    if last.get("overview", {}).get("ms", 0) > OVERVIEW_BUDGET_MS:
        misses.append(f"overview over {OVERVIEW_BUDGET_MS} ms")
    if last.get("center", {}).get("ms", 0) > CENTER_BUDGET_MS:
        misses.append(f"center dashboard over {CENTER_BUDGET_MS} ms")
    for name in ("overview", "center", "cohort"):
        if last.get(name, {}).get("queries", 0) > QUERY_BUDGET:
            misses.append(f"{name} over {QUERY_BUDGET} queries")
    first = steps[0]
    print("\nlearner pages, x floor: " + "; ".join(
        f"{name}: " + " → ".join(f"{s[name]['ms'] / s['floor']['ms']:.2f}" for s in steps)
        for name in ("my learning", "lesson")
    ))  # fmt: skip
    if first["label"] == "before any data":
        for name in ("my learning", "lesson"):
            base = first[name]["ms"] / first["floor"]["ms"]
            now = last[name]["ms"] / last["floor"]["ms"]
            if now > base * (1 + LEARNER_PAGE_TOLERANCE):
                misses.append(f"{name} {now / base - 1:+.0%} against no data (x floor)")
    exports = [s for s in steps if "export" in s]
    if len(exports) >= 2:
        ratio = (exports[-1]["export"]["rss_mib"] + 1) / (exports[-2]["export"]["rss_mib"] + 1)
        print(f"export peak RSS, last step / the one before (+1 MiB each): {ratio:.2f}")
        if ratio > 1.5:
            misses.append("export memory grows with the center")
    print("targets: " + ("met" if not misses else "MISSED: " + "; ".join(misses)))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
