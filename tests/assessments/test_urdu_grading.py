"""Grading is the same in English and Urdu (docs/decisions/0014): a short-text answer from
either accepted list, Urdu and Arabic-Indic digits, the Arabic keyboard's letters."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from assessments import grading

URDU_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def short(accepted, accepted_ur=None, case_sensitive=False):
    question = {"kind": "short_text", "points": "2", "accepted": accepted}
    question["case_sensitive"] = case_sensitive
    if accepted_ur is not None:
        question["accepted_ur"] = accepted_ur
    return question


def numeric(answer, tolerance="0"):
    return {"kind": "numeric", "points": "1", "numeric_answer": answer, "tolerance": tolerance}


def test_an_answer_from_either_list_earns_full_points():
    question = short(["Windows key"], ["ونڈوز کی"])
    assert grading.score_answer(question, "windows key") == 2
    assert grading.score_answer(question, " ونڈوز   کی ") == 2
    assert grading.score_answer(question, "ونڈوز") == 0
    # A version 1 snapshot has no Urdu list: the English one still grades.
    assert grading.score_answer(short(["Windows key"]), "Windows key") == 2


def test_arabic_keyboard_letters_diacritics_and_presentation_forms_match_urdu():
    question = short(["x"], ["کیا", "ہاں"])
    assert grading.score_answer(question, "كيا") == 2  # Arabic kaf and yeh
    assert grading.score_answer(question, "كىا") == 2  # alef maksura
    assert grading.score_answer(question, "هاں") == 2  # Arabic heh
    assert grading.score_answer(question, "کِیا") == 2  # a zer
    assert grading.score_answer(question, "\ufedb\ufef4\ufe8e") == 2  # presentation forms
    assert grading.score_answer(question, "کیاں") == 0


def test_urdu_digits_in_a_short_text_answer():
    question = short(["Windows 11"], [])
    assert grading.score_answer(question, "Windows ۱۱") == 2
    assert grading.score_answer(question, "Windows ١١") == 2


@given(number=st.decimals(min_value=-(10**6), max_value=10**6, places=3))
def test_numbers_in_urdu_or_arabic_indic_digits_read_as_the_same_number(number):
    text = str(number)
    for digits in (URDU_DIGITS, ARABIC_DIGITS):
        native = text.translate({ord(str(i)): d for i, d in enumerate(digits)})
        assert grading.parse_number(native) == number
        assert grading.parse_number(native.replace(".", "\u066b")) == number


def test_numeric_answers_in_urdu_digits_are_graded():
    assert grading.score_answer(numeric("1024"), "۱۰۲۴") == 1
    assert grading.score_answer(numeric("3.5", "0.1"), "٣٫٤٥") == 1
    assert grading.score_answer(numeric("1024"), "۱۰۲۵") == 0
    assert grading.score_answer(numeric("1024"), "ایک ہزار") == 0
    assert grading.parse_number("−۲") == Decimal(-2)


@given(
    english=st.text(max_size=20).filter(str.strip),
    urdu=st.text(
        alphabet="ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنوہھءیےكيى ۰۱۲۳۴۵۶۷۸۹", max_size=20
    ).filter(str.strip),
)
def test_either_list_is_accepted_and_the_order_of_lists_does_not_matter(english, urdu):
    both = short([english], [urdu])
    assert grading.score_answer(both, english) == 2
    assert grading.score_answer(both, urdu) == 2
    assert grading.score_answer(short([urdu], [english]), urdu) == 2
