"""Demo assessments for ``seed_demo``: a question bank and a quiz for every demo course, a
practical project for each freelancing course, and demo learners' attempts in every state.

Safe to run any number of times, like ``demo.curriculum``: banks are found by course and title,
questions by bank and prompt, pages by slug under their course; each is made (and a page
published once) only when missing, and nothing that exists is changed. A demo learner's attempts
are made only when that learner has none at that assessment, and always through the services
(``attempt_start``, ``attempt_save``, ``attempt_submit``, ``response_grade``), so the demo obeys
the same rules as a learner and a trainer do; passing may complete a course (and issue its
certificate, through the certificates app), exactly as it would for a real learner.

The questions are data (``demo/data``, read by ``demo.texts``): one bank per course, each
question with its Urdu beside the English; the Urdu quiz and project are translations of the
English pages and draw the same questions. ``outcome`` names the state each demo attempt ends in.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale

from assessments.models import (
    AssessmentDraw,
    AssessmentPage,
    AssessmentQuestion,
    Attempt,
    Choice,
    Question,
    QuestionBank,
    RubricCriterion,
)
from assessments.services import attempt_save, attempt_start, attempt_submit, response_grade
from courses.models import CoursePage, Enrollment
from courses.services import enrollment_create

from . import texts
from .learning import enrollments_backdate

PASS_MARK = 60
QUIZ_INTRO = {
    "en": "<p>Answer every question; your answers are saved when you change page or press Save, "
    "so you can come back later. You need {pass_mark} % to pass.</p>",
}
# Urdu questions of an older demo's separate Urdu quiz: now Urdu fields of the English questions.
OLD_URDU_CATEGORY = "urdu"


@transaction.atomic
def demo_assessments_seed() -> None:
    """Banks, quizzes and projects for the demo courses, their Urdu, and demo attempts; idempotent.

    One bank per course: each question carries its Urdu beside the English (``prompt_ur`` and
    so on), and the Urdu quiz is a translation of the English one drawing the same questions.
    """
    slugs = [slug for track in texts.tracks() for slug in track["courses"]]
    courses = {
        course.slug: course
        for course in CoursePage.objects.filter(locale__language_code="en", slug__in=slugs)
    }
    urdu_texts = texts.load("ur/tracks").get("assessments", {})
    pages: dict[tuple[str, str], AssessmentPage] = {}
    for slug in slugs:
        course = courses.get(slug)
        if course is None:
            continue  # no demo curriculum (or a trainer removed the course)
        spec, spec_ur = texts.course(slug), texts.course_ur(slug)
        bank, _ = QuestionBank.objects.get_or_create(
            course=course,
            title=spec["bank"],
            defaults={"description": f"Questions for the {course.title} quiz and project."},
        )
        urdu_questions = spec_ur.get("questions", {})
        questions = []
        for data in spec["questions"]:
            fields = texts.question_fields(data)
            ur = texts.question_fields_ur(data, urdu_questions.get(data["id"], {}))
            questions.append((fields, _question(bank, fields, ur)))
        if spec.get("project"):
            fixed = [q for data, q in questions if data["project"]]
            pages[slug, "project"] = _assessment(
                course, "project", spec["project"]["title"], AssessmentPage.Kind.PROJECT, fixed, []
            )
        fixed = [q for data, q in questions if data["fixed"] and not data["project"]]
        quiz = spec["quiz"]
        draws = [AssessmentDraw(bank=bank, category=c, count=n) for c, n in quiz["draws"].items()]
        pages[slug, "quiz"] = _assessment(
            course, "quiz", quiz["title"], AssessmentPage.Kind.QUIZ, fixed, draws,
            time_limit=quiz.get("time_limit", 0),
        )  # fmt: skip
        for kind in ("quiz", "project"):
            title_ur = (spec_ur.get(kind) or {}).get("title")
            if (slug, kind) in pages and title_ur:
                intro_ur = urdu_texts.get(f"{kind}_intro", "").format(pass_mark=PASS_MARK)
                _translate_assessment(pages[slug, kind], title_ur, intro_ur)
        _retire_old_urdu_questions(bank)
    _demo_attempts(pages)


def _question(bank: QuestionBank, data: dict, urdu: dict) -> Question:
    """The bank's question with this prompt, made (with its choices and rubric) when missing;
    its Urdu fields are filled where they are empty (an older demo had none)."""
    existing = bank.questions.filter(prompt=data["prompt"]).first()
    if existing is not None:
        _question_add_urdu(existing, urdu)
        return existing
    question = Question(
        bank=bank,
        category=data["category"],
        kind=data["kind"],
        prompt=data["prompt"],
        points=Decimal(data["points"]),
        feedback=texts.html(data["feedback"]) if data["feedback"] else "",
        partial_credit=Question.PartialCredit.RIGHT_MINUS_WRONG,
        accepted_answers="\n".join(data["accepted"]),
        numeric_answer=data["answer"],
        numeric_tolerance=data["tolerance"],
        allowed_file_types=data["file_types"],
        **_question_urdu_fields(urdu),
    )
    choices_ur = urdu.get("choices") or [{}] * len(data["choices"])
    question.choices = [
        Choice(
            text=c["text"],
            is_correct=c["correct"],
            feedback=c["feedback"],
            text_ur=ur.get("text", ""),
            feedback_ur=ur.get("feedback", ""),
        )
        for c, ur in zip(data["choices"], choices_ur, strict=True)
    ]
    rubric_ur = urdu.get("rubric") or [("", "")] * len(data["rubric"])
    question.rubric = [
        RubricCriterion(
            title=title,
            description=description,
            max_points=Decimal(points),
            title_ur=title_ur,
            description_ur=description_ur,
        )
        for (title, description, points), (title_ur, description_ur) in zip(
            data["rubric"], rubric_ur, strict=True
        )
    ]
    # The same checks as the admin form: demo questions obey the rules trainers follow.
    question.full_clean()
    problems = question.choice_problems(question.choices.all())
    if problems:
        raise ValueError(f"Demo question {data['prompt'][:60]!r}: {problems}")
    question.save()
    return question


def _question_urdu_fields(urdu: dict) -> dict:
    if not urdu:
        return {}
    return {
        "prompt_ur": urdu["prompt"],
        "feedback_ur": texts.html(urdu["feedback"]) if urdu["feedback"] else "",
        "accepted_answers_ur": "\n".join(urdu["accepted"]),
    }


def _question_add_urdu(question: Question, urdu: dict) -> None:
    """Give a question of an older demo its Urdu, once: only when it has none yet."""
    if not urdu or question.prompt_ur:
        return
    for name, value in _question_urdu_fields(urdu).items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    choices = list(question.choices.order_by("sort_order", "pk"))
    for choice, ur in zip(choices, urdu["choices"], strict=True):
        choice.text_ur, choice.feedback_ur = ur["text"], ur["feedback"]
        choice.save(update_fields=["text_ur", "feedback_ur"])
    criteria = list(question.rubric.order_by("sort_order", "pk"))
    for criterion, (title_ur, description_ur) in zip(criteria, urdu["rubric"], strict=True):
        criterion.title_ur, criterion.description_ur = title_ur, description_ur
        criterion.save(update_fields=["title_ur", "description_ur"])
    if question.latest_revision_id is not None:
        # The editor opens the latest revision: it must hold the Urdu too.
        question.save_revision().publish()


def _assessment(course, slug, title, kind, fixed, draws, *, time_limit=0) -> AssessmentPage:
    """The course's assessment page with this slug, made and published (last child) if missing."""
    page = course.get_children().filter(slug=slug).specific().first()
    if page is not None:
        if not isinstance(page, AssessmentPage):
            raise RuntimeError(f"{page.url_path} is not an assessment: rename or move it.")
        return page
    page = AssessmentPage(
        title=title,
        slug=slug,
        kind=kind,
        intro=QUIZ_INTRO["en"].format(pass_mark=PASS_MARK),
        pass_mark_percent=PASS_MARK,
        time_limit_minutes=time_limit,
        max_attempts=3 if kind == AssessmentPage.Kind.QUIZ else 0,
        shuffle_choices=kind == AssessmentPage.Kind.QUIZ,
        required_for_completion=True,
        live=False,  # live once published, like a page saved as a draft in the editor
    )
    # The order the questions are asked in: explicit, or PostgreSQL returns them in any order.
    page.fixed_questions = [
        AssessmentQuestion(question=q, sort_order=order) for order, q in enumerate(fixed)
    ]
    page.draws = draws
    course.add_child(instance=page)
    page.save_revision().publish()
    return page


def _same_questions(page: AssessmentPage, source: AssessmentPage) -> bool:
    def shape(p):
        fixed = [q.question_id for q in p.fixed_questions.all()]
        draws = sorted((d.bank_id, d.category, d.count) for d in p.draws.all())
        return fixed, draws

    return shape(page) == shape(source)


def _translate_assessment(source: AssessmentPage, title: str, intro: str) -> None:
    """The Urdu translation of an assessment page: the same questions (their Urdu fields show in
    Urdu), the Urdu title and introduction. Made when missing; an older demo's Urdu quiz, which
    had questions of its own, is brought back to the English quiz's questions."""
    locale = Locale.objects.filter(language_code="ur").first()
    if locale is None:
        return
    existing = source.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id is None:
        page = existing.specific
        if _same_questions(page, source):
            return
    elif existing is not None:
        page = ConvertAliasPageAction(existing).execute(skip_permission_checks=True).specific
        page.title, page.intro = title, intro
    else:
        page = source.copy_for_translation(locale, copy_parents=True).specific
        page.title, page.intro = title, intro
    page.fixed_questions = [
        AssessmentQuestion(question_id=q.question_id, sort_order=order)
        for order, q in enumerate(source.fixed_questions.all())
    ]
    page.draws = [
        AssessmentDraw(bank_id=d.bank_id, category=d.category, count=d.count)
        for d in source.draws.all()
    ]
    page.save_revision().publish()


def _retire_old_urdu_questions(bank: QuestionBank) -> None:
    """An older demo put Urdu-only copies of some questions in the Computer basics bank, for a
    separate Urdu quiz. No quiz draws them now; delete those no page and no attempt uses."""
    old = bank.questions.filter(category=OLD_URDU_CATEGORY)
    for question in old:
        # Attempts keep a snapshot of their questions, never a link: only pages can hold one.
        if not AssessmentQuestion.objects.filter(question=question).exists():
            question.delete()


# --- Demo attempts ------------------------------------------------------------------------------

IN_PROGRESS, SUBMITTED, PASSED, FAILED = "in progress", "awaiting grading", "passed", "failed"

# (learner, course, assessment, the state the attempt ends in)
ATTEMPTS = [
    ("student.glt1", "computer-basics", "quiz", IN_PROGRESS),
    ("student.glt3", "computer-basics", "quiz", SUBMITTED),
    ("student.skd1", "computer-basics", "quiz", PASSED),
    ("student.skd3", "computer-basics", "quiz", FAILED),
    ("youth.sthdmr1", "web-development-basics", "quiz", PASSED),
    ("youth.sthdmr3", "web-development-basics", "quiz", FAILED),
    ("youth.glt3", "freelancing-foundations", "quiz", IN_PROGRESS),
    ("youth.glt1", "freelancing-foundations", "project", SUBMITTED),
    ("youth.skd1", "freelancing-foundations", "project", PASSED),
    ("youth.skd3", "freelancing-foundations", "project", FAILED),
]


def demo_attempt_plan() -> list[tuple[str, str, str, str]]:
    """:data:`ATTEMPTS`, then at every center learner 4 (half way through the course) failed
    its quiz once (a student at a school lab, a youth at a hub), and at each tech hub youth 1's
    project awaits grading. (Attempts are the slowest part of the demo: one per center.)"""
    from .network import SCHOOL_LABS, TECH_HUBS

    plan = list(ATTEMPTS)
    for _district, code, _name in SCHOOL_LABS:
        plan.append((f"student.{code.lower()}4", "computer-basics", "quiz", FAILED))
    for _district, code, _name in TECH_HUBS:
        plan.append((f"youth.{code.lower()}4", "freelancing-foundations", "quiz", FAILED))
        plan.append((f"youth.{code.lower()}1", "freelancing-foundations", "project", SUBMITTED))
    return plan


def _demo_attempts(pages) -> None:
    User = get_user_model()
    for username, course_slug, kind, outcome in demo_attempt_plan():
        page = pages.get((course_slug, kind))
        learner = User.objects.filter(username=username).first()
        if page is None or learner is None:
            continue  # no demo network or curriculum to build on
        if Attempt.objects.filter(assessment=page, learner=learner).exists():
            continue  # made by an earlier run (or by the learner): leave it as it is
        course = page.get_parent().specific
        if not Enrollment.objects.filter(learner=learner, course=course).exists():
            # Demo youth join the freelancing courses of their cohort's track.
            made = enrollment_create(learner=learner, course=course, check_prerequisites=False)
            enrollments_backdate([made.pk])
        _demo_attempt(learner, page, outcome)


def _demo_attempt(learner, page: AssessmentPage, outcome: str) -> Attempt:
    good = outcome in (PASSED, IN_PROGRESS, SUBMITTED)
    attempt = attempt_start(learner=learner, assessment=page)
    answers, files = {}, {}
    for position, question in enumerate(attempt.questions):
        if question["kind"] == "file":
            files[position] = SimpleUploadedFile(
                "gig-and-proposal.html",
                texts.load("en/attempts")["project_file"].encode(),
                content_type="text/html",
            )
        else:
            essays = texts.load("en/attempts")["essays"]
            essay_text = essays.get(page.slug, essays["quiz"])["good" if good else "poor"]
            answers[position] = _answer(question, right=good, essay_text=essay_text)
    if outcome == IN_PROGRESS:
        # Half-way through: the first page's answers are saved, nothing is submitted.
        first_page = dict(list(answers.items())[: len(answers) // 2])
        return attempt_save(attempt=attempt, answers=first_page, sequence=attempt.sequence)
    attempt = attempt_save(attempt=attempt, answers=answers, files=files, sequence=attempt.sequence)
    attempt = attempt_submit(attempt=attempt)
    if outcome != SUBMITTED:
        grader = _grader(attempt)
        for response in attempt.responses.order_by("position"):
            question = attempt.questions[response.position]
            if question["kind"] in ("essay", "file"):
                _grade(response, question, grader, good=outcome == PASSED)
        attempt.refresh_from_db()
    expected = {
        SUBMITTED: (Attempt.Status.SUBMITTED, None),
        PASSED: (Attempt.Status.GRADED, True),
        FAILED: (Attempt.Status.GRADED, False),
    }[outcome]
    if (attempt.status, attempt.passed) != expected:
        raise RuntimeError(
            f"Demo attempt of {learner} at {page.title!r} ended {attempt.status}/"
            f"{attempt.passed}, not {outcome}: check the demo questions."
        )
    return attempt


def _answer(question: dict, *, right: bool, essay_text: str = ""):
    """A learner's answer in the form's shape: choice ids as strings, text as text."""
    kind = question["kind"]
    if kind in ("single", "true_false", "multiple"):
        picked = [str(c["id"]) for c in question["choices"] if c["correct"] == right]
        return picked if kind == "multiple" else picked[:1]
    if kind == "short_text":
        return question["accepted"][0] if right else "I don't know"
    if kind == "numeric":
        expected = Decimal(question["numeric_answer"])
        given = expected if right else expected + 7 + Decimal(question["tolerance"])
        return f"{given.normalize():f}"
    return essay_text


def _grader(attempt: Attempt):
    """A trainer of the learner's cohort (whose queue the attempt is in), else an admin."""
    enrollment = Enrollment.objects.select_related("cohort").get(pk=attempt.enrollment_id)
    trainer = enrollment.cohort.trainers.order_by("pk").first() if enrollment.cohort else None
    return trainer or get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _grade(response, question: dict, grader, *, good: bool) -> None:
    if question["rubric"]:
        maxima = [Decimal(c["max_points"]) for c in question["rubric"]]
        scores = maxima if good else [m // 3 for m in maxima]
        feedback = texts.load("en/attempts")["grading"]["project"]["good" if good else "poor"]
        response_grade(response=response, grader=grader, rubric_scores=scores, feedback=feedback)
        return
    points = Decimal(question["points"])
    score = points if good else Decimal(0)
    feedback = texts.load("en/attempts")["grading"]["essay"]["good" if good else "poor"]
    response_grade(response=response, grader=grader, score=score, feedback=feedback)
