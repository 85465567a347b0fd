"""Models of lab nodes and their sync (docs/decisions/0023-lab-node-sync.md).

On the programme's server: ``Node`` (one lab machine, bound to one center, known by its Ed25519
public key), ``EnrolmentToken`` (one-time, hashed, expiring) and ``UploadBatch`` (one row per
batch of records a node sent, so a replayed batch changes nothing). On a node: ``NodeState``, the
single row that says where its upstream is and how far each direction has got.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Node(models.Model):
    """A lab machine running Hunar for one center; it signs every request with its own key."""

    public_id = models.UUIDField(_("node id"), default=uuid.uuid4, unique=True, editable=False)
    center = models.ForeignKey(
        "lms.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    # The raw 32-byte Ed25519 public key, base64url (as certificates.signing writes keys).
    public_key = models.CharField(_("public key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    last_sync_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["center__code", "name"]
        verbose_name = _("lab node")
        verbose_name_plural = _("lab nodes")

    def __str__(self) -> str:
        return f"{self.name} ({self.center.code})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class EnrolmentToken(models.Model):
    """A one-time token a programme admin hands to a lab; only its SHA-256 is kept."""

    center = models.ForeignKey(
        "lms.Center", verbose_name=_("center"), on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    node = models.OneToOneField(
        Node, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolment_token"
    )

    class Meta:
        verbose_name = _("node enrolment token")
        verbose_name_plural = _("node enrolment tokens")

    def __str__(self) -> str:
        return f"token for {self.center_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class UploadBatch(models.Model):
    """One batch of records a node uploaded; its id is the node's, so a replay finds this row."""

    batch_id = models.UUIDField(unique=True)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="batches")
    received_at = models.DateTimeField(auto_now_add=True)
    size_bytes = models.PositiveIntegerField(default=0)
    record_count = models.PositiveIntegerField(default=0)
    # What records_apply answered, returned again as is when the same batch comes back.
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("upload batch")
        verbose_name_plural = _("upload batches")

    def __str__(self) -> str:
        return str(self.batch_id)


class NodeState(models.Model):
    """On a node only: its upstream, its id there, and how far each direction has got."""

    upstream = models.URLField(max_length=500)
    node_id = models.UUIDField()
    center = models.ForeignKey("lms.Center", null=True, on_delete=models.SET_NULL, related_name="+")
    # Down: the content hash of each snapshot last applied ("curriculum", "center").
    down_hashes = models.JSONField(default=dict)
    # Up: the cursor records_collect gave with the last batch the server acknowledged.
    up_cursor = models.CharField(max_length=100, blank=True)
    # A batch collected but not yet acknowledged: sent again, with the same id, until it is.
    pending_batch_id = models.UUIDField(null=True, blank=True)
    pending_cursor = models.CharField(max_length=100, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    offline_since = models.DateTimeField(null=True, blank=True)
    records_waiting = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("node state")
        verbose_name_plural = _("node state")

    def __str__(self) -> str:
        return f"node {self.node_id} of {self.upstream}"
