"""Reading assessments, always through who is asking.

A learner reaches only their own attempts; a grader (trainer of the cohort, manager of the
center, programme admin) reaches the attempts of learners they teach or manage, never their own.
"""

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from content.canonical import canonical_of
from courses.models import Enrollment
from lms.permissions import centers_managed_by, cohorts_visible_to, is_programme_admin

from .grading import MANUAL_KINDS
from .models import AssessmentPage, Attempt, Choice, Question, Response, RubricCriterion


def own_attempts(user) -> QuerySet[Attempt]:
    if not (user and user.is_authenticated):
        return Attempt.objects.none()
    return Attempt.objects.filter(learner=user)


def gradable_attempts(user) -> QuerySet[Attempt]:
    if not (user and user.is_authenticated and user.is_active):
        return Attempt.objects.none()
    if is_programme_admin(user):
        return Attempt.objects.exclude(learner=user)
    return Attempt.objects.filter(
        Q(enrollment__cohort__in=cohorts_visible_to(user))
        | Q(enrollment__center__in=centers_managed_by(user))
    ).exclude(learner=user)


def readable_attempts(user) -> QuerySet[Attempt]:
    """Attempts whose answers (and files) ``user`` may open: their own, or ones they grade."""
    return Attempt.objects.filter(
        Q(pk__in=own_attempts(user).values("pk")) | Q(pk__in=gradable_attempts(user).values("pk"))
    )


def grading_queue(user) -> QuerySet[Attempt]:
    """Submitted attempts waiting for a trainer's grade, oldest first."""
    return (
        gradable_attempts(user)
        .filter(status=Attempt.Status.SUBMITTED)
        .select_related("learner", "assessment", "enrollment__cohort", "enrollment__center")
        .order_by("submitted_at")
    )


def manual_responses(attempt: Attempt) -> list[Response]:
    kinds = [q["kind"] for q in attempt.questions]
    return [r for r in attempt.responses.all() if kinds[r.position] in MANUAL_KINDS]


def learner_enrollment(learner, assessment: AssessmentPage) -> Enrollment | None:
    """The learner's (not withdrawn) enrollment in the assessment's course, in any of its
    translations: a learner enrolled in English may take the quiz in Urdu, and the attempt
    belongs to the same enrollment."""
    course = assessment.get_parent()
    return (
        Enrollment.objects.filter(learner=learner, course__translation_key=course.translation_key)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .first()
    )


def assessment_page_context(*, page: AssessmentPage, user) -> dict:
    """What the assessment page shows a visitor: their attempts and whether they can start."""
    context = {"attempts": [], "current_attempt": None, "enrollment": None, "can_start": False}
    context["is_open"] = page.is_open()
    if not (user and user.is_authenticated) or not page.pk:
        return context
    enrollment = learner_enrollment(user, page)
    # Attempts are kept on the canonical assessment: those started in either language count
    # together, and an attempt in progress is found from either page.
    attempts = list(
        own_attempts(user)
        .filter(assessment__translation_key=page.translation_key)
        .order_by("number")
    )
    current = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
    # A submitted attempt a trainer has not graded yet: the page says so instead of offering a
    # new attempt, whose result the learner could not yet compare with the last.
    awaiting = next((a for a in attempts if a.status == Attempt.Status.SUBMITTED), None)
    rules = canonical_of(page=page)  # the attempt limit is the canonical assessment's
    attempts_left = None
    if rules.max_attempts:
        attempts_left = max(0, rules.max_attempts - len(attempts))
    context.update(
        {
            "enrollment": enrollment,
            "attempts": attempts,
            "current_attempt": current,
            "awaiting_grading": awaiting,
            "attempts_left": attempts_left,
            "can_start": bool(enrollment)
            and current is None
            and awaiting is None
            and page.is_open()
            and attempts_left != 0,
            "now": timezone.now(),
        }
    )
    return context


def enrollment_grade_percent(enrollment) -> int | None:
    """The grade a certificate prints: the mean, over the course's assessments the learner
    passed, of their best graded percentage (rounded); None when nothing was graded."""
    from django.db.models import Max

    best = (
        Attempt.objects.filter(enrollment=enrollment, status=Attempt.Status.GRADED, passed=True)
        .values("assessment_id")
        .annotate(best=Max("percent"))
        .values_list("best", flat=True)
    )
    values = [value for value in best if value is not None]
    if not values:
        return None
    return round(sum(values) / len(values))


def _lacks_urdu() -> Q:
    """The one rule for "this question still lacks its Urdu" (docs/decisions/0014): no Urdu
    prompt; English feedback without Urdu; a choice without Urdu text (except a true / false
    question's "True" / "False", which the site translates) or with English feedback only; a
    rubric criterion without an Urdu title, or with an English description only. Urdu accepted
    answers are optional (an English answer is accepted from Urdu readers too)."""
    site_translated = Q(question__kind=Question.Kind.TRUE_FALSE) & (
        Q(text__iexact="true") | Q(text__iexact="false")
    )
    choices = Choice.objects.filter(question=OuterRef("pk")).filter(
        (Q(text_ur="") & ~site_translated) | (~Q(feedback="") & Q(feedback_ur=""))
    )
    criteria = RubricCriterion.objects.filter(question=OuterRef("pk")).filter(
        Q(title_ur="") | (~Q(description="") & Q(description_ur=""))
    )
    return (
        Q(prompt_ur="") | (~Q(feedback="") & Q(feedback_ur="")) | Exists(choices) | Exists(criteria)
    )


def questions_with_urdu_state(*, queryset: QuerySet[Question]) -> QuerySet[Question]:
    """``queryset`` annotated with ``urdu_complete`` (bool): the question has all its Urdu."""
    return queryset.annotate(urdu_complete=ExpressionWrapper(~_lacks_urdu(), BooleanField()))


def questions_missing_urdu(*, queryset: QuerySet[Question]) -> QuerySet[Question]:
    return queryset.filter(_lacks_urdu())


def questions_with_urdu(*, queryset: QuerySet[Question]) -> QuerySet[Question]:
    return queryset.exclude(_lacks_urdu())


def banks_with_urdu_counts(*, queryset):
    """Question banks annotated with ``urdu_missing_count``: their questions lacking Urdu."""
    missing = (
        questions_missing_urdu(queryset=Question.objects.filter(bank=OuterRef("pk")))
        .order_by()
        .values("bank")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(
        urdu_missing_count=Coalesce(Subquery(missing, output_field=IntegerField()), 0)
    )


def attempts_for_dashboard(enrollment_ids: list[int]) -> dict[int, list[dict]]:
    """{enrollment id: its attempts, newest first, as plain values} for "My learning", in one
    query that reads the title out of the snapshot rather than the whole snapshot."""
    from django.db.models.fields.json import KT
    from django.urls import reverse

    rows = (
        Attempt.objects.filter(enrollment_id__in=enrollment_ids)
        .annotate(title=KT("snapshot__title"))
        .order_by("-started_at", "-pk")
        .values_list(
            "pk", "enrollment_id", "title", "number", "status", "passed", "percent",
            "assessment_id",
        )
    )  # fmt: skip
    found: dict[int, list[dict]] = {}
    for pk, enrollment_id, title, number, status, passed, percent, assessment_id in rows:
        name = (
            "assessments:attempt" if status == Attempt.Status.IN_PROGRESS else "assessments:result"
        )
        found.setdefault(enrollment_id, []).append(
            {
                "title": title, "number": number, "status": status, "passed": passed,
                "percent": percent, "url": reverse(name, args=[pk]),
                "assessment_id": assessment_id,
            }
        )  # fmt: skip
    return found
