from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Tracks, courses and lessons as Wagtail pages; enrollment and progress."""

    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.demo import demo_seeder

        from . import authoring, demo

        # Order matters: the review workflow is attached to the home pages the curriculum uses.
        demo_seeder(demo.demo_curriculum_seed)
        demo_seeder(authoring.curriculum_review_setup)
