"""The bilingual certificate's English and Urdu titles never touch (laid out by WeasyPrint)."""

from certificates import rendering
from tests.certificates.test_pdf import issued  # noqa: F401 (a fixture)

GAP_PX = 8  # about 2 mm at WeasyPrint's 96 px per inch


def _boxes(box, found):
    element = getattr(box, "element", None)
    if element is not None and element.tag == "h1":
        found.setdefault(element.get("lang"), []).append(box)
    for child in getattr(box, "children", ()):
        _boxes(child, found)
    return found


def _border_box(boxes):
    """(top, bottom) of a title's block (the outermost box, found first); its line height
    holds Nastaliq's ascenders and descenders."""
    box = boxes[0]
    top = box.position_y + box.margin_top
    return top, top + box.border_height()


def test_english_and_urdu_titles_are_separate_blocks_with_a_gap(issued):  # noqa: F811
    from weasyprint import HTML

    certificate = issued()
    html = rendering.certificate_html(certificate)
    font_config, stylesheet, fetcher = rendering.resources()
    document = HTML(
        string=html, base_url=rendering.FONTS_DIR.as_uri() + "/", url_fetcher=fetcher
    ).render(stylesheets=[stylesheet], font_config=font_config)
    assert len(document.pages) == 1
    titles = _boxes(document.pages[0]._page_box, {})
    assert set(titles) >= {"en", "ur"}, titles
    en_top, en_bottom = _border_box(titles["en"])
    ur_top, ur_bottom = _border_box(titles["ur"])
    assert en_bottom + GAP_PX <= ur_top, (en_top, en_bottom, ur_top, ur_bottom)
