from django.urls import path

from . import public_views

urlpatterns = [
    path("about/", public_views.about, name="about"),
    path("centers/", public_views.centers_public, name="centers_public"),
]
