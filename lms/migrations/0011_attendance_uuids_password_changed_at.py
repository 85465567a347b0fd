"""Attendance marks and their changes get a globally unique ``uuid``; users a ``password_changed_at``.

Existing rows get distinct uuids in batches (RunPython), then the column becomes unique and
required. Works on SQLite and PostgreSQL. See docs/decisions/0024-records-up-from-lab-nodes.md.
"""

import uuid

from django.db import migrations, models

BATCH = 2000


def _fill(app_label, model_name):
    def fill(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        db = schema_editor.connection.alias
        while True:
            rows = list(model.objects.using(db).filter(uuid__isnull=True).only("pk")[:BATCH])
            if not rows:
                return
            for row in rows:
                row.uuid = uuid.uuid4()
            model.objects.using(db).bulk_update(rows, ["uuid"])

    return fill


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0010_staff_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendancemark",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="attendancechange",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(_fill("lms", "attendancemark"), migrations.RunPython.noop, elidable=True),
        migrations.RunPython(_fill("lms", "attendancechange"), migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="attendancemark",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="attendancechange",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="user",
            name="password_changed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
