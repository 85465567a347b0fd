"""Course completion rules as a small registry of requirements.

Each requirement looks at one enrollment and says whether it is met and, if not, why. Courses
registers its own (all lessons, minimum attendance); higher apps add theirs from their
``AppConfig.ready`` (assessments: required assessments passed) with :func:`completion_requirement`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RequirementResult:
    met: bool
    reason: str = ""


Requirement = Callable[["Enrollment"], RequirementResult]  # noqa: F821

_requirements: dict[str, Requirement] = {}


def completion_requirement(name: str):
    """Decorator: register ``func(enrollment) -> RequirementResult`` under ``name``."""

    def register(func: Requirement) -> Requirement:
        _requirements[name] = func
        return func

    return register


def completion_requirements() -> dict[str, Requirement]:
    return dict(_requirements)


@completion_requirement("all_lessons")
def all_lessons_completed(enrollment) -> RequirementResult:
    from .selectors import enrollment_lesson_counts

    if not enrollment.course.completion_requires_all_lessons:
        return RequirementResult(True)
    done, total = enrollment_lesson_counts(enrollment)
    if done >= total:
        return RequirementResult(True)
    return RequirementResult(
        False, _("%(done)d of %(total)d lessons completed.") % {"done": done, "total": total}
    )


@completion_requirement("attendance")
def minimum_attendance(enrollment) -> RequirementResult:
    from lms.attendance import attendance_rate

    minimum = enrollment.course.minimum_attendance_percent
    if not minimum:
        return RequirementResult(True)
    if enrollment.cohort_id is None:
        return RequirementResult(False, _("Attendance is only recorded for learners in a cohort."))
    rate = attendance_rate(learner=enrollment.learner, cohort=enrollment.cohort)
    if rate is None:
        return RequirementResult(
            False,
            _("No attendance is recorded yet; the course needs %(minimum)d%%.")
            % {"minimum": minimum},
        )
    if rate * 100 >= minimum:
        return RequirementResult(True)
    return RequirementResult(
        False,
        _("Attendance is %(rate)d%%; the course needs %(minimum)d%%.")
        % {"rate": round(rate * 100), "minimum": minimum},
    )
