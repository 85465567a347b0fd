"""Enrollments and lesson progress get a globally unique ``uuid`` (records up from lab nodes).

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
        ("courses", "0005_due_dates_and_announcements"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="lessonprogress",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(_fill("courses", "enrollment"), migrations.RunPython.noop, elidable=True),
        migrations.RunPython(_fill("courses", "lessonprogress"), migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="enrollment",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="lessonprogress",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
