"""Records up from a lab node (docs/decisions/0024): collect on the node, apply on the server.

The node and the server are played by one database: the records are made through the apps'
services (as the node makes them), collected, deleted, and applied back (as the server
receives them), and the result compared with what was made.
"""

import copy
import datetime
import gzip
import json
import time

import pytest
from django.utils import timezone

from assessments.models import Attempt, Response
from certificates.models import Certificate
from courses.models import Enrollment, LessonPage, LessonProgress
from lms.models import AttendanceChange, AttendanceMark, CohortSession, User
from sync.records import iso, records_collect, records_count, records_files
from sync.records_apply import RecordRefused, records_apply
from tests.curriculum import lesson_body, publish
from tests.sync.conftest import lab_day

pytestmark = pytest.mark.django_db


def state():
    """Everything the records hold, by uuid, in comparable form."""
    return {
        "enrollments": sorted(
            Enrollment.objects.values_list(
                "uuid", "learner__username", "course_id", "cohort_id", "center_id", "status"
            )
        ),
        "progress": sorted(
            LessonProgress.objects.values_list(
                "uuid", "enrollment__uuid", "lesson_id", "completed_at", "time_spent_seconds"
            )
        ),
        "attempts": sorted(
            Attempt.objects.values_list(
                "uuid", "learner__username", "number", "status", "score", "passed"
            )
        ),
        "responses": sorted(
            (str(r.uuid), str(r.attempt.uuid), r.position, json.dumps(r.answer), r.score)
            for r in Response.objects.select_related("attempt")
        ),
        "marks": sorted(
            AttendanceMark.objects.values_list("uuid", "learner__username", "status", "marked_at")
        ),
        "changes": sorted(
            AttendanceChange.objects.values_list("uuid", "mark__uuid", "status_after")
        ),
    }


def forget_everything():
    """The server before the sync: none of the lab's records."""
    Attempt.objects.all().delete()
    Enrollment.objects.all().delete()
    AttendanceMark.objects.all().delete()
    CohortSession.objects.all().delete()


def test_round_trip_rebuilds_the_same_records(lab):
    learners = lab.learners(3)
    lab_day(lab, learners)
    made = state()
    payload = json.loads(json.dumps(records_collect(center=lab.center)))  # as sent
    assert records_count(payload) == 3 + 3 * 2 + 3 + 3 + 3  # and 3 passwords

    forget_everything()
    result = records_apply(center=lab.center, payload=payload)

    assert state() == made
    assert result.counts["attempts"] == 3 and result.counts["attendance"] == 3
    # The corrected mark keeps both changes; the latest one (late) is its status.
    mark = AttendanceMark.objects.get(learner=learners[0])
    assert mark.status == "late"
    assert list(mark.changes.order_by("changed_at").values_list("status_after", flat=True)) == [
        "absent",
        "late",
    ]


def test_a_replayed_payload_changes_nothing(lab):
    lab_day(lab, lab.learners(2))
    payload = records_collect(center=lab.center)
    forget_everything()
    assert records_apply(center=lab.center, payload=payload).changed > 0
    before = state()
    again = records_apply(center=lab.center, payload=payload)
    assert again.changed == 0 and again.ignored == []
    assert state() == before


def test_collect_since_a_cursor_sends_only_what_changed(lab):
    learners = lab.learners(2)
    lab_day(lab, learners, lessons=lab.lessons[:1], quiz=False, attendance=False)
    first = records_collect(center=lab.center)
    later = timezone.now() + datetime.timedelta(minutes=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        from courses.services import lesson_complete

        lesson_complete(learner=learners[0], lesson=lab.lessons[1])
    second = records_collect(center=lab.center, since=later - datetime.timedelta(seconds=1))
    assert records_count(first) == 2 + 2 + 2  # enrolments, progress, passwords
    assert [e["learner"] for e in second["enrollments"]] == [learners[0].username]
    assert [p["lesson"] for p in second["enrollments"][0]["progress"]] == [
        str(lab.lessons[1].translation_key)
    ]
    nothing = records_collect(center=lab.center, since=later + datetime.timedelta(seconds=1))
    assert records_count(nothing) == 0


def test_progress_is_the_union_and_the_earliest_completion_is_kept(lab):
    (learner,) = lab.learners(1)
    lab_day(lab, [learner], quiz=False, attendance=False)
    payload = records_collect(center=lab.center)
    node = {p["lesson"]: p for p in payload["enrollments"][0]["progress"]}
    first, second = lab.lessons
    # On the server: the first lesson completed later than on the node, with more time; the
    # second one only opened.
    server_first = LessonProgress.objects.get(lesson=first)
    server_first.completed_at += datetime.timedelta(hours=2)
    server_first.time_spent_seconds = 5000
    server_first.save()
    LessonProgress.objects.filter(lesson=second).update(completed_at=None, time_spent_seconds=7)

    records_apply(center=lab.center, payload=payload)

    server_first.refresh_from_db()
    assert iso(server_first.completed_at) == node[str(first.translation_key)]["completed_at"]
    assert server_first.time_spent_seconds == 5000
    server_second = LessonProgress.objects.get(lesson=second)
    assert iso(server_second.completed_at) == node[str(second.translation_key)]["completed_at"]

    # A lesson completed on the server but not on the node stays completed.
    done = server_first.completed_at
    payload["enrollments"][0]["progress"][0]["completed_at"] = None
    records_apply(center=lab.center, payload=payload)
    server_first.refresh_from_db()
    assert server_first.completed_at == done


def test_a_submitted_attempt_never_changes(lab):
    (learner,) = lab.learners(1)
    lab_day(lab, [learner], attendance=False)
    payload = records_collect(center=lab.center)
    forget_everything()
    records_apply(center=lab.center, payload=payload)
    attempt = Attempt.objects.get()
    graded = (attempt.status, attempt.score, attempt.graded_at)

    changed = copy.deepcopy(payload)
    changed["attempts"][0]["responses"][0]["answer"] = ["999"]
    result = records_apply(center=lab.center, payload=changed)

    assert result.ignored == [str(attempt.uuid)] and result.counts["attempts"] == 0
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.graded_at) == graded
    assert Response.objects.get(attempt=attempt, position=0).answer != ["999"]


def test_an_attempt_of_a_learner_withdrawn_meanwhile_is_kept(lab):
    (learner,) = lab.learners(1)
    lab_day(lab, [learner], attendance=False)
    payload = records_collect(center=lab.center)
    Attempt.objects.all().delete()
    Enrollment.objects.filter(learner=learner).update(status=Enrollment.Status.WITHDRAWN)

    assert records_apply(center=lab.center, payload=payload).counts["attempts"] == 1
    assert Attempt.objects.get().status == Attempt.Status.GRADED
    assert Enrollment.objects.get(learner=learner).status == Enrollment.Status.WITHDRAWN


def test_attendance_the_latest_correction_wins_and_history_keeps_both(lab):
    learners = lab.learners(2)
    session = lab_day(lab, learners, lessons=[], quiz=False)
    payload = records_collect(center=lab.center)
    # Meanwhile on the server: learner 1 excused (after the node's marks), learner 0 marked
    # present before the node's correction to late.
    node_late_at = AttendanceChange.objects.get(mark__learner=learners[0], status_after="late")
    forget_everything()
    server = CohortSession.objects.create(cohort=lab.cohort, date=session.date, shift=session.shift)
    for learner, status, at in [
        (learners[0], "present", node_late_at.changed_at - datetime.timedelta(minutes=5)),
        (learners[1], "excused", timezone.now() + datetime.timedelta(minutes=5)),
    ]:
        mark = AttendanceMark.objects.create(
            session=server, learner=learner, status=status, marked_at=at
        )
        AttendanceChange.objects.create(mark=mark, status_after=status, changed_at=at)

    records_apply(center=lab.center, payload=payload)

    first, second = (AttendanceMark.objects.get(learner=u) for u in learners)
    assert first.status == "late"  # the node's correction is the latest
    assert second.status == "excused"  # the server's change is the latest
    assert sorted(first.changes.values_list("status_after", flat=True)) == [
        "absent",
        "late",
        "present",
    ]
    assert sorted(second.changes.values_list("status_after", flat=True)) == ["absent", "excused"]


def test_a_node_pushing_another_centers_learner_is_refused(lab):
    learners = lab.learners(1)
    lab_day(lab, learners, attendance=False)
    payload = records_collect(center=lab.center)
    forget_everything()
    before = state()
    for kind, field in [("enrollments", "learner"), ("attempts", "learner")]:
        bad = copy.deepcopy(payload)
        bad[kind][0][field] = lab.stranger.username
        with pytest.raises(RecordRefused, match="is not of center LAB"):
            records_apply(center=lab.center, payload=bad)
    assert state() == before
    # The same records sent as another center's node are refused whole.
    with pytest.raises(RecordRefused, match="made for center 'LAB'"):
        records_apply(center=lab.other_center, payload=payload)
    # Another center's cohort (same name, other center) cannot be reached either.
    bad = copy.deepcopy(payload)
    bad["enrollments"][0]["cohort"] = "No such class"
    with pytest.raises(RecordRefused, match="no cohort 'No such class' at center LAB"):
        records_apply(center=lab.center, payload=bad)
    assert state() == before


def test_another_centers_learner_in_attendance_and_passwords_is_refused(lab):
    lab_day(lab, lab.learners(1), lessons=[], quiz=False)
    payload = records_collect(center=lab.center)
    bad = copy.deepcopy(payload)
    bad["attendance"][0]["learner"] = lab.stranger.username
    with pytest.raises(RecordRefused, match="is not of center LAB"):
        records_apply(center=lab.center, payload=bad)
    bad = copy.deepcopy(payload)
    bad["passwords"] = [
        {"username": lab.stranger.username, "hash": lab.stranger.password, "must_change": False,
         "changed_at": iso(timezone.now())}
    ]  # fmt: skip
    with pytest.raises(RecordRefused, match="is not of center LAB"):
        records_apply(center=lab.center, payload=bad)
    bad["passwords"][0]["username"] = lab.trainer.username  # staff passwords do not travel
    with pytest.raises(RecordRefused, match="no learner"):
        records_apply(center=lab.center, payload=bad)


def test_a_bad_record_saves_nothing_and_is_named(lab):
    lab_day(lab, lab.learners(2), attendance=False)
    payload = records_collect(center=lab.center)
    forget_everything()
    before = state()
    bad = copy.deepcopy(payload)
    bad_uuid = bad["enrollments"][1]["progress"][1]["uuid"]
    bad["enrollments"][1]["progress"][1]["lesson"] = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(RecordRefused) as refused:
        records_apply(center=lab.center, payload=bad)
    assert refused.value.kind == "lesson progress" and refused.value.key == bad_uuid
    assert bad_uuid in str(refused.value) and "Nothing was saved" in str(refused.value)
    assert state() == before

    bad = copy.deepcopy(payload)
    bad["attempts"][1]["responses"][0]["position"] = 99
    with pytest.raises(RecordRefused, match=bad["attempts"][1]["uuid"]):
        records_apply(center=lab.center, payload=bad)
    assert state() == before


def test_the_server_grades_and_issues_the_certificate(
    lab, django_capture_on_commit_callbacks, settings, tmp_path
):
    from certificates import signing

    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    signing.key_generate()
    (learner,) = lab.learners(1)
    lab_day(lab, [learner], attendance=False)
    payload = records_collect(center=lab.center)
    forget_everything()
    # The node's grades do not travel: the server grades what it receives.
    assert "score" not in json.dumps(payload["attempts"][0]["responses"])

    with django_capture_on_commit_callbacks(execute=True):
        records_apply(center=lab.center, payload=payload)

    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.GRADED and attempt.passed
    enrollment = Enrollment.objects.get(learner=learner)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_a_password_changed_on_the_node_travels_and_the_later_change_wins(lab):
    (learner,) = lab.learners(1)
    server_at = timezone.now() - datetime.timedelta(hours=1)
    User.objects.filter(pk=learner.pk).update(password_changed_at=server_at)
    learner = User.objects.get(pk=learner.pk)
    server_hash = learner.password
    learner.set_password("node-pass-9876")
    learner.save()
    payload = records_collect(center=lab.center, since=server_at + datetime.timedelta(seconds=1))
    assert [p["username"] for p in payload["passwords"]] == [learner.username]

    User.objects.filter(pk=learner.pk).update(password=server_hash, password_changed_at=server_at)
    assert records_apply(center=lab.center, payload=payload).counts["passwords"] == 1
    assert User.objects.get(pk=learner.pk).check_password("node-pass-9876")

    # A reset on the server after the node's change is kept.
    later = timezone.now() + datetime.timedelta(minutes=5)
    User.objects.filter(pk=learner.pk).update(password=server_hash, password_changed_at=later)
    assert records_apply(center=lab.center, payload=payload).counts["passwords"] == 0
    assert User.objects.get(pk=learner.pk).password == server_hash


def test_a_project_file_travels_with_its_attempt(lab, project_question):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import AssessmentPage, AssessmentQuestion
    from assessments.services import attempt_start, attempt_submit

    page = lab.course.add_child(instance=AssessmentPage(title="Project", slug="project"))
    AssessmentQuestion.objects.create(page=page, question=project_question, sort_order=0)
    page = publish(page)
    (learner,) = lab.learners(1)
    attempt = attempt_start(learner=learner, assessment=page)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
        b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
        b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    upload = SimpleUploadedFile("gig.png", png, content_type="image/png")
    attempt_submit(attempt=attempt, answers={}, sequence=0, files={0: upload})
    payload = records_collect(center=lab.center)
    refs = records_files(payload)
    assert len(refs) == 1
    forget_everything()

    with pytest.raises(RecordRefused, match="did not come with the records"):
        records_apply(center=lab.center, payload=payload)
    records_apply(center=lab.center, payload=payload, files={ref: png for ref in refs})
    response = Response.objects.get(attempt__assessment=page)
    assert response.file.read() == png and response.file_name == "gig.png"
    assert Attempt.objects.get(assessment=page).status == Attempt.Status.SUBMITTED  # to grade


def test_a_lab_day_is_small(lab):
    """40 learners × 8 lessons + one quiz + attendance: at most 100 KB gzipped."""
    course = lab.course
    for number in range(3, 9):
        publish(
            course.add_child(
                instance=LessonPage(
                    title=f"Lesson {number}", slug=f"lesson-{number}", body=lesson_body(2)
                )
            )
        )
    lab.lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    assert len(lab.lessons) == 8
    lab_day(lab, lab.learners(40))
    payload = records_collect(center=lab.center)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    packed = gzip.compress(raw)
    forget_everything()
    started = time.process_time()
    records_apply(center=lab.center, payload=json.loads(raw))
    cpu = time.process_time() - started
    print(
        f"lab day: {records_count(payload)} records, {len(raw)} B JSON, {len(packed)} B gzip; "
        f"applied in {cpu:.2f} s CPU ({cpu / records_count(payload) * 1000:.1f} ms a record)"
    )
    assert records_count(payload) == 40 + 40 * 8 + 40 + 40 + 40  # passwords: set at creation
    assert len(packed) <= 100_000


def test_records_made_in_urdu_land_on_the_one_canonical_page(lab, home):
    from wagtail.models import Locale, Site

    from assessments.services import attempt_start, attempt_submit
    from courses.services import lesson_complete
    from tests.assessments.conftest import right_answers
    from tests.courses.test_one_learner_across_languages import translate

    Site.clear_site_root_paths_cache()
    ur = Locale.objects.get_or_create(language_code="ur")[0]
    publish(home.copy_for_translation(ur))
    translate(lab.course, ur, "کمپیوٹر کی بنیادی باتیں")
    ur_lessons = [translate(lesson, ur, f"سبق {n}") for n, lesson in enumerate(lab.lessons)]
    ur_quiz = translate(lab.quiz, ur, "کوئز")
    (learner,) = lab.learners(1)
    for lesson in ur_lessons:
        lesson_complete(learner=learner, lesson=lesson)
    attempt = attempt_start(learner=learner, assessment=ur_quiz)
    attempt_submit(attempt=attempt, answers=right_answers(attempt), sequence=0)
    payload = records_collect(center=lab.center)
    forget_everything()

    records_apply(center=lab.center, payload=payload)

    enrollment = Enrollment.objects.get(learner=learner)
    assert enrollment.course_id == lab.course.pk
    assert set(enrollment.progress.values_list("lesson_id", flat=True)) == {
        lesson.pk for lesson in lab.lessons
    }
    assert Attempt.objects.get().assessment_id == lab.quiz.pk
    assert enrollment.status == Enrollment.Status.COMPLETED
