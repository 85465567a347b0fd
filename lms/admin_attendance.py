"""Attendance in the Wagtail admin: a user's cohorts, one cohort's sessions and rates, the
one-page marking form and a mark's history.

Every view finds its cohort through :func:`lms.permissions.cohorts_visible_to` on every request,
so a cohort the user may not see is a 404; state changes only on POST. The marking form is plain
HTML (radio buttons, one Save) and needs no JavaScript.
"""

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from .attendance import (
    AttendanceError,
    attendance_history,
    attendance_percent,
    attendance_record,
    cohort_attendance_rates,
    cohort_attendance_summary,
    cohort_session_get_or_create,
    cohort_sessions_with_counts,
)
from .models import AttendanceMark, Cohort, CohortMembership, CohortSession
from .permissions import cohorts_visible_to

app_name = "lms_attendance"

MENU_LABEL = _("Attendance")
MARKS_SAVED = _("Attendance saved for %(session)s. New marks: %(created)d. Changed: %(changed)d.")
FIELD_PREFIX = "status-"


def learner_name(user) -> str:
    try:
        return user.learner_profile.full_name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.get_username()


def _cohort_or_404(request, cohort_id) -> Cohort:
    return get_object_or_404(
        cohorts_visible_to(request.user).select_related("center"), pk=cohort_id
    )


def _session_or_404(request, session_id) -> CohortSession:
    return get_object_or_404(
        CohortSession.objects.select_related("cohort__center"),
        pk=session_id,
        cohort__in=cohorts_visible_to(request.user),
    )


def _breadcrumbs(*items):
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("lms_attendance:index"), "label": MENU_LABEL},
        *({"url": url, "label": label} for url, label in items),
    ]


def _cohort_crumb(cohort):
    return reverse("lms_attendance:cohort", args=[cohort.pk]), str(cohort)


def _session_label(session) -> str:
    return date_format(session.date)


class TakeAttendanceForm(forms.Form):
    # type="date" needs ISO dates whatever the admin language.
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)


# --- Views --------------------------------------------------------------------------------------


@require_GET
def cohort_index(request):
    """The cohorts the user may see, with their latest session and attendance rate."""
    visible = cohorts_visible_to(request.user).values("pk")
    cohorts = list(
        Cohort.objects.filter(pk__in=visible)
        .select_related("center")
        .annotate(latest_session=Max("sessions__date"))
    )
    rates = cohort_attendance_rates(cohorts=visible)
    for cohort in cohorts:
        cohort.rate_percent = attendance_percent(rates.get(cohort.pk))
    return TemplateResponse(
        request,
        "lms/admin/attendance_index.html",
        {"cohorts": cohorts, "title": MENU_LABEL, "breadcrumbs_items": _breadcrumbs()},
    )


def _render_cohort(request, cohort, form):
    summary = cohort_attendance_summary(cohort=cohort)
    sessions = list(cohort_sessions_with_counts(cohort=cohort))
    for session in sessions:
        session.not_marked = max(len(summary) - session.marked, 0)
    return TemplateResponse(
        request,
        "lms/admin/attendance_cohort.html",
        {
            "cohort": cohort,
            "sessions": sessions,
            "summary": summary,
            "form": form,
            "title": str(cohort),
            "breadcrumbs_items": _breadcrumbs(_cohort_crumb(cohort)),
        },
    )


@require_GET
def cohort_detail(request, cohort_id):
    """A cohort's sessions, newest first, its learners' rates and the "Take attendance" form."""
    cohort = _cohort_or_404(request, cohort_id)
    form = TakeAttendanceForm(initial={"date": timezone.localdate()})
    return _render_cohort(request, cohort, form)


@require_POST
def session_open(request, cohort_id):
    """Find or create the session for the date asked, then go to its marking form."""
    cohort = _cohort_or_404(request, cohort_id)
    form = TakeAttendanceForm(request.POST)
    if form.is_valid():
        try:
            session = cohort_session_get_or_create(
                cohort=cohort,
                date=form.cleaned_data["date"],
                topic=form.cleaned_data["topic"],
                user=request.user,
            )
        except AttendanceError as error:
            form.add_error("date", error.message)
        else:
            return redirect("lms_attendance:session", session.pk)
    return _render_cohort(request, cohort, form)


def _posted_marks(data) -> dict:
    """{learner id: status} from the form's ``status-<id>`` radio groups."""
    marks = {}
    for key, value in data.items():
        if key.startswith(FIELD_PREFIX):
            learner_id = key.removeprefix(FIELD_PREFIX)
            marks[int(learner_id) if learner_id.isdigit() else learner_id] = value
    return marks


def _marking_rows(session, chosen):
    """One row per learner on the cohort's list: their name, the status to show checked (if
    any), and their saved mark (for its history link)."""
    marks = {
        mark.learner_id: mark for mark in session.marks.annotate(change_count=Count("changes"))
    }
    memberships = (
        CohortMembership.objects.filter(cohort_id=session.cohort_id)
        .select_related("learner__learner_profile")
        .order_by("learner__learner_profile__full_name", "learner__username")
    )
    if chosen is None:
        # A session nobody has marked yet starts with everyone present, so a trainer only
        # clicks the exceptions; once marked, learners without a mark are shown unmarked.
        if marks:
            chosen = {learner_id: mark.status for learner_id, mark in marks.items()}
        else:
            chosen = {m.learner_id: AttendanceMark.Status.PRESENT for m in memberships}
    return [
        {
            "learner": membership.learner,
            "name": learner_name(membership.learner),
            "field": f"{FIELD_PREFIX}{membership.learner_id}",
            "status": chosen.get(membership.learner_id, ""),
            "mark": marks.get(membership.learner_id),
        }
        for membership in memberships
    ]


@require_http_methods(["GET", "POST"])
def session_marks(request, session_id):
    """The marking form: every learner of the cohort with present / late / absent / excused."""
    session = _session_or_404(request, session_id)
    chosen, error = None, None
    if request.method == "POST":
        chosen = _posted_marks(request.POST)
        try:
            result = attendance_record(session=session, marks=chosen, user=request.user)
        except AttendanceError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                MARKS_SAVED
                % {
                    "session": _session_label(session),
                    "created": result.created,
                    "changed": result.changed,
                },
            )
            return redirect("lms_attendance:cohort", session.cohort_id)
    cohort = session.cohort
    rows = _marking_rows(session, chosen)
    return TemplateResponse(
        request,
        "lms/admin/attendance_session.html",
        {
            "session": session,
            "cohort": cohort,
            "rows": rows,
            "taken": any(row["mark"] for row in rows),
            "statuses": AttendanceMark.Status.choices,
            "error": error,
            "title": _session_label(session),
            "breadcrumbs_items": _breadcrumbs(
                _cohort_crumb(cohort),
                (reverse("lms_attendance:session", args=[session.pk]), _session_label(session)),
            ),
        },
    )


@require_GET
def mark_history(request, mark_id):
    """Who set a learner's mark for a session to what, and when."""
    mark = get_object_or_404(
        AttendanceMark.objects.select_related(
            "session__cohort__center", "learner__learner_profile", "marked_by"
        ),
        pk=mark_id,
        session__cohort__in=cohorts_visible_to(request.user),
    )
    session, cohort = mark.session, mark.session.cohort
    name = learner_name(mark.learner)
    return TemplateResponse(
        request,
        "lms/admin/attendance_history.html",
        {
            "mark": mark,
            "session": session,
            "cohort": cohort,
            "learner_name": name,
            "changes": attendance_history(mark=mark),
            "title": name,
            "breadcrumbs_items": _breadcrumbs(
                _cohort_crumb(cohort),
                (reverse("lms_attendance:session", args=[session.pk]), _session_label(session)),
                (reverse("lms_attendance:history", args=[mark.pk]), name),
            ),
        },
    )


# --- Wiring -------------------------------------------------------------------------------------

urlpatterns = [
    path("", cohort_index, name="index"),
    path("cohort/<int:cohort_id>/", cohort_detail, name="cohort"),
    path("cohort/<int:cohort_id>/take/", session_open, name="take"),
    path("session/<int:session_id>/", session_marks, name="session"),
    path("mark/<int:mark_id>/history/", mark_history, name="history"),
]


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [path("attendance/", include((urlpatterns, app_name), namespace=app_name))]


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        return cohorts_visible_to(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return AttendanceMenuItem(
        MENU_LABEL,
        reverse_lazy("lms_attendance:index"),
        name="attendance",
        icon_name="calendar-check",
        order=210,
    )
