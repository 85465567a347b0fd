import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from lms.models import Center, Shift
from tests.factories import CenterFactory, CohortFactory

pytestmark = pytest.mark.django_db


def test_cohort_shift_must_be_offered_by_its_center():
    hub = CenterFactory(kind=Center.Kind.TECH_HUB, offers_school_hours=False)
    cohort = CohortFactory.build(center=hub, shift=Shift.SCHOOL_HOURS)
    with pytest.raises(ValidationError) as excinfo:
        cohort.full_clean()
    assert "shift" in excinfo.value.message_dict


def test_cohort_cannot_end_before_it_starts():
    cohort = CohortFactory.build(
        center=CenterFactory(),
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 8, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        cohort.full_clean()
    assert "end_date" in excinfo.value.message_dict
    # The database refuses it too, whatever path writes it.
    with pytest.raises(IntegrityError):
        cohort.save()


def test_school_lab_needs_a_school_and_a_shift():
    lab = CenterFactory.build(school_name="", offers_school_hours=False, offers_second_shift=False)
    with pytest.raises(ValidationError):
        lab.full_clean()


def test_center_code_is_short_uppercase():
    with pytest.raises(ValidationError) as excinfo:
        CenterFactory.build(code="gil-1").full_clean()
    assert "code" in excinfo.value.message_dict
