"""Admin URLs of the gradebooks (mounted at /admin/gradebooks/ by ``reports.wagtail_hooks``)."""

from django.urls import path

from . import admin_urls  # noqa: F401  (registers the "export" converter)
from . import gradebook_views as views

app_name = "gradebook"

urlpatterns = [
    path("", views.gradebook_index, name="index"),
    path("cohort/<int:cohort_id>/", views.gradebook_cohort, name="cohort"),
    path("cohort/<int:cohort_id>/gradebook.<export:fmt>", views.gradebook_export, name="export"),
]
