"""The demo seeder gives the dashboards attendance to show, and is safe to run again."""

import pytest

from demo.reports import demo_reports_seed
from lms.attendance import cohort_attendance_rates
from lms.models import AttendanceMark, Cohort, CohortSession

pytestmark = pytest.mark.django_db


def test_demo_attendance_fills_cohorts_without_sessions_once(network):
    assert not CohortSession.objects.filter(cohort=network.glt_evening).exists()
    demo_reports_seed()
    sessions = CohortSession.objects.filter(cohort=network.glt_evening).count()
    assert sessions > 0
    rate = cohort_attendance_rates(cohorts=Cohort.objects.filter(pk=network.glt_evening.pk))
    assert rate[network.glt_evening.pk] is not None
    # Cohorts that already had attendance are left as they were.
    assert CohortSession.objects.filter(cohort=network.glt_day).count() == 2
    marks = AttendanceMark.objects.count()
    demo_reports_seed()
    assert CohortSession.objects.filter(cohort=network.glt_evening).count() == sessions
    assert AttendanceMark.objects.count() == marks
