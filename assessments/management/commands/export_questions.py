"""Write a bank's questions as GIFT, Moodle XML or Aiken, to a file or standard output."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.importing import FORMATS, bank_export
from assessments.models import QuestionBank


class Command(BaseCommand):
    help = "Export a bank's questions as GIFT, Moodle XML or Aiken."

    def add_arguments(self, parser):
        parser.add_argument("--bank", type=int, required=True, help="the bank's id")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), required=True)
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, bank: int, fmt: str, output, **options):
        target = QuestionBank.objects.filter(pk=bank).first()
        if target is None:
            raise CommandError(f"No question bank with id {bank}.")
        text, left_out = bank_export(bank=target, fmt=fmt)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
        for question in left_out:
            self.stderr.write(
                f"Left out (the format cannot hold a {question.kind} question): "
                f"#{question.pk} {question}"
            )
        if left_out:
            raise CommandError(f"{len(left_out)} question(s) left out.", returncode=1)
