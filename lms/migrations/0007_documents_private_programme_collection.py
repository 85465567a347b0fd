"""Existing media into the Programme collection; documents into the private store.

- Images and documents in the root collection (where every upload went so far: the shared
  curriculum) move to a "Programme" collection under the root. Per-center collections are made
  by ``lms.media.media_collections_sync`` after migrate.
- Every ``wagtaildocs.Document`` becomes an ``lms.PrivateDocument`` with the same id (lesson
  bodies and revisions refer to documents by id), title, collection, uploader, tags, search
  entry and references; its file is copied from the public media store into
  ``STORAGES["private"]`` and, once the migration has committed, deleted from the public one.
"""

from django.core.management.color import no_style
from django.db import migrations, transaction

PROGRAMME_COLLECTION = "Programme"  # lms.media.PROGRAMME_COLLECTION, frozen here
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail's Collection uses
_STEPLEN = 4


def _child_path(parent, number: int) -> str:
    step = ""
    while number:
        number, digit = divmod(number, len(_ALPHABET))
        step = _ALPHABET[digit] + step
    return parent.path + step.rjust(_STEPLEN, "0")


def _programme_collection(apps):
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return None, None
    children = Collection.objects.filter(path__startswith=root.path, depth=root.depth + 1)
    existing = children.filter(name=PROGRAMME_COLLECTION).first()
    if existing is not None:
        return root, existing
    last = children.order_by("-path").first()
    number = int(last.path[-_STEPLEN:], len(_ALPHABET)) + 1 if last else 1
    programme = Collection.objects.create(
        name=PROGRAMME_COLLECTION, path=_child_path(root, number), depth=root.depth + 1, numchild=0
    )
    Collection.objects.filter(pk=root.pk).update(numchild=children.count())
    return root, programme


def _move_documents(apps, schema_editor, *, source_label, target_label):
    """Copy every document of one model to the other with its id, file and every link to it."""
    Source = apps.get_model(*source_label.split("."))
    Target = apps.get_model(*target_label.split("."))
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")

    source_ct, _ = ContentType.objects.get_or_create(
        app_label=Source._meta.app_label, model=Source._meta.model_name
    )
    target_ct, _ = ContentType.objects.get_or_create(
        app_label=Target._meta.app_label, model=Target._meta.model_name
    )
    source_storage = Source._meta.get_field("file").storage
    target_storage = Target._meta.get_field("file").storage
    moved_ids, old_names = [], []
    for document in Source.objects.order_by("pk").iterator():
        name = document.file.name
        if name and source_storage.exists(name):
            with source_storage.open(name, "rb") as content:
                new_name = target_storage.save(name, content)
            old_names.append(name)
        else:
            new_name = name  # a lost file stays lost; the row (and the links to it) survive
        Target.objects.create(
            id=document.pk,
            title=document.title,
            file=new_name,
            collection_id=document.collection_id,
            uploaded_by_user_id=document.uploaded_by_user_id,
            file_size=document.file_size,
            file_hash=document.file_hash,
        )
        Target.objects.filter(pk=document.pk).update(created_at=document.created_at)
        moved_ids.append(document.pk)
    if not moved_ids:
        return

    TaggedItem.objects.filter(content_type=source_ct, object_id__in=moved_ids).update(
        content_type=target_ct
    )
    ReferenceIndex.objects.filter(to_content_type=source_ct).update(to_content_type=target_ct)
    ReferenceIndex.objects.filter(content_type=source_ct).update(
        content_type=target_ct, base_content_type=target_ct
    )
    IndexEntry.objects.filter(
        content_type=source_ct, object_id__in=[str(pk) for pk in moved_ids]
    ).update(content_type=target_ct)
    Source.objects.filter(pk__in=moved_ids).delete()

    # Rows were inserted with their ids: move PostgreSQL's sequence past them.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Target]):
            cursor.execute(sql)

    # The old files go only once the new rows are committed.
    def delete_old_files():
        for name in old_names:
            source_storage.delete(name)

    transaction.on_commit(delete_old_files, using=schema_editor.connection.alias)


def forwards(apps, schema_editor):
    root, programme = _programme_collection(apps)
    if root is not None:
        for label in ("wagtailimages.Image", "wagtaildocs.Document"):
            model = apps.get_model(*label.split("."))
            model.objects.filter(collection=root).update(collection=programme)
    _move_documents(
        apps, schema_editor, source_label="wagtaildocs.Document", target_label="lms.PrivateDocument"
    )


def backwards(apps, schema_editor):
    # Documents go back to Wagtail's model and the public store; collections stay as they are.
    _move_documents(
        apps, schema_editor, source_label="lms.PrivateDocument", target_label="wagtaildocs.Document"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0006_center_collections"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
