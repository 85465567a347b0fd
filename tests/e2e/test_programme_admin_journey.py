"""A programme admin (issue 16), in English and with the admin in Urdu (right to left), axe on
every page: signed in on the public form they land in the admin; in Settings → Programme they
give the programme its name, logo, colours and footer, which the public pages then show (in
the visitor's language); the overview shows every center side by side."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from lms import programme, roles
from lms.media import media_collections_sync
from lms.models import ProgrammeSettings
from tests.factories import CenterFactory, UserFactory

from .conftest import Journey, sign_in, translate_to_urdu

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
]

SETTINGS = "/admin/settings/lms/programmesettings/"


@pytest.fixture
def admin(db, request, home):
    if request.param == "ur":
        translate_to_urdu(home)  # the public home page in Urdu (a flush emptied the page tree)
    CenterFactory(code="GLT", name="Gilgit School IT Center", district="Gilgit")
    CenterFactory(code="SKD", name="Skardu Tech Hub", district="Skardu")
    user = UserFactory(username="programme.admin", role=roles.PROGRAMME_ADMIN)
    UserProfile.get_for_user(user)  # the admin's language is the staff member's own choice
    UserProfile.objects.filter(user=user).update(preferred_language=request.param)
    # A transactional test's flush removed the root collection the migrations made.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    media_collections_sync()  # and with it the programme admins' grants on the root
    logo = Image.objects.create(title="GB Skills logo", file=get_test_image_file(), collection=root)
    yield {"language": request.param, "logo": logo}
    programme._memo = None  # the saved settings roll back with the test; this copy must go too


@pytest.mark.parametrize("admin", ["en", "ur"], indirect=True)
def test_a_programme_admin_sets_the_programmes_identity(web, admin):
    journey = Journey(admin["language"])

    def identity(page):
        sign_in(page, "programme.admin")  # the public form: staff land in the admin
        journey.visit(page, "admin home")
        landed = page.url
        page.goto(SETTINGS)
        journey.visit(page, "programme settings")
        page.fill("input[name=name]", "GB Skills")
        page.fill("input[name=name_ur]", "جی بی ہنر")
        page.fill("input[name=primary_colour]", "#1d4e89")
        page.fill("input[name=footer_text]", "GB Skills — a public programme.")
        page.fill("input[name=footer_text_ur]", "جی بی ہنر — ایک سرکاری پروگرام۔")
        page.locator("[data-field-wrapper] button", has_text="Choose").first.click()
        page.get_by_role("link", name="GB Skills logo").click()  # in the chooser
        page.wait_for_selector("[data-chooser-title]:has-text('GB Skills logo')", state="attached")
        page.locator("main form[method=post i] button[type=submit]").first.click()
        page.wait_for_load_state()
        journey.visit(page, "programme settings (saved)")
        page.goto("/admin/dashboards/")
        journey.visit(page, "overview")
        return landed, page.locator("main h1").first.inner_text(), page.locator("main").inner_text()

    landed, title, overview = web.do(identity)
    assert landed.endswith("/admin/")
    saved = ProgrammeSettings.load()
    assert (saved.name, saved.primary_colour, saved.logo_id) == (
        "GB Skills", "#1d4e89", admin["logo"].pk,
    )  # fmt: skip
    if admin["language"] == "en":
        assert title == "Programme overview"
    assert "Gilgit School IT Center" in overview and "Skardu Tech Hub" in overview

    def public(page, prefix):
        page.goto(f"{prefix}/")
        journey.visit(page, "home (visitor)")
        css = page.request.get("/programme.css").text()
        return (
            page.locator("header .brand").inner_text().strip(),
            page.locator("header .brand img").count(),
            page.locator("footer").inner_text(),
            css,
        )

    prefix = "/ur" if admin["language"] == "ur" else ""
    name, logos, footer, css = web.new().do(public, prefix)
    if admin["language"] == "ur":
        assert (name, "جی بی ہنر — ایک سرکاری پروگرام۔" in footer) == ("جی بی ہنر", True)
    else:
        assert (name, "GB Skills — a public programme." in footer) == ("GB Skills", True)
    assert logos == 1
    assert "--accent: #1d4e89" in css
    journey.check()
