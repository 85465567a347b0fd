"""Public verification pages and the signed-in PDF link, inside i18n_patterns (English at
/verify/, Urdu at /ur/verify/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/offline/", views.verify_offline, name="verify_offline"),
    path("verify/<str:code>/", views.verify_certificate, name="verify_certificate"),
    path("verify/<str:code>/pdf/", views.verify_pdf, name="verify_pdf"),
    # A learner's own certificate (and their center managers'): sign-in instead of the code.
    path("learning/certificates/<int:pk>/pdf/", views.certificate_file, name="certificate_file"),
]
