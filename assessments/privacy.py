"""Assessments' part of a learner's data export and erasure (registered with ``lms.privacy``).

Attempts, their scores and the grade history stay through an erasure (figures and item analysis
count them). What the learner wrote or uploaded goes: typed answers to short-text and essay
questions, project files, and the grader's written feedback and reasons about that work.
"""

from collections.abc import Iterable

from lms.privacy import PersonalData, PersonalFile, files_delete_on_commit

from .models import Attempt, GradeChange, Question, Response

# Question kinds whose answer is the learner's own words (the others are choices or numbers).
FREE_TEXT_KINDS = {Question.Kind.SHORT_TEXT, Question.Kind.ESSAY}


def _files_storage():
    """The storage learners' files were saved through: the field's own (private) storage."""
    return Response._meta.get_field("file").storage


def _kind(response: Response) -> str:
    questions = response.attempt.snapshot.get("questions", [])
    return questions[response.position]["kind"] if response.position < len(questions) else ""


def assessments_export(*, user) -> Iterable[PersonalData]:
    attempts = Attempt.objects.filter(learner=user).select_related("assessment")
    yield PersonalData(
        "attempts",
        [
            {
                "attempt": a.pk, "assessment": a.assessment.title, "number": a.number,
                "status": a.status, "started_at": a.started_at, "submitted_at": a.submitted_at,
                "graded_at": a.graded_at, "score": a.score, "max_score": a.max_score,
                "percent": a.percent, "passed": a.passed,
            }
            for a in attempts.order_by("started_at")
        ],
    )  # fmt: skip
    responses = Response.objects.filter(attempt__learner=user).select_related("attempt")
    rows, files = [], []
    for r in responses.order_by("attempt_id", "position"):
        question = r.question if r.position < len(r.attempt.questions) else {}
        rows.append(
            {
                "attempt": r.attempt_id, "position": r.position + 1,
                "question": question.get("prompt", ""), "answer": r.answer,
                "file_name": r.file_name, "score": r.score, "feedback": r.feedback,
                "saved_at": r.saved_at, "graded_at": r.graded_at,
            }
        )  # fmt: skip
        if r.file:
            name = f"{r.attempt_id}-{r.position + 1}-{r.file_name or 'file'}".replace("/", "_")
            files.append(PersonalFile(name, r.file.storage, r.file.name))
    yield PersonalData("responses", rows, files)
    yield PersonalData(
        "grade_changes",
        list(
            GradeChange.objects.filter(response__attempt__learner=user)
            .order_by("changed_at")
            .values(
                "response__attempt_id", "response__position", "changed_at", "old_score",
                "new_score", "reason",
            )
        ),
    )  # fmt: skip


def assessments_erase(*, user) -> None:
    responses = Response.objects.filter(attempt__learner=user).select_related("attempt")
    paths = []
    for response in responses.iterator():
        fields = []
        if _kind(response) in FREE_TEXT_KINDS and response.answer is not None:
            response.answer = None
            fields.append("answer")
        if response.file:
            paths.append(response.file.name)
            response.file = ""
            response.file_name = response.file_type = ""
            fields += ["file", "file_name", "file_type"]
        if response.feedback:
            response.feedback = ""
            fields.append("feedback")
        if fields:
            response.save(update_fields=fields)
    GradeChange.objects.filter(response__attempt__learner=user).update(reason="")
    files_delete_on_commit(_files_storage(), paths)


def project_files_purge(*, now=None) -> int:
    """Uploaded files of attempts graded (or, never graded, submitted) more than
    ``ASSESSMENT_FILE_RETENTION_DAYS`` ago are deleted; the score stays. How many went."""
    from django.conf import settings
    from django.db.models import Q

    from lms.retention import retention_cutoff

    cutoff = retention_cutoff(settings.ASSESSMENT_FILE_RETENTION_DAYS, now)
    done = Q(attempt__graded_at__lt=cutoff) | Q(
        attempt__graded_at__isnull=True, attempt__submitted_at__lt=cutoff
    )
    storage = _files_storage()
    removed = 0
    for response in Response.objects.exclude(file="").filter(done).iterator():
        if storage.exists(response.file.name):
            storage.delete(response.file.name)
        Response.objects.filter(pk=response.pk).update(file="", file_name="")
        removed += 1
    return removed
