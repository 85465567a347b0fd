"""What travels down: two snapshots, each a list of Django-serialized rows with a content hash.

``curriculum`` is the published curriculum of the whole programme in every language (the live
page tree with its specific pages, question banks open to the center, images and documents
outside other centers' collections, the certificate public keys); ``center`` is one center with
its cohorts, sessions, staff and learners (password hashes included) and their enrolments.

Rows keep the server's primary keys (a node's own rows start far above them, see
:func:`node_sequences_raise`); references to users, groups, permissions and content types travel
by natural key, since those differ between databases. A node sends the hash it holds and gets
``unchanged`` back when nothing moved, so a sync with no news costs one small request.
"""

import hashlib
import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

PARTS = ("curriculum", "center")
# Fields that point at rows a node does not hold (revisions, editors) travel empty.
DROPPED_FIELDS = {
    "latest_revision",
    "live_revision",
    "owner",
    "locked_by",
    "uploaded_by_user",
    "last_published_by",
    "created_by",
    "marked_by",
    "recorded_by",
    "withdrawn_by",
    "imported_by",
}
# Sequences on a node start here, far above any id the server will hand out for years.
NODE_ID_FLOOR = 1 << 40


def _rows(queryset, *, natural_primary=False) -> list[dict]:
    text = serializers.serialize(
        "json",
        queryset,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=natural_primary,
    )
    rows = json.loads(text)
    for row in rows:
        for name in DROPPED_FIELDS & row["fields"].keys():
            row["fields"][name] = [] if isinstance(row["fields"][name], list) else None
    return rows


def _other_center_collections(center):
    from lms.models import Center

    return (
        Center.objects.exclude(pk=center.pk)
        .exclude(media_collection=None)
        .values("media_collection")
    )


def curriculum_rows(center) -> list[dict]:
    """The published curriculum, in the order a node saves it."""
    from certificates.models import SigningKey

    pages = Page.objects.filter(Q(live=True) | Q(depth=1)).order_by("path")
    kept_paths: set[str] = set()
    page_ids = []
    for page_id, path, depth in pages.values_list("pk", "path", "depth"):
        parent = path[: -Page.steplen]
        if depth == 1 or parent in kept_paths:
            kept_paths.add(path)
            page_ids.append(page_id)
    foreign = _other_center_collections(center)
    banks = apps.get_model("assessments", "QuestionBank").objects.filter(
        Q(center=None) | Q(center=center)
    )
    questions = apps.get_model("assessments", "Question").objects.filter(bank__in=banks)
    rows = []
    rows += _rows(Locale.objects.order_by("pk"))
    rows += _rows(Collection.objects.order_by("path"))
    rows += _rows(get_image_model().objects.exclude(collection__in=foreign).order_by("pk"))
    rows += _rows(get_document_model().objects.exclude(collection__in=foreign).order_by("pk"))
    rows += _rows(Page.objects.filter(pk__in=page_ids).order_by("path"))
    for model in _page_models():
        rows += _rows(model.objects.filter(pk__in=page_ids).order_by("pk"))
    rows += _rows(Site.objects.filter(root_page__in=page_ids).order_by("pk"))
    rows += _rows(banks.order_by("pk"))
    rows += _rows(questions.order_by("pk"))
    for label in ("assessments.Choice", "assessments.RubricCriterion"):
        rows += _rows(apps.get_model(label).objects.filter(question__in=questions).order_by("pk"))
    for label in ("assessments.AssessmentQuestion", "assessments.AssessmentDraw"):
        model = apps.get_model(label)
        kept = model.objects.filter(page__in=page_ids)
        if label.endswith("Question"):
            kept = kept.filter(question__in=questions)
        else:
            kept = kept.filter(bank__in=banks)
        rows += _rows(kept.order_by("pk"))
    rows += _rows(SigningKey.objects.order_by("pk"))
    return rows


def _page_models():
    """Every concrete specific page model of ours (their own tables; Page rows travel apart)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and model is not Page
        and model._meta.app_label in {"content", "courses", "assessments"}
    ]


def center_rows(center) -> list[dict]:
    """One center, its cohorts and sessions, its people (with password hashes), enrolments."""
    from django.contrib.auth.models import Group

    from lms.models import CenterStaff, Cohort, CohortMembership, CohortSession, LearnerProfile

    Enrollment = apps.get_model("courses", "Enrollment")
    User = get_user_model()
    cohorts = Cohort.objects.filter(center=center)
    learner_ids = set(
        LearnerProfile.objects.filter(home_center=center).values_list("user_id", flat=True)
    ) | set(
        CohortMembership.objects.filter(cohort__in=cohorts).values_list("learner_id", flat=True)
    )
    staff_ids = set(CenterStaff.objects.filter(center=center).values_list("user_id", flat=True))
    trainer_ids = set(cohorts.values_list("trainers", flat=True)) - {None}
    users = User.objects.filter(pk__in=learner_ids | staff_ids | trainer_ids).order_by("pk")
    groups = Group.objects.filter(Q(user__in=users) | Q(pk=center.staff_group_id)).distinct()
    rows = []
    rows += _rows(groups.order_by("name"), natural_primary=True)
    rows += _rows(users)
    rows += _rows(type(center).objects.filter(pk=center.pk))
    rows += _rows(LearnerProfile.objects.filter(user__in=users).order_by("pk"))
    rows += _rows(CenterStaff.objects.filter(center=center).order_by("pk"))
    rows += _rows(cohorts.order_by("pk"))
    rows += _rows(CohortMembership.objects.filter(cohort__in=cohorts).order_by("pk"))
    rows += _rows(CohortSession.objects.filter(cohort__in=cohorts).order_by("pk"))
    rows += _rows(Enrollment.objects.filter(center=center, learner__in=users).order_by("pk"))
    return rows


def snapshot(part: str, center) -> tuple[str, bytes]:
    """(content hash, JSON bytes) of one part for a center."""
    rows = curriculum_rows(center) if part == "curriculum" else center_rows(center)
    body = json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    body = body.encode()
    return hashlib.sha256(body).hexdigest(), body


def file_allowed(name: str, center) -> str | None:
    """Which storage holds ``name`` if it is the original of an image or document the center's
    curriculum carries ("default" or "private"), else None."""
    foreign = _other_center_collections(center)
    if get_image_model().objects.filter(file=name).exclude(collection__in=foreign).exists():
        return "default"
    if get_document_model().objects.filter(file=name).exclude(collection__in=foreign).exists():
        return "private"
    return None


def file_names(rows: list[dict]) -> list[str]:
    """The media files (images' and documents' originals) a snapshot names."""
    labels = {
        get_image_model()._meta.label_lower,
        get_document_model()._meta.label_lower,
    }
    return sorted(row["fields"]["file"] for row in rows if row["model"] in labels)


# --- On the node ------------------------------------------------------------------------------


def node_sequences_raise() -> None:
    """Start every SQLite sequence at NODE_ID_FLOOR, so rows made on the node never take an id
    the server's rows will arrive with."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            if found is None:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, NODE_ID_FLOOR],
                )
            elif found[0] < NODE_ID_FLOOR:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [NODE_ID_FLOOR, table]
                )


@transaction.atomic
def snapshot_apply(part: str, body: bytes, *, first: bool) -> dict:
    """Save a snapshot's rows on the node: new rows added, known rows updated by primary key.

    The first curriculum replaces the pages, locale, collection and site a fresh install made.
    A page no longer published upstream is unpublished here, never deleted, so
    no learner's progress on it goes. A row that clashes with one the node made itself (an
    enrolment already taken offline) keeps the node's row; its own copy comes back up anyway.
    """
    rows = json.loads(body)
    if part == "curriculum" and first:
        # A fresh install's own tree, locale and collection make way for the server's, whose
        # ids may differ (rows here keep the server's ids).
        Site.objects.all().delete()
        Page.objects.all().delete()
        Collection.objects.all().delete()
        Locale.objects.all().delete()
    saved = kept_local = 0
    for obj in serializers.deserialize("json", body):
        try:
            with transaction.atomic():
                obj.save()
            saved += 1
        except IntegrityError:
            kept_local += 1
    if part == "curriculum":
        live_ids = [row["pk"] for row in rows if row["model"] == "wagtailcore.page"]
        Page.objects.filter(depth__gt=1, live=True).exclude(pk__in=live_ids).update(live=False)
    return {"saved": saved, "kept_local": kept_local}
