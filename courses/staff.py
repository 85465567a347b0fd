"""Due dates and announcements: what trainers and managers set, and what learners read of it.

Writes (``due_date_set``, ``announcement_create``, ``announcement_mark_read``,
``announcement_email``) and reads (``due_dates_of``, ``announcements_unread_for``) in one
place; the admin forms, the learner views and the Celery task all call these.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from content.canonical import canonical_of
from content.sanitize import clean_html
from lms.models import Center, Cohort, CohortMembership, LearnerProfile
from lms.permissions import can_manage_center, can_see_cohort

from .models import Announcement, AnnouncementRead, CohortDueDate, LessonPage

NOT_IN_CURRICULUM = _("Choose an assessment or lesson of this cohort's course or track.")
NOT_YOUR_COHORT = _("You do not teach or manage this cohort.")
NOT_YOUR_CENTER = _("You do not manage this center.")
ONE_AUDIENCE = _("Choose either one cohort or a whole center.")
NEEDS_TEXT = _("Write a title and a message in English or Urdu.")

# Page types a due date may be set for: lessons here; assessments register theirs from their
# app (a lower app never imports a higher one).
_due_page_models: list = [LessonPage]


def due_page_model(model) -> None:
    """Let due dates be set for pages of ``model``; call from ``AppConfig.ready``."""
    if model not in _due_page_models:
        _due_page_models.append(model)


def due_pages() -> "Page.objects":
    """Source-locale pages of the types a due date may be set for (every center's: the
    curriculum is the network's)."""
    from content.canonical import source_locale

    pages = Page.objects.type(*_due_page_models)
    locale = source_locale()
    return pages.filter(locale=locale) if locale else pages


# --- Due dates ------------------------------------------------------------------------------------


def due_date_check(*, cohort: Cohort, page: Page) -> Page:
    """The canonical page if ``page`` may be due for ``cohort``; ValidationError otherwise."""
    page = canonical_of(page=page.specific)
    if (
        cohort.curriculum_id is None
        or not isinstance(page, tuple(_due_page_models))
        or not page.path.startswith(cohort.curriculum.path)
        or page.pk == cohort.curriculum_id
    ):
        raise ValidationError(NOT_IN_CURRICULUM)
    return page


@transaction.atomic
def due_date_set(*, cohort: Cohort, page: Page, due_at, by) -> CohortDueDate:
    """Set (or move) when ``cohort`` is due to have done ``page``; one row per cohort and page.
    Refuses a user who does not teach or manage the cohort and a page outside its curriculum."""
    if not can_see_cohort(by, cohort):
        raise ValidationError(NOT_YOUR_COHORT)
    page = due_date_check(cohort=cohort, page=page)
    due, _created = CohortDueDate.objects.update_or_create(
        cohort=cohort, page=page, defaults={"due_at": due_at, "set_by": by}
    )
    return due


@dataclass(frozen=True)
class DueItem:
    page_id: int
    title: str
    url_path: str
    due_at: object
    course_id: int
    translation_key: object

    @property
    def overdue(self) -> bool:
        return self.due_at < timezone.now()


class DueKey(NamedTuple):
    """What ``due_dates_of`` needs of an enrollment: an Enrollment row or a "My learning" card."""

    pk: int
    cohort_id: int | None
    course_id: int
    course_path: str


def due_key_of(enrollment) -> DueKey:
    return DueKey(enrollment.pk, enrollment.cohort_id, enrollment.course_id, enrollment.course.path)


def due_dates_of(*, enrollments: list[DueKey], locale: Locale | None = None) -> dict:
    """{enrollment id: [DueItem, ...] by due date} for the enrollments' cohorts, in ONE query.

    Titles are the page's live translation in ``locale`` (default: the active language) when
    there is one, found by a subquery of the same query.
    """
    by_cohort: dict[int, list[DueKey]] = {}
    for enrollment in enrollments:
        if enrollment.cohort_id:
            by_cohort.setdefault(enrollment.cohort_id, []).append(enrollment)
    if not by_cohort:
        return {}
    # The active language's locale is joined inside the query, not read first (Locale.get_active
    # costs a query of its own on every "My learning"); no such locale: the page's own title.
    in_locale = (
        {"locale": locale}
        if locale is not None
        else {
            "locale__language_code": get_supported_content_language_variant(
                translation.get_language()
            )
        }
    )
    shown = Page.objects.filter(
        translation_key=OuterRef("page__translation_key"), live=True, **in_locale
    )
    rows = (
        CohortDueDate.objects.filter(cohort__in=list(by_cohort))
        .annotate(
            shown_title=Subquery(shown.values("title")[:1]),
            shown_path=Subquery(shown.values("url_path")[:1]),
        )
        .values_list(
            "cohort_id",
            "page_id",
            "page__path",
            "page__title",
            "shown_title",
            "page__url_path",
            "shown_path",
            "due_at",
            "page__translation_key",
        )  # fmt: skip
        .order_by("due_at")
    )
    result: dict[int, list[DueItem]] = {}
    for cohort_id, page_id, path, title, shown_title, url_path, shown_path, due_at, key in rows:
        for enrollment in by_cohort[cohort_id]:
            if path.startswith(enrollment.course_path):
                item = DueItem(page_id, shown_title or title, shown_path or url_path, due_at,
                               enrollment.course_id, key)  # fmt: skip
                result.setdefault(enrollment.pk, []).append(item)
    return result


def due_items_pending(
    *, done_lesson_keys, submitted_page_ids, items: list[DueItem]
) -> list[DueItem]:
    """The items a learner still has to do: an assessment with no submitted attempt, a lesson
    not completed. Reads only what the caller has loaded already (no query)."""
    return [
        item
        for item in items
        if item.page_id not in submitted_page_ids and item.translation_key not in done_lesson_keys
    ]


def due_items_of(*, enrollment, done_lesson_keys: set) -> list[DueItem]:
    """What one enrollment still has to do, and by when (the course page, which has read the
    lessons done already): a query for the due dates, one for the submitted attempts if any."""
    items = due_dates_of(enrollments=[due_key_of(enrollment)]).get(enrollment.pk, [])
    if not items:
        return []
    submitted = (
        set(
            enrollment.attempts.exclude(status="in_progress").values_list(
                "assessment_id", flat=True
            )
        )
        if hasattr(enrollment, "attempts")
        else set()
    )
    return due_items_pending(
        done_lesson_keys=done_lesson_keys, submitted_page_ids=submitted, items=items
    )


# --- Announcements --------------------------------------------------------------------------------


def announcement_clean_texts(*, title_en, body_en, title_ur, body_ur) -> dict:
    """The four texts with the bodies sanitized; ValidationError when both languages are
    empty."""
    texts = {
        "title_en": (title_en or "").strip(),
        "body_en": clean_html(body_en or "").strip(),
        "title_ur": (title_ur or "").strip(),
        "body_ur": clean_html(body_ur or "").strip(),
    }
    if not ((texts["title_en"] and texts["body_en"]) or (texts["title_ur"] and texts["body_ur"])):
        raise ValidationError(NEEDS_TEXT)
    return texts


def announcement_audience_check(*, by, cohort: Cohort | None, center: Center | None) -> None:
    if (cohort is None) == (center is None):
        raise ValidationError(ONE_AUDIENCE)
    if cohort is not None and not can_see_cohort(by, cohort):
        raise ValidationError(NOT_YOUR_COHORT)
    if center is not None and not can_manage_center(by, center):
        raise ValidationError(NOT_YOUR_CENTER)


@transaction.atomic
def announcement_create(
    *, by, cohort: Cohort | None = None, center: Center | None = None, **texts
) -> Announcement:
    """Send an announcement to one cohort (its trainers and managers may) or a whole center
    (its managers may). Bodies are sanitized; the e-mails go after the commit, by a task."""
    announcement_audience_check(by=by, cohort=cohort, center=center)
    announcement = Announcement.objects.create(
        author=by, cohort=cohort, center=center, **announcement_clean_texts(**texts)
    )
    from .tasks import announcement_email_task

    transaction.on_commit(lambda: announcement_email_task.delay(announcement.pk), robust=True)
    return announcement


def _learner_ids_of(announcement: Announcement):
    if announcement.cohort_id:
        return CohortMembership.objects.filter(cohort_id=announcement.cohort_id).values("learner")
    return LearnerProfile.objects.filter(
        Q(home_center_id=announcement.center_id)
        | Q(user__cohort_memberships__cohort__center_id=announcement.center_id)
    ).values("user")


def announcements_for(*, user):
    """Announcements addressed to ``user`` as a learner: their cohorts', and their centers'
    (home center, or the center of a cohort they are in)."""
    cohorts = CohortMembership.objects.filter(learner=user).values("cohort")
    centers = Cohort.objects.filter(memberships__learner=user).values("center")
    home = LearnerProfile.objects.filter(user=user).values("home_center")
    return Announcement.objects.filter(
        Q(cohort__in=cohorts) | Q(center__in=centers) | Q(center__in=home)
    )


def announcements_unread_for(*, user) -> list[Announcement]:
    """What "My learning" shows: addressed to the learner and not yet marked read; ONE query."""
    if not (user and user.is_authenticated):
        return []
    read = AnnouncementRead.objects.filter(user=user, announcement=OuterRef("pk"))
    return list(announcements_for(user=user).exclude(pk__in=read.values("announcement")))


def announcement_mark_read(*, user, announcement_id: int) -> bool:
    """Mark read; False (and nothing saved) when the announcement is not addressed to ``user``.
    Marking twice is the same as once."""
    announcement = announcements_for(user=user).filter(pk=announcement_id).first()
    if announcement is None:
        return False
    AnnouncementRead.objects.get_or_create(announcement=announcement, user=user)
    return True


def announcement_email(*, announcement_id: int) -> int:
    """E-mail the announcement to each addressed learner who has an address, in their
    language, to that address alone; once only (a second call sends nothing). Returns how
    many were sent."""
    claimed = Announcement.objects.filter(pk=announcement_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0
    announcement = Announcement.objects.get(pk=announcement_id)
    learners = (
        LearnerProfile.objects.filter(user__in=_learner_ids_of(announcement))
        .exclude(user__email="")
        .select_related("user")
    )
    sent = 0
    url = settings.HUNAR_PUBLIC_URL + reverse("learning_dashboard")
    for profile in learners:
        language = profile.preferred_language or settings.LANGUAGE_CODE
        title, body = announcement.in_language(language)
        with translation.override(language):
            context = {"title": title, "body": body, "dashboard_url": url}
            text = render_to_string("courses/email/announcement_body.txt", context)
        send_mail(title, text, None, [profile.user.email])
        sent += 1
    return sent
