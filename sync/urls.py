from django.urls import path

from . import views

app_name = "sync"
urlpatterns = [
    path("register", views.register, name="register"),
    path("status", views.status, name="status"),
    path("down/<str:part>", views.down, name="down"),
    path("file", views.file, name="file"),
    path("up", views.up, name="up"),
]
