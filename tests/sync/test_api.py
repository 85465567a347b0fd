"""The sync API's doors: one-time tokens, signed requests, revocation, what a node may fetch."""

import datetime
import gzip
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.utils import timezone

from sync import services, snapshot
from sync.auth import headers_sign, public_key_of
from sync.client import upstream_check
from sync.models import EnrolmentToken, Node
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, trainer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def center():
    return CenterFactory(code="GLT")


@pytest.fixture
def node(center, key):
    token = services.enrolment_token_create(center=center)
    return services.node_enrol(token=token, public_key=public_key_of(key), name="lab-1")


def signed_get(client, node, key, path, **params):
    headers = headers_sign(key=key, node_id=str(node.public_id), method="GET", path=path, body=b"")
    return client.get(path, params, headers=headers)


def test_node_register_prints_a_token_that_works_once(client, center, key, capsys):
    call_command("node_register", "--center", "glt")
    token = capsys.readouterr().out.strip()
    assert EnrolmentToken.objects.get().token_hash != token  # only the hash is kept
    body = {"token": token, "public_key": public_key_of(key), "name": "lab-1"}
    first = client.post("/api/sync/v1/register", body, content_type="application/json")
    assert first.status_code == 201
    assert first.json()["center"] == "GLT"
    assert Node.objects.get().center == center
    again = {**body, "public_key": public_key_of(Ed25519PrivateKey.generate())}
    second = client.post("/api/sync/v1/register", again, content_type="application/json")
    assert second.status_code == 403
    assert Node.objects.count() == 1


def test_an_expired_token_is_refused(client, center, key):
    token = services.enrolment_token_create(center=center)
    EnrolmentToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    body = {"token": token, "public_key": public_key_of(key), "name": "lab-1"}
    response = client.post("/api/sync/v1/register", body, content_type="application/json")
    assert response.status_code == 403
    assert not Node.objects.exists()


def test_a_signed_request_is_accepted_once(client, node, key):
    path = "/api/sync/v1/status"
    headers = headers_sign(key=key, node_id=str(node.public_id), method="GET", path=path, body=b"")
    first = client.get(path, headers=headers)
    assert first.status_code == 200
    assert first.json()["center"] == "GLT"
    assert client.get(path, headers=headers).status_code == 401  # the same nonce: a replay


def test_unsigned_badly_signed_and_stale_requests_are_refused(client, node, key):
    path = "/api/sync/v1/status"
    assert client.get(path).status_code == 401
    stranger = Ed25519PrivateKey.generate()
    assert signed_get(client, node, stranger, path).status_code == 401
    headers = headers_sign(key=key, node_id=str(node.public_id), method="GET", path=path, body=b"")
    headers["X-Hunar-Timestamp"] = str(int(headers["X-Hunar-Timestamp"]) - 301)
    assert client.get(path, headers=headers).status_code == 401


def test_a_revoked_node_gets_403(client, node, key):
    services.node_revoke(node=node)
    assert signed_get(client, node, key, "/api/sync/v1/status").status_code == 403
    assert signed_get(client, node, key, "/api/sync/v1/down/center").status_code == 403


def test_plain_http_upstream_is_refused_unless_loopback():
    assert upstream_check("https://hunar.example.org/") == "https://hunar.example.org"
    assert upstream_check("http://127.0.0.1:8300") == "http://127.0.0.1:8300"
    assert upstream_check("http://localhost:8300") == "http://localhost:8300"
    with pytest.raises(ValueError):
        upstream_check("http://hunar.example.org")
    with pytest.raises(ValueError):
        upstream_check("http://10.0.0.5:8000")


def test_down_gives_the_center_and_nothing_of_another(client, node, key, center):
    mine = LearnerProfileFactory(home_center=center, user__username="amna")
    other_center = CenterFactory(code="SKD")
    LearnerProfileFactory(home_center=other_center, user__username="bilal")
    trainer_of(other_center, "trainer-skd")
    CohortFactory(center=other_center)
    CohortFactory(center=center, name="Morning")
    response = signed_get(client, node, key, "/api/sync/v1/down/center")
    assert response.status_code == 200
    rows = json.loads(gzip.decompress(response.content))
    users = {row["fields"]["username"] for row in rows if row["model"] == "lms.user"}
    assert users == {"amna"}
    passwords = {r["fields"]["password"] for r in rows if r["model"] == "lms.user"}
    assert mine.user.password in passwords
    assert {row["fields"]["code"] for row in rows if row["model"] == "lms.center"} == {"GLT"}
    assert [r["fields"]["name"] for r in rows if r["model"] == "lms.cohort"] == ["Morning"]
    digest = response["X-Hunar-Hash"]
    unchanged = signed_get(client, node, key, "/api/sync/v1/down/center", since=digest)
    assert unchanged.json() == {"unchanged": True, "hash": digest}


def test_down_curriculum_has_the_live_pages_only(client, node, key, make_course):
    _track, course, (lesson, _second) = make_course(lessons=2)
    lesson.unpublish()
    response = signed_get(client, node, key, "/api/sync/v1/down/curriculum")
    rows = json.loads(gzip.decompress(response.content))
    page_ids = {row["pk"] for row in rows if row["model"] == "wagtailcore.page"}
    assert course.pk in page_ids
    assert lesson.pk not in page_ids
    assert any(row["model"] == "courses.coursepage" and row["pk"] == course.pk for row in rows)


def test_file_serves_only_the_curriculums_files(client, node, key):
    response = signed_get(client, node, key, "/api/sync/v1/file", name="../settings.py")
    assert response.status_code == 404
    digest, body = snapshot.snapshot("curriculum", node.center)
    assert snapshot.file_names(json.loads(body)) == []


def test_applying_a_snapshot_updates_by_id_and_unpublishes_what_went(node, make_course):
    """The node's side, on this database: applying the server's rows again changes nothing, and
    a page missing from a later snapshot is unpublished, not deleted."""
    from wagtail.models import Page

    _track, course, (lesson, second) = make_course(lessons=2)
    _digest, body = snapshot.snapshot("curriculum", node.center)
    pages = Page.objects.count()
    assert snapshot.snapshot_apply("curriculum", body, first=False)["kept_local"] == 0
    assert Page.objects.count() == pages
    rows = [
        row
        for row in json.loads(body)
        if not (
            row["model"] in {"wagtailcore.page", "courses.lessonpage"} and row["pk"] == second.pk
        )
    ]
    snapshot.snapshot_apply("curriculum", json.dumps(rows).encode(), first=False)
    second.refresh_from_db()
    lesson.refresh_from_db()
    assert (second.live, lesson.live) == (False, True)
    assert Page.objects.count() == pages
