"""Learner dashboard and cohort progress grid on a realistic center (`make bench`).

Builds a throwaway database (SQLite by default, or BENCH_DATABASE_URL) holding one center of
1,000 learners, a 20-lesson course and a cohort of 40 of them half-way through it, then measures
in one process, with Django's test client:

- SQL queries per page (budget: at most 15, the same for a cohort of 40 as for 4);
- time per request for the dashboard and the grid, next to ``/healthz`` measured in the same
  run as the floor — the ratio is what to compare between runs, not the milliseconds.

Exit status 1 when a query budget is missed.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY_BUDGET = 15
LEARNERS_AT_CENTER = 1000
COHORT_SIZE = 40
LESSONS = 20
ROUNDS = 200


def setup_django(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{tmp / 'bench.sqlite3'}"
    )
    os.environ["DJANGO_MEDIA_ROOT"] = str(tmp / "media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_center():
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from content.models import HomePage
    from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress, TrackPage
    from lms.models import Center, CenterStaff, Cohort, CohortMembership, LearnerProfile

    User = get_user_model()
    home = HomePage.objects.get(depth=2)
    track = home.add_child(
        instance=TrackPage(title="Bench track", slug="bench-track", audience="students",
                           summary="Bench")
    )  # fmt: skip
    track.save_revision().publish()
    course = track.add_child(
        instance=CoursePage(title="Bench course", slug="bench-course", summary="Bench", hours=20)
    )
    course.save_revision().publish()
    lessons = []
    for number in range(LESSONS):
        lesson = course.add_child(
            instance=LessonPage(
                title=f"Lesson {number + 1}", slug=f"lesson-{number + 1}",
                body=[("paragraph", RichText("<p>Bench lesson.</p>"))],
            )
        )  # fmt: skip
        lesson.save_revision().publish()
        lessons.append(lesson)

    center = Center.objects.create(
        name="Bench lab", code="BNCH", kind="school_lab", district="Gilgit", school_name="Bench"
    )
    users = User.objects.bulk_create(
        # "!" is Django's unusable-password marker: these learners never sign in.
        User(username=f"learner{n:04d}", password="!")  # noqa: S106
        for n in range(LEARNERS_AT_CENTER)
    )
    LearnerProfile.objects.bulk_create(
        LearnerProfile(user=u, learner_type="student", home_center=center, full_name=u.username)
        for u in users
    )
    cohort = Cohort.objects.create(
        center=center, name="Bench cohort", shift="school_hours", curriculum=course,
        start_date=timezone.now().date(),
    )  # fmt: skip
    members = users[:COHORT_SIZE]
    CohortMembership.objects.bulk_create(
        CohortMembership(cohort=cohort, learner=u) for u in members
    )
    # Everyone at the center is enrolled; only the 40 members are in the measured cohort.
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            learner=u, course=course, cohort=cohort if n < COHORT_SIZE else None, center=center
        )
        for n, u in enumerate(users)
    )
    now = timezone.now()
    LessonProgress.objects.bulk_create(
        LessonProgress(
            enrollment=e, lesson=lesson, lesson_title=lesson.title, started_at=now,
            last_seen_at=now, completed_at=now if n % 3 else None,
        )
        for e in enrollments
        for n, lesson in enumerate(lessons[: LESSONS // 2])
    )  # fmt: skip
    manager = User.objects.create_user(username="bench-manager", password="x")  # noqa: S106
    CenterStaff.objects.create(user=manager, center=center, role="manager")
    return {"learner": users[0], "manager": manager, "cohort": cohort}


def measure(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Read now: every request start empties the log the context slices.
    query_count = len(queries)
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return {"queries": query_count, "ms": statistics.median(times) * 1000}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="hunar-bench-") as tmp:
        setup_django(Path(tmp))
        from django.test import Client
        from django.urls import reverse

        data = build_center()
        floor = measure(Client(), "/healthz")
        learner, manager = Client(), Client()
        learner.force_login(data["learner"])
        manager.force_login(data["manager"])
        results = {
            "dashboard (learner)": measure(learner, reverse("learning_dashboard")),
            f"progress grid ({COHORT_SIZE} x {LESSONS})": measure(
                manager, reverse("cohort_progress", args=[data["cohort"].pk])
            ),
        }
    print(f"center of {LEARNERS_AT_CENTER} learners, cohort of {COHORT_SIZE}, {LESSONS} lessons")
    print(f"{'page':<28}{'queries':>8}{'ms/request':>12}{'x floor':>9}")
    print(f"{'/healthz (floor)':<28}{floor['queries']:>8}{floor['ms']:>12.2f}{1:>9.1f}")
    failed = False
    for name, figures in results.items():
        ratio = figures["ms"] / floor["ms"]
        mark = "" if figures["queries"] <= QUERY_BUDGET else f"  over the {QUERY_BUDGET} budget"
        failed |= bool(mark)
        print(f"{name:<28}{figures['queries']:>8}{figures['ms']:>12.2f}{ratio:>9.1f}{mark}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
