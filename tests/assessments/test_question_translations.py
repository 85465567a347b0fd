"""One question bank in two languages (docs/decisions/0014): an attempt freezes both, a learner
may switch language mid-attempt and keeps the same attempt, grading is the same in both, and
an old (version 1) snapshot still renders and grades."""

import copy
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import Attempt, Choice
from assessments.snapshot import SNAPSHOT_VERSION
from tests.assessments.conftest import confirm_submit, right_answers

pytestmark = pytest.mark.django_db

UR = {
    "single": "<p>فائل محفوظ کرنے کی کلید کون سی ہے؟</p>",
    "true_false": "<p>ایک فولڈر میں دوسرے فولڈر رکھے جا سکتے ہیں۔</p>",
    "short_text": "<p>ونڈوز کے نشان والی کلید کا نام کیا ہے؟</p>",
    "numeric": "<p>ایک کلو بائٹ میں کتنے بائٹ ہوتے ہیں؟</p>",
}
SHORT_TEXT_UR = "ونڈوز کی"
FALLBACK = 'lang="en" dir="ltr"'


@pytest.fixture
def urdu_bank(question_bank):
    """The fixture's bank with Urdu for every question but the multiple-choice one."""
    questions = question_bank[3]
    for kind, prompt in UR.items():
        questions[kind].prompt_ur = prompt
        questions[kind].save()
    questions["short_text"].accepted_answers_ur = SHORT_TEXT_UR
    questions["short_text"].save()
    questions["single"].choices.filter(text="Ctrl+S").update(text_ur="کنٹرول اور ایس")
    return question_bank


@pytest.fixture
def quiz(urdu_bank, make_quiz):
    # Two pages: single, multiple, true / false; then short text, numeric.
    return make_quiz(questions_per_page=3)


def urdu(url: str) -> str:
    return url if url.startswith("/ur/") else f"/ur{url}"


def attempt_url(attempt, *, page=1) -> str:
    return f"{reverse('assessments:attempt', args=[attempt.pk])}?page={page}"


def post_page(client, url, attempt, answers, *, page, action):
    attempt.refresh_from_db()
    data = {"sequence": attempt.sequence, "page": page, "action": action}
    data["positions"] = ",".join(str(p) for p in answers)
    for position, answer in answers.items():
        data[f"q-{position}"] = answer
    return client.post(url, data)


def test_a_learner_switches_to_urdu_mid_attempt_and_keeps_one_attempt_graded_the_same(
    client, quiz, cohort_learner, other_learner
):
    learner, _enrollment = cohort_learner
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(learner=learner)
    frozen = copy.deepcopy(attempt.snapshot)
    kinds = [q["kind"] for q in attempt.questions]
    assert kinds == ["single", "multiple", "true_false", "short_text", "numeric"]
    assert attempt.snapshot["version"] == SNAPSHOT_VERSION == 2

    # Page 1 in English, answered.
    body = client.get(attempt_url(attempt)).text
    assert "Which key saves a file?" in body and UR["single"] not in body
    answers = right_answers(attempt)
    response = post_page(
        client, attempt_url(attempt), attempt, {p: answers[p] for p in (0, 1, 2)},
        page=1, action="next",
    )  # fmt: skip
    assert response.status_code == 302

    # The language switch leads to the same attempt page in Urdu.
    target = urdu(attempt_url(attempt, page=2))
    response = client.get(f"/language/ur/?next={target}")
    assert response.status_code == 302 and response["Location"] == target
    body = client.get(target).text
    assert UR["short_text"] in body and UR["numeric"] in body
    assert "What is the name of the key" not in body

    # Page 1 in Urdu: Urdu where written, English marked as English where not, the answers
    # given in English still chosen, True / False in Urdu.
    with translation.override("ur"):
        true_label = translation.pgettext("answer to a true / false question", "True")
    assert true_label != "True"
    body = client.get(urdu(attempt_url(attempt))).text
    assert UR["single"] in body and "کنٹرول اور ایس" in body and true_label in body
    prompt = re.search(r'<div class="prompt" id="q-1-prompt"([^>]*)>', body).group(1)
    assert FALLBACK in prompt  # the multiple-choice question has no Urdu yet
    assert f'<div class="prompt" id="q-0-prompt">{UR["single"]}' in body
    for position in (0, 1, 2):
        for choice_id in answers[position]:
            assert re.search(rf'value="{choice_id}" checked', body), (position, choice_id)

    # The rest answered in Urdu: the Urdu answer typed on an Arabic keyboard, Urdu digits.
    rest = {3: "ونڈوز كي", 4: "۱۰۲۴"}
    response = post_page(client, urdu(attempt_url(attempt, page=2)), attempt, rest, page=2,
                         action="submit")  # fmt: skip
    assert response["Location"] == urdu(reverse("assessments:confirm", args=[attempt.pk]))
    response = confirm_submit(client, attempt, prefix="/ur")
    assert response.status_code == 302
    assert response["Location"] == urdu(reverse("assessments:result", args=[attempt.pk]))

    # One attempt, the questions as frozen, graded as if answered all in English.
    assert Attempt.objects.filter(learner=learner).count() == 1
    attempt.refresh_from_db()
    assert attempt.snapshot == frozen
    assert attempt.status == Attempt.Status.GRADED and attempt.score == attempt.max_score
    english = services.attempt_start(learner=other_learner, assessment=quiz)
    services.attempt_submit(attempt=english, answers=right_answers(english), sequence=0)
    english.refresh_from_db()
    assert english.score == attempt.score and english.percent == attempt.percent
    mine = {r.position: r.score for r in attempt.responses.all()}
    theirs = {r.position: r.score for r in english.responses.all()}
    assert mine == theirs

    # The result page in Urdu shows the Urdu texts.
    result = client.get(response["Location"]).text
    assert UR["numeric"] in result and SHORT_TEXT_UR in result


def test_choices_are_graded_by_id_whatever_the_language_of_the_page(
    client, quiz, cohort_learner, other_learner
):
    """The same picks posted from an English page and from an Urdu page, choices shuffled
    differently in each attempt, store the same ids and earn the same scores."""
    quiz.shuffle_choices = True
    quiz.save_revision().publish()
    scores = []
    for learner, prefix in ((cohort_learner[0], ""), (other_learner, "/ur")):
        client.force_login(learner)
        attempt = services.attempt_start(learner=learner, assessment=quiz)
        picks = {}
        for position in (0, 1, 2):
            question = attempt.questions[position]
            # First correct choice plus, for multiple choice, one wrong one.
            right = [c["id"] for c in question["choices"] if c["correct"]][:1]
            wrong = [c["id"] for c in question["choices"] if not c["correct"]][:1]
            picks[position] = [str(i) for i in right + (wrong if position == 1 else [])]
        url = f"{prefix}{attempt_url(attempt)}"
        assert post_page(client, url, attempt, picks, page=1, action="submit").status_code == 302
        assert confirm_submit(client, attempt, prefix=prefix).status_code == 302
        stored = {r.position: r.answer for r in attempt.responses.all() if r.position < 3}
        assert stored == {p: sorted(v, key=int) for p, v in picks.items()}
        scores.append([r.score for r in attempt.responses.order_by("position")])
    assert scores[0] == scores[1]
    assert scores[0][:3] == [Decimal("1.00"), Decimal("0.00"), Decimal("1.00")]


def _as_version_1(snapshot: dict) -> dict:
    """The snapshot as the version 1 code stored it: no ``_ur`` keys."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not k.endswith("_ur")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return {**strip(snapshot), "version": 1}


def test_a_version_1_snapshot_still_renders_in_both_languages_and_grades(
    client, quiz, cohort_learner
):
    learner = cohort_learner[0]
    attempt = services.attempt_start(learner=learner, assessment=quiz)
    attempt.snapshot = _as_version_1(attempt.snapshot)
    attempt.save(update_fields=["snapshot"])
    assert "prompt_ur" not in attempt.questions[0]
    client.force_login(learner)
    english = client.get(attempt_url(attempt)).text
    assert '<div class="prompt" id="q-0-prompt"><p>Which key saves a file?' in english
    body = client.get(urdu(attempt_url(attempt))).text
    assert UR["single"] not in body
    assert f'<div class="prompt" id="q-0-prompt" {FALLBACK}><p>Which key saves a file?' in body
    with translation.override("ur"):
        assert translation.pgettext("answer to a true / false question", "False") in body
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt), sequence=0)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.score == attempt.max_score
    assert client.get(urdu(reverse("assessments:result", args=[attempt.pk]))).status_code == 200


def test_the_urdu_quiz_page_asks_the_canonical_quizs_questions(client, quiz, cohort_learner):
    """One quiz: the Urdu page's attempt freezes the English page's questions, in both
    languages, even if the Urdu page still lists a question of its own."""
    from wagtail.models import Locale

    from assessments.models import AssessmentQuestion

    urdu_locale = Locale.objects.get_or_create(language_code="ur")[0]
    urdu_quiz = quiz.copy_for_translation(urdu_locale, copy_parents=True).specific
    urdu_quiz.title = "اپنی مہارت جانچیں"
    urdu_quiz.save_revision().publish()
    AssessmentQuestion.objects.filter(page=urdu_quiz).delete()
    attempt = services.attempt_start(learner=cohort_learner[0], assessment=urdu_quiz)
    assert attempt.assessment_id == quiz.pk
    assert [q["prompt_ur"] for q in attempt.questions][:1] == [UR["single"]]
    assert len(attempt.questions) == 5
    client.force_login(cohort_learner[0])
    body = client.get(urdu(attempt_url(attempt))).text
    assert "اپنی مہارت جانچیں" in body  # the Urdu page's title


def test_true_false_choices_with_urdu_text_show_it(client, quiz, cohort_learner, urdu_bank):
    question = urdu_bank[3]["true_false"]
    Choice.objects.filter(question=question, text="True").update(text_ur="صحیح")
    attempt = services.attempt_start(learner=cohort_learner[0], assessment=quiz)
    client.force_login(cohort_learner[0])
    body = client.get(urdu(attempt_url(attempt))).text
    assert "<bdi>صحیح</bdi>" in body
