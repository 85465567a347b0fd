"""Gradebooks in the Wagtail admin (/admin/gradebooks/): the list of the user's cohorts, one
cohort's gradebook (sortable by any column, server-side) and its CSV and XLSX exports.

Scope on every request through ``lms.permissions.cohorts_visible_to``: a trainer reaches the
cohorts they teach, a manager every cohort of their centers, a programme admin all; any other
cohort is a 404. Read-only: GET only.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lms.permissions import cohorts_visible_to

from .exports import export_response
from .gradebook import gradebook_of

MENU_LABEL = gettext_lazy("Gradebooks")


class _Described:
    """What ``reports.exports`` writes above the table: the cohort, course and order."""

    def __init__(self, book):
        self.book = book

    def describe(self):
        lines = [(_("Center"), self.book.cohort.center.name), (_("Cohort"), self.book.cohort.name)]
        if self.book.course is not None:
            lines.append((_("Course"), self.book.course.title))
        column = next(
            (c for c in self.book.columns if c.key == self.book.sort.removeprefix("-")), None
        )
        if column is not None:
            order = _("descending") if self.book.sort.startswith("-") else _("ascending")
            lines.append((_("Sorted by"), f"{column.label} ({order})"))
        return lines


def _cohort_or_404(request, cohort_id):
    return get_object_or_404(
        cohorts_visible_to(request.user).select_related("center", "curriculum"), pk=cohort_id
    )


def _course_id(request):
    value = request.GET.get("course", "")
    return int(value) if value.isdigit() else None


def _book(request, cohort_id):
    cohort = _cohort_or_404(request, cohort_id)
    return gradebook_of(
        cohort=cohort, course_id=_course_id(request), sort=request.GET.get("sort", "name")[:40]
    )


def _crumbs(*items):
    crumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("gradebook:index"), "label": MENU_LABEL},
    ]
    return crumbs + [{"url": url, "label": label} for url, label in items]


@require_GET
def gradebook_index(request):
    """The cohorts whose gradebooks the user may open."""
    cohorts = (
        cohorts_visible_to(request.user)
        .select_related("center")
        .order_by("center__name", "-start_date", "name")
    )
    if not cohorts.exists():
        raise Http404
    context = {"title": MENU_LABEL, "cohorts": cohorts, "breadcrumbs_items": _crumbs()}
    return TemplateResponse(request, "reports/admin/gradebook_index.html", context)


def _headers(book, query: dict):
    """Each column with the link that sorts by it (and back), and its aria-sort state."""
    headers = []
    for column in book.columns:
        active = book.sort.removeprefix("-") == column.key
        descending = book.sort.startswith("-")
        target = f"-{column.key}" if active and not descending else column.key
        state = ("descending" if descending else "ascending") if active else None
        link = "?" + urlencode({**query, "sort": target})
        headers.append({"column": column, "link": link, "aria_sort": state})
    return headers


@require_GET
def gradebook_cohort(request, cohort_id):
    book = _book(request, cohort_id)
    query = {"course": book.course.pk} if book.course is not None else {}
    rows = []
    for row in book.rows:
        cells = []
        for column in book.columns:
            link = None
            place = book.cell_column(column)
            if place and place[1] == "latest":
                attempt_id = row.cells[place[0]].latest_attempt_id
                if attempt_id is not None:
                    link = reverse("assessments_admin:grade", args=[attempt_id])
            cells.append({"text": column.text(row), "link": link})
        rows.append(cells)
    export_query = "?" + urlencode({**query, "sort": book.sort})
    context = {
        "title": _("Gradebook: %(cohort)s") % {"cohort": book.cohort.name},
        "book": book,
        "headers": _headers(book, query),
        "rows": rows,
        "export_query": export_query,
        "breadcrumbs_items": _crumbs(
            (reverse("gradebook:cohort", args=[book.cohort.pk]), book.cohort.name)
        ),
    }
    return TemplateResponse(request, "reports/admin/gradebook.html", context)


@require_GET
def gradebook_export(request, cohort_id, fmt):
    book = _book(request, cohort_id)
    title = _("Gradebook: %(cohort)s") % {"cohort": book.cohort.name}
    return export_response(
        fmt, book.columns, book.rows, title=title, filters=_Described(book),
        stem=f"{book.cohort.center.code}-{book.cohort.name}-gradebook",
    )  # fmt: skip
