from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _setup_authoring(sender, **kwargs):
    # post_migrate fires once per app; act once, after the last one, when every permission exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    from wagtail.models import Page

    from .authoring import curriculum_review_setup

    # A test database flush also sends post_migrate, with every table (the page tree) empty.
    if Page.objects.filter(depth=1).exists():
        curriculum_review_setup()


class CoursesConfig(AppConfig):
    """Tracks, courses and lessons as Wagtail pages; enrollment and progress."""

    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.roles import CENTER_MANAGER, PROGRAMME_ADMIN, TRAINER, role_grant

        # Trainers and managers set due dates and send announcements (scoped per object by
        # courses.admin_staff); programme admins too.
        cohort_work = [
            f"courses.{action}_{model}"
            for action in ("view", "add", "change", "delete")
            for model in ("cohortduedate", "announcement")
        ]
        for role in (TRAINER, CENTER_MANAGER, PROGRAMME_ADMIN):
            role_grant(role, *cohort_work)
        # Anyone who authors may start an Urdu translation of a page (it then goes to review).
        for role in (TRAINER, CENTER_MANAGER, PROGRAMME_ADMIN):
            role_grant(role, "simple_translation.submit_translation")
        from content.routing import register_fast_route_model

        from .dashboard import watch
        from .models import CoursePage, Enrollment, LessonPage, LessonProgress

        # "My learning" is cached per learner; these writes change what it shows.
        watch(Enrollment, lambda row: row.learner_id)
        watch(
            LessonProgress,
            lambda row: row.enrollment.learner_id if row.completed_at else None,
            fields=("completed_at",),
        )

        # Lessons and courses are what learners open most: route to them in one query.
        register_fast_route_model(LessonPage)
        register_fast_route_model(CoursePage)
        post_migrate.connect(_setup_authoring, dispatch_uid="courses.setup_authoring")
        from wagtail.signals import copy_for_translation_done, post_page_move

        from .ordering import on_page_moved, on_translation_copied

        # A course's translations keep the source's order of lessons and assessments.
        post_page_move.connect(on_page_moved, dispatch_uid="courses.order_follows_source")
        copy_for_translation_done.connect(
            on_translation_copied, dispatch_uid="courses.translation_takes_its_place"
        )
        from lms.privacy import privacy_eraser, privacy_exporter

        from . import privacy

        privacy_exporter(privacy.courses_export, order=10)
        privacy_eraser(privacy.courses_erase, order=500)
