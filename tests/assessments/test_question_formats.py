"""Properties of the file formats alone (no database): any choice text, feedback and prompt,
English and Urdu, comes back from GIFT and Moodle XML as it went in."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.formats import gift, moodlexml
from assessments.formats.common import ChoiceData, QuestionData, split_languages

# Printable text with every GIFT special, HTML's specials and Urdu letters; no control
# characters (choice texts are one line) and nothing at either end that trimming would eat.
ALPHABET = st.sampled_from(list("abcXYZ 019~=#{}:\\<>&\"'/%-_.،ابپتٹیےہ؟"))
TEXT = st.text(ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(right=TEXT, wrong=TEXT, urdu=st.one_of(st.just(""), TEXT), feedback=TEXT)
def test_choice_texts_survive_both_formats(right, wrong, urdu, feedback):
    question = QuestionData(
        kind="single",
        prompt="<p>Pick one.</p>",
        choices=[
            ChoiceData(right, True, urdu, feedback, urdu),
            ChoiceData(wrong, False),
        ],
    )
    for parsed in (
        gift.parse(gift.write([question])),
        moodlexml.parse(moodlexml.write([question]).encode("utf-8")),
    ):
        assert parsed.problems == []
        (back,) = parsed.questions
        assert back.choices == question.choices


def test_multilang_spans_and_mlang_tags_split_into_english_and_urdu():
    spans = (
        '<span lang="en" class="multilang">Hi</span><span class="multilang" lang="ur">سلام</span>'
    )
    assert split_languages(spans) == ("Hi", "سلام")
    assert split_languages("{mlang en}Hi{mlang}{mlang ur}سلام{mlang}") == ("Hi", "سلام")
    assert split_languages("{mlang other}Hi{mlang}{mlang ur}سلام{mlang}") == ("Hi", "سلام")
    assert split_languages("Just English") == ("Just English", "")


def test_gift_numbers_ranges_and_weights():
    parsed = gift.parse("Q1{#5..7}\n\nQ2{#6:1}\n\nQ3{~%50%a ~%50%b ~%-100%c}\n\nQ4{=x ~y}\n")
    assert parsed.problems == []
    one, two, three, four = parsed.questions
    assert (one.numeric_answer, one.numeric_tolerance) == (Decimal(6), Decimal(1))
    assert (two.numeric_answer, two.numeric_tolerance) == (Decimal(6), Decimal(1))
    assert three.kind == "multiple" and [c.is_correct for c in three.choices] == [1, 1, 0]
    assert four.kind == "single"


def test_unclosed_multilang_openings_cost_linear_time():
    import time

    for opening in ('<span lang="ur" class="multilang">', "{mlang ur}"):
        text = opening * 30_000
        started = time.perf_counter()
        assert split_languages(text) == (text, "")
        assert time.perf_counter() - started < 2


def test_reading_stops_one_question_past_the_limit():
    import time

    text = "Q{}\n\n" * 200_000  # a megabyte of tiny questions
    started = time.perf_counter()
    parsed = gift.parse(text, limit=500)
    assert len(parsed.questions) == 501
    assert time.perf_counter() - started < 5
