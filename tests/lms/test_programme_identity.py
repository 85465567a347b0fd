"""The programme's identity, the public pages about it, and where each role lands."""

import pytest
from django.urls import reverse

from lms import programme, roles
from lms.models import Center, ProgrammeSettings
from tests.factories import CenterFactory, LearnerProfileFactory, UserFactory, manager_of

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-enough-pass-2026"


@pytest.fixture(autouse=True)
def _forget_the_programme():
    """The settings saved here roll back with the test; this process's copy must go too."""
    yield
    programme._memo = None


def _settings(**fields):
    row = ProgrammeSettings.load()
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


def test_a_change_in_the_settings_shows_on_the_next_request_in_both_languages(client):
    client.get("/about/")  # the settings are now in the cache
    _settings(
        name="GB Skills",
        name_ur="جی بی ہنر",
        footer_text="Run by the GB IT Board.",
        footer_text_ur="جی بی آئی ٹی بورڈ کے زیرِ انتظام",
    )
    english = client.get("/about/").content.decode()
    assert "GB Skills" in english and "Run by the GB IT Board." in english
    urdu = client.get("/ur/about/").content.decode()
    assert "جی بی ہنر" in urdu and "جی بی آئی ٹی بورڈ" in urdu
    assert "GB Skills" not in urdu


def test_every_page_links_to_verification_centers_and_about(client, home):
    for url in ["/", "/verify/", "/accounts/login/", "/ur/verify/"]:
        html = client.get(url).content.decode()
        prefix = "/ur" if url.startswith("/ur/") else ""
        for target in ("verify/", "centers/", "about/"):
            assert f'href="{prefix}/{target}"' in html, (url, target)


def test_the_colours_come_from_the_settings_and_refuse_anything_but_a_colour(client):
    _settings(primary_colour="#123456", accent_colour="#abcdef")
    css = client.get("/programme.css")
    assert css["Content-Type"].startswith("text/css")
    assert b"--accent: #123456" in css.content and b"--accent-2: #abcdef" in css.content
    row = ProgrammeSettings.load()
    row.primary_colour = "red; } body { display: none"
    with pytest.raises(Exception, match="RRGGBB"):
        row.full_clean()


def test_the_public_list_of_centers(client):
    _settings(school_hours="08:00–12:30", second_shift_hours="14:00–17:30")
    CenterFactory(code="GLT", name="Gilgit Hub", district="Gilgit", offers_school_hours=False)
    CenterFactory(code="SKD", name="Skardu School Lab", district="Skardu")
    CenterFactory(code="OLD", name="Closed Lab", district="Ghizer", is_active=False)
    html = client.get("/centers/").content.decode()
    assert "Gilgit Hub" in html and "Skardu School Lab" in html
    assert "Closed Lab" not in html
    assert "08:00–12:30" in html and "14:00–17:30" in html
    gilgit_row = html.split("Gilgit Hub", 1)[1].split("</tr>", 1)[0]
    assert "School hours" not in gilgit_row and "Second shift" in gilgit_row


def test_the_about_page_gives_the_contact(client):
    _settings(contact_email="info@example.org", contact_phone="+92 5811 000000")
    html = client.get("/about/").content.decode()
    assert "mailto:info@example.org" in html and "+92 5811 000000" in html


def test_a_learner_who_opens_the_admin_is_pointed_to_my_learning(client):
    learner = LearnerProfileFactory().user
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert reverse("learning_dashboard") in response.content.decode()
    assert client.get("/admin/pages/").status_code == 403


def test_the_admin_points_an_urdu_learner_to_my_learning_in_urdu(client):
    """/admin/ has no language prefix (Django reads it in English): the page speaks the
    learner's preferred language, and its link goes to the Urdu "My learning"."""
    learner = LearnerProfileFactory(preferred_language="ur").user
    client.force_login(learner)
    response = client.get("/admin/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'lang="ur" dir="rtl"' in html and 'href="/ur/learning/"' in html


def test_staff_and_visitors_reach_the_admin_as_before(client):
    center = CenterFactory(code="GLT")
    assert client.get("/admin/").status_code == 302  # Wagtail's sign-in form
    client.force_login(manager_of(center))
    assert client.get("/admin/").status_code == 200


def _sign_in(client, username, **extra):
    return client.post(
        reverse("login") + extra.get("query", ""), {"username": username, "password": PASSWORD}
    )


def test_staff_who_sign_in_on_the_public_form_land_in_the_admin(client):
    center = CenterFactory(code="GLT")
    manager = manager_of(center)
    manager.set_password(PASSWORD)
    manager.save()
    response = _sign_in(client, manager.username)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_staff_with_a_next_page_go_there_and_learners_go_to_my_learning(client):
    center = CenterFactory(code="GLT")
    manager = manager_of(center)
    manager.set_password(PASSWORD)
    manager.save()
    response = _sign_in(client, manager.username, query="?next=/verify/")
    assert response["Location"] == "/verify/"
    client.logout()
    learner = LearnerProfileFactory(home_center=center).user
    learner.set_password(PASSWORD)
    learner.save()
    response = _sign_in(client, learner.username)
    assert response["Location"].endswith(reverse("learning_dashboard"))


def test_only_programme_admins_edit_the_programme_settings(client):
    center = CenterFactory(code="GLT")
    url = "/admin/settings/lms/programmesettings/"
    client.force_login(manager_of(center))
    assert client.get(url).status_code in (302, 403)
    admin = UserFactory(username="programme-admin", role=roles.PROGRAMME_ADMIN)
    client.force_login(admin)
    assert client.get(url).status_code in (200, 302)
    response = client.post(
        url if client.get(url).status_code == 200 else client.get(url)["Location"],
        {
            "name": "GB Skills",
            "name_ur": "ہنر",
            "primary_colour": "#0b6e4f",
            "accent_colour": "#f59e0b",
            "school_hours": "08:00–13:00",
            "second_shift_hours": "14:00–18:00",
        },
    )
    assert response.status_code in (200, 302)
    assert ProgrammeSettings.load().name == "GB Skills"
    assert Center.objects.count() == 1
