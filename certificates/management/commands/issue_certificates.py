"""Issue certificates for a whole cohort from the shell, with a text progress bar.

With a broker the chunks run on the workers and this command follows them; without one (tasks
run eagerly) everything has happened by the time the batch is started.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from certificates.batch import cohort_batch_progress, cohort_certificates_issue
from lms.models import Cohort

BAR_WIDTH = 30


def progress_bar(progress) -> str:
    filled = BAR_WIDTH * progress.processed // max(progress.total, 1)
    return (
        f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {progress.processed}/{progress.total}"
        f"  issued {progress.done}, not issued {len(progress.failed)}"
    )


class Command(BaseCommand):
    help = "Issue (and render) the certificates of every learner in a cohort."

    def add_arguments(self, parser):
        parser.add_argument("--cohort", type=int, required=True, help="the cohort's id")
        parser.add_argument("--by", default="", help="username recorded as the issuer")
        parser.add_argument("--timeout", type=int, default=3600, help="seconds to follow")
        parser.add_argument("--no-wait", action="store_true", help="start it and return")

    def handle(self, *args, cohort, by, timeout, no_wait, **options):
        try:
            cohort = Cohort.objects.select_related("center").get(pk=cohort)
        except Cohort.DoesNotExist:
            raise CommandError(f"No cohort with id {cohort}.") from None
        user = get_user_model().objects.filter(username=by).first() if by else None
        batch_id = cohort_certificates_issue(cohort=cohort, by=user)
        self.stdout.write(f"Batch {batch_id} for {cohort.name} ({cohort.center.name})")
        if no_wait:
            return
        deadline = time.monotonic() + timeout
        last = ""
        while True:
            progress = cohort_batch_progress(batch_id)
            if progress is None:
                raise CommandError("The batch's progress is gone from the cache.")
            line = progress_bar(progress)
            if line != last:
                self.stdout.write(line)
                last = line
            if progress.finished or time.monotonic() > deadline:
                break
            time.sleep(1)
        for item in progress.failed:
            reasons = "; ".join(item["reasons"])
            self.stdout.write(f"  not issued: {item['learner']}: {reasons}")
        if progress.finished:
            self.stdout.write(self.style.SUCCESS(f"ZIP of the PDFs: {progress.zip_name}"))
        else:
            raise CommandError(f"Still running after {timeout} s; follow it in the admin.")
