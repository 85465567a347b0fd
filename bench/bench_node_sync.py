"""Lab node sync: bytes and time of a first sync of the demo curriculum, the size of a lab day's
records, and the server's CPU per uploaded record (issue 15, decision 0023).

What it does: builds a throwaway Hunar on SQLite in a temporary directory (lms.settings.dev,
``migrate`` and ``seed_demo``, in a subprocess), then in this process:

1. first sync, server side: builds the two snapshots a new node of GLT pulls (``curriculum``,
   ``center``) as the ``down`` view does, times it (CPU and wall) and reports their JSON and gzip
   bytes plus the bytes of the image and document originals the node fetches. Baseline in the
   same run: the second, unchanged sync (the node sends the hash it holds: the server builds the
   snapshot, compares and answers a few bytes).
2. a lab day: 40 learners of a new center, each completing 8 lessons and submitting a 5-question
   quiz, attendance for all and one correction, made through the apps' services;
   ``records_collect`` then gives the batch a node uploads: records, JSON and gzip bytes.
   Target: <= 100 KB gzip.
3. server CPU per uploaded record: the lab's records are removed from the database and the batch
   is applied with ``records_apply`` (what the ``up`` view does), CPU seconds per record;
   baseline in the same run: applying the same batch again (a replay, nothing changes).

Run: ``python bench/bench_node_sync.py`` (about 4 minutes on two shared cores). Figures go to
bench/README.md by hand.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _env(tmp: Path) -> dict:
    return {
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp / 'server.sqlite3'}",
        "CACHE_URL": f"filecache://{tmp / 'cache'}",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "CERTIFICATE_KEY_DIR": str(tmp / "keys"),
        "CELERY_BROKER_URL": "",
    }


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _lab_day(home):
    """40 learners × 8 lessons + one quiz + attendance at a new center, through the services."""
    import datetime

    from django.utils import timezone

    from assessments.models import AssessmentPage, AssessmentQuestion, QuestionBank
    from assessments.services import attempt_start, attempt_submit
    from courses.models import CoursePage, LessonPage, TrackPage
    from courses.services import enrollment_create, lesson_complete
    from lms.attendance import attendance_record, cohort_session_get_or_create
    from lms.models import Center, CenterStaff, Cohort, CohortMembership, LearnerProfile, User
    from tests.assessments.conftest import make_question, right_answers
    from tests.curriculum import lesson_body, publish

    track = publish(
        home.add_child(
            instance=TrackPage(title="Bench", slug="bench-track", audience="students", summary="S")
        )
    )
    course = publish(
        track.add_child(
            instance=CoursePage(
                title="Bench course", slug="bench", summary="S", outcomes="O", hours=8
            )
        )
    )
    lessons = [
        publish(
            course.add_child(
                instance=LessonPage(
                    title=f"L{n}", slug=f"l{n}", estimated_minutes=15, body=lesson_body(3)
                )
            )
        )
        for n in range(1, 9)
    ]
    bank = QuestionBank.objects.create(course=course, title="Bench bank")
    quiz = course.add_child(
        instance=AssessmentPage(title="Quiz", slug="quiz", required_for_completion=True)
    )
    for order in range(5):
        question = make_question(
            bank, "single", f"Question {order}?", choices=[("Yes", True), ("No", False)]
        )
        AssessmentQuestion.objects.create(page=quiz, question=question, sort_order=order)
    quiz = publish(quiz)
    center = Center.objects.create(
        name="Bench lab", code="BLAB", kind="school_lab", district="Gilgit", school_name="S"
    )
    cohort = Cohort.objects.create(
        center=center,
        name="Morning",
        shift="school_hours",
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        curriculum=course,
    )
    trainer = User.objects.create_user("bench.trainer", password="x")  # noqa: S106
    CenterStaff.objects.create(user=trainer, center=center, role="trainer")
    cohort.trainers.add(trainer)
    learners = []
    for number in range(40):
        user = User.objects.create_user(f"bench.pupil{number}", password="x")  # noqa: S106
        LearnerProfile.objects.create(
            user=user, home_center=center, learner_type="student", full_name=f"Pupil {number}"
        )
        CohortMembership.objects.create(cohort=cohort, learner=user)
        enrollment_create(learner=user, course=course, cohort=cohort)
        learners.append(user)
    for user in learners:
        for lesson in lessons:
            lesson_complete(learner=user, lesson=lesson)
        attempt = attempt_start(learner=user, assessment=quiz)
        attempt_submit(attempt=attempt, answers=right_answers(attempt), sequence=0)
    session = cohort_session_get_or_create(
        cohort=cohort, date=timezone.localdate() - datetime.timedelta(days=1), user=trainer
    )
    attendance_record(session=session, marks={u.pk: "present" for u in learners}, user=trainer)
    attendance_record(session=session, marks={learners[0].pk: "late"}, user=trainer)
    return center


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-node-sync-"))
    env = _env(tmp)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env={**os.environ, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ.update(env)
    import django

    django.setup()
    from django.core.files.storage import storages
    from wagtail.models import Page

    from lms.models import Center
    from sync import snapshot
    from sync.records import records_collect, records_count
    from sync.records_apply import records_apply

    glt = Center.objects.get(code="GLT")
    print("1. first sync of the demo curriculum (GLT)")
    total_raw = total_gz = 0
    build_cpu = build_wall = 0.0
    hashes = {}
    for part in snapshot.PARTS:
        (digest, body), wall, cpu = _timed(lambda part=part: snapshot.snapshot(part, glt))
        packed = gzip.compress(body, 6)
        hashes[part] = digest
        total_raw += len(body)
        total_gz += len(packed)
        build_cpu += cpu
        build_wall += wall
        rows = json.loads(body)
        print(f"   {part}: {len(rows)} rows, {len(body)} B JSON, {len(packed)} B gzip")
        if part == "curriculum":
            names = snapshot.file_names(rows)
            file_bytes = sum(
                storage.size(name)
                for name in names
                for storage in (storages["default"], storages["private"])
                if storage.exists(name)
            )
            print(f"   files: {len(names)} originals, {file_bytes} B")
    print(f"   snapshots: {total_raw} B JSON -> {total_gz} B gzip ({total_gz / total_raw:.1%})")
    print(f"   server build: {build_wall * 1000:.0f} ms wall, {build_cpu * 1000:.0f} ms CPU")
    _, unchanged_wall, unchanged_cpu = _timed(
        lambda: [snapshot.snapshot(part, glt)[0] == hashes[part] for part in snapshot.PARTS]
    )
    print(
        f"   baseline, unchanged sync: {unchanged_cpu * 1000:.0f} ms CPU "
        f"(first sync = {build_cpu / max(unchanged_cpu, 1e-9):.2f}x)"
    )

    print("2. a lab day (40 learners x 8 lessons + one quiz + attendance)")
    home = Page.objects.get(depth=2, locale__language_code="en").specific
    center, made_wall, _ = _timed(lambda: _lab_day(home))
    payload = records_collect(center=center)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    packed = gzip.compress(raw, 9)
    count = records_count(payload)
    print(f"   {count} records, {len(raw)} B JSON, {len(packed)} B gzip (target <= 100 KB)")

    print("3. server CPU per uploaded record")
    from assessments.models import Attempt
    from courses.models import LessonProgress
    from lms.models import AttendanceMark

    Attempt.objects.filter(enrollment__center=center).delete()
    LessonProgress.objects.filter(enrollment__center=center).delete()
    AttendanceMark.objects.filter(session__cohort__center=center).delete()
    _, apply_wall, apply_cpu = _timed(lambda: records_apply(center=center, payload=payload))
    _, replay_wall, replay_cpu = _timed(lambda: records_apply(center=center, payload=payload))
    print(
        f"   apply: {apply_cpu / count * 1000:.2f} ms CPU per record "
        f"({apply_wall:.2f} s wall for {count})"
    )
    print(
        f"   baseline, replay of the same batch: {replay_cpu / count * 1000:.2f} ms CPU per "
        f"record (apply = {apply_cpu / max(replay_cpu, 1e-9):.2f}x replay)"
    )
    ok = len(packed) <= 100_000
    print("target met" if ok else "TARGET MISSED: lab day over 100 KB gzip")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
