"""Reading answers out of an attempt form, and putting them back into one.

The form is plain HTML (it works without JavaScript): one field ``q-<position>`` per question
on the page, a hidden ``positions`` listing them (an unticked checkbox sends nothing, and
"nothing ticked" is an answer too) and the ``sequence`` the page was rendered at.
"""

from . import grading
from .grading import CHOICE_KINDS
from .localize import localized_question

MAX_TEXT_ANSWER = 20_000


def page_positions(attempt, page_number: int) -> list[int]:
    per_page = attempt.snapshot.get("questions_per_page") or 5
    start = (page_number - 1) * per_page
    return list(range(start, min(start + per_page, len(attempt.questions))))


def page_count(attempt) -> int:
    per_page = attempt.snapshot.get("questions_per_page") or 5
    return max(1, -(-len(attempt.questions) // per_page))


def posted_positions(attempt, data) -> list[int]:
    positions = []
    for value in data.get("positions", "").split(","):
        if value.strip().isdigit() and int(value) < len(attempt.questions):
            positions.append(int(value))
    return positions


def answers_from_post(attempt, data) -> dict:
    """``{position: answer}`` for the questions the form showed (files are separate)."""
    answers = {}
    for position in posted_positions(attempt, data):
        question = attempt.questions[position]
        name = f"q-{position}"
        kind = question["kind"]
        if kind == "file":
            continue
        if kind == "multiple":
            answers[position] = sorted({v for v in data.getlist(name) if v.isdigit()}, key=int)
        elif kind in CHOICE_KINDS:
            value = data.get(name, "")
            answers[position] = [value] if value.isdigit() else []
        else:
            value = data.get(name)
            answers[position] = None if value is None else value[:MAX_TEXT_ANSWER]
    return answers


def files_from_post(attempt, files) -> dict:
    uploads = {}
    for name, upload in files.items():
        if name.startswith("q-") and name[2:].isdigit() and int(name[2:]) < len(attempt.questions):
            uploads[int(name[2:])] = upload
    return uploads


def question_rows(attempt, positions, answers: dict, responses: dict) -> list[dict]:
    """What the template needs per question: the snapshot question in the active language
    (``assessments.localize``), the answer to show, the file."""
    rows = []
    for position in positions:
        question = localized_question(attempt.questions[position])
        answer = answers.get(
            position, responses[position].answer if position in responses else None
        )
        chosen = {str(v) for v in answer} if isinstance(answer, list) else set()
        response = responses.get(position)
        given = (response.rubric_scores if response else None) or []
        rubric = [
            {**criterion, "score": given[index] if index < len(given) else None}
            for index, criterion in enumerate(question.get("rubric") or [])
        ]
        rows.append(
            {
                "position": position,
                "number": position + 1,
                "field": f"q-{position}",
                "question": question,
                "answer": answer if isinstance(answer, str) else "",
                "chosen": chosen,
                "response": response,
                "rubric": rubric,
                "rubric_scaling": grading.rubric_scaling(question, given) if given else None,
            }
        )
    return rows
