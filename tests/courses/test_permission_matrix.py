"""Every URL that shows or changes a learner's data, tried by everyone who must not reach it.

Actors who must be refused: the learner themself where the data is not theirs to change, another
learner, a trainer of another cohort, a manager of another center and an anonymous visitor.
Refused means 403, 404 or a redirect to a sign-in page, and nothing changed in the database.
A meta-test fails when a URL pattern of ours that takes an id appears without an entry here.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from certificates import batch, signing
from certificates.models import Certificate
from courses import services
from courses.models import (
    Announcement,
    AnnouncementRead,
    CohortDueDate,
    Enrollment,
    LessonProgress,
    RosterImport,
)
from lms import roles
from lms.attendance import attendance_record, cohort_session_get_or_create
from lms.models import (
    AttendanceChange,
    AttendanceMark,
    CenterStaff,
    Cohort,
    CohortMembership,
    CohortSession,
    LearnerProfile,
)
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

pytestmark = pytest.mark.django_db

OUR_MODULES = ("lms.", "courses.", "content.", "assessments.", "certificates.", "reports.")
REFUSED_ACTORS = ("owner", "other_learner", "other_trainer", "other_manager", "anonymous")

# Patterns that take an id but act only on the requester's own data, or are protected otherwise.
EXEMPT = {
    "course_enroll": "enrols the requester only; tested in test_learning",
    "lesson_complete": "completes the requester's own lesson only; tested in test_learning",
    "password_reset_confirm": "protected by a signed, expiring token",
    "assessments:start": "starts (or resumes) the requester's own attempt only; test_attempts.py",
    "verify_certificate": "public by design: unguessable code, rate limited; test_verify.py",
    "verify_pdf": "public by design: unguessable code, rate limited; test_verify.py",
    "followup_answer": "public by design: one-time random token stored hashed; test_followups.py",
    "announcement_read": "marks read an announcement addressed to the requester only; others "
    "are a 404; tests/courses/test_staff_work.py",
    "todo:notice_read": "marks read one of the requester's own inbox notices; anyone else's is "
    "a 404; tests/reports/test_todo.py",
    "language_switch": "the id is a language code; changes only the requester's own preference; "
    "tests/content/test_i18n.py",
}


@dataclass
class Case:
    name: str
    args: callable
    method: str = "get"
    data: callable = field(default=lambda w: {})
    # Actors who are refused; "owner" is the learner whose data it is (refused from staff views).
    refused: tuple = REFUSED_ACTORS
    allowed: tuple = ("manager",)


def _learner_cases():
    pk = lambda w: [w["profile"].pk]  # noqa: E731
    return [
        Case("learners:edit", pk),
        Case("learners:history", pk),
        Case("learners:history_results", pk),
        Case("learners:usage", pk),
        Case("learners:inspect", pk),
        Case("learners:copy", pk),
        Case("learners:delete", pk, allowed=("admin",)),
        Case("learners:edit", pk, "post", lambda w: {"full_name": "Changed"}),
        Case("learners:delete", pk, "post", allowed=("admin",)),
        Case("learner_one_time_password", pk),
        Case("learner_one_time_password", pk, "post"),
        # The privacy page (consent, export, erasure): the home center's managers only.
        *(
            Case("learner_privacy", pk, method, data, refused=(*REFUSED_ACTORS, "trainer"))
            for method, data in (
                ("get", lambda w: {}),
                ("post", lambda w: {"action": "export"}),
                (
                    "post",
                    lambda w: {"action": "erase", "confirm_username": w["profile"].user.username},
                ),
                (
                    "post",
                    lambda w: {
                        "action": "record_consent",
                        "guardian_name": "G",
                        "relationship": "aunt",
                        "method": "phone",
                        "given_on": "2026-01-01",
                    },
                ),
            )
        ),  # fmt: skip
    ]


def _cohort_cases():
    pk = lambda w: [w["cohort"].pk]  # noqa: E731
    staff_view = dict(allowed=("manager", "trainer"))
    names = ("edit", "history", "history_results", "usage", "inspect", "copy")
    return (
        [Case(f"cohorts:{n}", pk) for n in names]
        + [
            Case("cohorts:delete", pk, allowed=("admin",)),
            Case("cohorts:edit", pk, "post", lambda w: {"name": "Changed"}),
            Case("cohorts:delete", pk, "post", allowed=("admin",)),
            Case("cohort_progress", pk, **staff_view),
            Case(
                "cohort_progress_course", lambda w: [w["cohort"].pk, w["course"].pk],
                **staff_view,
            ),
            Case("lms_attendance:cohort", pk, **staff_view),
            Case(
                "lms_attendance:take", pk, "post",
                lambda w: {"date": "2026-09-02", "topic": "x"}, **staff_view,
            ),
            Case("lms_attendance:session", lambda w: [w["session"].pk], **staff_view),
            Case(
                "lms_attendance:session", lambda w: [w["session"].pk], "post",
                lambda w: {f"status-{w['learner'].pk}": "absent"}, **staff_view,
            ),
            Case("lms_attendance:history", lambda w: [w["mark"].pk], **staff_view),
        ]
    )  # fmt: skip


def _center_cases():
    pk = lambda w: [w["center"].pk]  # noqa: E731
    staff_pk = lambda w: [w["staff_row"].pk]  # noqa: E731
    center_refused = ("owner", "other_learner", "other_manager", "anonymous")
    cases = [
        Case(f"centers:{n}", pk, refused=center_refused, allowed=("manager", "admin"))
        for n in ("inspect",)
    ]
    cases += [
        Case(f"centers:{n}", pk, refused=center_refused, allowed=("admin",))
        for n in ("edit", "delete", "copy", "history", "history_results", "usage")
    ]
    cases += [
        Case(f"staff:{n}", staff_pk, refused=center_refused, allowed=("admin",))
        for n in ("edit", "delete", "history", "history_results", "usage", "copy")
    ]
    return cases


def _roster_cases():
    pk = lambda w: [w["roster"].pk]  # noqa: E731
    return [
        Case("courses_roster:preview", pk),
        Case("courses_roster:confirm", pk, "post"),
        Case("courses_roster:discard", pk, "post"),
        Case("courses_roster:summary", pk),
    ]


def _certificate_cases():
    cert = lambda w: [w["certificate"].pk]  # noqa: E731
    batch = lambda w: [w["batch_id"]]  # noqa: E731
    reason = lambda w: {"reason": "Issued in error"}  # noqa: E731
    return [
        Case("certificates_admin:cohort_issue", lambda w: [w["cohort"].pk], "post"),
        Case("certificates_admin:batch", batch),
        Case("certificates_admin:batch_download", batch),
        Case("certificates_admin:certificate_pdf", cert),
        Case("certificates_admin:revoke", cert),
        Case("certificates_admin:reissue", cert),
        Case("certificates_admin:revoke", cert, "post", reason),
        Case("certificates_admin:reissue", cert, "post", reason),
        # The learner's own PDF behind a sign-in; their center's managers too, not trainers.
        Case(
            "certificate_file", cert,
            refused=("other_learner", "trainer", "other_trainer", "other_manager", "anonymous"),
            allowed=("owner", "manager", "admin"),
        ),
    ]  # fmt: skip


def _attempt_cases():
    """A learner's own attempt: only they take it; their graders may open its files."""
    pk = lambda w: [w["attempt"].pk]  # noqa: E731
    others = ("other_learner", "other_trainer", "other_manager", "anonymous")
    own = dict(refused=others, allowed=("owner",))
    answer = lambda w: {"sequence": "0", "positions": "0", "q-0": "changed"}  # noqa: E731
    return [
        Case("assessments:attempt", pk, **own),
        Case("assessments:attempt", pk, "post", answer, **own),
        Case("assessments:autosave", pk, "post", answer, **own),
        Case("assessments:confirm", pk, **own),
        Case("assessments:confirm", pk, "post", lambda w: {"sequence": "0"}, **own),
        Case("assessments:result", pk, **own),
        Case(
            "assessments:file", lambda w: [w["attempt"].pk, 1],
            refused=others, allowed=("owner", "trainer", "manager", "admin"),
        ),
    ]  # fmt: skip


def _grading_cases():
    """Grading a submitted attempt: its cohort's trainer, its center's manager, programme admins.
    Item analysis opens for any grader; its figures are scoped (test_item_analysis.py)."""
    submitted = lambda w: [w["submitted_attempt"].pk]  # noqa: E731
    page = lambda w: [w["submitted_attempt"].assessment_id]  # noqa: E731
    grade = lambda w: {"r0-score": "2", "r0-feedback": "Good", "r0-reason": "x"}  # noqa: E731
    graders = dict(allowed=("trainer", "manager", "admin"))
    analysts = dict(refused=("owner", "other_learner", "anonymous"), **graders)
    return [
        Case("assessments_admin:grade", submitted, **graders),
        Case("assessments_admin:grade", submitted, "post", grade, **graders),
        Case("assessments_admin:item_analysis", page, **analysts),
        Case("assessments_admin:item_analysis_csv", page, **analysts),
    ]


def _report_cases():
    """Dashboards and exports: a center's for its managers (not its trainers), a cohort's for
    whoever may see the cohort; the network-wide exports for managers and programme admins."""
    center = lambda w: [w["center"].pk]  # noqa: E731
    cohort = lambda w: [w["cohort"].pk]  # noqa: E731
    managers = dict(refused=(*REFUSED_ACTORS, "trainer"), allowed=("manager", "admin"))
    not_staff = ("owner", "other_learner", "other_trainer", "trainer", "anonymous")
    cases = [
        Case("reports:center", center, **managers),
        Case("reports:center_weekly_pdf", center, **managers),
        Case("reports:cohort", cohort, allowed=("manager", "trainer", "admin")),
    ]
    for fmt in ("csv", "xlsx"):
        cases += [
            Case("reports:center_export", lambda w, f=fmt: [w["center"].pk, f], **managers),
            Case(
                "reports:center_learners_export", lambda w, f=fmt: [w["center"].pk, f],
                **managers,
            ),
            Case(
                "reports:cohort_export", lambda w, f=fmt: [w["cohort"].pk, f],
                allowed=("manager", "trainer", "admin"),
            ),
            # Every manager has an overview (of their own centers); learners and trainers not.
            Case(
                "reports:overview_export", lambda w, f=fmt: [f], refused=not_staff,
                allowed=("manager", "admin"),
            ),
            Case(
                "reports:outcomes_export", lambda w, f=fmt: [f], refused=not_staff,
                allowed=("manager", "admin"),
            ),
        ]  # fmt: skip
    return cases


def _question_bank_cases():
    """A center's question bank and its questions (docs/decisions/0010): its center's trainers
    and managers and programme admins; publishing, locking and review for managers and admins.
    Another center's manager gets 404 (the other trainer here teaches at the same center)."""
    bank = lambda w: [w["bank"].pk]  # noqa: E731
    question = lambda w: [w["question"].pk]  # noqa: E731
    in_review = lambda w: [w["question"].pk, "approve", w["task_state"].pk]  # noqa: E731
    revision = lambda w: [w["question"].pk, w["revision"].pk]  # noqa: E731
    workflow = lambda w: [w["question"].pk, w["task_state"].workflow_state_id]  # noqa: E731
    outsiders = ("owner", "other_learner", "other_manager", "anonymous")
    editors = dict(refused=outsiders, allowed=("trainer", "manager", "admin"))
    reviewers = dict(refused=(*outsiders, "trainer"), allowed=("manager", "admin"))
    views = ("edit", "delete", "history", "history_results", "usage", "inspect", "copy")
    cases = [Case(f"question_banks:{n}", bank, **editors) for n in views]
    cases += [Case(f"questions:{n}", question, **editors) for n in views]
    cases += [
        Case("question_banks:edit", bank, "post", lambda w: {"title": "Taken"}, **editors),
        Case("question_banks:delete", bank, "post", **editors),
        Case("questions:delete", question, "post", **editors),
        Case("questions:workflow_history", question, **editors),
        Case("questions:workflow_history_detail", workflow, **editors),
        Case("questions:confirm_workflow_cancellation", question, **editors),
        Case("questions:collect_workflow_action_data", in_review, **reviewers),
        Case("questions:workflow_action", in_review, "post", **reviewers),
        Case("questions:revisions_revert", revision, **editors),
        Case("questions:revisions_unschedule", revision, "post", **reviewers),
        Case("questions:unpublish", question, "post", **reviewers),
        Case("questions:lock", question, "post", **reviewers),
        Case("questions:unlock", question, "post", **reviewers),
        # Import into a bank: its editors (docs/decisions/0021); export: whoever sees it.
        Case("assessments_import:question_import", bank, **editors),
        Case("assessments_import:question_import", bank, "post", **editors),
        Case("assessments_import:question_export", bank, **editors),
        Case("question_chooser:chosen", question, refused=("other_manager",), **{
            "allowed": ("trainer", "manager", "admin"),
        }),
    ]  # fmt: skip
    return cases


def _cohort_work_cases():
    """Gradebooks, due dates and announcements (issue 16): the cohort's trainers, its center's
    managers and programme admins; another cohort's trainer and another center's manager not."""
    cohort = lambda w: [w["cohort"].pk]  # noqa: E731
    staff = dict(allowed=("manager", "trainer", "admin"))
    cases = [
        Case("gradebook:cohort", cohort, **staff),
        *(
            Case("gradebook:export", lambda w, f=fmt: [w["cohort"].pk, f], **staff)
            for fmt in ("csv", "xlsx")
        ),
    ]
    views = ("edit", "delete", "history", "history_results", "usage", "copy")
    for name, key in (("due_dates", "due_date"), ("announcements", "announcement")):
        pk = lambda w, k=key: [w[k].pk]  # noqa: E731
        cases += [Case(f"{name}:{view}", pk, **staff) for view in views]
        cases.append(Case(f"{name}:delete", pk, "post", **staff))
    cases.append(
        Case(
            "announcements:edit", lambda w: [w["announcement"].pk], "post",
            lambda w: {"cohort": w["cohort"].pk, "title_en": "Changed", "body_en": "Changed"},
            **staff,
        )
    )  # fmt: skip
    return cases


CASES = (
    _learner_cases()
    + _cohort_cases()
    + _center_cases()
    + _roster_cases()
    + _certificate_cases()
    + _attempt_cases()
    + _grading_cases()
    + _report_cases()
    + _question_bank_cases()
    + _cohort_work_cases()
)


def _attempt_with_a_file(course, learner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments import services as assessment_services
    from assessments.models import AssessmentPage, AssessmentQuestion, Question, QuestionBank
    from tests.curriculum import publish

    bank = QuestionBank.objects.create(course=course, title="Bank")
    essay = Question.objects.create(bank=bank, kind="essay", prompt="<p>Why?</p>")
    project = Question.objects.create(
        bank=bank, kind="file", prompt="<p>Upload</p>", allowed_file_types="pdf"
    )
    page = course.add_child(instance=AssessmentPage(title="Project", slug="project"))
    AssessmentQuestion.objects.create(page=page, question=essay, sort_order=0)
    AssessmentQuestion.objects.create(page=page, question=project, sort_order=1)
    publish(page)
    attempt = assessment_services.attempt_start(learner=learner, assessment=page)
    pdf = SimpleUploadedFile("work.pdf", b"%PDF-1.7\n%%EOF\n")
    return assessment_services.attempt_save(
        attempt=attempt, answers={0: "Because."}, files={1: pdf}, sequence=0
    )


def _question_in_review(course, center, trainer):
    """A bank of the center with a question whose edit a trainer submitted for review."""
    from assessments.models import Question, QuestionBank

    bank = QuestionBank.objects.create(course=course, title="Center bank", center=center)
    question = Question.objects.create(bank=bank, kind="essay", prompt="<p>Where?</p>")
    revision = question.save_revision(user=trainer)
    workflow_state = question.get_workflow().start(question, trainer)
    return {
        "bank": bank, "question": question, "revision": revision,
        "task_state": workflow_state.current_task_state,
    }  # fmt: skip


def _submitted_essay_attempt(course, learner):
    from assessments import services as assessment_services
    from assessments.models import AssessmentPage, AssessmentQuestion, Question, QuestionBank

    bank = QuestionBank.objects.create(course=course, title="Essays")
    essay = Question.objects.create(bank=bank, kind="essay", prompt="<p>How?</p>", points=3)
    page = course.add_child(
        instance=AssessmentPage(title="Essay", slug="essay", required_for_completion=False)
    )
    AssessmentQuestion.objects.create(page=page, question=essay, sort_order=0)
    attempt = assessment_services.attempt_start(learner=learner, assessment=page)
    return assessment_services.attempt_submit(
        attempt=attempt, answers={0: "<p>So.</p>"}, sequence=0
    )


@pytest.fixture
def world(make_course, settings, tmp_path):
    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    signing.key_generate()
    _track, course, lessons = make_course(lessons=2)
    center, elsewhere = CenterFactory(code="GLT"), CenterFactory(code="SKD")
    cohort = CohortFactory(center=center, curriculum=course, start_date=datetime.date(2026, 9, 1))
    other_cohort = CohortFactory(center=center, name="Evening")
    profile = LearnerProfileFactory(home_center=center, full_name="Owner Learner")
    learner = profile.user
    other = LearnerProfileFactory(home_center=center, full_name="Other Learner").user
    CohortMembership.objects.create(cohort=cohort, learner=learner)
    CohortMembership.objects.create(cohort=other_cohort, learner=other)
    services.enrollment_create(learner=learner, course=course, cohort=cohort)
    services.lesson_complete(learner=learner, lesson=lessons[0])
    trainer, other_trainer = trainer_of(center, "trainer"), trainer_of(center, "other-trainer")
    cohort.trainers.add(trainer)
    other_cohort.trainers.add(other_trainer)
    manager = manager_of(center, "manager")
    session = cohort_session_get_or_create(
        cohort=cohort, date=datetime.date(2026, 9, 1), user=trainer
    )
    attendance_record(session=session, marks={learner.pk: "present"}, user=trainer)
    Enrollment.objects.filter(learner=learner).update(
        status=Enrollment.Status.COMPLETED, completed_at=timezone.now()
    )
    batch_id, chunks = batch.cohort_batch_plan(cohort=cohort, by=manager)
    for index, chunk in enumerate(chunks):
        batch.batch_chunk_process(batch_id=batch_id, index=index, enrollment_ids=chunk)
    batch.batch_zip_build(batch_id=batch_id)
    attempt = _attempt_with_a_file(course, learner)
    submitted_attempt = _submitted_essay_attempt(course, learner)
    bank_world = _question_in_review(course, center, trainer)
    due_date = CohortDueDate.objects.create(
        cohort=cohort, page=submitted_attempt.assessment, due_at=timezone.now()
    )
    announcement = Announcement.objects.create(
        author=trainer, cohort=cohort, title_en="Hello", body_en="<p>Class moves.</p>"
    )
    roster = RosterImport.objects.create(
        center=center, uploaded_by=manager, filename="class.csv", file_sha256="0" * 64,
        rows=[], problems=[],
    )  # fmt: skip
    return {
        "course": course, "center": center, "cohort": cohort, "profile": profile,
        "learner": learner, "session": session, "roster": roster, "attempt": attempt,
        "submitted_attempt": submitted_attempt, "due_date": due_date,
        "announcement": announcement,
        "mark": AttendanceMark.objects.get(),
        "batch_id": batch_id, "certificate": Certificate.objects.get(),
        "staff_row": CenterStaff.objects.filter(center=center).first(),
        **bank_world,
        "actors": {
            "owner": learner, "other_learner": other, "other_trainer": other_trainer,
            "other_manager": manager_of(elsewhere, "other-manager"), "anonymous": None,
            "manager": manager, "trainer": trainer,
            "admin": UserFactory(username="programme-admin", role=roles.PROGRAMME_ADMIN),
        },
    }  # fmt: skip


def _state():
    from assessments.models import Attempt, GradeChange, Question, QuestionBank, Response

    models = (
        Attempt, Response, GradeChange, Question, QuestionBank,
        LearnerProfile, Cohort, CohortSession, AttendanceMark, AttendanceChange,
        Enrollment, LessonProgress, RosterImport, CenterStaff, Certificate,
        CohortDueDate, Announcement, AnnouncementRead,
    )  # fmt: skip
    rows = {}
    for model in models:
        rows[model.__name__] = sorted(map(repr, model.objects.values()))
    return rows


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and ("login" in location or location.endswith("/admin/"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}-{c.name}")
def test_refused_actors_cannot_reach_or_change(world, case):
    url = reverse(case.name, args=case.args(world))
    before = _state()
    for actor in case.refused:
        client = _client(world["actors"][actor])
        response = getattr(client, case.method)(url, case.data(world))
        assert _refused(response), (actor, url, response.status_code, response.get("Location"))
        assert _state() == before, f"{actor} changed data through {case.method.upper()} {url}"


@pytest.mark.parametrize("case", [c for c in CASES if c.method == "get"], ids=lambda c: c.name)
def test_allowed_staff_reach_it_and_get_changes_nothing(world, case):
    url = reverse(case.name, args=case.args(world))
    before = _state()
    for actor in case.allowed:
        response = _client(world["actors"][actor]).get(url)
        assert response.status_code in (200, 302), (actor, url, response.status_code)
        assert not _refused(response), (actor, url)
    assert _state() == before


@pytest.mark.parametrize("case", [c for c in CASES if c.method == "post"], ids=lambda c: c.name)
def test_state_changing_views_refuse_requests_without_csrf(world, case):
    url = reverse(case.name, args=case.args(world))
    before = _state()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["actors"][case.allowed[0]])
    assert client.post(url, case.data(world)).status_code == 403
    assert _state() == before


def _our_patterns(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _our_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", pattern.callback)
            if view.__module__.startswith(OUR_MODULES) and pattern.pattern.converters:
                yield namespace + (pattern.name or "")


def test_every_url_with_an_id_is_in_the_matrix():
    covered = {case.name for case in CASES} | set(EXEMPT)
    missing = sorted(set(_our_patterns()) - covered)
    assert not missing, f"add these URL patterns to the permission matrix: {missing}"
