"""Demo learning for ``seed_demo``: demo cohorts follow the demo tracks, demo learners are in
their cohorts, enrolled, and some have progress, so dashboards and grids have something to show.

Runs after the demo network and curriculum; idempotent (services are idempotent themselves).
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from courses import services
from courses.models import CoursePage, LessonPage, TrackPage
from lms.models import Cohort, CohortMembership, LearnerProfile, Shift

TRACK_FOR_SHIFT = {Shift.SCHOOL_HOURS: "digital-literacy", Shift.SECOND_SHIFT: "freelancing"}
FIRST_COURSE = "computer-basics"


@transaction.atomic
def demo_learning_seed() -> None:
    tracks = {track.slug: track for track in TrackPage.objects.filter(locale__language_code="en")}
    course = CoursePage.objects.filter(slug=FIRST_COURSE, locale__language_code="en").first()
    if not tracks or course is None:
        return  # no demo curriculum to learn from
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    User = get_user_model()
    for cohort in Cohort.objects.select_related("center").filter(curriculum__isnull=True):
        track = tracks.get(TRACK_FOR_SHIFT.get(cohort.shift))
        if track is not None:
            cohort.curriculum = track
            cohort.save(update_fields=["curriculum"])
    for profile in LearnerProfile.objects.select_related("user", "home_center"):
        shift = (
            Shift.SCHOOL_HOURS
            if profile.learner_type == LearnerProfile.LearnerType.STUDENT
            else Shift.SECOND_SHIFT
        )
        cohort = Cohort.objects.filter(center=profile.home_center, shift=shift).first()
        if cohort is None:
            continue
        CohortMembership.objects.get_or_create(cohort=cohort, learner=profile.user)
        services.enrollment_create(
            learner=profile.user, course=course, cohort=cohort, check_prerequisites=False
        )
        # Learner 1 of each center has started, learner 2 has finished the first course.
        number = profile.user.username[-1]
        done = {"1": lessons[:1], "2": lessons}.get(number, [])
        for lesson in done:
            services.lesson_complete(learner=User.objects.get(pk=profile.user_id), lesson=lesson)
