"""The Content-Security-Policy holds in a real browser: Wagtail's admin (dashboard, a page edit
view with its preview, a snippet edit with the image chooser) and our dashboards run under it
without a single violation (docs/decisions/0011-content-security-policy.md)."""

import io

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection

from certificates.models import CertificateTemplate
from tests.factories import CenterFactory, UserFactory

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

# Runs before any page script, in every frame: every violation the browser reports is kept.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _image(title):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="t.png"))


@pytest.fixture
def admin_pages(make_course):
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    _track, course, lessons = make_course(lessons=1)
    _image("Gilgit lab")
    template = CertificateTemplate.objects.create(
        name="Classic", signatory_name="Director", signatory_title="Programme director"
    )
    UserFactory(username="root", is_superuser=True, is_staff=True)
    CenterFactory(code="GLT", name="Gilgit School IT Center")  # the dashboards need a center
    return lessons[0], template


def test_admin_pages_raise_no_csp_violation(web, admin_pages):
    lesson, template = admin_pages

    def visit(page):
        reports = []
        page.on(
            "console",
            lambda message: (
                reports.append(page.url + " " + message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.context.add_init_script(LISTEN)
        sign_in(page, "root", next_url="/admin/")
        seen = {}

        def check(url):
            seen[url] = page.evaluate("window.__cspViolations")

        for url in ("/admin/", f"/admin/pages/{lesson.pk}/edit/", "/admin/dashboards/"):
            page.goto(url)
            page.wait_for_load_state("networkidle")
            check(url)
        # The live preview: an admin page inside an iframe of the editor.
        page.goto(f"/admin/pages/{lesson.pk}/edit/")
        page.get_by_role("button", name="Toggle preview").click()
        page.frame_locator("iframe#w-preview-iframe").locator("body").wait_for()
        check("preview")
        # A snippet edit view, and the image chooser it opens in a modal.
        url = f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/"
        page.goto(url)
        page.get_by_role("button", name="Choose an image").first.click()
        # By its heading: the link's title carries the collection path once there are several.
        page.locator(".modal-content a.image-choice:visible", has_text="Gilgit lab").first.click()
        # The chooser worked (its initialiser ran from a marker): the choice is in the form.
        page.locator("[data-chooser-title]", has_text="Gilgit lab").first.wait_for()
        check(url + " + image chooser")
        page.wait_for_timeout(300)  # reports are delivered asynchronously
        return reports, seen

    reports, seen = web.do(visit)
    violations = {url: found for url, found in seen.items() if found}
    assert not reports and not violations, (reports, violations)
