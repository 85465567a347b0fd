"""Move issued certificates' PDFs out of the public media storage into the private one.

Before this, ``certificates/<year>/<serial>.pdf`` sat in the default storage, which is served
publicly (``MEDIA_URL``), so anyone could walk the serials. Each file is copied to the private
storage under its unguessable name (``certificates.storage.certificate_pdf_name``), its row is
pointed at the copy, and only then is the public file deleted. Batch ZIPs in the public storage
are deleted: they are rebuilt on demand (and now expire anyway).

Not atomic on purpose: files cannot roll back with a transaction, so every row is committed as
soon as its file is copied. Running it again (after a crash) finishes the job and changes
nothing already done. Reversible: going back copies each file to its old public name again,
which republishes the certificates; only do that to roll back a deployment.
"""

from django.core.files.storage import storages
from django.db import migrations

from certificates.storage import certificate_pdf_name

OLD_BATCH_FOLDER = "certificates/batches"


def _old_name(certificate) -> str:
    return f"certificates/{certificate.issued_at:%Y}/{certificate.serial}.pdf"


def _move(source, target, name_from: str, name_to: str) -> str:
    """Copy ``name_from`` in ``source`` to ``name_to`` in ``target`` (replacing any copy a
    crashed run left there); the name the target saved it under."""
    with source.open(name_from, "rb") as handle:
        if target.exists(name_to):
            target.delete(name_to)
        return target.save(name_to, handle)


def _delete_folder(storage, folder: str) -> None:
    try:
        _folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{folder}/{name}")


def pdfs_to_private(apps, schema_editor) -> None:
    """Every certificate's PDF from the default storage to the private one, rows updated."""
    Certificate = apps.get_model("certificates", "Certificate")
    public, private = storages["default"], storages["private"]
    for certificate in Certificate.objects.exclude(pdf="").order_by("pk").iterator():
        current, hidden = certificate.pdf.name, certificate_pdf_name(certificate)
        if current != hidden:
            if not public.exists(current):
                continue  # already missing before this migration: nothing to move
            saved = _move(public, private, current, hidden)
            Certificate.objects.filter(pk=certificate.pk).update(pdf=saved)
        # Deleted after the row points at the copy; also clears what a crashed run left.
        for leftover in {current, _old_name(certificate)}:
            if leftover != hidden and public.exists(leftover):
                public.delete(leftover)
    _delete_folder(public, OLD_BATCH_FOLDER)


def pdfs_to_public(apps, schema_editor) -> None:
    """The reverse: each PDF back to ``certificates/<year>/<serial>.pdf`` in the default storage."""
    Certificate = apps.get_model("certificates", "Certificate")
    public, private = storages["default"], storages["private"]
    for certificate in Certificate.objects.exclude(pdf="").order_by("pk").iterator():
        current = certificate.pdf.name
        if not private.exists(current):
            continue
        saved = _move(private, public, current, _old_name(certificate))
        Certificate.objects.filter(pk=certificate.pk).update(pdf=saved)
        private.delete(current)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("certificates", "0002_certificate_pdf_private_storage"),
    ]

    operations = [
        migrations.RunPython(pdfs_to_private, pdfs_to_public, elidable=False),
    ]
