"""The cohort gradebook: scoped to who may see the cohort, sortable on the server, drilling
down to attempts, its exports equal to the page, and a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import CohortDueDate
from lms.models import CohortMembership
from tests.factories import LearnerProfileFactory

from .conftest import take_quiz
from .test_views import as_page, body_rows, csv_table, page_tables, xlsx_table

pytestmark = pytest.mark.django_db


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _book(client, user, cohort, **params):
    response = _get(client, user, reverse("gradebook:cohort", args=[cohort.pk]), **params)
    assert response.status_code == 200
    return response


def _by_learner(response) -> dict:
    table = page_tables(response)["gradebook"]
    header = table[0]
    return {row[0]: dict(zip(header, row, strict=True)) for row in body_rows(table)}


def test_the_gradebook_shows_scores_status_completion_and_certificate(client, network):
    rows = _by_learner(_book(client, network.trainer, network.glt_day))
    assert list(rows) == ["Learner g1", "Learner g2", "Learner g3", "Learner g4"]
    assert rows["Learner g1"]["Quiz: best"] == "100%"
    assert rows["Learner g1"]["Quiz: latest"] == "100%"
    assert rows["Learner g1"]["Quiz: status"] == "passed"
    assert rows["Learner g1"]["Quiz: attempts"] == "1"
    assert rows["Learner g1"]["Certificate"] != "—"
    assert rows["Learner g1"]["Course completed"] != "—"
    assert rows["Learner g2"]["Quiz: best"] == "0%"
    assert rows["Learner g2"]["Quiz: status"] == "not passed"
    assert rows["Learner g2"]["Certificate"] == "—"
    assert rows["Learner g4"]["Quiz: status"] == "not started"
    assert rows["Learner g4"]["Quiz: attempts"] == "0"
    assert rows["Learner g4"]["Quiz: best"] == "—"


def test_overdue_work_shows_in_the_gradebook(client, network):
    CohortDueDate.objects.create(
        cohort=network.glt_day, page=network.quiz, due_at=timezone.now() - datetime.timedelta(1)
    )
    rows = _by_learner(_book(client, network.trainer, network.glt_day))
    assert rows["Learner g4"]["Quiz: status"] == "overdue"
    assert rows["Learner g1"]["Quiz: status"] == "passed"  # done in time: not overdue


def test_sorting_is_server_side_by_any_column_both_ways(client, network):
    key = f"a{network.quiz.pk}_best"
    ascending = _by_learner(_book(client, network.trainer, network.glt_day, sort=key))
    # Blanks (no score) last, whichever way.
    assert list(ascending) == ["Learner g2", "Learner g1", "Learner g3", "Learner g4"]
    descending = _by_learner(_book(client, network.trainer, network.glt_day, sort=f"-{key}"))
    assert list(descending) == ["Learner g1", "Learner g3", "Learner g2", "Learner g4"]
    page = _book(client, network.trainer, network.glt_day, sort=key).content.decode()
    # The heading links sort the other way next: plain links, no script needed.
    assert f"sort=-{key}" in page
    assert 'aria-sort="ascending"' in page
    # An unknown key sorts by name rather than failing.
    names = list(_by_learner(_book(client, network.trainer, network.glt_day, sort="nonsense")))
    assert names == ["Learner g1", "Learner g2", "Learner g3", "Learner g4"]


def test_a_latest_score_opens_the_attempt(client, network):
    from assessments.models import Attempt

    attempt = Attempt.objects.get(learner=network.learners["g1"])
    grade_url = reverse("assessments_admin:grade", args=[attempt.pk])
    page = _book(client, network.trainer, network.glt_day).content.decode()
    assert f'href="{grade_url}"' in page
    assert client.get(grade_url).status_code == 200


SORTS = [{}, {"sort": "-name"}, {"sort": "certificate"}, {"sort": "-awaiting"}]


@pytest.mark.parametrize("params", SORTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_equal_the_page(client, network, params, fmt):
    page = page_tables(_book(client, network.manager, network.glt_day, **params))["gradebook"]
    url = reverse("gradebook:export", args=[network.glt_day.pk, fmt])
    export = _get(client, network.manager, url, **params)
    assert export.status_code == 200
    table = csv_table(export) if fmt == "csv" else xlsx_table(export)
    assert [h.removesuffix(" (%)") for h in table[0]] == page[0]
    # Dates are written as dates (a spreadsheet's own format), printed short on the page.
    dates = [i for i, h in enumerate(table[0]) if h == "Course completed"]
    strip = lambda rows: [[v for i, v in enumerate(r) if i not in dates] for r in rows]  # noqa: E731
    assert as_page(table, skip=dates) == strip(body_rows(page))
    assert [bool(r[dates[0]]) for r in table[1:]] == [r[dates[0]] != "—" for r in body_rows(page)]


def test_exports_neutralize_formulas(client, network, profile_of):
    profile = profile_of(network.learners["g1"])
    profile.full_name = "=HYPERLINK(1)"
    profile.save()
    url = reverse("gradebook:export", args=[network.glt_day.pk, "csv"])
    names = [row[0] for row in csv_table(_get(client, network.manager, url))[1:]]
    assert "'=HYPERLINK(1)" in names


def test_scope_a_trainer_reaches_only_their_cohorts(client, network):
    for name, args in (("gradebook:cohort", []), ("gradebook:export", ["csv"])):
        day = reverse(name, args=[network.glt_day.pk, *args])
        assert _get(client, network.trainer, day).status_code == 200
        for cohort in (network.glt_evening, network.skd_day):  # not taught by this trainer
            url = reverse(name, args=[cohort.pk, *args])
            assert _get(client, network.trainer, url).status_code == 404
        # The center's manager reaches every cohort of the center; another center's, none.
        evening = reverse(name, args=[network.glt_evening.pk, *args])
        assert _get(client, network.manager, evening).status_code == 200
        assert _get(client, network.other_manager, day).status_code == 404
        assert _get(client, network.learners["g1"], day).status_code in (302, 403, 404)


def test_the_index_lists_the_users_cohorts_and_the_menu_links_it(client, network):
    index = reverse("gradebook:index")
    page = _get(client, network.trainer, index).content.decode()
    assert reverse("gradebook:cohort", args=[network.glt_day.pk]) in page
    assert reverse("gradebook:cohort", args=[network.glt_evening.pk]) not in page
    page = _get(client, network.manager, index).content.decode()
    assert reverse("gradebook:cohort", args=[network.glt_evening.pk]) in page
    assert reverse("gradebook:cohort", args=[network.skd_day.pk]) not in page
    for user in (network.trainer, network.manager):
        assert index in _get(client, user, reverse("wagtailadmin_home")).content.decode()
    assert _get(client, network.learners["g1"], index).status_code in (302, 403, 404)


def _grow(network, learners: int, quizzes: int):
    """More learners in the GLT day cohort, more assessments in the course, each attempted."""
    from assessments.models import AssessmentPage, AssessmentQuestion
    from tests.curriculum import publish

    course = network.course
    question = AssessmentQuestion.objects.filter(page=network.quiz).first().question
    for i in range(quizzes):
        page = course.add_child(instance=AssessmentPage(title=f"Quiz {i}", slug=f"quiz-{i}"))
        AssessmentQuestion.objects.create(page=page, question=question, sort_order=0)
        quiz = publish(page)
    for i in range(learners):
        user = LearnerProfileFactory(home_center=network.glt, full_name=f"Extra {i}").user
        CohortMembership.objects.create(cohort=network.glt_day, learner=user)
        services.enrollment_create(learner=user, course=course, cohort=network.glt_day)
        take_quiz(user, network.quiz, passing=bool(i % 2))
        take_quiz(user, quiz, passing=True)


def test_query_count_is_constant_in_learners_and_assessments(client, network):
    client.force_login(network.trainer)
    url = reverse("gradebook:cohort", args=[network.glt_day.pk])
    client.get(url)  # warm per-process caches (site root, locales)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(network, learners=6, quizzes=3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(body_rows(page_tables(response)["gradebook"])) == 10
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:120] for q in large.captured_queries
    ]


def test_xlsx_sheet_names_drop_characters_excel_refuses():
    """A cohort called "2026/27" (or a title with a colon) used to fail the XLSX export."""
    import io

    from openpyxl import load_workbook

    from reports.exports import xlsx_write
    from reports.gradebook import gradebook_columns

    class _NoFilters:
        def describe(self):
            return []

    target = io.BytesIO()
    xlsx_write(gradebook_columns([]), [], title="Gradebook: GLT 2026/27 [day]?",
               filters=_NoFilters(), target=target)  # fmt: skip
    assert load_workbook(io.BytesIO(target.getvalue())).sheetnames == [
        "Gradebook  GLT 2026 27  day"
    ]
