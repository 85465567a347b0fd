from django.apps import AppConfig


def _schedule_followups(sender, enrollment, **kwargs):
    from .followups import followups_schedule_for

    followups_schedule_for(enrollment=enrollment)


class ReportsConfig(AppConfig):
    """Dashboards, charts, exports, weekly reports and freelancing follow-ups.

    Reads every app; no app reads it. It hears about completions through the courses signal.
    """

    name = "reports"
    verbose_name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.signals import enrollment_completed

        enrollment_completed.connect(_schedule_followups, dispatch_uid="reports.followups")
        from lms.privacy import privacy_csv_cell, privacy_eraser, privacy_exporter

        from . import exports, privacy

        privacy_csv_cell(exports.cell)
        privacy_exporter(privacy.reports_export, order=40)
        privacy_eraser(privacy.reports_erase, order=200)
