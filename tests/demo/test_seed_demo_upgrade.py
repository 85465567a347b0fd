"""seed_demo on a database an older demo seeded: it adds the Urdu that is missing (pages,
question fields), turns the old separate Urdu quiz into a translation of the English one, and
a further run changes nothing. Demo certificates name their holders."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page, Revision

from assessments.models import (
    AssessmentPage,
    AssessmentQuestion,
    Attempt,
    Choice,
    Question,
    RubricCriterion,
)
from certificates.models import Certificate
from certificates.verification import certificate_public_data
from courses.models import CoursePage, TrackPage
from lms.models import LearnerProfile

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", stdout=io.StringIO())


def _counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "questions": Question.objects.count(),
        "attempts": Attempt.objects.count(),
        "certificates": Certificate.objects.count(),
        "latest": sorted(Page.objects.values_list("id", "latest_revision_id")),
    }


def _make_it_look_like_the_older_demo():
    """What an older seed_demo left: Urdu only for the home page and Computer basics, an Urdu
    quiz with Urdu-only questions of its own, and no Urdu on any question."""
    ur = Locale.objects.get(language_code="ur")
    freelancing = TrackPage.objects.get(slug="freelancing", locale__language_code="en")
    freelancing.get_translation(ur).delete()
    safety = CoursePage.objects.get(slug="internet-safety", locale__language_code="en")
    safety.get_translation(ur).delete()
    Question.objects.update(prompt_ur="", feedback_ur="", accepted_answers_ur="")
    Choice.objects.update(text_ur="", feedback_ur="")
    RubricCriterion.objects.update(title_ur="", description_ur="")
    quiz = AssessmentPage.objects.get(
        slug="quiz", locale__language_code="en", url_path__contains="/computer-basics/"
    )
    old = Question.objects.create(
        bank=quiz.draws.first().bank,
        category="urdu",
        kind="essay",
        prompt="<p>آپ کا کام محفوظ کرنے کا شارٹ کٹ لکھیں۔</p>",
    )
    urdu_quiz = quiz.get_translation(ur).specific
    urdu_quiz.fixed_questions = [AssessmentQuestion(question=old)]
    urdu_quiz.draws = []
    urdu_quiz.save_revision().publish()
    return old


def test_seed_demo_upgrades_an_older_demo_database_and_then_changes_nothing(client):
    _seed()
    old = _make_it_look_like_the_older_demo()
    assert client.get("/ur/freelancing/").status_code == 404

    _seed()

    assert client.get("/ur/freelancing/").status_code == 200
    assert client.get("/ur/digital-literacy/internet-safety/strong-passwords/").status_code == 200
    ur = Locale.objects.get(language_code="ur")
    for page in AssessmentPage.objects.filter(locale__language_code="en"):
        urdu = page.get_translation(ur).specific
        assert [q.question_id for q in urdu.fixed_questions.all()] == [
            q.question_id for q in page.fixed_questions.all()
        ], urdu.url_path
        assert urdu.draws.count() == page.draws.count()
    assert not Question.objects.filter(pk=old.pk).exists()
    assert not Question.objects.filter(prompt_ur="").exists()
    assert not Choice.objects.filter(text_ur="").exists()
    assert not RubricCriterion.objects.filter(title_ur="").exists()

    once = _counts()
    _seed()
    assert _counts() == once


def test_demo_certificates_name_their_holders():
    _seed()
    certificates = Certificate.objects.select_related("enrollment__learner")
    assert certificates.count() >= 2
    for certificate in certificates:
        record = certificate_public_data(certificate)
        assert record["holder_name_withheld"] is False, certificate.serial
        assert record["learner_name"] == certificate.snapshot["learner_name"]
    assert not LearnerProfile.objects.filter(year_of_birth__isnull=True).exists()
