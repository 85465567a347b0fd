"""The assessments' completion rule, registered with courses (which never imports this app)."""

from django.utils.translation import gettext as _

from courses.completion import RequirementResult, completion_requirement


@completion_requirement("required_assessments")
def required_assessments_passed(enrollment) -> RequirementResult:
    from .models import AssessmentPage, Attempt

    required = list(
        AssessmentPage.objects.live()
        .filter(required_for_completion=True, path__startswith=enrollment.course.path)
        .filter(depth=enrollment.course.depth + 1)
        .only("id", "title", "translation_key")
    )
    if not required:
        return RequirementResult(True)
    # Passing a translation of the assessment (the Urdu quiz) counts as passing it.
    passed = set(
        Attempt.objects.filter(enrollment=enrollment, passed=True).values_list(
            "assessment__translation_key", flat=True
        )
    )
    missing = [a.title for a in required if a.translation_key not in passed]
    if not missing:
        return RequirementResult(True)
    return RequirementResult(
        False, _("Not passed yet: %(assessments)s.") % {"assessments": ", ".join(missing)}
    )
