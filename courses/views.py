from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Locale, Page

from lms.permissions import cohorts_visible_to

from . import dashboard, selectors, services, staff
from .models import CoursePage, Enrollment, LessonPage

SEARCH_QUERY_MAX_LENGTH = 100
SEARCH_RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """Site search over live lessons and courses in the current language."""
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    results = None
    if query:
        pages = (
            Page.objects.live()
            .public()
            .type(CoursePage, LessonPage)
            .filter(locale=Locale.get_active())
            .specific()
        )
        results = Paginator(pages.search(query), SEARCH_RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "courses/search.html",
        {"query": query, "results": results, "max_length": SEARCH_QUERY_MAX_LENGTH},
    )


@login_required
@require_GET
def learning_dashboard(request):
    """ "My learning": the learner's courses with progress and where to continue."""
    cards = dashboard.learning_cards(learner=request.user)
    # Due dates and announcements (issue 16): one query each, never cached with the cards (a
    # trainer's new due date shows at once).
    due = staff.due_dates_of(
        enrollments=[
            staff.DueKey(c.enrollment_id, c.cohort_id, c.course_id, c.course_path) for c in cards
        ]
    )
    for card in cards:
        card.due = staff.due_items_pending(
            done_lesson_keys=card.done_keys,
            submitted_page_ids=card.submitted_assessment_ids,
            items=due.get(card.enrollment_id, []),
        )
    return render(
        request,
        "courses/learning_dashboard.html",
        {
            "in_progress": [card for card in cards if not card.is_completed],
            "completed": [card for card in cards if card.is_completed],
            "announcements": staff.announcements_unread_for(user=request.user),
        },
    )


@login_required
@require_POST
def announcement_read(request, announcement_id):
    """Mark one announcement addressed to the requester read; anyone else's is a 404."""
    if not staff.announcement_mark_read(user=request.user, announcement_id=announcement_id):
        raise Http404
    return redirect("learning_dashboard")


@login_required
@require_POST
def course_enroll(request, course_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.course_self_enroll(learner=request.user, course=course)
    except services.EnrollmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    return redirect(course.url)


@login_required
@require_POST
def lesson_complete(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        progress = services.lesson_complete(learner=request.user, lesson=lesson)
    except services.NotEnrolled:
        messages.error(request, _("Enrol in this course to record your progress."))
        return redirect(lesson.url)
    # Say what happened: the learner lands on the next lesson (or the course) after the click.
    status = Enrollment.objects.filter(pk=progress.enrollment_id).values_list("status", flat=True)
    if status.first() == Enrollment.Status.COMPLETED:
        messages.success(
            request,
            _("“%(lesson)s” is complete, and so is the course. Well done!")
            % {"lesson": lesson.title},
        )
    else:
        messages.success(request, _("“%(lesson)s” is complete.") % {"lesson": lesson.title})
    following = lesson.navigation["next_page"]
    return redirect(following.url if following else lesson.get_parent().url)


@login_required
@require_GET
def cohort_list(request):
    """A trainer's (or manager's) cohorts, each linking to its progress grid."""
    cohorts = (
        cohorts_visible_to(request.user).select_related("center").order_by("center__name", "name")
    )
    return render(request, "courses/cohort_list.html", {"cohorts": cohorts})


@login_required
@require_GET
def cohort_progress(request, cohort_id, course_id=None):
    """Learners × lessons for one of the user's cohorts; 404 for anyone else's."""
    cohort = get_object_or_404(cohorts_visible_to(request.user), pk=cohort_id)
    courses = selectors.cohort_courses(cohort)
    if course_id is not None:
        courses = [course for course in courses if course.pk == course_id]
        if not courses:
            raise Http404
    if len(courses) != 1:
        return render(
            request, "courses/cohort_courses.html", {"cohort": cohort, "courses": courses}
        )
    grid = selectors.cohort_progress_grid(cohort, courses[0])
    return render(request, "courses/cohort_progress.html", {"cohort": cohort, "grid": grid})
