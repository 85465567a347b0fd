"""Public URLs of the reports, inside i18n_patterns: a follow-up link in English or Urdu."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("followup/<str:token>/", public_views.followup_answer_view, name="followup_answer"),
]
