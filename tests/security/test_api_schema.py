"""The certificate JSON API against its own OpenAPI schema (schemathesis): generated requests
never get a 5xx, and every response matches the documented status codes, headers and bodies."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from certificates.services import certificate_issue, certificate_revoke
from courses import services
from lms.models import CohortMembership
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, manager_of

pytestmark = pytest.mark.django_db
SCHEMA_PATH = "/api/v1/openapi.json"
# A code is valid only with its check symbol, which JSON Schema cannot express: a schema-valid
# string may rightly get the documented 400. Every other schemathesis check runs.
NOT_EXPRESSIBLE = [positive_data_acceptance]


@pytest.fixture
def certificates(make_course, settings, tmp_path):
    """A valid certificate and a revoked one."""
    from certificates import signing

    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    signing.key_generate()
    _track, course, lessons = make_course(lessons=1, blocks=1)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center")
    cohort = CohortFactory(center=center, curriculum=course)
    made = []
    for name in ("Amina Khan", "Bilal Ahmed"):
        profile = LearnerProfileFactory(home_center=center, full_name=name)
        CohortMembership.objects.create(cohort=cohort, learner=profile.user)
        enrollment = services.enrollment_create(learner=profile.user, course=course, cohort=cohort)
        services.lesson_complete(learner=profile.user, lesson=lessons[0])
        enrollment.refresh_from_db()
        made.append(certificate_issue(enrollment=enrollment))
    certificate_revoke(certificate=made[1], by=manager_of(center), reason="Issued in error")
    return made


@pytest.fixture
def api_schema(db, settings):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 100_000  # fuzz the API, not the rate limit
    # The WSGI handler closes "old" database connections around each request, which would
    # close the test's own transaction; Django's test Client unhooks the same receivers.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``) does not run
# under pytest 9 yet, so the cases come from its Hypothesis strategy directly. Only positive
# generation: the one parameter is a path segment, and every string is a schema-valid one.
def test_generated_requests_get_no_5xx_and_documented_responses(api_schema):
    seen = []

    @given(case=_operation(api_schema).as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,  # the same cases on every run: CI never flakes on a new example
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case):
        seen.append(validated(case).status_code)

    check()
    assert len(seen) >= 20 and max(seen) < 500, seen


def validated(case):
    """Call the API in process and run schemathesis's checks on the response."""
    # The in-process WSGI client does not undo gzip (GZipMiddleware compresses bodies over 200
    # bytes for clients that accept it), so ask for the body as is.
    return case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=NOT_EXPRESSIBLE
    )


def _operation(loaded):
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) == 1, [op.label for op in operations]  # a new one is fuzzed above
    return operations[0]


def test_real_codes_get_documented_responses(api_schema, certificates):
    valid, revoked = certificates
    operation = _operation(api_schema)
    typed = valid.display_code.lower().replace("-", " ")
    bodies = {}
    for code in (valid.code, typed, revoked.code, "0000000000000", "not a code"):
        response = validated(operation.Case(path_parameters={"code": code}))
        bodies[code] = (response.status_code, response.json())
    assert bodies[valid.code][0] == 200 and bodies[valid.code][1]["status"] == "valid"
    assert bodies[typed] == bodies[valid.code]  # forgiving typing
    assert bodies[revoked.code][1]["status"] == "revoked"
    assert bodies[revoked.code][1]["revoked_on"]  # the date is public, the reason is not
    assert "revocation_reason" not in bodies[revoked.code][1]
    assert bodies["0000000000000"][0] in (400, 404) and bodies["not a code"][0] == 400


def test_rate_limited_responses_match_the_schema(api_schema, certificates, settings):
    settings.VERIFY_RATE_LIMIT_PER_MINUTE = 2
    operation = _operation(api_schema)
    statuses = [
        validated(operation.Case(path_parameters={"code": certificates[0].code})) for _ in range(3)
    ]
    assert [response.status_code for response in statuses] == [200, 200, 429]
    headers = {name.lower(): value for name, value in statuses[-1].headers.items()}
    assert int(headers["retry-after"][0]) >= 1
