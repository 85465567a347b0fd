"""What waits for a trainer or a manager today: the to-do panel on the admin home.

One selector, ``todo_of(*, user)``, scoped through ``lms.permissions`` (a trainer: the cohorts
they teach; a manager: their centers; a programme admin: the network). Each item is a count
with the oldest case or a short list, and a link to where the work is done. A fixed number of
queries, whatever the size of the network.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page, TaskState, WorkflowState

from assessments.models import AssessmentPage, Attempt
from assessments.selectors import grading_queue
from certificates.models import Certificate
from courses.models import CohortDueDate, Enrollment, RosterImport
from lms.models import AttendanceMark, Cohort
from lms.notices import notices_unread_for
from lms.permissions import centers_managed_by, cohorts_visible_to

LIST_SIZE = 5
ROSTER_DAYS = 14  # roster previews older than this are forgotten by the panel
OVERDUE_DAYS = 30  # due dates further back than this are history, not to-do


@dataclass
class Todo:
    grading_count: int = 0
    grading_oldest: datetime.datetime | None = None
    review_pages: int = 0
    review_other: int = 0
    mine_in_review: int = 0
    no_attendance: list = field(default_factory=list)  # cohorts running today, nothing marked
    overdue: list = field(default_factory=list)  # (due date, learners overdue)
    eligible: list = field(default_factory=list)  # (cohort or None, center, count)
    rosters: list = field(default_factory=list)  # RosterImport with problems
    notices: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.grading_count or self.review_pages or self.review_other or self.mine_in_review
            or self.no_attendance or self.overdue or self.eligible or self.rosters or self.notices
        )  # fmt: skip


def _grading(todo, user):
    figures = grading_queue(user).order_by().aggregate(n=Count("pk"), oldest=Min("submitted_at"))
    todo.grading_count, todo.grading_oldest = figures["n"], figures["oldest"]


def _reviews(todo, user):
    page_type = Page._meta  # workflow states keep the base content type: Page for every page
    in_review = TaskState.objects.reviewable_by(user).filter(status=TaskState.STATUS_IN_PROGRESS)
    for model_name, count in (
        in_review.order_by()
        .values_list("workflow_state__base_content_type__model")
        .annotate(n=Count("pk"))
    ):
        if model_name == page_type.model_name:
            todo.review_pages += count
        else:
            todo.review_other += count
    todo.mine_in_review = WorkflowState.objects.active().filter(requested_by=user).count()


def _attendance(todo, cohorts, today):
    marked_today = AttendanceMark.objects.filter(
        session__cohort=OuterRef("pk"), session__date=today
    )
    todo.no_attendance = list(
        Cohort.objects.filter(pk__in=cohorts.values("pk"), start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(Exists(marked_today))
        .select_related("center")
        .order_by("center__name", "name")[:LIST_SIZE]
    )


def _overdue(todo, cohorts, now):
    enrolled = (
        Enrollment.objects.filter(cohort=OuterRef("cohort"))
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    done = (
        Attempt.objects.filter(enrollment__cohort=OuterRef("cohort"), assessment=OuterRef("page"))
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .order_by()
        .values("assessment")
        .annotate(n=Count("learner", distinct=True))
        .values("n")
    )
    rows = (
        CohortDueDate.objects.filter(
            cohort__in=cohorts.values("pk"),
            due_at__lt=now,
            due_at__gte=now - datetime.timedelta(days=OVERDUE_DAYS),
            page__in=AssessmentPage.objects.values("pk"),
        )
        .annotate(
            enrolled=Coalesce(Subquery(enrolled), 0),
            done=Coalesce(Subquery(done), 0),
        )
        .select_related("cohort", "page")
        .order_by("-due_at")
    )
    todo.overdue = [(due, due.enrolled - due.done) for due in rows if due.enrolled > due.done][
        :LIST_SIZE
    ]


def _eligible(todo, user):
    """Completed enrollments without a valid certificate, in the centers the user manages."""
    valid = Certificate.objects.filter(enrollment=OuterRef("pk"), status=Certificate.Status.ISSUED)
    todo.eligible = list(
        Enrollment.objects.filter(
            center__in=centers_managed_by(user), status=Enrollment.Status.COMPLETED
        )
        .exclude(Exists(valid))
        .order_by()
        .values("cohort_id", "cohort__name", "center__name")
        .annotate(n=Count("pk"))
        .order_by("center__name", "cohort__name")[:LIST_SIZE]
    )


def _rosters(todo, user, now):
    todo.rosters = list(
        RosterImport.objects.filter(
            center__in=centers_managed_by(user),
            status=RosterImport.Status.PREVIEWED,
            uploaded_at__gte=now - datetime.timedelta(days=ROSTER_DAYS),
        )
        .exclude(problems=[])
        .select_related("center")
        .order_by("-uploaded_at")[:LIST_SIZE]
    )


def todo_of(*, user) -> Todo:
    """Everything waiting for ``user``, in their scope."""
    todo = Todo()
    now = timezone.now()
    cohorts = cohorts_visible_to(user)
    _grading(todo, user)
    _reviews(todo, user)
    _attendance(todo, cohorts, timezone.localdate())
    _overdue(todo, cohorts, now)
    _eligible(todo, user)
    _rosters(todo, user, now)
    todo.notices = notices_unread_for(user=user)
    return todo
