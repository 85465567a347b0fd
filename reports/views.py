"""Report pages in the Wagtail admin: the programme overview, a center, a cohort; their exports
and weekly PDFs.

Scope, on every request, through ``lms.permissions``: the overview and center pages show the
centers the user manages (all of them for a programme admin); a cohort page, the cohorts the user
may see (a trainer sees the cohorts they teach). Anything else is a 404. Read-only: GET only.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lms.models import Center, Cohort
from lms.permissions import centers_managed_by, cohorts_visible_to, is_programme_admin

from . import tables
from .attempts import attempts_available
from .charts import figure_charts
from .exports import export_response
from .filters import ReportFilterForm
from .followups import outcome_rows
from .selectors import center_table, cohort_table, learner_rows
from .summaries import as_of_time, figures_as_of_text
from .trend_charts import largest_of, trend_chart, trend_charts
from .trend_snapshots import trend_total, trends_by_center
from .trends import FIGURES, Trend, trend_of, trend_weeks, weekly_figures_by
from .weekly import WeekError, week_parse, weekly_report_pdf

MENU_LABEL = gettext_lazy("Dashboards")


def _filters(request, centers, *, personal=True):
    form = ReportFilterForm(request.GET or None, centers=centers, personal=personal)
    return form, form.filters()


def _crumbs(*items, overview=True):
    """Breadcrumbs; ``overview=False`` leaves out the overview (a trainer has none)."""
    crumbs = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}]
    if overview:
        crumbs.append({"url": reverse("reports:overview"), "label": MENU_LABEL})
    return crumbs + [{"url": url, "label": label} for url, label in items]


def _query(filters) -> str:
    query = filters.as_query()
    return "?" + urlencode(query) if query else ""


def _center_or_404(request, center_id):
    return get_object_or_404(centers_managed_by(request.user), pk=center_id)


def _cohort_or_404(request, cohort_id):
    return get_object_or_404(
        cohorts_visible_to(request.user).select_related("center"), pk=cohort_id
    )


def _table(columns, rows, total=None):
    return {
        "columns": columns,
        "rows": [(row, [c.text(row) for c in columns]) for row in rows],
        "total": [c.text(total) for c in columns[len(columns) - len(tables.FIGURE_COLUMNS) :]]
        if total is not None
        else None,
        "lead": len(columns) - len(tables.FIGURE_COLUMNS),
    }


TRENDS_AS_OF = gettext_lazy("Weekly figures as of %(time)s")


def _trend_context(request, filters, trend, *, compare: bool) -> dict:
    """What the trend sections need: the charts' freshness, and for a programme admin the links
    to the centers side by side (which keep the filters)."""
    query = urlencode(filters.as_query())
    return {
        "trends_as_of": str(TRENDS_AS_OF) % {"time": as_of_time(trend.as_of)},
        "trend_links": [(k, f.title) for k, f in FIGURES.items()] if compare else [],
        "trend_query": query + "&" if query else "",
    }


def _overview_title(user, centers) -> str:
    """The programme's overview for programme admins; a manager's names their centers."""
    if is_programme_admin(user):
        return _("Programme overview")
    names = ", ".join(centers.order_by("name").values_list("name", flat=True))
    return _("Overview: %(centers)s") % {"centers": names}


@require_GET
def overview(request):
    """Every center the user manages, side by side, with charts, totals and outcomes."""
    centers = centers_managed_by(request.user)
    if not centers.exists():
        raise Http404
    form, filters = _filters(request, centers)
    admin = is_programme_admin(request.user)
    if "trend" in request.GET:
        return _centers_side_by_side(request, centers, filters, admin=admin)
    rows, total = center_table(centers=centers, filters=filters)
    trend = trend_total(centers=[row.obj for row in rows], filters=filters)
    context = {
        **_trend_context(request, filters, trend, compare=admin),
        "trend_charts": trend_charts(trend),
        "title": _overview_title(request.user, centers),
        "form": form,
        "filters": filters,
        "query": _query(filters),
        "table": _table(tables.CENTER_COLUMNS, rows, total),
        "figures_as_of": figures_as_of_text(total.as_of),
        "charts": figure_charts(rows, per="center"),
        "outcomes": tables.table_rows(
            tables.OUTCOME_COLUMNS, outcome_rows(centers=centers, filters=filters)
        ),
        "outcome_columns": tables.OUTCOME_COLUMNS,
        "attempts_available": attempts_available(),
        "is_programme_admin": admin,
        "breadcrumbs_items": _crumbs(),
    }
    return TemplateResponse(request, "reports/admin/overview.html", context)


def _centers_side_by_side(request, centers, filters, *, admin: bool):
    """``?trend=<figure>``: one small chart of that figure per center, on one scale. For
    programme admins only (a manager's overview is their own centers: nothing to compare)."""
    figure = request.GET.get("trend", "")
    if not admin or figure not in FIGURES:
        raise Http404
    if filters.district:
        centers = centers.filter(district=filters.district)
    centers = list(centers.order_by("district", "name"))
    trends = trends_by_center(centers=centers, filters=filters)
    top = None if FIGURES[figure].rate else largest_of(trends, figure)
    charts = [
        trend_chart(trend=t, figure=figure, subject=c.name, small=True, maximum=top)
        for c, t in zip(centers, trends, strict=True)
    ]
    title = _("Centers side by side: %(figure)s") % {"figure": FIGURES[figure].title}
    context = {
        **_trend_context(request, filters, trends[0] if trends else Trend(), compare=True),
        "title": title,
        "figure": figure,
        "trend_charts": charts,
        "filters_described": filters.describe(),
        "breadcrumbs_items": _crumbs((reverse("reports:overview") + f"?trend={figure}", title)),
    }  # fmt: skip
    return TemplateResponse(request, "reports/admin/trend_centers.html", context)


@require_GET
def center_detail(request, center_id):
    """One center's figures, its cohorts side by side, and the way down to each cohort."""
    center = _center_or_404(request, center_id)
    form, filters = _filters(request, Center.objects.filter(pk=center.pk))
    rows, total = cohort_table(center=center, cohorts=Cohort.objects.all(), filters=filters)
    trend = trend_total(centers=[center], filters=filters)
    context = {
        **_trend_context(request, filters, trend, compare=False),
        "trend_charts": trend_charts(trend),
        "title": center.name,
        "center": center,
        "form": form,
        "filters": filters,
        "query": _query(filters),
        "table": _table(tables.COHORT_COLUMNS, rows, total),
        "figures_as_of": figures_as_of_text(total.as_of),
        "charts": figure_charts(rows, per="cohort"),
        "outcomes": tables.table_rows(
            tables.OUTCOME_COLUMNS,
            outcome_rows(centers=[center], filters=filters),
        ),
        "outcome_columns": tables.OUTCOME_COLUMNS,
        "attempts_available": attempts_available(),
        "breadcrumbs_items": _crumbs((reverse("reports:center", args=[center.pk]), center.name)),
    }
    return TemplateResponse(request, "reports/admin/center.html", context)


@require_GET
def cohort_detail(request, cohort_id):
    """A cohort's figures and one row per learner."""
    cohort = _cohort_or_404(request, cohort_id)
    manages = centers_managed_by(request.user).filter(pk=cohort.center_id).exists()
    form, filters = _filters(request, Center.objects.filter(pk=cohort.center_id), personal=manages)
    rows, total = cohort_table(
        center=cohort.center, cohorts=Cohort.objects.filter(pk=cohort.pk), filters=filters
    )
    learners = list(learner_rows(centers=[cohort.center], cohorts=[cohort.pk], filters=filters))
    weeks = trend_weeks(filters=filters, cohort=cohort)
    trend = trend_of(
        weekly_figures_by(
            by="cohort", centers=[cohort.center], cohorts=[cohort.pk], filters=filters, weeks=weeks
        ),
        cohort.pk,
        weeks,
    )
    crumbs = [(reverse("reports:cohort", args=[cohort.pk]), cohort.name)]
    if manages:
        crumbs.insert(0, (reverse("reports:center", args=[cohort.center_id]), cohort.center.name))
    context = {
        **_trend_context(request, filters, trend, compare=False),
        "trend_charts": trend_charts(trend),
        "title": cohort.name,
        "cohort": cohort,
        "form": form,
        "filters": filters,
        "query": _query(filters),
        "table": _table(tables.COHORT_COLUMNS, rows),
        "learner_columns": tables.LEARNER_COLUMNS,
        "learners": tables.table_rows(tables.LEARNER_COLUMNS, learners),
        "attempts_available": attempts_available(),
        "breadcrumbs_items": _crumbs(*crumbs, overview=manages),
    }
    return TemplateResponse(request, "reports/admin/cohort.html", context)


# --- Exports ------------------------------------------------------------------------------------


@require_GET
def overview_export(request, fmt):
    centers = centers_managed_by(request.user)
    if not centers.exists():
        raise Http404
    _form, filters = _filters(request, centers)
    rows, _total = center_table(centers=centers, filters=filters)
    # A manager's file is named after their centers, like the page's title.
    stem = "centers"
    if not is_programme_admin(request.user):
        stem = "-".join([*centers.order_by("code").values_list("code", flat=True), "overview"])
    return export_response(
        fmt, tables.CENTER_COLUMNS, rows, title=_overview_title(request.user, centers),
        filters=filters, stem=stem,
    )  # fmt: skip


@require_GET
def outcomes_export(request, fmt):
    centers = centers_managed_by(request.user)
    if not centers.exists():
        raise Http404
    _form, filters = _filters(request, centers)
    rows = outcome_rows(centers=centers, filters=filters)
    return export_response(
        fmt, tables.OUTCOME_COLUMNS, rows, title=_("Freelancing outcomes"), filters=filters,
        stem="freelancing-outcomes",
    )  # fmt: skip


@require_GET
def center_export(request, center_id, fmt):
    center = _center_or_404(request, center_id)
    _form, filters = _filters(request, Center.objects.filter(pk=center.pk))
    rows, _total = cohort_table(center=center, cohorts=Cohort.objects.all(), filters=filters)
    return export_response(
        fmt, tables.COHORT_COLUMNS, rows, title=center.name, filters=filters,
        stem=f"{center.code}-cohorts",
    )  # fmt: skip


@require_GET
def center_learners_export(request, center_id, fmt):
    """Every learner of the center, one row per enrollment: for the center's managers."""
    center = _center_or_404(request, center_id)
    _form, filters = _filters(request, Center.objects.filter(pk=center.pk))
    rows = learner_rows(centers=[center], filters=filters)
    return export_response(
        fmt, tables.LEARNER_COLUMNS, rows, title=center.name, filters=filters,
        stem=f"{center.code}-learners",
    )  # fmt: skip


@require_GET
def cohort_export(request, cohort_id, fmt):
    cohort = _cohort_or_404(request, cohort_id)
    manages = centers_managed_by(request.user).filter(pk=cohort.center_id).exists()
    centers = Center.objects.filter(pk=cohort.center_id)
    _form, filters = _filters(request, centers, personal=manages)
    rows = learner_rows(centers=[cohort.center], cohorts=[cohort.pk], filters=filters)
    return export_response(
        fmt, tables.LEARNER_COLUMNS, rows, title=cohort.name, filters=filters,
        stem=f"{cohort.center.code}-{cohort.name}",
    )  # fmt: skip


# --- Weekly PDFs --------------------------------------------------------------------------------


def _week(request):
    try:
        return week_parse(request.GET.get("week", ""))
    except WeekError as error:
        raise Http404(error.message) from error


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def programme_weekly_pdf(request):
    if not is_programme_admin(request.user):
        raise Http404
    week = _week(request)
    return _pdf(weekly_report_pdf(week=week, center=None), f"programme-{week.label}.pdf")


@require_GET
def center_weekly_pdf(request, center_id):
    center = _center_or_404(request, center_id)
    week = _week(request)
    return _pdf(weekly_report_pdf(week=week, center=center), f"{center.code}-{week.label}.pdf")
