"""The up door: a signed, gzip batch applied once for the node's center, and nothing else."""

import gzip
import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.serializers.json import DjangoJSONEncoder

from assessments.models import Attempt
from courses.models import Enrollment, LessonProgress
from sync import services
from sync.auth import headers_sign, public_key_of
from sync.models import UploadBatch
from sync.records import records_collect
from tests.sync.conftest import lab_day

pytestmark = pytest.mark.django_db


def _node_of(center):
    key = Ed25519PrivateKey.generate()
    token = services.enrolment_token_create(center=center)
    return services.node_enrol(token=token, public_key=public_key_of(key), name="lab"), key


def _post_up(client, node, key, payload, batch_id):
    body = json.dumps({"batch": str(batch_id), "payload": payload}, cls=DjangoJSONEncoder)
    body = gzip.compress(body.encode())
    path = "/api/sync/v1/up"
    headers = headers_sign(
        key=key, node_id=str(node.public_id), method="POST", path=path, body=body
    )
    return client.post(
        path,
        body,
        content_type="application/json",
        headers={**headers, "Content-Encoding": "gzip"},
    )


def _forget_records():
    Attempt.objects.all().delete()
    LessonProgress.objects.all().delete()


def test_a_batch_sent_twice_is_applied_once(client, lab):
    learners = lab.learners(2)
    lab_day(lab, learners, attendance=False)
    payload = records_collect(center=lab.center)
    _forget_records()
    node, key = _node_of(lab.center)
    batch = uuid.uuid4()
    first = _post_up(client, node, key, payload, batch)
    assert first.status_code == 200, first.content
    assert first.json()["replayed"] is False
    progress, attempts = LessonProgress.objects.count(), Attempt.objects.count()
    assert progress > 0 and attempts == 2
    again = _post_up(client, node, key, payload, batch)
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["result"] == first.json()["result"]
    assert (LessonProgress.objects.count(), Attempt.objects.count()) == (progress, attempts)
    assert UploadBatch.objects.get().record_count > 0
    node.refresh_from_db()
    assert node.last_sync_at is not None


def test_another_centers_node_is_refused_and_nothing_is_saved(client, lab):
    learners = lab.learners(1)
    lab_day(lab, learners, attendance=False)
    payload = records_collect(center=lab.center)
    _forget_records()
    stranger_node, key = _node_of(lab.other_center)
    response = _post_up(client, stranger_node, key, payload, uuid.uuid4())
    assert response.status_code == 403
    assert not Attempt.objects.exists() and not LessonProgress.objects.exists()
    assert not UploadBatch.objects.exists()
    assert Enrollment.objects.filter(learner__in=learners).count() == 1


def test_a_revoked_node_cannot_upload(client, lab):
    lab_day(lab, lab.learners(1), attendance=False)
    payload = records_collect(center=lab.center)
    _forget_records()
    node, key = _node_of(lab.center)
    services.node_revoke(node=node)
    assert _post_up(client, node, key, payload, uuid.uuid4()).status_code == 403
    assert not Attempt.objects.exists() and not UploadBatch.objects.exists()
