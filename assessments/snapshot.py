"""Freezing an assessment's questions into an attempt when it starts.

The snapshot is everything the attempt, its grading and its result page need, so later edits to
the bank (or deleting a question) never change an attempt in progress or already graded. It is
taken from the question rows, which hold the published version: a draft under review is never
asked, and a question never published (or unpublished) is left out.
Prompts and feedback are rendered and passed through ``content.sanitize.clean_html`` here.

Version 2 freezes both languages: every text keeps its key (``prompt``, ``text``, ``title``, ...:
the English, as in version 1) and gains an ``_ur`` sibling (``prompt_ur``, ``text_ur``, ...),
empty when the Urdu is not written. Version 1 snapshots have no ``_ur`` keys and are read as
"Urdu not written". ``assessments.localize`` picks the reader's language at render time, so a
learner may switch language mid-attempt; grading reads ids and both answer lists, never the
reader's language (docs/decisions/0014-translated-questions.md).
"""

import random

from wagtail.rich_text import expand_db_html

from content.sanitize import clean_html

from .models import AssessmentPage, Question

SNAPSHOT_VERSION = 2


def _rich(html: str) -> str:
    return clean_html(expand_db_html(html or ""))


def question_snapshot(question: Question, *, rng: random.Random, shuffle_choices: bool) -> dict:
    choices = [
        {
            "id": c.pk,
            "text": c.text,
            "text_ur": c.text_ur,
            "correct": c.is_correct,
            "feedback": c.feedback,
            "feedback_ur": c.feedback_ur,
        }
        for c in question.choices.all()
    ]
    # True / false keeps its order ("true" first) whatever the shuffle option says.
    if shuffle_choices and question.kind != Question.Kind.TRUE_FALSE:
        rng.shuffle(choices)
    return {
        "question_id": question.pk,
        "kind": question.kind,
        "prompt": _rich(question.prompt),
        "prompt_ur": _rich(question.prompt_ur),
        "feedback": _rich(question.feedback),
        "feedback_ur": _rich(question.feedback_ur),
        "points": str(question.points),
        "choices": choices,
        "partial_credit": question.partial_credit,
        "accepted": question.accepted_answer_list,
        "accepted_ur": question.accepted_answer_list_ur,
        "case_sensitive": question.case_sensitive,
        "numeric_answer": None if question.numeric_answer is None else str(question.numeric_answer),
        "tolerance": str(question.numeric_tolerance),
        "rubric": [
            {
                "title": r.title,
                "title_ur": r.title_ur,
                "description": r.description,
                "description_ur": r.description_ur,
                "max_points": str(r.max_points),
            }
            for r in question.rubric.all()
        ],
        "file_types": question.allowed_file_type_list,
    }


def questions_for_attempt(page: AssessmentPage, rng: random.Random) -> list[Question]:
    """The fixed questions in their order, then each draw's random pick; no question twice.
    Only published questions (``live``) are asked."""
    prefetch = ("choices", "rubric")
    fixed = [
        item.question
        for item in page.fixed_questions.filter(question__live=True)
        .select_related("question")
        .prefetch_related(*(f"question__{name}" for name in prefetch))
    ]
    chosen_ids = {q.pk for q in fixed}
    drawn: list[Question] = []
    for draw in page.draws.all():
        pool = list(
            Question.objects.filter(bank_id=draw.bank_id, category=draw.category, live=True)
            .exclude(pk__in=chosen_ids)
            .prefetch_related(*prefetch)
            .order_by("pk")
        )
        picked = rng.sample(pool, min(draw.count, len(pool)))
        chosen_ids.update(q.pk for q in picked)
        drawn.extend(picked)
    questions = fixed + drawn
    if page.shuffle_questions:
        rng.shuffle(questions)
    return questions


def assessment_snapshot(page: AssessmentPage, *, rng: random.Random | None = None) -> dict:
    rng = rng or random.SystemRandom()
    questions = [
        question_snapshot(q, rng=rng, shuffle_choices=page.shuffle_choices)
        for q in questions_for_attempt(page, rng)
    ]
    return {
        "version": SNAPSHOT_VERSION,
        "title": page.title,
        "kind": page.kind,
        "pass_mark_percent": page.pass_mark_percent,
        "questions_per_page": page.questions_per_page,
        "questions": questions,
    }
