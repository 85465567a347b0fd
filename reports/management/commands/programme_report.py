"""Build the weekly report on demand: the same PDF and CSV that Celery beat e-mails."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.models import Center
from reports.weekly import WeekError, report_files, week_parse, weekly_report_send


class Command(BaseCommand):
    help = (
        "Write the weekly report (PDF with charts, and its CSV) for the programme, or for one "
        "center with --center; --email also sends it to the usual recipients."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", default="", help="YYYY-Www, e.g. 2026-W48 (default: last)")
        parser.add_argument("--center", default="", help="a center's code, e.g. GLT")
        parser.add_argument(
            "--output",
            default=str(Path(settings.VAR_DIR) / "reports"),
            help="folder for the files (default: var/reports)",
        )
        parser.add_argument("--email", action="store_true", help="e-mail it as beat would")

    def handle(self, *args, week, center, output, email, **options):
        try:
            week = week_parse(week)
        except WeekError as error:
            raise CommandError(error.message) from error
        target = None
        if center:
            target = Center.objects.filter(code=center.strip().upper()).first()
            if target is None:
                raise CommandError(f"No center has the code {center!r}.")
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for name, (content, _mime) in report_files(week=week, center=target).items():
            path = folder / name
            path.write_bytes(content)
            self.stdout.write(f"{path}  ({len(content):,} bytes)")
        if email:
            sent = weekly_report_send(week=week, center=target)
            self.stdout.write("E-mailed." if sent else "Nobody with an e-mail address to send to.")
