"""Signing in and out on shared lab computers: lockouts, idle timeout, one-time passwords."""

import datetime
import re
import threading
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext, modify_settings
from django.urls import reverse
from django.utils import translation

from lms import accounts, roles, signin
from lms.models import LearnerProfile
from tests.factories import (
    CenterFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

PASSWORD = "pass-1234-word"
LAB = "10.20.30.40"
OTHER_LAB = "10.20.99.1"
LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
DASHBOARD = "/learning/"
PASSWORD_CHANGE = "/accounts/password/change/"
LAB_MIDDLEWARE = [
    "lms.middleware.SessionIdleTimeoutMiddleware",
    "lms.middleware.ForcePasswordChangeMiddleware",
]


@pytest.fixture
def center(db):
    return CenterFactory(name="Gilgit Boys High School Lab", code="GBH")


def make_learner(center, username, email=""):
    user = UserFactory(username=username, email=email, role=roles.LEARNER)
    LearnerProfileFactory(user=user, home_center=center, full_name=username.title())
    return user


@pytest.fixture
def learner(center):
    return make_learner(center, "amina", email="amina@example.org")


def sign_in(client, username, password=PASSWORD, ip=LAB):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- A whole lab signs in from one address -----------------------------------------------------


def test_forty_learners_at_one_address_all_sign_in_within_a_minute(center):
    learners = [make_learner(center, f"learner{n:02d}") for n in range(40)]
    for number, user in enumerate(learners):
        client = Client()
        if number % 4 == 0:  # a typo now and then, as in any lab
            assert sign_in(client, user.username, "wrong").status_code == 200
        response = sign_in(client, user.username)
        assert response.status_code == 302, user.username
        assert response["Location"] == DASHBOARD
        assert signed_in(client)


# --- Sign-in protection: per username from anywhere, never by address alone -------------------
# The stated numbers (lms.settings.base, docs/decisions/0006): 10 wrong passwords for a username
# at once, then one try every 3 minutes (20 an hour), whatever the addresses; django-axes locks a
# username + address pair after 10 for 3 minutes.

ATTACKER = "192.0.2.66"
LOAD_BALANCER = "10.0.0.5"


class Clock:
    """Moves the throttle's clock and django-axes' records forward together."""

    def __init__(self, monkeypatch):
        self.offset_ms = 0
        real = signin._now_ms
        monkeypatch.setattr(signin, "_now_ms", lambda: real() + self.offset_ms)

    def advance(self, seconds):
        self.offset_ms += seconds * 1000
        AccessAttempt.objects.update(
            attempt_time=F("attempt_time") - datetime.timedelta(seconds=seconds)
        )


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def lock(username, ip=LAB):
    client = Client()
    statuses = [sign_in(client, username, "wrong", ip=ip).status_code for _ in range(10)]
    return client, statuses


def test_the_stated_numbers_are_the_settings():
    assert settings.SIGNIN_USERNAME_BURST == 10
    assert settings.SIGNIN_USERNAME_TRIES_PER_HOUR == 20
    assert signin.signin_interval_ms() == 3 * 60 * 1000
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 10
    assert datetime.timedelta(minutes=3) == settings.AXES_COOLOFF_TIME
    assert "lms.signin.SignInThrottleBackend" in settings.AUTHENTICATION_BACKENDS
    backends = settings.AUTHENTICATION_BACKENDS
    assert backends.index("lms.signin.SignInThrottleBackend") < backends.index(
        "django.contrib.auth.backends.ModelBackend"
    )


def guess(client, n, **headers):
    data = {"username": "amina", "password": f"guess-{n}"}
    return client.post(LOGIN, data, **headers).status_code


def test_forty_guesses_each_with_a_forged_address_then_the_right_password_is_refused(learner):
    """No proxy in front: a new X-Forwarded-For per try used to be a new address per try."""
    client = Client()
    statuses = [
        guess(client, n, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(40)
    ]
    assert statuses.count(200) < 10 and statuses[-1] == 429
    response = client.post(
        LOGIN,
        {"username": "amina", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429 and not signed_in(client)


def test_forty_guesses_from_forty_real_addresses_behind_the_load_balancer_are_refused(
    learner, settings, monkeypatch
):
    """Production's one trusted proxy; the attacker has many real addresses (and forges more)."""
    from tests.lms.test_client_address import production_settings

    settings.HUNAR_TRUSTED_PROXY_COUNT = production_settings(monkeypatch).HUNAR_TRUSTED_PROXY_COUNT
    client = Client()
    statuses = [
        guess(
            client,
            n,
            REMOTE_ADDR=LOAD_BALANCER,
            HTTP_X_FORWARDED_FOR=f"{OTHER_LAB}, 198.51.100.{n}",
        )
        for n in range(40)
    ]
    # Every address is new, so django-axes never locks: the username's own limit does.
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429] * 30
    response = client.post(
        LOGIN,
        {"username": "amina", "password": PASSWORD},
        REMOTE_ADDR=LOAD_BALANCER,
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )
    assert response.status_code == 429 and not signed_in(client)
    assert 0 < int(response["Retry-After"]) <= 180


def test_guessing_one_password_is_held_to_twenty_tries_an_hour(learner, clock):
    """A try every 30 seconds for two hours, as if each came from an address of its own."""
    taken = {0: 0, 1: 0}
    for step in range(240):
        if signin.signin_try_take(username="amina") == 0:
            taken[step * 30 // 3600] += 1
        clock.advance(30)
    assert taken[0] <= 10 + 20
    assert taken[1] == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_overspend_the_allowance():
    """Twenty guesses at once, for a username nobody has tried: exactly ten are let through."""
    results, errors = [], []
    start = threading.Barrier(20)

    def take():
        try:
            start.wait()
            results.append(signin.signin_try_take(username="amina"))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(20)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    assert not errors
    assert results.count(0) == settings.SIGNIN_USERNAME_BURST


def test_a_classmate_typing_wrongly_delays_a_learner_three_minutes_at_most(center, clock):
    make_learner(center, "bilal")
    prankster = Client()
    for n in range(25):  # going on after the lock must not make it longer
        sign_in(prankster, "bilal", f"wrong-{n}")

    bilal = Client()
    refused = sign_in(bilal, "bilal")
    assert refused.status_code == 429 and not signed_in(bilal)
    assert 0 < int(refused["Retry-After"]) <= 180
    assert "Wait 3 minutes, then sign in with the right password." in refused.text
    assert "registration/locked_out.html" in [t.name for t in refused.templates]

    clock.advance(120)
    still = sign_in(bilal, "bilal")
    assert still.status_code == 429
    assert "Wait 1 minute, then sign in with the right password." in still.text

    clock.advance(61)
    response = sign_in(bilal, "bilal")
    assert response.status_code == 302 and signed_in(bilal)


def test_the_admin_sign_in_is_no_side_door(learner):
    """Wagtail's admin sign-in checks passwords too: its tries come from the same allowance."""
    admin = Client()
    for n in range(10):
        admin.post(
            "/admin/login/", {"username": "amina", "password": f"guess-{n}"}, REMOTE_ADDR=ATTACKER
        )
    refused = admin.post(
        "/admin/login/", {"username": "amina", "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert refused.status_code == 429
    assert sign_in(Client(), "amina", ip=OTHER_LAB).status_code == 429


def test_a_wrong_username_leaves_everyone_else_in_the_lab_alone(center, learner):
    classmate = make_learner(center, "bilal")
    lock("amina")
    assert sign_in(Client(), classmate.username, ip=LAB).status_code == 302


def test_a_successful_sign_in_forgets_earlier_typos(learner):
    client = Client()
    for _ in range(9):
        assert sign_in(client, "amina", "wrong").status_code == 200
    assert sign_in(client, "amina").status_code == 302
    for _ in range(9):  # a fresh allowance, not the one left before
        assert sign_in(Client(), "amina", "wrong", ip=OTHER_LAB).status_code == 200
    assert sign_in(Client(), "amina", ip=OTHER_LAB).status_code == 302


def test_lockout_page_says_what_happened_how_long_and_whom_to_ask(learner):
    client, statuses = lock("amina")
    assert statuses[:9] == [200] * 9 and statuses[9] == 429
    html = sign_in(client, "amina").text
    assert "amina" in html
    assert "Wait 3 minutes, then sign in with the right password." in html
    assert "ask your trainer for help." in html
    assert "Other people in this room can still sign in" in html


# --- Sign-out ---------------------------------------------------------------------------------


def test_sign_out_is_post_only_with_csrf_and_kills_the_old_session(learner):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    token = client.cookies["csrftoken"].value
    response = client.post(
        LOGIN,
        {"username": "amina", "password": PASSWORD, "csrfmiddlewaretoken": token},
        REMOTE_ADDR=LAB,
    )
    assert response.status_code == 302
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    token = client.cookies["csrftoken"].value  # signing in rotates it

    assert client.get(LOGOUT).status_code == 405
    assert client.post(LOGOUT).status_code == 403  # no CSRF token
    assert signed_in(client)

    response = client.post(LOGOUT, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.cookies["csrftoken"].value != token
    assert "You have signed out." in client.get(LOGIN).text

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_signed_in_user_visiting_sign_in_page_goes_to_my_learning(client, learner):
    sign_in(client, "amina")
    response = client.get(LOGIN)
    assert response.status_code == 302 and response["Location"] == DASHBOARD


# --- Idle timeout -----------------------------------------------------------------------------


def move_last_activity(client, seconds):
    session = client.session
    session[accounts.SESSION_LAST_ACTIVITY] -= seconds
    session.save()


def test_sign_in_starts_the_idle_clock_and_reads_the_password_flag(client, learner):
    sign_in(client, "amina")
    session = client.session
    assert abs(session[accounts.SESSION_LAST_ACTIVITY] - time.time()) < 5
    assert session[accounts.SESSION_MUST_CHANGE_PASSWORD] == [str(learner.pk), False]


def test_thirty_minutes_idle_signs_out_and_sends_to_sign_in(client, learner):
    sign_in(client, "amina")
    assert client.get(DASHBOARD).status_code == 200
    move_last_activity(client, 31 * 60)

    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={DASHBOARD}"
    assert not signed_in(client)
    page = client.get(response["Location"]).text
    assert "You were signed out after 30 minutes without activity." in page
    assert client.get(DASHBOARD).status_code == 302


def test_idle_timeout_keeps_the_urdu_prefix(client, learner):
    sign_in(client, "amina")
    move_last_activity(client, 31 * 60)
    response = client.get("/ur/learning/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ur/accounts/login/?next=")


def test_idle_timeout_on_a_post_signs_out_without_redirecting_there(client, learner):
    sign_in(client, "amina")
    move_last_activity(client, 31 * 60)
    response = client.post("/learning/lessons/999999/complete/")
    assert not signed_in(client)
    # The view answers as it does for anyone signed out: to the sign-in page.
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_activity_within_thirty_minutes_keeps_the_session(client, learner):
    sign_in(client, "amina")
    move_last_activity(client, 29 * 60)
    assert client.get(DASHBOARD).status_code == 200
    assert abs(client.session[accounts.SESSION_LAST_ACTIVITY] - time.time()) < 5


def test_anonymous_sessions_are_left_alone(client, db):
    session = client.session
    session["something"] = "kept"
    session.save()
    assert client.get(LOGIN).status_code == 200
    assert accounts.SESSION_LAST_ACTIVITY not in client.session
    assert client.session["something"] == "kept"


def session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries.captured_queries


def test_idle_clock_adds_no_query_within_the_minute(client, learner):
    sign_in(client, "amina")
    client.get(DASHBOARD)
    with_middleware = measure(client, DASHBOARD)
    assert session_writes(with_middleware) == []

    with modify_settings(MIDDLEWARE={"remove": LAB_MIDDLEWARE}):
        bare = Client()
        bare.cookies = client.cookies
        without_middleware = measure(bare, DASHBOARD)
    assert len(with_middleware) == len(without_middleware)


def test_idle_clock_is_written_at_most_once_a_minute(client, learner):
    sign_in(client, "amina")
    move_last_activity(client, 61)
    assert session_writes(measure(client, DASHBOARD))  # older than a minute: written
    assert session_writes(measure(client, DASHBOARD)) == []  # just written: not again


def test_first_request_after_sign_in_writes_nothing(client, learner):
    client.force_login(learner)
    assert session_writes(measure(client, DASHBOARD)) == []


# --- One-time password from the center ------------------------------------------------------------


def admin_url(profile):
    return reverse("learner_one_time_password", args=[profile.pk])


def test_one_time_password_flow(center, learner):
    manager = Client()
    manager.force_login(manager_of(center))
    url = admin_url(learner.learner_profile)

    confirm = manager.get(url)
    assert confirm.status_code == 200
    assert "Yes, make a one-time password" in confirm.text
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)  # GET changes nothing

    shown = manager.post(url)
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    password = shown.context["password"]
    assert password in shown.text
    learner.refresh_from_db()
    assert not learner.check_password(PASSWORD)
    assert learner.learner_profile.must_change_password

    client = Client()
    assert sign_in(client, "amina", PASSWORD).status_code == 200  # the old one is gone
    assert sign_in(client, "amina", password).status_code == 302
    for path in (DASHBOARD, "/", "/admin/", "/ur/learning/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].endswith(PASSWORD_CHANGE), path
    assert client.get("/healthz").status_code in (200, 503)

    page = client.get(PASSWORD_CHANGE)
    assert page.status_code == 200
    assert "one-time password from your center" in page.text
    changed = client.post(
        PASSWORD_CHANGE,
        {
            "old_password": password,
            "new_password1": "mountain-river-42",
            "new_password2": "mountain-river-42",
        },
    )
    assert changed.status_code == 302 and changed["Location"] == "/accounts/password/change/done/"
    assert not LearnerProfile.objects.get(user=learner).must_change_password
    assert client.session[accounts.SESSION_MUST_CHANGE_PASSWORD][1] is False
    assert signed_in(client)
    assert client.get(DASHBOARD).status_code == 200


def test_flagged_learner_can_still_sign_out(client, learner):
    LearnerProfile.objects.filter(user=learner).update(must_change_password=True)
    sign_in(client, "amina")
    assert client.get(DASHBOARD)["Location"].endswith(PASSWORD_CHANGE)
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not signed_in(client)


def test_one_time_password_lifts_a_lockout(center, learner):
    lock("amina")
    password = accounts.learner_password_reset_by_center(
        manager=manager_of(center), learner_user=learner
    )
    assert sign_in(Client(), "amina", password).status_code == 302


def test_manager_of_another_center_gets_404(center, learner):
    other = Client()
    other.force_login(manager_of(CenterFactory(code="HUB")))
    url = admin_url(learner.learner_profile)
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)
    with pytest.raises(accounts.LearnerPasswordResetRefused):
        accounts.learner_password_reset_by_center(
            manager=manager_of(CenterFactory(code="HUB2")), learner_user=learner
        )


def test_trainer_and_learner_cannot_use_the_admin_view(center, learner):
    url = admin_url(learner.learner_profile)
    trainer = Client()
    trainer.force_login(trainer_of(center))
    assert trainer.get(url).status_code == 404
    assert trainer.post(url).status_code == 404

    classmate = Client()
    classmate.force_login(make_learner(center, "bilal"))
    response = classmate.post(url)
    # A learner in the admin is pointed to "My learning" (lms.middleware.LearnerAdminMiddleware).
    assert response.status_code == 403 and "/learning/" in response.text
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_manager_cannot_reset_a_staff_account_with_a_learner_profile(center):
    trainer = trainer_of(center)
    LearnerProfileFactory(user=trainer, home_center=center)
    manager = Client()
    manager.force_login(manager_of(center))
    assert manager.post(admin_url(trainer.learner_profile)).status_code == 404
    trainer.refresh_from_db()
    assert trainer.check_password(PASSWORD)


# --- Password reset by e-mail -------------------------------------------------------------------


def test_password_reset_mails_a_learner_and_says_the_same_for_unknown_addresses(client, learner):
    known = client.post("/accounts/password/reset/", {"email": "AMINA@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"

    LearnerProfile.objects.filter(user=learner).update(must_change_password=True)
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    done = client.post(
        form_url, {"new_password1": "mountain-river-42", "new_password2": "mountain-river-42"}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/complete/"
    learner.refresh_from_db()
    assert learner.check_password("mountain-river-42")
    assert not learner.learner_profile.must_change_password


# --- Urdu -----------------------------------------------------------------------------------------


def test_urdu_sign_in_page_is_right_to_left(client, db):
    response = client.get("/ur/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in response.text
    assert 'action="/ur/accounts/login/"' in response.text


def test_idle_message_is_a_translatable_constant():
    with translation.override("en"):
        assert str(accounts.IDLE_SIGNED_OUT % {"minutes": 30}) == (
            "You were signed out after 30 minutes without activity."
        )


@pytest.mark.django_db
def test_one_time_passwords_use_the_light_hasher_until_signed_in(client):
    from lms.accounts import learner_password_reset_by_center
    from tests.factories import CenterFactory, LearnerProfileFactory, manager_of

    center = CenterFactory(code="HSH")
    learner = LearnerProfileFactory(home_center=center).user
    password = learner_password_reset_by_center(manager=manager_of(center), learner_user=learner)
    learner.refresh_from_db()
    assert learner.password.startswith("pbkdf2_sha256_onetime$")
    assert learner.check_password(password)
    learner.refresh_from_db()
    # Django re-hashes with the preferred hasher the first time the password is checked.
    assert not learner.password.startswith("pbkdf2_sha256_onetime$")
