"""Taking an attempt through the learner's pages: start, save, resume, stale forms, submit."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, Choice, Response
from courses.models import Enrollment
from courses.services import lesson_complete
from tests.assessments.conftest import confirm_submit, right_answers

pytestmark = pytest.mark.django_db


def attempt_url(attempt, name="attempt"):
    return reverse(f"assessments:{name}", args=[attempt.pk])


def form_fields(attempt, answers, *, sequence=None, page=1, action="save"):
    data = {"sequence": attempt.sequence if sequence is None else sequence, "page": page}
    data["positions"] = ",".join(str(p) for p in answers)
    data["action"] = action
    for position, answer in answers.items():
        data[f"q-{position}"] = answer
    return data


@pytest.fixture
def started(client, make_quiz, cohort_learner):
    learner, _enrollment = cohort_learner
    quiz = make_quiz()
    client.force_login(learner)
    response = client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(learner=learner)
    assert response.status_code == 302 and response["Location"] == attempt_url(attempt)
    return quiz, attempt


def test_assessment_page_offers_start_to_an_enrolled_learner(client, make_quiz, cohort_learner):
    quiz = make_quiz()
    client.force_login(cohort_learner[0])
    body = client.get(quiz.url).content.decode()
    assert reverse("assessments:start", args=[quiz.pk]) in body
    assert "pass mark 60%" in body


def test_unenrolled_visitor_cannot_start(client, make_quiz, other_learner):
    quiz = make_quiz()
    Enrollment.objects.filter(learner=other_learner).delete()
    client.force_login(other_learner)
    response = client.post(reverse("assessments:start", args=[quiz.pk]), follow=True)
    assert "Enrol in this course" in response.content.decode()
    assert not Attempt.objects.exists()


def test_the_form_works_without_javascript_and_answers_survive_a_reload(client, started):
    _quiz, attempt = started
    page = client.get(attempt_url(attempt)).content.decode()
    assert 'name="sequence" value="0"' in page
    answers = right_answers(attempt)
    response = client.post(attempt_url(attempt), form_fields(attempt, answers))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.sequence == 1
    # Coming back (a reload, or the next day) shows every saved answer.
    page = client.get(attempt_url(attempt)).content.decode()
    for position, answer in answers.items():
        if isinstance(answer, list):
            for choice_id in answer:
                assert re.search(rf'name="q-{position}" value="{choice_id}" checked', page)
        else:
            assert f'value="{answer}"' in page


def test_a_stale_form_overwrites_nothing_and_shows_what_was_typed(client, started):
    _quiz, attempt = started
    short_position = next(i for i, q in enumerate(attempt.questions) if q["kind"] == "short_text")
    client.post(attempt_url(attempt), form_fields(attempt, {short_position: "Windows key"}))
    # A second tab still holds the page rendered at sequence 0.
    response = client.post(
        attempt_url(attempt), form_fields(attempt, {short_position: "typed in tab two"}, sequence=0)
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Nothing was overwritten" in body
    assert 'value="typed in tab two"' in body  # what they typed is on the page, not lost
    assert 'name="sequence" value="1"' in body  # and saving again from here works
    saved = Response.objects.get(attempt=attempt, position=short_position)
    assert saved.answer == "Windows key"


def test_autosave_answers_json_and_refuses_stale_sequences(client, started):
    _quiz, attempt = started
    url = attempt_url(attempt, "autosave")
    first = client.post(url, {"sequence": 0, "positions": "0", "q-0": "x"})
    assert first.status_code == 200 and first.json()["saved"] and first.json()["sequence"] == 1
    stale = client.post(url, {"sequence": 0, "positions": "0", "q-0": "y"})
    assert stale.status_code == 409 and stale.json() == {
        "saved": False, "stale": True, "sequence": 1, "message": stale.json()["message"],
    }  # fmt: skip


def test_submitting_grades_the_quiz_and_completes_the_course(client, started, question_bank):
    quiz, attempt = started
    learner = attempt.learner
    for lesson in question_bank[1]:
        lesson_complete(learner=learner, lesson=lesson)
    enrollment = Enrollment.objects.get(learner=learner)
    assert enrollment.status == Enrollment.Status.ACTIVE  # the quiz is required
    response = client.post(
        attempt_url(attempt), form_fields(attempt, right_answers(attempt), action="submit")
    )
    assert response["Location"] == attempt_url(attempt, "confirm")
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS
    response = confirm_submit(client, attempt)
    assert response["Location"] == attempt_url(attempt, "result")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.percent == Decimal(100) and attempt.passed
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    result = client.get(attempt_url(attempt, "result")).content.decode()
    assert "Passed" in result and "100%" in result


def test_a_failed_quiz_leaves_the_course_incomplete(client, started, question_bank):
    _quiz, attempt = started
    for lesson in question_bank[1]:
        lesson_complete(learner=attempt.learner, lesson=lesson)
    client.post(attempt_url(attempt), form_fields(attempt, {0: []}, action="submit"))
    confirm_submit(client, attempt)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.passed is False
    assert Enrollment.objects.get(learner=attempt.learner).status == Enrollment.Status.ACTIVE
    reasons = services.enrollment_completion_evaluate(enrollment=attempt.enrollment)
    assert reasons is False


def test_submitting_twice_changes_nothing_the_second_time(client, started):
    _quiz, attempt = started
    client.post(attempt_url(attempt), form_fields(attempt, right_answers(attempt), action="submit"))
    confirm_submit(client, attempt)
    attempt.refresh_from_db()
    first = (attempt.submitted_at, attempt.score, attempt.sequence)
    again = client.post(
        attempt_url(attempt), form_fields(attempt, {0: []}, sequence=0, action="submit")
    )
    assert again.status_code == 302 and again["Location"] == attempt_url(attempt, "result")
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score, attempt.sequence) == first
    assert confirm_submit(client, attempt)["Location"] == attempt_url(attempt, "result")
    assert Response.objects.filter(attempt=attempt).count() == len(attempt.questions)


def test_edits_to_the_bank_never_change_a_started_attempt(started, question_bank):
    _quiz, attempt = started
    snapshot_before = attempt.snapshot
    single = question_bank[3]["single"]
    single.prompt = "<p>Changed after the attempt started</p>"
    single.save()
    Choice.objects.filter(question=single, is_correct=True).update(is_correct=False)
    attempt.refresh_from_db()
    assert attempt.snapshot == snapshot_before
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt), sequence=0)
    attempt.refresh_from_db()
    assert attempt.percent == Decimal(100)


def test_questions_drawn_at_random_per_category(question_bank, cohort_learner):
    from assessments.models import AssessmentDraw, AssessmentPage
    from tests.assessments.conftest import make_question
    from tests.curriculum import publish

    course, _lessons, bank, _questions = question_bank
    for number in range(6):
        make_question(bank, "true_false", f"Fact {number}", category="facts",
                      choices=[("True", True), ("False", False)])  # fmt: skip
    page = course.add_child(instance=AssessmentPage(title="Drawn", slug="drawn"))
    AssessmentDraw.objects.create(page=page, bank=bank, category="facts", count=3)
    publish(page)
    learner = cohort_learner[0]
    drawn = set()
    for _round in range(4):
        attempt = services.attempt_start(learner=learner, assessment=page)
        prompts = [q["prompt"] for q in attempt.questions]
        assert len(prompts) == 3 and len(set(prompts)) == 3
        assert all("Fact" in p for p in prompts)
        drawn.update(prompts)
        services.attempt_submit(attempt=attempt)
    assert len(drawn) > 3  # different draws per attempt (6 choose 3; all equal is ~1 in 8,000)


def test_attempt_limit_is_enforced(make_quiz, cohort_learner):
    quiz = make_quiz(max_attempts=1)
    learner = cohort_learner[0]
    attempt = services.attempt_start(learner=learner, assessment=quiz)
    assert services.attempt_start(learner=learner, assessment=quiz) == attempt  # resumes
    services.attempt_submit(attempt=attempt)
    with pytest.raises(services.NoAttemptsLeft):
        services.attempt_start(learner=learner, assessment=quiz)


def test_closed_assessment_cannot_be_started(make_quiz, cohort_learner):
    now = timezone.now()
    quiz = make_quiz(opens_at=now + timedelta(days=1))
    with pytest.raises(services.AssessmentClosed):
        services.attempt_start(learner=cohort_learner[0], assessment=quiz)


def test_time_limit_is_enforced_on_the_server(client, make_quiz, cohort_learner, settings):
    settings.ASSESSMENT_GRACE_SECONDS = 30
    quiz = make_quiz(time_limit_minutes=10)
    learner = cohort_learner[0]
    start = timezone.now() - timedelta(minutes=20)
    attempt = services.attempt_start(learner=learner, assessment=quiz, now=start)
    assert attempt.deadline == start + timedelta(minutes=10)
    services.attempt_save(
        attempt=attempt,
        answers=right_answers(attempt),
        sequence=0,
        now=start + timedelta(minutes=5),
    )
    # Within the grace period a late save still counts.
    services.attempt_save(
        attempt=attempt, answers={0: []}, sequence=1, now=start + timedelta(minutes=10, seconds=20)
    )
    client.force_login(learner)
    # Past time and grace: the answers sent now are refused, the saved ones are submitted.
    response = client.post(
        reverse("assessments:attempt", args=[attempt.pk]),
        form_fields(attempt, right_answers(attempt), sequence=2),
    )
    assert response["Location"] == reverse("assessments:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.submitted_late
    single = Response.objects.get(attempt=attempt, position=0)
    assert single.answer == [] and single.score == 0


def test_the_periodic_task_submits_overdue_attempts_with_saved_answers(make_quiz, cohort_learner):
    from assessments.tasks import submit_overdue_attempts_task

    quiz = make_quiz(time_limit_minutes=5)
    start = timezone.now() - timedelta(hours=1)
    attempt = services.attempt_start(learner=cohort_learner[0], assessment=quiz, now=start)
    services.attempt_save(
        attempt=attempt,
        answers=right_answers(attempt),
        sequence=0,
        now=start + timedelta(minutes=1),
    )
    fresh = services.attempt_start(
        learner=cohort_learner[0], assessment=make_quiz(slug="quiz-2", title="Quiz 2")
    )
    assert submit_overdue_attempts_task.delay().get() == 1
    attempt.refresh_from_db()
    fresh.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.percent == Decimal(100)
    assert fresh.status == Attempt.Status.IN_PROGRESS


@pytest.mark.parametrize("name", ["attempt", "autosave", "result"])
def test_another_learners_attempt_is_a_404(client, started, other_learner, name):
    _quiz, attempt = started
    client.force_login(other_learner)
    method = client.post if name == "autosave" else client.get
    assert method(attempt_url(attempt, name)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, started):
    _quiz, attempt = started
    client.logout()
    response = client.get(attempt_url(attempt))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_course_page_lists_its_assessments(client, make_quiz):
    quiz = make_quiz(title="Check your skills")
    body = client.get(quiz.get_parent().url).content.decode()
    assert f'href="{quiz.url}"' in body and "Check your skills" in body


def test_passing_the_required_quiz_issues_a_certificate_with_the_grade(
    started, question_bank, settings, tmp_path, django_capture_on_commit_callbacks
):
    from certificates import signing
    from certificates.models import Certificate

    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    signing.key_generate()
    _quiz, attempt = started
    for lesson in question_bank[1]:
        lesson_complete(learner=attempt.learner, lesson=lesson)
    assert not Certificate.objects.exists()
    answers = right_answers(attempt)
    answers[0] = []  # one question wrong: 5 of 6 points
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt=attempt, answers=answers, sequence=0)
    certificate = Certificate.objects.get(enrollment=attempt.enrollment)
    assert certificate.snapshot["grade"] == "83%"


def test_the_dashboard_shows_attempts_and_what_comes_after_the_lessons(
    client, started, question_bank
):
    _quiz, attempt = started
    for lesson in question_bank[1]:
        lesson_complete(learner=attempt.learner, lesson=lesson)
    body = client.get(reverse("learning_dashboard")).content.decode()
    assert "take the course&#x27;s assessments" in body or "take the course's assessments" in body
    assert attempt_url(attempt) in body
    services.attempt_submit(attempt=attempt)
    body = client.get(reverse("learning_dashboard")).content.decode()
    assert attempt_url(attempt, "result") in body and "not passed (0%)" in body


def test_the_urdu_quiz_counts_for_the_english_enrollment(client, make_quiz, cohort_learner):
    from wagtail.models import Locale

    learner, enrollment = cohort_learner
    quiz = make_quiz()
    urdu = Locale.objects.get_or_create(language_code="ur")[0]
    urdu_quiz = quiz.copy_for_translation(urdu, copy_parents=True)
    urdu_quiz.title = "اپنی مہارت جانچیں"
    urdu_quiz.save_revision().publish()
    attempt = services.attempt_start(learner=learner, assessment=urdu_quiz.specific)
    assert attempt.enrollment == enrollment
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt), sequence=0)
    from assessments.completion import required_assessments_passed

    assert required_assessments_passed(enrollment).met
