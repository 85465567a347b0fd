"""The scoring rules of assessments.grading, as examples and as properties (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import grading

points_st = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2)


def choice_question(kind, correct_flags, points=Decimal(1), rule="right_minus_wrong"):
    return {
        "kind": kind,
        "points": str(points),
        "partial_credit": rule,
        "choices": [{"id": i + 1, "correct": flag} for i, flag in enumerate(correct_flags)],
    }


@st.composite
def multiple_questions(draw):
    flags = draw(st.lists(st.booleans(), min_size=2, max_size=8).filter(any))
    rule = draw(st.sampled_from(["right_minus_wrong", "all_or_nothing"]))
    return choice_question("multiple", flags, draw(points_st), rule)


@given(question=multiple_questions(), picked=st.lists(st.integers(0, 12), max_size=10))
def test_multiple_choice_score_is_within_zero_and_points(question, picked):
    score = grading.score_answer(question, [str(p) for p in picked])
    assert Decimal(0) <= score <= Decimal(question["points"])


@given(question=multiple_questions())
def test_exactly_the_right_choices_earn_full_points(question):
    right = [c["id"] for c in question["choices"] if c["correct"]]
    assert grading.score_answer(question, right) == Decimal(question["points"])


@given(question=multiple_questions())
def test_right_minus_wrong_adding_a_wrong_choice_never_raises_the_score(question):
    question["partial_credit"] = "right_minus_wrong"
    right = [c["id"] for c in question["choices"] if c["correct"]]
    wrong = [c["id"] for c in question["choices"] if not c["correct"]]
    base = grading.score_answer(question, right[:1])
    for extra in wrong:
        assert grading.score_answer(question, [right[0], extra]) <= base


def test_right_minus_wrong_examples():
    question = choice_question("multiple", [True, True, False, False], points=Decimal(2))
    assert grading.score_answer(question, [1]) == Decimal("1.00")
    assert grading.score_answer(question, [1, 3]) == Decimal("0.00")
    assert grading.score_answer(question, [1, 2, 3]) == Decimal("1.00")
    assert grading.score_answer(question, [1, 2, 3, 4]) == Decimal("0.00")  # all ticked: nothing
    assert grading.score_answer(question, []) == Decimal("0.00")


def test_all_or_nothing_gives_no_partial_credit():
    question = choice_question("multiple", [True, True, False], rule="all_or_nothing")
    assert grading.score_answer(question, [1]) == 0
    assert grading.score_answer(question, [1, 2]) == 1


@pytest.mark.parametrize("kind", ["single", "true_false"])
def test_single_choice_needs_the_one_correct_choice_alone(kind):
    question = choice_question(kind, [False, True, False][: 2 if kind == "true_false" else 3])
    assert grading.score_answer(question, ["2"]) == 1
    assert grading.score_answer(question, ["1"]) == 0
    assert grading.score_answer(question, ["1", "2"]) == 0  # a forged multi-value post
    assert grading.score_answer(question, None) == 0
    assert grading.score_answer(question, ["99"]) == 0  # not a choice of this question


def short(accepted, case_sensitive=False):
    return {
        "kind": "short_text",
        "points": "1",
        "accepted": accepted,
        "case_sensitive": case_sensitive,
    }


def test_short_text_is_trimmed_collapsed_and_case_insensitive_by_default():
    question = short(["Windows key"])
    assert grading.score_answer(question, "  windows   KEY ") == 1
    assert grading.score_answer(question, "windows") == 0
    assert grading.score_answer(question, "") == 0
    assert grading.score_answer(short(["Windows key"], case_sensitive=True), "windows key") == 0


@given(text=st.text(max_size=30).filter(lambda t: t.strip()))
def test_any_accepted_answer_with_extra_spaces_earns_full_points(text):
    question = short(["something else", text])
    assert grading.score_answer(question, f"  {text}  ") == 1
    assert grading.score_answer(question, f"{text.casefold()}") == 1


def numeric(answer, tolerance, points="1"):
    return {
        "kind": "numeric",
        "points": points,
        "numeric_answer": str(answer),
        "tolerance": str(tolerance),
    }


decimals = st.decimals(min_value=-(10**6), max_value=10**6, places=3)
tolerances = st.decimals(min_value=0, max_value=1000, places=3)


@given(answer=decimals, tolerance=tolerances, offset=st.decimals(0, 2000, places=3))
def test_numeric_tolerance_is_symmetric(answer, tolerance, offset):
    question = numeric(answer, tolerance)
    above = grading.score_answer(question, str(answer + offset))
    below = grading.score_answer(question, str(answer - offset))
    assert above == below
    assert (above == 1) == (offset <= tolerance)


def test_numeric_accepts_comma_and_spaces_and_refuses_words():
    question = numeric("3.5", "0.1")
    assert grading.score_answer(question, " 3,45 ") == 1
    assert grading.score_answer(question, "three") == 0
    assert grading.score_answer(question, "NaN") == 0
    assert grading.score_answer(question, "Infinity") == 0
    assert grading.score_answer(question, None) == 0


def test_manual_kinds_are_not_scored_automatically():
    assert grading.score_answer({"kind": "essay", "points": "3"}, "text") is None
    assert grading.score_answer({"kind": "file", "points": "3"}, None) is None


def rubric_question(maxima, points="10"):
    return {
        "kind": "file",
        "points": points,
        "rubric": [{"title": f"c{i}", "max_points": str(m)} for i, m in enumerate(maxima)],
    }


@given(
    maxima=st.lists(st.integers(1, 10), min_size=1, max_size=5),
    fraction=st.floats(0, 1),
    points=points_st,
)
def test_rubric_score_is_scaled_into_zero_and_points(maxima, fraction, points):
    question = rubric_question(maxima, str(points))
    given_scores = [int(m * fraction) for m in maxima]
    score = grading.rubric_score(question, given_scores)
    assert Decimal(0) <= score <= points
    assert grading.rubric_score(question, maxima) == points


def test_rubric_refuses_out_of_range_and_missing_scores():
    question = rubric_question([4, 3])
    with pytest.raises(ValueError):
        grading.rubric_score(question, [5, 0])
    with pytest.raises(ValueError):
        grading.rubric_score(question, [-1, 0])
    with pytest.raises(ValueError):
        grading.rubric_score(question, [4])
