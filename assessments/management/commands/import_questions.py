"""Import a GIFT, Moodle XML or Aiken file of questions into a bank, all or nothing.

Exit status 0 only when every question was imported; otherwise each problem is printed with its
line, nothing is saved and the status is 1.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.importing import FORMATS, ImportRefused, questions_import, questions_preview
from assessments.models import QuestionBank


class Command(BaseCommand):
    help = "Import questions (GIFT, Moodle XML, Aiken) into a bank: all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--bank", type=int, required=True, help="the bank's id")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), required=True)
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the questions (default: drafts for the bank's reviewers)",
        )
        parser.add_argument(
            "--user", help="the user the questions' revisions are recorded under (checked)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and list problems, save nothing"
        )

    def handle(self, *args, file: Path, bank: int, fmt: str, publish, user, dry_run, **options):
        target = QuestionBank.objects.filter(pk=bank).first()
        if target is None:
            raise CommandError(f"No question bank with id {bank}.")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user {user}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            if dry_run:
                outcome = questions_preview(bank=target, data=data, fmt=fmt)
            else:
                outcome = questions_import(
                    bank=target, user=account, data=data, fmt=fmt, publish=publish
                )
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        for problem in outcome.problems:
            self.stderr.write(f"{file}:{problem.line}: {problem.message}")
        if outcome.problems:
            raise CommandError(
                f"{len(outcome.problems)} problem(s) in {len(outcome.questions)} question(s): "
                "nothing was imported.",
                returncode=1,
            )
        if dry_run:
            self.stdout.write(f"{len(outcome.questions)} question(s) would be imported.")
            return
        state = "published" if publish else "drafts awaiting review"
        self.stdout.write(f"Imported {len(outcome.saved)} question(s) into “{target}” ({state}).")
