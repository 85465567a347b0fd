from django.urls import path

from . import views

urlpatterns = [
    path("", views.learning_dashboard, name="learning_dashboard"),
    path("courses/<int:course_id>/enroll/", views.course_enroll, name="course_enroll"),
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path(
        "announcements/<int:announcement_id>/read/",
        views.announcement_read,
        name="announcement_read",
    ),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/<int:cohort_id>/progress/", views.cohort_progress, name="cohort_progress"),
    path(
        "cohorts/<int:cohort_id>/progress/<int:course_id>/",
        views.cohort_progress,
        name="cohort_progress_course",
    ),
]
