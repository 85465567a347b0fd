"""Admin URLs of the reports (mounted at /admin/dashboards/ by ``wagtail_hooks``)."""

from django.urls import path, register_converter

from . import views

app_name = "reports"


class ExportFormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormatConverter, "export")

urlpatterns = [
    path("", views.overview, name="overview"),
    path("centers.<export:fmt>", views.overview_export, name="overview_export"),
    path("outcomes.<export:fmt>", views.outcomes_export, name="outcomes_export"),
    path("weekly.pdf", views.programme_weekly_pdf, name="programme_weekly_pdf"),
    path("center/<int:center_id>/", views.center_detail, name="center"),
    path("center/<int:center_id>/cohorts.<export:fmt>", views.center_export, name="center_export"),
    path(
        "center/<int:center_id>/learners.<export:fmt>",
        views.center_learners_export,
        name="center_learners_export",
    ),
    path("center/<int:center_id>/weekly.pdf", views.center_weekly_pdf, name="center_weekly_pdf"),
    path("cohort/<int:cohort_id>/", views.cohort_detail, name="cohort"),
    path("cohort/<int:cohort_id>/learners.<export:fmt>", views.cohort_export, name="cohort_export"),
]
