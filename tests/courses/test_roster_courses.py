"""Issue 16: a youth imported into a freelancing cohort is enrolled in the track's courses whose
prerequisites they meet; the summary names each course and why a course was not enrolled."""

import csv
import io

import pytest
from django.urls import reverse

from courses import roster
from courses.models import CoursePage, Enrollment, TrackPage
from courses.services import enrollment_create
from tests.courses.test_roster import csv_bytes, learner
from tests.curriculum import publish
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, manager_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def freelancing(home):
    track = publish(
        home.add_child(
            instance=TrackPage(
                title="Freelancing", slug="freelancing", audience="youth", summary="Earn online."
            )
        )
    )

    def course(title, slug, *needs):
        page = track.add_child(instance=CoursePage(title=title, slug=slug, summary=".", hours=6))
        page.prerequisites.set(needs)
        return publish(page)

    profiles = course("Freelancing profiles", "profiles")
    proposals = course("Client proposals", "proposals", profiles)
    center = CenterFactory(name="Gilgit hub", code="GLH")
    cohort = CohortFactory(center=center, name="Youth evening", curriculum=track)
    return {
        "center": center, "cohort": cohort, "profiles": profiles, "proposals": proposals,
        "manager": manager_of(center),
    }  # fmt: skip


def commit(setup, rows):
    roster_import = roster.roster_preview(
        center=setup["center"], uploaded_by=setup["manager"], filename="youth.csv",
        content=csv_bytes(rows),
    )  # fmt: skip
    assert roster_import.problems == []
    return roster.roster_commit(roster_import=roster_import, confirmed_by=setup["manager"])


def youth(name, username):
    return learner(name, username, cohort="Youth evening", kind="youth", year="2004")


def test_enrolled_where_prerequisites_are_met_and_the_summary_says_why_not(freelancing):
    # Bilal was imported before and has completed "Freelancing profiles".
    bilal = LearnerProfileFactory(
        user__username="bilal", home_center=freelancing["center"], full_name="Bilal Ahmed"
    ).user
    done = enrollment_create(learner=bilal, course=freelancing["profiles"])
    done.status = Enrollment.Status.COMPLETED
    done.save()

    result = commit(freelancing, [youth("Amina Bibi", "amina"), youth("Bilal Ahmed", "bilal")])

    enrolled = set(Enrollment.objects.values_list("learner__username", "course__title"))
    assert enrolled == {
        ("amina", "Freelancing profiles"),
        ("bilal", "Freelancing profiles"),
        ("bilal", "Client proposals"),
    }
    assert result.courses == [
        {"cohort": "Youth evening", "course": "Freelancing profiles", "enrolled": 1,
         "already": 1, "not_enrolled": 0, "needs": []},
        {"cohort": "Youth evening", "course": "Client proposals", "enrolled": 1,
         "already": 0, "not_enrolled": 1, "needs": ["Freelancing profiles"]},
    ]  # fmt: skip
    assert result.roster_import.summary["courses"] == result.courses


def test_the_password_sheet_and_the_import_page_name_each_course(client, freelancing):
    client.force_login(freelancing["manager"])
    result = commit(freelancing, [youth("Amina Bibi", "amina")])
    page = client.get(reverse("courses_roster:preview", args=[result.roster_import.pk])).text
    assert "Client proposals — 1 learner not enrolled: needs 'Freelancing profiles' first" in page
    summary_url = reverse("courses_roster:summary", args=[result.roster_import.pk])
    assert summary_url in page

    response = client.get(summary_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="roster-glh-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [str(h) for h in roster.SUMMARY_HEADERS]  # the header row first
    assert rows[1:] == [
        ["Youth evening", "Freelancing profiles", "1", "0", "0", ""],
        ["Youth evening", "Client proposals", "0", "0", "1", "Freelancing profiles"],
    ]


def test_another_centers_manager_cannot_download_the_summary(client, freelancing):
    result = commit(freelancing, [youth("Amina Bibi", "amina")])
    client.force_login(manager_of(CenterFactory(code="SKD", name="Skardu lab")))
    url = reverse("courses_roster:summary", args=[result.roster_import.pk])
    assert client.get(url).status_code == 404


def test_a_previewed_import_has_no_summary_yet(client, freelancing):
    roster_import = roster.roster_preview(
        center=freelancing["center"], uploaded_by=freelancing["manager"], filename="youth.csv",
        content=csv_bytes([youth("Amina Bibi", "amina")]),
    )  # fmt: skip
    client.force_login(freelancing["manager"])
    response = client.get(reverse("courses_roster:summary", args=[roster_import.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("courses_roster:preview", args=[roster_import.pk])
