"""Password hashing: production hashes with argon2id at OWASP's minimum, older hashes verify and
are upgraded at the next sign-in, one-time passwords keep their own lighter hasher
(docs/decisions/0016-password-hashing.md)."""

import json
import subprocess
import sys

import argon2
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.test import override_settings

from lms import roles
from lms.hashers import ONE_TIME_HASHER, OneTimePasswordHasher
from tests.factories import CenterFactory, LearnerProfileFactory, UserFactory
from tests.lms.test_settings import PRODUCTION_ENV, ROOT, _clean_env

PASSWORD = "pass-1234-word"
OWASP = {"type": argon2.Type.ID, "memory_cost": 19 * 1024, "time_cost": 2, "parallelism": 1}

# What production runs with (the test settings swap in a fast hasher): read in a process of its own.
PRODUCTION_HASHERS = """
import django, json
django.setup()
from django.conf import settings
print(json.dumps(settings.PASSWORD_HASHERS))
"""


@pytest.fixture(scope="module")
def production_hashers():
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_HASHERS],
        cwd=ROOT, env=_clean_env(**PRODUCTION_ENV), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.splitlines()[-1])


def _parameters(encoded: str) -> dict:
    found = argon2.extract_parameters(encoded.split("argon2", 1)[1])
    return {name: getattr(found, name) for name in OWASP}


def test_production_hashes_new_passwords_with_argon2id_at_owasp_minimum(production_hashers):
    with override_settings(PASSWORD_HASHERS=production_hashers):
        encoded = make_password(PASSWORD)
        assert encoded.startswith("argon2$argon2id$")
        assert _parameters(encoded) == OWASP


def test_production_still_verifies_pbkdf2_and_one_time_hashes(production_hashers):
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production_hashers
    assert production_hashers[-1] == "lms.hashers.OneTimePasswordHasher"


@pytest.mark.django_db
def test_a_pbkdf2_hash_becomes_argon2_at_the_next_sign_in(client, production_hashers):
    user = UserFactory(username="amina", role=roles.LEARNER)
    LearnerProfileFactory(user=user, home_center=CenterFactory(), full_name="Amina")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    with override_settings(PASSWORD_HASHERS=production_hashers):
        response = client.post(
            "/accounts/login/", {"username": "amina", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
        )
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"]
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert _parameters(user.password) == OWASP
    with override_settings(PASSWORD_HASHERS=production_hashers):
        assert user.check_password(PASSWORD)


def test_one_time_passwords_keep_their_own_fixed_cost():
    encoded = make_password("ABCDEFGHJK", hasher=ONE_TIME_HASHER)
    assert encoded.startswith(f"{ONE_TIME_HASHER}$50000$")
    assert get_hasher(ONE_TIME_HASHER).iterations == OneTimePasswordHasher.iterations == 50_000
