"""One way to know a client's address (lms.client): forwarded headers only from our proxies.

Every test forges ``X-Forwarded-For`` as an attacker would, in both modes: no proxy in front
(the embedded default) and one trusted proxy (production's load balancer).
"""

import importlib
import sys
import types

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory

import lms.settings
from certificates import verification
from lms.client import client_address, client_network

LB = "10.0.0.5"  # the load balancer, as gunicorn sees it
EMPLOYER_A = "203.0.113.10"
EMPLOYER_B = "198.51.100.20"
FORGED = "192.0.2.66"

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k7#Qm2v!x9Lp4Zr8Tn6Wb3Yc5Hd1Jf0Gs-Ua+Ve=Xi*Ok&Pl%Mn@Bq",
    "DJANGO_ALLOWED_HOSTS": "hunar.example.org",
    "DATABASE_URL": "postgres://hunar:secret@db.internal:5432/hunar",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "WAGTAILADMIN_BASE_URL": "https://hunar.example.org",
}


def production_settings(monkeypatch, **environ) -> types.ModuleType:
    """``lms.settings.production`` as a fresh module, imported with production's environment.

    The real module, read the way gunicorn would read it (base re-imported too, so nothing of
    the test settings leaks in); the running test settings are left as they were.
    """
    for name in ("HUNAR_TRUSTED_PROXY_COUNT", "HUNAR_TRUSTED_PROXIES", "AXES_IPWARE_PROXY_COUNT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION_ENV, **environ}.items():
        monkeypatch.setenv(name, value)
    for name in ("lms.settings.production", "lms.settings.base"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    for name in ("production", "base"):
        if hasattr(lms.settings, name):
            monkeypatch.setattr(lms.settings, name, getattr(lms.settings, name))
    return importlib.import_module("lms.settings.production")


def request(remote=EMPLOYER_A, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    """The running settings take production's proxy count, read from the production module."""
    production = production_settings(monkeypatch)
    settings.HUNAR_TRUSTED_PROXY_COUNT = production.HUNAR_TRUSTED_PROXY_COUNT
    settings.HUNAR_TRUSTED_PROXIES = production.HUNAR_TRUSTED_PROXIES
    return production


# --- The settings -----------------------------------------------------------------------------


def test_no_proxy_is_trusted_by_default_and_one_in_production(monkeypatch):
    assert settings.HUNAR_TRUSTED_PROXY_COUNT == 0
    assert settings.HUNAR_TRUSTED_PROXIES == []
    production = production_settings(monkeypatch)
    assert production.HUNAR_TRUSTED_PROXY_COUNT == 1
    assert production.AXES_CLIENT_IP_CALLABLE == "lms.client.axes_client_ip"
    # No ipware settings left to disagree with lms.client.
    assert not [name for name in dir(production) if name.startswith("AXES_IPWARE")]


def test_the_old_variable_name_still_sets_the_count(monkeypatch):
    assert (
        production_settings(monkeypatch, AXES_IPWARE_PROXY_COUNT="2").HUNAR_TRUSTED_PROXY_COUNT == 2
    )
    production = production_settings(monkeypatch, HUNAR_TRUSTED_PROXY_COUNT="0")
    assert production.HUNAR_TRUSTED_PROXY_COUNT == 0


def test_a_wrong_proxy_range_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="HUNAR_TRUSTED_PROXIES"):
        production_settings(monkeypatch, HUNAR_TRUSTED_PROXIES="10.0.0.0/8,lb.internal")


# --- No proxy: the header is the client's own words -------------------------------------------


def test_without_a_trusted_proxy_the_header_is_ignored():
    assert client_address(request(EMPLOYER_A, forwarded=FORGED)) == EMPLOYER_A
    assert client_address(request(EMPLOYER_A, forwarded=f"{FORGED}, {EMPLOYER_B}")) == EMPLOYER_A
    assert client_address(request(EMPLOYER_A)) == EMPLOYER_A


def test_a_request_from_outside_the_trusted_ranges_is_not_believed(settings):
    settings.HUNAR_TRUSTED_PROXY_COUNT = 1
    settings.HUNAR_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request(LB, forwarded=EMPLOYER_A)) == EMPLOYER_A
    # Straight to gunicorn, around the load balancer, with a header of one's own choosing.
    assert client_address(request(EMPLOYER_B, forwarded=FORGED)) == EMPLOYER_B


# --- One trusted proxy: the address it appended, never the leftmost ---------------------------


def test_behind_the_load_balancer_the_client_is_the_address_it_appended(behind_one_proxy):
    assert client_address(request(LB, forwarded=EMPLOYER_A)) == EMPLOYER_A
    # The client sent its own header; the balancer appended the real address after it.
    assert client_address(request(LB, forwarded=f"{FORGED}, {EMPLOYER_A}")) == EMPLOYER_A
    assert client_address(request(LB, forwarded=f"{FORGED},{FORGED}, {EMPLOYER_B}")) == EMPLOYER_B


@pytest.mark.parametrize(
    "forwarded",
    ["", " ", "unknown", f"{FORGED}, not-an-address", f"{EMPLOYER_A}, 300.1.1.1", "<script>"],
)
def test_a_missing_or_malformed_header_falls_back_to_the_connection(behind_one_proxy, forwarded):
    assert client_address(request(LB, forwarded=forwarded)) == LB


def test_addresses_are_read_in_one_form(behind_one_proxy):
    assert client_address(request(LB, forwarded="203.0.113.10:51234")) == EMPLOYER_A
    assert client_address(request(LB, forwarded="[2001:db8::7]:443")) == "2001:db8::7"
    assert client_address(request(LB, forwarded="::ffff:203.0.113.10")) == EMPLOYER_A
    assert client_address(request("::ffff:203.0.113.10")) == EMPLOYER_A
    assert client_address(request("not an address")) == ""


def test_two_proxies_take_the_second_address_from_the_right(settings):
    settings.HUNAR_TRUSTED_PROXY_COUNT = 2
    forwarded = f"{FORGED}, {EMPLOYER_A}, 10.0.0.9"
    assert client_address(request(LB, forwarded=forwarded)) == EMPLOYER_A
    assert client_address(request(LB, forwarded=EMPLOYER_A)) == LB  # shorter than the count


def test_ranges_alone_skip_our_proxies_from_the_right(settings):
    settings.HUNAR_TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    forwarded = f"{FORGED}, {EMPLOYER_A}, 10.1.2.3"
    assert client_address(request(LB, forwarded=forwarded)) == EMPLOYER_A
    assert client_address(request(LB, forwarded="10.1.2.3")) == "10.1.2.3"
    assert client_address(request(EMPLOYER_B, forwarded=FORGED)) == EMPLOYER_B


# --- Sign-in records the real client ----------------------------------------------------------


def test_sign_in_failures_are_recorded_under_the_real_client(behind_one_proxy, db):
    client = Client()
    client.post(
        "/accounts/login/",
        {"username": "amina", "password": "wrong"},
        REMOTE_ADDR=LB,
        HTTP_X_FORWARDED_FOR=f"{FORGED}, {EMPLOYER_A}",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [EMPLOYER_A]


# --- The verification rate limit per real client ----------------------------------------------


@pytest.fixture
def three_a_minute(settings, monkeypatch):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 3
    monkeypatch.setattr(verification, "time", types.SimpleNamespace(time=lambda: 1_699_999_995.0))


def used_up(remote, forwarded=None) -> bool:
    """Four checks from this client in one minute: is the fourth refused?"""
    hits = [verification.rate_limit_hit(request(remote, forwarded)) for _ in range(4)]
    assert hits[:3] == [None] * 3
    return hits[3] is not None


def test_two_employers_behind_the_load_balancer_have_a_bucket_each(
    behind_one_proxy, three_a_minute
):
    assert used_up(LB, forwarded=EMPLOYER_A)
    assert verification.rate_limit_hit(request(LB, forwarded=EMPLOYER_B)) is None
    # A forged leftmost address buys employer A no fresh bucket.
    assert verification.rate_limit_hit(request(LB, f"{FORGED}, {EMPLOYER_A}")) is not None


def test_a_forged_header_without_a_trusted_proxy_buys_no_new_bucket(three_a_minute):
    assert used_up(EMPLOYER_A)
    for n in range(5):
        assert verification.rate_limit_hit(request(EMPLOYER_A, f"192.0.2.{n}")) is not None
    assert verification.rate_limit_hit(request(EMPLOYER_B)) is None


def test_an_ipv6_client_cannot_hop_addresses_within_its_64(three_a_minute):
    assert used_up("2001:db8:1:2::1")
    assert verification.rate_limit_hit(request("2001:db8:1:2::ffff")) is not None
    assert client_network(request("2001:db8:1:2::ffff")) == "2001:db8:1:2::/64"
    assert verification.rate_limit_hit(request("2001:db8:1:3::1")) is None
