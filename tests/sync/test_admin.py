"""Lab nodes in the admin: programme admins list, make tokens and revoke; a node's staff see the
link's state."""

import datetime
import socket
import uuid

import pytest
from django.utils import timezone

from lms import roles
from sync.models import EnrolmentToken, Node, NodeState
from tests.factories import CenterFactory, UserFactory, manager_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    return CenterFactory(code="GLT")


@pytest.fixture
def node(center):
    return Node.objects.create(center=center, name="lab-1", public_key="k" * 43)


def test_programme_admin_lists_nodes_makes_a_token_and_revokes(client, node, center):
    client.force_login(UserFactory(username="admin", role=roles.PROGRAMME_ADMIN))
    page = client.get("/admin/nodes/")
    assert page.status_code == 200
    assert "lab-1" in page.text
    made = client.post("/admin/nodes/", {"center": center.pk})
    assert made.status_code == 200
    token = made.context["token"]
    assert EnrolmentToken.objects.get().token_hash != token
    assert token in made.text
    assert client.post(f"/admin/nodes/{node.pk}/revoke/").status_code == 302
    node.refresh_from_db()
    assert node.revoked_at is not None


def test_a_center_manager_cannot_see_or_revoke_nodes(client, node, center):
    client.force_login(manager_of(center))
    # Wagtail's admin answers a refused permission with a redirect to its home page.
    listing = client.get("/admin/nodes/")
    assert (listing.status_code, listing.url) == (302, "/admin/")
    revoke = client.post(f"/admin/nodes/{node.pk}/revoke/")
    assert (revoke.status_code, revoke.url) == (302, "/admin/")
    node.refresh_from_db()
    assert node.revoked_at is None


def test_a_nodes_staff_see_offline_since_and_records_waiting(client, center, settings):
    settings.HUNAR_NODE = True
    since = timezone.make_aware(datetime.datetime(2026, 12, 7, 9, 12))
    NodeState.objects.create(
        upstream="https://hunar.example.org",
        node_id=uuid.uuid4(),
        center=center,
        offline_since=since,
        records_waiting=214,
    )
    client.force_login(manager_of(center))
    page = client.get("/admin/")
    assert "Offline since 09:12 — 214 records waiting" in page.text


def test_the_link_panel_is_not_on_the_server(client, center):
    client.force_login(manager_of(center))
    assert "Link to the programme" not in client.get("/admin/").text


def test_sync_now_with_the_link_down_says_so_and_keeps_the_batch(
    client, center, settings, tmp_path
):
    """A node whose upstream does not answer: the admin's Sync now reports it, the node
    remembers since when, and the batch waits on disk under its id."""
    from sync.auth import key_generate
    from sync.client import key_path

    settings.HUNAR_NODE = True
    settings.SYNC_NODE_DIR = tmp_path
    key_generate(key_path())
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    NodeState.objects.create(
        upstream=f"http://127.0.0.1:{port}", node_id=uuid.uuid4(), center=center
    )
    client.force_login(manager_of(center))
    response = client.post("/admin/nodes/sync-now/", follow=True)
    assert "did not answer" in response.text
    state = NodeState.objects.get()
    assert state.offline_since is not None
    assert state.last_error
