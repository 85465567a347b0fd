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
        .only("id", "title")
    )
    if not required:
        return RequirementResult(True)
    passed = set(
        Attempt.objects.filter(
            enrollment=enrollment, passed=True, assessment__in=[a.pk for a in required]
        ).values_list("assessment_id", flat=True)
    )
    missing = [a.title for a in required if a.pk not in passed]
    if not missing:
        return RequirementResult(True)
    return RequirementResult(
        False, _("Not passed yet: %(assessments)s.") % {"assessments": ", ".join(missing)}
    )
