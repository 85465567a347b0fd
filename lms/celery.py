"""The Celery application.

With no ``CELERY_BROKER_URL`` the settings make every task run eagerly in the calling process
(the embedded default); with a broker configured, tasks go to separate ``celery worker``
processes and periodic ones come from ``celery beat``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
