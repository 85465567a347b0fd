from django.urls import path

from . import views

urlpatterns = [
    path("", views.learning_dashboard, name="learning_dashboard"),
    path("courses/<int:course_id>/enroll/", views.course_enroll, name="course_enroll"),
    path("lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
]
