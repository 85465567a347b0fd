"""A trainer imports a Moodle question file into their center's bank through the admin: a file
with problems shows each on its line and imports nothing; the corrected file is previewed,
then imported as drafts for review (docs/decisions/0021)."""

from pathlib import Path

import pytest

from assessments.models import QuestionBank
from tests.factories import CenterFactory, trainer_of

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

DATA = Path(__file__).resolve().parent.parent / "assessments" / "data"


@pytest.fixture
def bank(make_course):
    _track, course, _lessons = make_course(lessons=1)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center")
    trainer_of(center, "trainer.glt")
    return QuestionBank.objects.create(course=course, title="Week 2", center=center)


def test_trainer_previews_problems_then_imports_a_gift_file(web, bank):
    url = f"/admin/assessments/banks/{bank.pk}/import/"

    def broken(page):
        sign_in(page, "trainer.glt", next_url=url)
        page.set_input_files("input[name=file]", str(DATA / "broken.gift"))
        page.select_option("select[name=format]", "gift")
        page.get_by_role("button", name="Preview").click()
        page.wait_for_load_state()
        screenshot(page, "question_import_problems")
        return page.content(), page.get_by_role("button", name="Import").count()

    html, import_buttons = web.do(broken)
    assert "Line 5" in html and "never closed" in html
    assert "Matching questions are not a Hunar question type." in html
    assert import_buttons == 0 and not bank.questions.exists()

    def good(page):
        page.set_input_files("input[name=file]", str(DATA / "computer_basics.gift"))
        page.select_option("select[name=format]", "gift")
        page.get_by_role("button", name="Preview").click()
        page.wait_for_load_state()
        screenshot(page, "question_import_preview")
        page.get_by_role("button", name="Import 13 questions").click()
        page.wait_for_load_state()
        return page.url, page.content()

    final_url, html = web.do(good)
    assert "/admin/assessments/questions/" in final_url
    assert "13 questions imported into “Week 2” as drafts for review." in html
    assert bank.questions.count() == 13 and not bank.questions.filter(live=True).exists()
