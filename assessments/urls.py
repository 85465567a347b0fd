from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("assessments/<int:page_id>/start/", views.attempt_start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt_take, name="attempt"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_confirm, name="confirm"),
    path("attempts/<int:attempt_id>/autosave/", views.attempt_autosave, name="autosave"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="result"),
    path("attempts/<int:attempt_id>/files/<int:position>/", views.response_file, name="file"),
]
