"""Issue 13: one learner record per course, lesson and assessment, whatever the language.

Puts every enrolment, lesson progress row and attempt on the canonical (source-locale) page and
merges the duplicates (courses.merge). Depends on the assessments and certificates migrations
because attempts and certificates hang off the enrolments it merges. Irreversible: merged rows
cannot be told apart again; reversing is a no-op.
"""

from django.db import migrations


def merge(apps, schema_editor):
    from courses.merge import learner_record_counts, learner_records_merge

    before = learner_record_counts(apps)
    changed = learner_records_merge(apps)
    if changed:  # quiet on an empty or already merged database (every test run)
        after = learner_record_counts(apps)
        print(f"\n  learner records before: {before}\n  after: {after}\n  changed: {changed}")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_course_self_enrollment"),
        ("assessments", "0001_initial"),
        ("certificates", "0003_move_certificate_pdfs_to_private_storage"),
    ]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop, elidable=False)]
