"""Language-neutral routes: the published keys and the JSON API (outside i18n_patterns)."""

from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path(".well-known/hunar-keys.json", views.keys, name="certificate_keys"),
    path("api/v1/", api.urls),
]
