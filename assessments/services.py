"""Assessment use-cases: start, save, submit, expire and grade attempts.

Views, the autosave endpoint, the Celery task that submits overdue attempts and the grading
admin all call these. Every change to an attempt happens with its row locked (PostgreSQL's
SELECT ... FOR UPDATE; SQLite's IMMEDIATE transactions serialize writers), so concurrent saves
and submits of one attempt apply in order and a submit happens once.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from content.canonical import canonical_of
from content.sanitize import clean_html
from courses.models import Enrollment
from courses.services import enrollment_completion_evaluate

from . import grading
from .models import AssessmentPage, Attempt, GradeChange, Response
from .selectors import learner_enrollment
from .snapshot import assessment_snapshot
from .uploads import UploadRejected, upload_check


class AssessmentError(Exception):
    """A use-case refused, with a sentence for the learner or trainer."""


class NotEnrolled(AssessmentError):
    pass


class AssessmentClosed(AssessmentError):
    pass


class NoAttemptsLeft(AssessmentError):
    pass


class AttemptClosed(AssessmentError):
    """The attempt is no longer in progress (submitted, graded, or its time ran out)."""


class StaleForm(AssessmentError):
    """The form was rendered before the latest save; nothing was overwritten."""

    def __init__(self, message: str, *, current_sequence: int):
        super().__init__(message)
        self.current_sequence = current_sequence


class GradingError(AssessmentError):
    pass


def _grace() -> timedelta:
    return timedelta(seconds=settings.ASSESSMENT_GRACE_SECONDS)


def _enrollment_for(learner, assessment: AssessmentPage) -> Enrollment:
    enrollment = learner_enrollment(learner, assessment)
    if enrollment is None:
        raise NotEnrolled(_("Enrol in this course to take its assessments."))
    return enrollment


def attempt_is_overdue(attempt: Attempt, now=None) -> bool:
    now = now or timezone.now()
    return attempt.deadline is not None and now > attempt.deadline + _grace()


def attempt_start(*, learner, assessment: AssessmentPage, now=None) -> Attempt:
    """The learner's attempt in progress (resumed), or a new one with its questions frozen.

    ``assessment`` may be a translation (the Urdu quiz). The attempt belongs to the canonical
    assessment (content.canonical), whose rules apply: attempts in either language are numbered
    and limited together, and the one in progress is resumed from either language. The
    questions are frozen from the canonical assessment too, in both languages
    (``assessments.snapshot``): one quiz, read in either language, even mid-attempt.
    """
    now = now or timezone.now()
    enrollment = _enrollment_for(learner, assessment)
    assessment = canonical_of(page=assessment)
    current = Attempt.objects.filter(
        assessment=assessment, learner=learner, status=Attempt.Status.IN_PROGRESS
    ).first()
    if current is not None:
        if not attempt_is_overdue(current, now):
            return current
        attempt_submit(attempt=current, now=now)
    if not assessment.is_open(now):
        raise AssessmentClosed(_("This assessment is not open now."))
    made = Attempt.objects.filter(assessment=assessment, learner=learner)
    if assessment.max_attempts and made.count() >= assessment.max_attempts:
        raise NoAttemptsLeft(
            _("You have used all %(count)d attempts at this assessment.")
            % {"count": assessment.max_attempts}
        )
    snapshot = assessment_snapshot(assessment)
    if not snapshot["questions"]:
        raise AssessmentClosed(_("This assessment has no questions yet."))
    deadline = None
    if assessment.time_limit_minutes:
        deadline = now + timedelta(minutes=assessment.time_limit_minutes)
    if assessment.closes_at and (deadline is None or assessment.closes_at < deadline):
        deadline = assessment.closes_at
    max_score = sum(Decimal(q["points"]) for q in snapshot["questions"])
    try:
        with transaction.atomic():
            number = (made.aggregate(n=Max("number"))["n"] or 0) + 1
            return Attempt.objects.create(
                assessment=assessment,
                enrollment=enrollment,
                learner=learner,
                number=number,
                snapshot=snapshot,
                started_at=now,
                deadline=deadline,
                max_score=max_score,
            )
    except IntegrityError:
        # Two "start" clicks at once: the other one made the attempt; resume it.
        return Attempt.objects.get(
            assessment=assessment, learner=learner, status=Attempt.Status.IN_PROGRESS
        )


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def _locked_state(attempt: Attempt) -> Attempt:
    """The attempt's row locked and re-read, except its snapshot when ``attempt`` already holds
    it: the questions never change after the start, so only the state (status, sequence,
    deadline) must come from under the lock. Reading and decoding the snapshot twice was a
    large part of an autosave's cost (bench/README.md, "The morning bell")."""
    if attempt._state.adding or "snapshot" not in attempt.__dict__:
        return _locked(attempt)
    locked = Attempt.objects.select_for_update().defer("snapshot").get(pk=attempt.pk)
    locked.snapshot = attempt.snapshot
    return locked


def _check_files(attempt: Attempt, files: dict) -> dict:
    """Every upload checked before anything is written: one bad file saves nothing."""
    checked = {}
    for position, upload in files.items():
        question = attempt.questions[position]
        if question["kind"] != "file":
            raise UploadRejected(_("This question does not take a file."))
        checked[position] = (upload, upload_check(upload, allowed=question["file_types"]))
    return checked


def _answers_taken(attempt: Attempt, answers: dict) -> dict:
    """The answers the attempt takes: positions of its questions, never a file question's."""
    questions = attempt.questions
    return {
        position: answer
        for position, answer in answers.items()
        if 0 <= position < len(questions) and questions[position]["kind"] != "file"
    }


def _answers_store(attempt: Attempt, answers: dict, now) -> None:
    """Every answer in one ``INSERT … ON CONFLICT (attempt, position) DO UPDATE``: new ones
    inserted, the others overwritten, without reading them first (an autosave's cost was mostly
    the read and an UPDATE with a CASE per row; bench/README.md, "The morning bell"). The
    attempt's row is locked by the caller, so no other save of it runs meanwhile."""
    rows = [
        Response(attempt=attempt, position=position, answer=answer, saved_at=now)
        for position, answer in _answers_taken(attempt, answers).items()
    ]
    if rows:
        Response.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["attempt", "position"],
            update_fields=["answer", "saved_at"],
        )


def _apply_answers(attempt: Attempt, answers: dict, files: dict, now) -> dict:
    """Store the answers (new ones in one INSERT, changed ones in one UPDATE) and the files;
    returns every response of the attempt by position, as now stored. The path of a form that
    carries files; answers alone go through :func:`_answers_store`."""
    checked = _check_files(attempt, files)
    existing = {r.position: r for r in attempt.responses.all()}
    created, changed = [], []
    for position, answer in _answers_taken(attempt, answers).items():
        response = existing.get(position)
        if response is None:
            created.append(
                Response(attempt=attempt, position=position, answer=answer, saved_at=now)
            )
        elif response.answer != answer:
            response.answer = answer
            response.saved_at = now
            changed.append(response)
    if created:
        Response.objects.bulk_create(created)
        existing.update((response.position, response) for response in created)
    if changed:
        Response.objects.bulk_update(changed, ["answer", "saved_at"])
    for position, (upload, info) in checked.items():
        response = existing.get(position) or Response(attempt=attempt, position=position)
        old_file = response.file.name if response.file else ""
        response.file.save(info.name, upload, save=False)
        response.file_name, response.file_type, response.file_size = info.name, info.kind, info.size
        response.saved_at = now
        response.save()
        existing[position] = response
        if old_file:
            # After the new file is safely stored; the old one is no longer reachable.
            storage = response.file.storage
            transaction.on_commit(lambda name=old_file, storage=storage: storage.delete(name))
    return existing


@transaction.atomic
def attempt_save(
    *, attempt: Attempt, answers: dict, sequence: int, files=None, now=None
) -> Attempt:
    """Store the answers (by question position) of a form rendered at ``sequence``.

    A form older than the latest save raises :class:`StaleForm` and changes nothing; so does a
    closed attempt (:class:`AttemptClosed`). An attempt past its time is submitted with what was
    saved before, and the late answers are refused.
    """
    now = now or timezone.now()
    if not files and not attempt._state.adding:
        # The usual case, in one statement: the row is locked, checked (open, in time, the
        # form's sequence) and moved to the next sequence by the same UPDATE. When it matches
        # nothing, the locked read below says why.
        moved = Attempt.objects.filter(
            Q(deadline__isnull=True) | Q(deadline__gte=now - _grace()),
            pk=attempt.pk,
            status=Attempt.Status.IN_PROGRESS,
            sequence=sequence,
        ).update(sequence=F("sequence") + 1, last_saved_at=now)
        if moved:
            _answers_store(attempt, answers, now)
            attempt.status, attempt.sequence = Attempt.Status.IN_PROGRESS, sequence + 1
            attempt.last_saved_at = now
            return attempt
    attempt = _locked_state(attempt)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptClosed(_("This attempt has already been submitted."))
    if attempt_is_overdue(attempt, now):
        _submit_locked(attempt, now, late=True)
        raise AttemptClosed(
            _("The time for this attempt ran out; it was submitted with your saved answers.")
        )
    if sequence != attempt.sequence:
        raise StaleForm(
            _(
                "These answers come from an older copy of the page (another tab, or a page "
                "reloaded from history). Nothing was overwritten: check the answers below and "
                "save again."
            ),
            current_sequence=attempt.sequence,
        )
    if files:
        _apply_answers(attempt, answers, files, now)
    else:
        _answers_store(attempt, answers, now)
    attempt.sequence += 1
    attempt.last_saved_at = now
    attempt.save(update_fields=["sequence", "last_saved_at"])
    return attempt


@transaction.atomic
def attempt_submit(
    *, attempt: Attempt, answers=None, sequence=None, files=None, now=None
) -> Attempt:
    """Submit (and grade what can be graded automatically). Idempotent: a second submit of the
    same attempt, however concurrent, returns the attempt as the first one left it."""
    now = now or timezone.now()
    attempt = _locked_state(attempt)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return attempt
    late = attempt_is_overdue(attempt, now)
    responses, pending = None, {}
    if answers is not None and not late:
        if sequence != attempt.sequence:
            raise StaleForm(
                _(
                    "These answers come from an older copy of the page. Nothing was submitted "
                    "or overwritten: check the answers below and submit again."
                ),
                current_sequence=attempt.sequence,
            )
        if files:
            responses = _apply_answers(attempt, answers, files, now)
        else:
            pending = _answers_taken(attempt, answers)  # stored with the scores, below
        attempt.sequence += 1
        attempt.last_saved_at = now
    _submit_locked(attempt, now, late=late, responses=responses, answers=pending)
    return attempt


def _submit_locked(
    attempt: Attempt, now, *, late: bool, responses: dict | None = None, answers=None
) -> None:
    """Score what grades itself and close the attempt: every question's response (the answers
    submitted with it, ``answers``, applied; missing ones made empty) written with its score in
    one ``INSERT … ON CONFLICT DO UPDATE``, then the attempt in one UPDATE (graded at once when
    nothing is left for a trainer)."""
    if responses is None:
        responses = {r.position: r for r in attempt.responses.all()}
    answers = answers or {}
    rows, scores = [], []
    for position, question in enumerate(attempt.questions):
        response = responses.get(position)
        answer = response.answer if response else None
        saved_at = response.saved_at if response else None
        if position in answers and answers[position] != answer:
            answer, saved_at = answers[position], now
        auto = grading.score_answer(question, answer)
        score = auto if auto is not None else (response.score if response else None)
        rows.append(
            Response(
                attempt=attempt, position=position, answer=answer, saved_at=saved_at, score=score
            )
        )
        scores.append(score)
    Response.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["attempt", "position"],
        update_fields=["answer", "saved_at", "score"],
    )
    attempt.status = Attempt.Status.SUBMITTED
    attempt.submitted_at = now
    attempt.submitted_late = late
    fields = ["status", "submitted_at", "submitted_late", "sequence", "last_saved_at"]
    graded = _grade_if_complete(attempt, now, scores)
    attempt.save(update_fields=fields + graded)
    if graded and attempt.passed:
        enrollment = Enrollment.objects.get(pk=attempt.enrollment_id)
        enrollment_completion_evaluate(enrollment=enrollment)
    if attempt.status == Attempt.Status.SUBMITTED:
        _graders_notify(attempt)


@transaction.atomic
def attempt_received_grade(*, attempt: Attempt, now=None) -> Attempt:
    """Grade an attempt made and submitted elsewhere (a lab node; ``sync.records_apply``) and
    stored here with its responses: what grades itself is scored, the attempt graded when
    nothing is left for a trainer (the enrollment's completion then re-decided), and graders
    told of a project, exactly as :func:`attempt_submit` does. Its submission time and
    lateness are the ones it came with. An attempt already graded is returned unchanged.
    """
    attempt = _locked(attempt)
    if attempt.status == Attempt.Status.GRADED:
        return attempt
    submitted_at = attempt.submitted_at or now or timezone.now()
    _submit_locked(attempt, submitted_at, late=attempt.submitted_late)
    return attempt


def _graders_notify(attempt: Attempt) -> None:
    """A project waits for grading: tell the cohort's trainers and the center's managers (in
    the admin inbox, and by e-mail where they have an address)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from lms.models import CenterStaff
    from lms.notices import notice_send

    if attempt.assessment.kind != attempt.assessment.Kind.PROJECT:
        return
    enrollment = attempt.enrollment
    graders = list(enrollment.cohort.trainers.all()) if enrollment.cohort_id else []
    graders += [
        staff.user
        for staff in CenterStaff.objects.filter(
            center_id=enrollment.center_id, role=CenterStaff.Role.MANAGER
        ).select_related("user")
    ]
    profile = getattr(attempt.learner, "learner_profile", None)
    name = profile.full_name if profile else attempt.learner.get_username()
    # In the programme's language, not the submitting learner's.
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(learner)s submitted “%(project)s” for grading.") % {
            "learner": name,
            "project": attempt.assessment.title,
        }
    url = reverse("assessments_admin:grade", args=[attempt.pk])
    notice_send(users=[u for u in graders if u.pk != attempt.learner_id], message=message, url=url)


def _grade_if_complete(attempt: Attempt, now, scores: list) -> list[str]:
    """Set the totals when every question has a score; the fields set (none if not)."""
    if len(scores) < len(attempt.questions) or any(score is None for score in scores):
        return []
    attempt.score = sum(scores, Decimal(0))
    attempt.percent = grading.attempt_percent(attempt.score, attempt.max_score)
    attempt.passed = attempt.percent >= attempt.snapshot["pass_mark_percent"]
    attempt.status = Attempt.Status.GRADED
    attempt.graded_at = now
    return ["score", "percent", "passed", "graded_at"]


def _finish_grading_if_complete(attempt: Attempt, now) -> None:
    scores = list(attempt.responses.values_list("score", flat=True))
    graded = _grade_if_complete(attempt, now, scores)
    if not graded:
        return
    attempt.save(update_fields=[*graded, "status"])
    if attempt.passed:
        enrollment = Enrollment.objects.get(pk=attempt.enrollment_id)
        enrollment_completion_evaluate(enrollment=enrollment)


@transaction.atomic
def response_grade(
    *, response: Response, grader, score=None, rubric_scores=None, feedback="", reason="", now=None
) -> Response:
    """A trainer's grade for an essay or project answer; every change is kept with its reason.

    The caller checks that ``grader`` may grade this response (``selectors.gradable_responses``).
    """
    now = now or timezone.now()
    attempt = _locked(response.attempt)
    response = Response.objects.select_for_update().get(pk=response.pk)
    question = attempt.questions[response.position]
    if question["kind"] not in grading.MANUAL_KINDS:
        raise GradingError(_("This answer is graded automatically."))
    if attempt.status == Attempt.Status.IN_PROGRESS:
        raise GradingError(_("The learner has not submitted this attempt yet."))
    try:
        if question["rubric"]:
            new_score = grading.rubric_score(question, rubric_scores or [])
        else:
            new_score = Decimal(str(score))
            if not 0 <= new_score <= Decimal(question["points"]):
                raise ValueError
    except (ValueError, ArithmeticError, TypeError) as error:
        raise GradingError(
            _("Give a score between 0 and the points of each criterion (%(detail)s).")
            % {"detail": error or question["points"]}
        ) from error
    if response.score is not None and not reason.strip():
        raise GradingError(_("Say why the grade is changed."))
    GradeChange.objects.create(
        response=response,
        changed_by=grader,
        old_score=response.score,
        new_score=new_score,
        reason=reason.strip(),
    )
    response.score = new_score
    response.rubric_scores = [str(s) for s in rubric_scores] if question["rubric"] else None
    response.feedback = clean_html(feedback or "")
    response.graded_by = grader
    response.graded_at = now
    response.save()
    if attempt.status == Attempt.Status.GRADED:
        # A regrade: the totals follow. A completed enrollment stays completed (history holds).
        attempt.status = Attempt.Status.SUBMITTED
    _finish_grading_if_complete(attempt, now)
    return response


def attempts_submit_overdue(now=None) -> int:
    """Submit every attempt whose time (plus grace) ran out, with its saved answers."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(
        status=Attempt.Status.IN_PROGRESS, deadline__lt=now - _grace()
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(overdue):
        attempt = attempt_submit(attempt=Attempt(pk=pk), now=now)
        count += attempt.submitted_late
    return count
