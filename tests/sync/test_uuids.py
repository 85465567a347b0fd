"""The ids that let a lab node's records and the server's be recognised as the same
(docs/decisions/0024): uuids filled by the migrations, and the password change time."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lms import people
from lms.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_password_stamps_the_time_an_unrelated_save_does_not():
    user = UserFactory()
    first = User.objects.get(pk=user.pk).password_changed_at
    assert first is not None

    user = User.objects.get(pk=user.pk)
    user.first_name = "Amina"
    user.save()
    assert User.objects.get(pk=user.pk).password_changed_at == first

    user.set_password("another-pass-5678")
    user.save(update_fields=["password"])
    assert User.objects.get(pk=user.pk).password_changed_at > first


def test_a_one_time_password_stamps_the_time():
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(password_changed_at=None)
    people.user_one_time_password_set(user=User.objects.get(pk=user.pk))
    assert User.objects.get(pk=user.pk).password_changed_at is not None


def test_a_time_set_by_the_caller_is_kept():
    """A node copying the server's account keeps the server's time, not its own."""
    user = User.objects.get(pk=UserFactory().pk)
    when = timezone.now() - datetime.timedelta(days=3)
    user.password = "copied-hash"
    user.password_changed_at = when
    user.save()
    assert User.objects.get(pk=user.pk).password_changed_at == when


TARGETS = [
    ("courses", "0005_due_dates_and_announcements"),
    ("assessments", "0004_choice_text_ur_help"),
    ("lms", "0010_staff_notices"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_give_existing_rows_distinct_uuids():
    from lms.models import AttendanceChange, AttendanceMark, CohortSession
    from tests.factories import CohortFactory, LearnerProfileFactory

    cohort = CohortFactory()
    session = CohortSession.objects.create(
        cohort=cohort, date=cohort.start_date, shift=cohort.shift
    )
    marks = []
    for _ in range(5):
        learner = LearnerProfileFactory(home_center=cohort.center).user
        mark = AttendanceMark.objects.create(
            session=session, learner=learner, status="present", marked_at=timezone.now()
        )
        AttendanceChange.objects.create(
            mark=mark, status_after="present", changed_at=timezone.now()
        )
        marks.append(mark)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(TARGETS)
        with connection.cursor() as cursor:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(
                    cursor, AttendanceMark._meta.db_table
                )
            ]
        assert "uuid" not in columns
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    uuids = set(AttendanceMark.objects.values_list("uuid", flat=True))
    assert len(uuids) == 5 and None not in uuids
    assert {m.uuid for m in marks}.isdisjoint(uuids)  # new ones, not the ones we had
    assert AttendanceChange.objects.values("uuid").distinct().count() == 5
