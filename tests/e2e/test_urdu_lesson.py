"""The Urdu lesson renders right to left, in the Urdu font, with Urdu interface text."""

import pytest

from .conftest import URDU_TITLE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_urdu_lesson_renders_right_to_left(web, urdu_lesson):
    _course, lessons, urdu = urdu_lesson
    assert urdu.url.startswith("/ur/")

    def look(page, url):
        response = page.goto(url)
        page.evaluate("document.fonts.ready.then(() => true)")
        return {
            "status": response.status,
            "lang": page.get_attribute("html", "lang"),
            "direction": page.evaluate("getComputedStyle(document.body).direction"),
            "article": page.evaluate(
                "getComputedStyle(document.querySelector('article p')).direction"
            ),
            "align": page.evaluate(
                "getComputedStyle(document.querySelector('article h1')).textAlign"
            ),
            "font": page.evaluate("getComputedStyle(document.querySelector('article')).fontFamily"),
            "font_loaded": page.evaluate(
                "document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'ہنر')"
            ),
            "title": page.locator("article h1").inner_text(),
            "sign_in": page.locator("nav.account").inner_text(),
        }

    urdu_look = web.do(look, urdu.url)
    shot = web.do(screenshot, "urdu-lesson")
    english_look = web.do(look, lessons[0].url)

    assert urdu_look["status"] == 200 and urdu_look["lang"] == "ur"
    assert urdu_look["direction"] == "rtl" and urdu_look["article"] == "rtl"
    assert urdu_look["align"] in ("start", "right")
    assert "Nastaliq" in urdu_look["font"] and urdu_look["font_loaded"], urdu_look["font"]
    assert urdu_look["title"] == URDU_TITLE
    assert "Sign in" not in urdu_look["sign_in"]  # the interface is in Urdu too
    assert shot.stat().st_size > 10_000
    # The same lesson in English stays left to right.
    assert (english_look["lang"], english_look["direction"]) == ("en", "ltr")
    assert english_look["title"] == "Lesson 1" and english_look["sign_in"] == "Sign in"
