"""Attendance: sessions, marking a whole lab at once, corrections with who and when, rates, and
the admin views scoped by the permission helper."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms import roles
from lms.admin_attendance import AttendanceMenuItem
from lms.attendance import (
    DATE_AFTER_END,
    DATE_BEFORE_START,
    DATE_IN_FUTURE,
    LEARNERS_NOT_IN_COHORT,
    STATUS_INVALID,
    AttendanceError,
    attendance_history,
    attendance_rate,
    attendance_record,
    cohort_attendance_rates,
    cohort_attendance_summary,
    cohort_session_get_or_create,
)
from lms.models import AttendanceChange, AttendanceMark, CohortMembership, CohortSession
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

pytestmark = pytest.mark.django_db

PRESENT, LATE, ABSENT, EXCUSED = AttendanceMark.Status.values
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
START = TODAY - 60 * DAY
# Measured: the service 7 (savepoint, session lock, members, marks, two bulk inserts or an
# insert and an update, release); the whole POST 15 (Django session, user, permissions, Wagtail
# profile, the visible-cohort lookup, the service); the form's GET 23 (the admin menu's items for
# gradebooks, due dates, announcements and "My cohorts" each ask which cohorts the user may see;
# "Lab nodes" asks the user's role). None grows with the class.
SERVICE_QUERY_BUDGET = 7
FORM_POST_QUERY_BUDGET = 16
FORM_GET_QUERY_BUDGET = 23


def learner(center, name):
    # No role: 40 calls of roles_sync would only slow the suite down.
    return LearnerProfileFactory(home_center=center, full_name=name, user__role=None).user


def join(cohort, user, on=None):
    membership = CohortMembership.objects.create(cohort=cohort, learner=user)
    if on is not None:
        joined_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
        CohortMembership.objects.filter(pk=membership.pk).update(joined_at=joined_at)
    return user


def session_on(cohort, date, topic=""):
    return CohortSession.objects.create(cohort=cohort, date=date, shift=cohort.shift, topic=topic)


@pytest.fixture
def lab():
    gilgit = CenterFactory(name="Gilgit lab", code="GLT")
    cohort = CohortFactory(center=gilgit, name="Gilgit morning", start_date=START)
    trainer = trainer_of(gilgit)
    cohort.trainers.add(trainer)
    learners = [join(cohort, learner(gilgit, f"Learner {n:02d}"), on=START) for n in range(40)]
    return {
        "center": gilgit,
        "cohort": cohort,
        "trainer": trainer,
        "learners": learners,
        "session": session_on(cohort, TODAY - DAY, topic="Keyboard"),
    }


def all_present(learners):
    return {user.pk: PRESENT for user in learners}


def form_data(learners, exceptions=None):
    """What the marking form posts: every learner's radio group, present unless told."""
    data = {f"status-{user.pk}": PRESENT for user in learners}
    data.update({f"status-{user.pk}": status for user, status in (exceptions or {}).items()})
    return data


# --- Sessions -----------------------------------------------------------------------------------


def test_session_takes_the_cohorts_shift_and_is_found_again(lab):
    cohort, trainer = lab["cohort"], lab["trainer"]
    first = cohort_session_get_or_create(cohort=cohort, date=TODAY, topic="Mouse", user=trainer)
    assert (first.shift, first.topic) == (cohort.shift, "Mouse")
    again = cohort_session_get_or_create(cohort=cohort, date=TODAY, user=trainer)
    assert again.pk == first.pk and again.topic == "Mouse"


@pytest.mark.parametrize(
    "date, end, message",
    [
        (START - DAY, None, DATE_BEFORE_START),
        (TODAY, TODAY - 2 * DAY, DATE_AFTER_END),
        (TODAY + DAY, None, DATE_IN_FUTURE),
    ],
)
def test_session_dates_outside_the_cohort_or_in_the_future_are_refused(lab, date, end, message):
    cohort = lab["cohort"]
    cohort.end_date = end
    cohort.save()
    with pytest.raises(AttendanceError) as refused:
        cohort_session_get_or_create(cohort=cohort, date=date, user=lab["trainer"])
    assert refused.value.message.startswith(str(message).split("%")[0])
    assert not CohortSession.objects.filter(date=date).exists()


# --- Marking ------------------------------------------------------------------------------------


def test_marking_forty_learners_costs_a_constant_number_of_queries(lab):
    session, learners, trainer = lab["session"], lab["learners"], lab["trainer"]
    small = session_on(lab["cohort"], TODAY - 2 * DAY)
    with CaptureQueriesContext(connection) as five:
        attendance_record(session=small, marks=all_present(learners[:5]), user=trainer)
    with CaptureQueriesContext(connection) as forty:
        result = attendance_record(session=session, marks=all_present(learners), user=trainer)
    assert len(forty) == len(five), [q["sql"] for q in forty]
    assert (result.created, result.changed, result.unchanged) == (40, 0, 0)
    assert session.marks.count() == 40
    assert AttendanceChange.objects.filter(mark__session=session, status_before="").count() == 40


def test_correcting_forty_learners_is_bounded_too(lab, django_assert_max_num_queries):
    session, learners, trainer = lab["session"], lab["learners"], lab["trainer"]
    attendance_record(session=session, marks=all_present(learners), user=trainer)
    flipped = {user.pk: LATE for user in learners}
    with django_assert_max_num_queries(SERVICE_QUERY_BUDGET):
        result = attendance_record(session=session, marks=flipped, user=trainer)
    assert result.changed == 40
    assert set(session.marks.values_list("status", flat=True)) == {LATE}


def test_a_whole_lab_is_marked_in_one_post(client, lab, django_assert_max_num_queries):
    session, learners = lab["session"], lab["learners"]
    client.force_login(lab["trainer"])
    url = reverse("lms_attendance:session", args=[session.pk])
    data = form_data(learners, {learners[3]: ABSENT, learners[7]: LATE})
    with django_assert_max_num_queries(FORM_POST_QUERY_BUDGET):
        response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("lms_attendance:cohort", args=[lab["cohort"].pk])
    statuses = dict(session.marks.values_list("learner_id", "status"))
    assert len(statuses) == 40
    assert statuses[learners[3].pk] == ABSENT and statuses[learners[7].pk] == LATE
    assert list(session.marks.values_list("marked_by", flat=True).distinct()) == [lab["trainer"].pk]
    page = client.get(response["Location"])
    assert "Attendance saved" in page.text and "New marks: 40. Changed: 0." in page.text
    with django_assert_max_num_queries(FORM_GET_QUERY_BUDGET):
        assert client.get(url).status_code == 200


def test_a_correction_keeps_who_and_when(lab):
    session, learners, first = lab["session"], lab["learners"], lab["trainer"]
    second = trainer_of(lab["center"], username="second-trainer")
    lab["cohort"].trainers.add(second)
    attendance_record(session=session, marks=all_present(learners), user=first)
    target = learners[5]
    result = attendance_record(session=session, marks={target.pk: EXCUSED}, user=second)
    assert (result.created, result.changed) == (0, 1)

    mark = session.marks.get(learner=target)
    assert (mark.status, mark.marked_by) == (EXCUSED, second)
    history = list(attendance_history(mark=mark))
    assert [(c.status_before, c.status_after, c.changed_by) for c in history] == [
        ("", PRESENT, first),
        (PRESENT, EXCUSED, second),
    ]
    assert history[0].changed_at <= history[1].changed_at
    # Nobody else's mark moved.
    assert AttendanceChange.objects.filter(mark__session=session).count() == 41


def test_an_unchanged_resave_writes_no_change_rows(lab):
    session, learners, trainer = lab["session"], lab["learners"], lab["trainer"]
    attendance_record(session=session, marks=all_present(learners), user=trainer)
    before = AttendanceChange.objects.count()
    result = attendance_record(session=session, marks=all_present(learners), user=trainer)
    assert (result.created, result.changed, result.unchanged) == (0, 0, 40)
    assert AttendanceChange.objects.count() == before


def test_a_learner_outside_the_cohort_refuses_the_whole_save(lab):
    session, learners, trainer = lab["session"], lab["learners"], lab["trainer"]
    attendance_record(session=session, marks={learners[0].pk: PRESENT}, user=trainer)
    stranger = learner(CenterFactory(), "Stranger")
    marks = all_present(learners) | {learners[0].pk: ABSENT, stranger.pk: PRESENT}
    with pytest.raises(AttendanceError) as refused:
        attendance_record(session=session, marks=marks, user=trainer)
    assert refused.value.message == LEARNERS_NOT_IN_COHORT % {"count": 1}
    assert session.marks.count() == 1
    assert session.marks.get().status == PRESENT
    assert AttendanceChange.objects.count() == 1


def test_a_bad_status_refuses_the_whole_save(lab):
    session, learners, trainer = lab["session"], lab["learners"], lab["trainer"]
    marks = all_present(learners) | {learners[9].pk: "asleep"}
    with pytest.raises(AttendanceError) as refused:
        attendance_record(session=session, marks=marks, user=trainer)
    assert refused.value.message == STATUS_INVALID % {"status": "asleep"}
    assert not AttendanceMark.objects.exists()
    assert not AttendanceChange.objects.exists()


def test_a_refused_post_shows_the_message_and_keeps_the_choices(client, lab):
    session, learners = lab["session"], lab["learners"]
    stranger = learner(CenterFactory(), "Stranger")
    client.force_login(lab["trainer"])
    data = form_data(learners, {learners[2]: LATE, stranger: PRESENT})
    response = client.post(reverse("lms_attendance:session", args=[session.pk]), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.text
    assert checked(response.text, learners[2]) == LATE
    assert checked(response.text, learners[3]) == PRESENT
    assert not AttendanceMark.objects.exists()


def checked(html, user):
    """The value of the checked radio button of a learner's row, or None."""
    found = re.findall(rf'name="status-{user.pk}" value="(\w+)"[^>]*\bchecked', html)
    assert len(found) <= 1
    return found[0] if found else None


def test_a_new_session_starts_everyone_present_and_a_taken_one_shows_the_marks(client, lab):
    session, learners, trainer = lab["session"], lab["learners"], lab["trainer"]
    client.force_login(trainer)
    url = reverse("lms_attendance:session", args=[session.pk])
    html = client.get(url).text
    assert all(checked(html, user) == PRESENT for user in learners)
    assert html.count(" checked") == 40

    attendance_record(session=session, marks={learners[0].pk: ABSENT}, user=trainer)
    html = client.get(url).text
    assert checked(html, learners[0]) == ABSENT
    assert checked(html, learners[1]) is None  # not marked: no default once attendance is taken


# --- Rates --------------------------------------------------------------------------------------


@pytest.fixture
def small_class():
    center = CenterFactory()
    cohort = CohortFactory(center=center, start_date=START)
    trainer = trainer_of(center)
    amina, bilal = (join(cohort, learner(center, name), on=START) for name in ("Amina", "Bilal"))
    sessions = [session_on(cohort, START + n * DAY) for n in range(1, 6)]
    return {
        "cohort": cohort,
        "trainer": trainer,
        "amina": amina,
        "bilal": bilal,
        "sessions": sessions,
    }


def mark(small_class, session_index, **statuses):
    attendance_record(
        session=small_class["sessions"][session_index],
        marks={small_class[name].pk: status for name, status in statuses.items()},
        user=small_class["trainer"],
    )


def rate(small_class, name):
    return attendance_rate(learner=small_class[name], cohort=small_class["cohort"])


def test_rate_counts_present_and_late_as_attended(small_class):
    mark(small_class, 0, amina=PRESENT, bilal=PRESENT)
    mark(small_class, 1, amina=LATE, bilal=PRESENT)
    mark(small_class, 2, amina=ABSENT, bilal=PRESENT)
    assert rate(small_class, "amina") == pytest.approx(2 / 3)
    assert rate(small_class, "bilal") == 1.0


def test_rate_leaves_out_excused_sessions(small_class):
    mark(small_class, 0, amina=PRESENT, bilal=PRESENT)
    mark(small_class, 1, amina=EXCUSED, bilal=PRESENT)
    mark(small_class, 2, amina=ABSENT, bilal=PRESENT)
    assert rate(small_class, "amina") == 0.5


def test_rate_counts_a_taken_session_without_the_learners_mark_as_absent(small_class):
    mark(small_class, 0, amina=PRESENT, bilal=PRESENT)
    mark(small_class, 1, bilal=PRESENT)  # Amina was left off the list
    # Sessions 2-4 exist but nobody took attendance: they count for nobody.
    assert rate(small_class, "amina") == 0.5
    assert rate(small_class, "bilal") == 1.0


def test_rate_leaves_out_sessions_before_the_learner_joined(small_class):
    cohort, sessions = small_class["cohort"], small_class["sessions"]
    late_joiner = join(cohort, learner(cohort.center, "Chaman"), on=sessions[2].date)
    small_class["chaman"] = late_joiner
    mark(small_class, 0, amina=PRESENT, bilal=PRESENT)
    mark(small_class, 1, amina=PRESENT, bilal=PRESENT)
    mark(small_class, 2, amina=PRESENT, bilal=PRESENT, chaman=PRESENT)  # the day they joined
    mark(small_class, 3, amina=PRESENT, bilal=PRESENT)  # left off: absent
    assert rate(small_class, "chaman") == 0.5


def test_rate_counts_a_mark_given_before_the_learner_joined(small_class):
    # The roster came in late and the trainer copied the first sessions from paper.
    cohort, sessions = small_class["cohort"], small_class["sessions"]
    small_class["chaman"] = join(cohort, learner(cohort.center, "Chaman"), on=sessions[4].date)
    mark(small_class, 0, chaman=ABSENT)
    mark(small_class, 1, chaman=PRESENT)
    assert rate(small_class, "chaman") == 0.5


def test_rate_is_none_when_nothing_applies(small_class):
    assert rate(small_class, "amina") is None  # no session taken yet
    mark(small_class, 0, amina=EXCUSED, bilal=PRESENT)
    assert rate(small_class, "amina") is None  # only an excused one
    outsider = learner(small_class["cohort"].center, "Outsider")
    assert attendance_rate(learner=outsider, cohort=small_class["cohort"]) is None


def test_rate_of_a_learner_taken_off_the_list_uses_their_marks(small_class):
    mark(small_class, 0, amina=PRESENT, bilal=PRESENT)
    mark(small_class, 1, amina=ABSENT, bilal=PRESENT)
    mark(small_class, 2, bilal=PRESENT)
    CohortMembership.objects.filter(learner=small_class["amina"]).delete()
    assert rate(small_class, "amina") == 0.5


def test_summary_numbers_match_the_rates_in_one_query(small_class, django_assert_num_queries):
    mark(small_class, 0, amina=PRESENT, bilal=LATE)
    mark(small_class, 1, amina=EXCUSED, bilal=ABSENT)
    mark(small_class, 2, bilal=PRESENT)
    mark(small_class, 3, amina=LATE, bilal=EXCUSED)
    with django_assert_num_queries(1):
        rows = cohort_attendance_summary(cohort=small_class["cohort"])
    by_name = {row.learner.learner_profile.full_name: row for row in rows}
    amina, bilal = by_name["Amina"], by_name["Bilal"]
    assert (amina.present, amina.late, amina.absent, amina.excused) == (1, 1, 1, 1)
    assert (bilal.present, bilal.late, bilal.absent, bilal.excused) == (1, 1, 1, 1)
    assert amina.rate == pytest.approx(2 / 3) and amina.rate_percent == 67
    for name in ("amina", "bilal"):
        assert by_name[name.title()].rate == rate(small_class, name)
    rates = cohort_attendance_rates(cohorts=[small_class["cohort"].pk])
    assert rates == {small_class["cohort"].pk: pytest.approx(4 / 6)}


# --- Admin views and permissions ----------------------------------------------------------------


@pytest.fixture
def urls(lab):
    session, learners, trainer = lab["session"], lab["learners"], lab["trainer"]
    attendance_record(session=session, marks={learners[0].pk: PRESENT}, user=trainer)
    mark = session.marks.get()
    return {
        "cohort": reverse("lms_attendance:cohort", args=[lab["cohort"].pk]),
        "take": reverse("lms_attendance:take", args=[lab["cohort"].pk]),
        "session": reverse("lms_attendance:session", args=[session.pk]),
        "history": reverse("lms_attendance:history", args=[mark.pk]),
    }


def outsider(lab, who):
    if who == "other trainer":
        user = trainer_of(lab["center"], username="other-trainer")
        CohortFactory(center=lab["center"], name="Gilgit evening").trainers.add(user)
        return user
    if who == "other manager":
        return manager_of(CenterFactory(name="Skardu lab", code="SKD"))
    if who == "learner":
        return lab["learners"][0]
    return None


@pytest.mark.parametrize("who", ["other trainer", "other manager", "learner", "anonymous"])
@pytest.mark.parametrize("name", ["cohort", "session", "history"])
def test_outsiders_cannot_see_a_cohorts_attendance(client, lab, urls, who, name):
    user = outsider(lab, who)
    if user:
        client.force_login(user)
    response = client.get(urls[name])
    if who in ("other trainer", "other manager"):
        assert response.status_code == 404
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "login" in response["Location"]
    assert "Learner 00" not in response.text


@pytest.mark.parametrize("who", ["other trainer", "other manager", "learner", "anonymous"])
def test_outsiders_cannot_post_marks_or_open_sessions(client, lab, urls, who):
    user = outsider(lab, who)
    if user:
        client.force_login(user)
    marks = form_data(lab["learners"])
    assert client.post(urls["session"], marks).status_code in (302, 403, 404)
    assert client.post(urls["take"], {"date": TODAY.isoformat()}).status_code in (302, 403, 404)
    assert AttendanceMark.objects.count() == 1
    assert not CohortSession.objects.filter(date=TODAY).exists()


def test_the_index_lists_only_visible_cohorts(client, lab, urls):
    other = outsider(lab, "other trainer")
    client.force_login(other)
    html = client.get(reverse("lms_attendance:index")).text
    assert "Gilgit evening" in html and "Gilgit morning" not in html

    client.force_login(lab["trainer"])
    html = client.get(reverse("lms_attendance:index")).text
    assert "Gilgit morning" in html and "Gilgit evening" not in html
    assert "3%" in html  # one learner of 40 marked, the rest left off the list: 1/40

    attendance_record(
        session=lab["session"], marks=all_present(lab["learners"]), user=lab["trainer"]
    )
    html = client.get(reverse("lms_attendance:index")).text
    assert "100%" in html


def test_the_menu_item_shows_only_to_users_with_a_cohort(lab):
    item = AttendanceMenuItem("Attendance", "/admin/attendance/")
    request = RequestFactory().get("/admin/")
    for user, shown in [
        (lab["trainer"], True),
        (manager_of(lab["center"]), True),
        (manager_of(CenterFactory(code="SKD")), False),
        (AnonymousUser(), False),
    ]:
        request.user = user
        assert item.is_shown(request) is shown


def test_a_manager_of_the_center_can_see_and_mark(client, lab, urls):
    client.force_login(manager_of(lab["center"]))
    for name in ("cohort", "session", "history"):
        assert client.get(urls[name]).status_code == 200, name
    response = client.post(urls["session"], form_data(lab["learners"]))
    assert response.status_code == 302
    assert lab["session"].marks.count() == 40


def test_a_programme_admin_can_see_every_cohort(client, lab, urls):
    client.force_login(UserFactory(username="programme", role=roles.PROGRAMME_ADMIN))
    assert client.get(urls["session"]).status_code == 200


def test_the_cohort_page_shows_sessions_summary_and_form(client, lab, urls):
    client.force_login(lab["trainer"])
    response = client.get(urls["cohort"])
    assert response.status_code == 200
    html = response.text
    assert "Keyboard" in html and "Take attendance" in html
    assert f'value="{TODAY.isoformat()}"' in html
    assert html.count("Learner ") >= 40


def test_taking_attendance_opens_the_session_form(client, lab, urls):
    client.force_login(lab["trainer"])
    response = client.post(urls["take"], {"date": TODAY.isoformat(), "topic": "Files"})
    session = CohortSession.objects.get(date=TODAY)
    assert response.status_code == 302
    assert response["Location"] == reverse("lms_attendance:session", args=[session.pk])
    assert session.topic == "Files"


def test_taking_attendance_for_tomorrow_is_refused_on_the_page(client, lab, urls):
    client.force_login(lab["trainer"])
    response = client.post(urls["take"], {"date": (TODAY + DAY).isoformat()})
    assert response.status_code == 200
    assert str(DATE_IN_FUTURE).replace("'", "&#x27;") in response.text
    assert not CohortSession.objects.filter(date=TODAY + DAY).exists()


def test_get_never_changes_state(client, lab, urls):
    client.force_login(lab["trainer"])
    sessions, marks, changes = (
        CohortSession.objects.count(),
        AttendanceMark.objects.count(),
        AttendanceChange.objects.count(),
    )
    for name in ("cohort", "session", "history"):
        assert client.get(urls[name]).status_code == 200
    assert client.get(urls["take"], {"date": TODAY.isoformat()}).status_code == 405
    assert client.get(urls["session"], form_data(lab["learners"])).status_code == 200
    assert CohortSession.objects.count() == sessions
    assert AttendanceMark.objects.count() == marks
    assert AttendanceChange.objects.count() == changes


def test_posts_without_a_csrf_token_are_refused(lab, urls):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lab["trainer"])
    assert client.post(urls["session"], form_data(lab["learners"])).status_code == 403
    assert client.post(urls["take"], {"date": TODAY.isoformat()}).status_code == 403
    assert AttendanceMark.objects.count() == 1
    assert not CohortSession.objects.filter(date=TODAY).exists()


def test_the_history_page_shows_who_changed_what(client, lab, urls):
    session, learners = lab["session"], lab["learners"]
    corrector = manager_of(lab["center"], username="corrector")
    attendance_record(session=session, marks={learners[0].pk: LATE}, user=corrector)
    client.force_login(lab["trainer"])
    html = client.get(urls["history"]).text
    assert "trainer-GLT" in html and "corrector" in html
    assert "first marked" in html and "Late" in html.replace("late", "Late")
