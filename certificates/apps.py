from django.apps import AppConfig


def _issue_on_completion(sender, enrollment, **kwargs):
    from .services import certificate_issue_on_completion

    certificate_issue_on_completion(enrollment=enrollment)


class CertificatesConfig(AppConfig):
    """Certificate issuing, PDF rendering, signing and public verification."""

    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.signals import enrollment_completed

        enrollment_completed.connect(_issue_on_completion, dispatch_uid="certificates.issue")
        from lms.privacy import privacy_eraser, privacy_exporter

        from . import privacy

        privacy_exporter(privacy.certificates_export, order=30)
        from courses.dashboard import dashboard_part, watch
        from courses.models import Enrollment

        from .models import Certificate
        from .selectors import certificates_for_dashboard

        dashboard_part("certificates")(certificates_for_dashboard)
        watch(
            Certificate,
            lambda row: (
                Enrollment.objects.filter(pk=row.enrollment_id)
                .values_list("learner_id", flat=True)
                .first()
            ),
        )
        privacy_eraser(privacy.certificates_erase, order=300)
