"""Public verification pages, inside i18n_patterns (English at /verify/, Urdu at /ur/verify/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/offline/", views.verify_offline, name="verify_offline"),
    path("verify/<str:code>/", views.verify_certificate, name="verify_certificate"),
    path("verify/<str:code>/pdf/", views.verify_pdf, name="verify_pdf"),
]
