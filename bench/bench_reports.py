"""Dashboards and exports on a data set the size of the whole network (`make bench`).

Builds a throwaway database (a fresh test database next to BENCH_DATABASE_URL when it is set —
use PostgreSQL for figures that mean something — otherwise SQLite in a temporary folder) with

- 17 centers (the demo network's 14 school labs and 3 hubs), 4 cohorts each;
- 10,000 learners, each in one cohort and enrolled in two courses (20,000 enrollments);
- 200,000 lesson progress rows (10 lessons per enrollment, completed up to a random point);
- 30,000 assessment attempts (two per enrollment for 15,000 of them), mostly graded;
- 12 taken sessions per cohort with every member marked; certificates for completions;
  freelancing follow-ups, some answered;

all through ``bulk_create``. Then, in one process with Django's test client:

- the programme overview (admin), a center dashboard (its manager) and a cohort page: SQL
  queries per request and the median time of ``BENCH_ROUNDS`` requests, next to ``/healthz``
  as the floor (compare ratios between runs, not milliseconds);
- the center learner export (CSV) through the view, and the learner export of the whole
  network (20,000 rows, CSV and XLSX) through the same writers: peak memory allocated while
  streaming (tracemalloc), next to the peak for the same rows read into a list first.

Targets: each dashboard ≤ 1 s and ≤ ``QUERY_BUDGET`` queries; a streamed export's peak below
a quarter of the list-first peak. Exit status 1 when one is missed.
"""

import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEARNERS = 10_000
COURSES_PER_TRACK = 3
LESSONS_PER_COURSE = 10
PROGRESS_ROWS = 200_000
ATTEMPTS = 30_000
SESSIONS_PER_COHORT = 12
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
QUERY_BUDGET = 40  # the report's own queries plus the Wagtail admin's menu and chrome
TIME_BUDGET_MS = 1000
BATCH = 5000


def setup_django(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{tmp / 'bench.sqlite3'}"
    )
    os.environ["DJANGO_MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        # A fresh database of its own (test_<name>), dropped at the end.
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def teardown_django() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        connection.creation.destroy_test_db(name, verbosity=0)


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


def build_network(tracks, rng: random.Random):
    """Centers, cohorts, learners, memberships, enrollments, progress, sessions and marks,
    certificates and follow-ups: everything but the attempts."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from certificates.models import Certificate
    from courses.models import Enrollment, LessonProgress
    from demo.network import SCHOOL_LABS, TECH_HUBS
    from lms.models import (
        AttendanceMark,
        Center,
        CenterStaff,
        Cohort,
        CohortMembership,
        CohortSession,
        LearnerProfile,
    )
    from reports.models import FollowUp

    User = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=SESSIONS_PER_COHORT + 2)
    centers = [
        Center(name=f"{district} School IT Center", code=code, kind="school_lab",
               district=district, school_name=school)
        for district, code, school in SCHOOL_LABS
    ] + [
        Center(name=name, code=code, kind="tech_hub", district=district,
               offers_school_hours=False)
        for district, code, name in TECH_HUBS
    ]  # fmt: skip
    centers = Center.objects.bulk_create(centers)
    cohorts = []
    for center in centers:
        shifts = center.shifts
        for n in range(4):
            shift = shifts[n % len(shifts)]
            cohorts.append(
                Cohort(center=center, name=f"{center.code} cohort {n + 1}", shift=shift,
                       curriculum_id=tracks["students" if shift == "school_hours" else "youth"]
                       [0][0].get_parent().pk, start_date=start)
            )  # fmt: skip
    cohorts = Cohort.objects.bulk_create(cohorts)

    users = User.objects.bulk_create(
        (User(username=f"learner{n:05d}", password="!") for n in range(LEARNERS)),  # noqa: S106
        batch_size=BATCH,
    )
    member_of = [cohorts[n % len(cohorts)] for n in range(LEARNERS)]
    LearnerProfile.objects.bulk_create(
        (
            LearnerProfile(
                user=user, home_center_id=cohort.center_id, full_name=f"Learner {n:05d}",
                learner_type="student" if cohort.shift == "school_hours" else "youth",
                gender=rng.choice(["female", "male", "female", "male", "other"]),
                year_of_birth=rng.randint(2006, 2014) if cohort.shift == "school_hours"
                else rng.randint(1995, 2008),
            )
            for n, (user, cohort) in enumerate(zip(users, member_of, strict=True))
        ),
        batch_size=BATCH,
    )  # fmt: skip
    joined = timezone.make_aware(datetime.datetime.combine(start, datetime.time(8)))
    CohortMembership.objects.bulk_create(
        (CohortMembership(cohort=c, learner=u) for u, c in zip(users, member_of, strict=True)),
        batch_size=BATCH,
    )
    CohortMembership.objects.update(joined_at=joined)

    enrollments, plans = [], []
    per_enrollment = PROGRESS_ROWS // (LEARNERS * 2)
    for user, cohort in zip(users, member_of, strict=True):
        courses = tracks["students" if cohort.shift == "school_hours" else "youth"]
        for course, lessons, _quiz in rng.sample(courses, 2):
            done = rng.choice([0, 2, 4, 6, 8, 10, 10, 10, 10, 10, 3])
            enrolled = now - datetime.timedelta(days=rng.randint(20, 90))
            completed = enrolled + datetime.timedelta(days=rng.randint(5, 19))
            enrollments.append(
                Enrollment(
                    learner=user, course=course, cohort=cohort, center_id=cohort.center_id,
                    status="completed" if done == per_enrollment else "active",
                    started_at=enrolled, completed_at=completed if done == per_enrollment
                    else None,
                )
            )  # fmt: skip
            plans.append((lessons, done, enrolled))
    enrollments = Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
    # enrolled_at is auto_now_add: spread it as the plan says.
    for e, (_lessons, _done, enrolled) in zip(enrollments, plans, strict=True):
        e.enrolled_at = enrolled
    Enrollment.objects.bulk_update(enrollments, ["enrolled_at"], batch_size=BATCH)

    def progress_rows():
        for e, (lessons, done, enrolled) in zip(enrollments, plans, strict=True):
            for n, lesson in enumerate(lessons[:per_enrollment]):
                seen = enrolled + datetime.timedelta(days=n, hours=rng.randint(0, 200))
                yield LessonProgress(
                    enrollment=e, lesson=lesson, lesson_title=lesson.title, started_at=enrolled,
                    last_seen_at=min(seen, now), completed_at=min(seen, now) if n < done
                    else None, time_spent_seconds=600,
                )  # fmt: skip

    LessonProgress.objects.bulk_create(progress_rows(), batch_size=BATCH)

    sessions = CohortSession.objects.bulk_create(
        CohortSession(cohort=c, date=start + datetime.timedelta(weeks=w), shift=c.shift)
        for c in cohorts
        for w in range(SESSIONS_PER_COHORT)
    )
    members = {}
    for user, cohort in zip(users, member_of, strict=True):
        members.setdefault(cohort.pk, []).append(user.pk)
    statuses = ["present"] * 7 + ["late", "absent", "excused"]
    AttendanceMark.objects.bulk_create(
        (
            AttendanceMark(session=s, learner_id=learner, status=rng.choice(statuses),
                           marked_at=now)
            for s in sessions
            for learner in members[s.cohort_id]
            if rng.random() < 0.95  # some left off: absent by the attendance rule
        ),
        batch_size=BATCH,
    )  # fmt: skip

    completed = [e for e in enrollments if e.status == "completed"]
    certificates = Certificate.objects.bulk_create(
        (
            Certificate(
                enrollment=e, code=f"B{n:011d}", serial=f"BENCH-{n:08d}", center_id=e.center_id,
                snapshot={}, payload={}, signature="-", kid="bench", issued_at=e.completed_at,
                verification_count=rng.choice([0, 0, 1, 3]),
            )
            for n, e in enumerate(completed)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    youth_course_ids = {course.pk for course, _l, _q in tracks["youth"]}
    followups = []
    for e in completed:
        if e.course_id in youth_course_ids:
            for day in (30, 90, 180):
                answered = rng.random() < 0.5
                followups.append(
                    FollowUp(
                        enrollment=e, days_after=day,
                        due_on=e.completed_at.date() + datetime.timedelta(days=day),
                        sent_at=now, answered_at=now if answered else None,
                        has_marketplace_profile=rng.random() < 0.7 if answered else None,
                        has_first_paid_job=rng.random() < 0.4 if answered else None,
                        income_band=rng.choice(["none", "under_10k", "10k_30k"])
                        if answered else "",
                        still_looking=rng.random() < 0.6 if answered else None,
                    )
                )  # fmt: skip
    FollowUp.objects.bulk_create(followups, batch_size=BATCH)

    admin = User.objects.create_superuser(username="bench-admin", password="x")  # noqa: S106
    big_center = centers[0]
    manager = User.objects.create_user(username="bench-manager", password="x")  # noqa: S106
    from django.contrib.auth.models import Group

    from lms.roles import CENTER_MANAGER

    manager.groups.add(Group.objects.get(name=CENTER_MANAGER))
    CenterStaff.objects.create(user=manager, center=big_center, role="manager")
    return {
        "admin": admin,
        "manager": manager,
        "center": big_center,
        "cohort": next(c for c in cohorts if c.center_id == big_center.pk),
        "enrollments": enrollments,
        "counts": {
            "centers": len(centers),
            "cohorts": len(cohorts),
            "learners": len(users),
            "enrollments": len(enrollments),
            "progress": LessonProgress.objects.count(),
            "marks": AttendanceMark.objects.count(),
            "certificates": len(certificates),
            "followups": len(followups),
        },
    }


def build_attempts(tracks, enrollments, rng: random.Random) -> int:
    """30,000 attempts: two for each of 15,000 enrollments (the part that needs assessments)."""
    import datetime

    from django.utils import timezone

    from assessments.models import Attempt

    quiz_of = {course.pk: quiz for courses in tracks.values() for course, _l, quiz in courses}
    now = timezone.now()
    chosen = rng.sample(enrollments, ATTEMPTS // 2)

    def attempts():
        for e in chosen:
            for number in (1, 2):
                graded = number == 1 or rng.random() < 0.9
                percent = rng.randint(20, 100)
                started = now - datetime.timedelta(days=rng.randint(1, 60))
                yield Attempt(
                    assessment=quiz_of[e.course_id], enrollment=e, learner_id=e.learner_id,
                    number=number, snapshot={"questions": []}, started_at=started,
                    submitted_at=started + datetime.timedelta(minutes=20) if graded else None,
                    status="graded" if graded else "in_progress", max_score=10,
                    score=percent / 10 if graded else None, percent=percent if graded else None,
                    passed=percent >= 60 if graded else None,
                    graded_at=started + datetime.timedelta(minutes=21) if graded else None,
                )  # fmt: skip

    return len(Attempt.objects.bulk_create(attempts(), batch_size=BATCH))


# --- Measuring ----------------------------------------------------------------------------------


def measure(client, url: str, **params) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    query_count = len(queries)
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url, params)
        times.append(time.perf_counter() - started)
    return {"queries": query_count, "ms": statistics.median(times) * 1000}


def peak_memory(consume) -> tuple[float, int]:
    """(peak MiB allocated by Python while ``consume()`` runs, its result)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = consume()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, result


def measure_exports(data, client) -> dict:
    import io

    from django.urls import reverse

    from lms.models import Center
    from reports import exports, tables
    from reports.filters import ReportFilters
    from reports.selectors import learner_rows

    filters = ReportFilters()
    results = {}

    def via_view():
        url = reverse("reports:center_learners_export", args=[data["center"].pk, "csv"])
        response = client.get(url)
        return sum(len(chunk) for chunk in response.streaming_content)

    results["center learners CSV (view)"] = peak_memory(via_view)

    def network_csv():
        lines = exports.csv_lines(
            tables.LEARNER_COLUMNS, learner_rows(centers=Center.objects.all(), filters=filters),
            title="All", filters=filters,
        )  # fmt: skip
        return sum(len(line) for line in lines)

    def network_xlsx():
        target = io.BytesIO()
        exports.xlsx_write(
            tables.LEARNER_COLUMNS, learner_rows(centers=Center.objects.all(), filters=filters),
            title="All", filters=filters, target=target,
        )  # fmt: skip
        return target.tell()

    def network_list_first():
        rows = list(learner_rows(centers=Center.objects.all(), filters=filters))
        text = "".join(exports.csv_lines(tables.LEARNER_COLUMNS, rows, title="All",
                                         filters=filters))  # fmt: skip
        return len(text)

    started = time.perf_counter()
    results["network learners CSV (streamed)"] = peak_memory(network_csv)
    results["network CSV seconds"] = time.perf_counter() - started
    results["network learners XLSX (write-only)"] = peak_memory(network_xlsx)
    results["network learners CSV (list first)"] = peak_memory(network_list_first)
    return results


def main() -> int:
    rng = random.Random(20261128)  # noqa: S311 -- bench data, not secrets
    with tempfile.TemporaryDirectory(prefix="hunar-bench-") as tmp:
        setup_django(Path(tmp))
        try:
            return run(rng)
        finally:
            teardown_django()


def run(rng) -> int:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from reports.attempts import attempts_available

    started = time.perf_counter()
    tracks = build_curriculum()
    data = build_network(tracks, rng)
    attempts = build_attempts(tracks, data["enrollments"], rng) if attempts_available() else 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    counts = {**data["counts"], "attempts": attempts}
    print(f"database: {connection.vendor}; built in {built:.0f} s: "
          + ", ".join(f"{n:,} {name}" for name, n in counts.items()))  # fmt: skip

    admin, manager = Client(), Client()
    admin.force_login(data["admin"])
    manager.force_login(data["manager"])
    floor = measure(Client(), "/healthz")
    center_url = reverse("reports:center", args=[data["center"].pk])
    pages = {
        "programme overview (admin)": (admin, reverse("reports:overview"), {}),
        "overview, filtered": (
            admin, reverse("reports:overview"),
            {"gender": "female", "age_band": "18_24", "shift": "second_shift"},
        ),
        f"center {data['center'].code} (manager)": (manager, center_url, {}),
        "cohort page (manager)": (
            manager, reverse("reports:cohort", args=[data["cohort"].pk]), {},
        ),
    }  # fmt: skip
    print(f"{'page':<34}{'queries':>8}{'ms/request':>12}{'x floor':>9}")
    print(f"{'/healthz (floor)':<34}{floor['queries']:>8}{floor['ms']:>12.2f}{1:>9.1f}")
    failed = False
    for name, (client, url, params) in pages.items():
        figures = measure(client, url, **params)
        misses = []
        if figures["queries"] > QUERY_BUDGET:
            misses.append(f"over the {QUERY_BUDGET}-query budget")
        if figures["ms"] > TIME_BUDGET_MS:
            misses.append(f"over {TIME_BUDGET_MS} ms")
        failed |= bool(misses)
        ratio = figures["ms"] / floor["ms"]
        print(f"{name:<34}{figures['queries']:>8}{figures['ms']:>12.1f}{ratio:>9.0f}"
              + ("  " + "; ".join(misses) if misses else ""))  # fmt: skip

    exports = measure_exports(data, manager)
    seconds = exports.pop("network CSV seconds")
    print(f"{'export':<40}{'peak MiB':>10}{'bytes':>14}")
    for name, (peak, size) in exports.items():
        print(f"{name:<40}{peak:>10.1f}{size:>14,}")
    print(f"network learner CSV ({data['counts']['enrollments']:,} rows) took {seconds:.1f} s")
    streamed = exports["network learners CSV (streamed)"][0]
    listed = exports["network learners CSV (list first)"][0]
    print(f"streamed / list-first peak memory: {streamed / listed:.2f}")
    if streamed > listed / 4:
        print("The streamed export's peak is not well below the list-first peak.")
        failed = True
    if not attempts:
        print("assessments.Attempt is missing: no attempts were generated, pass rates are empty.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
