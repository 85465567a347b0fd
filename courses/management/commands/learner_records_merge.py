"""``manage.py learner_records_merge [--dry-run]``: merge learner records split across
translations (courses.merge) and print the counts before and after."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from courses.merge import learner_record_counts, learner_records_merge


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Put every learner record on the canonical page and merge duplicates across languages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the counts after, then roll back."
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            with transaction.atomic():
                before = learner_record_counts(apps)
                changed = learner_records_merge(apps)
                after = learner_record_counts(apps)
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        width = max(len(name) for name in before)
        self.stdout.write(f"{'':{width}}  before  after" + ("  (dry run)" if dry_run else ""))
        for name in before:
            self.stdout.write(f"{name:{width}}  {before[name]:>6}  {after.get(name, 0):>5}")
        for name, count in sorted(changed.items()):
            self.stdout.write(f"{name}: {count}")
        if not changed:
            self.stdout.write("Nothing to merge.")
