from django.core.management.base import BaseCommand, CommandError

from lms.models import Center
from sync.services import TOKEN_LIFETIME, enrolment_token_create


class Command(BaseCommand):
    help = "On the programme's server: print a one-time token that sets up a lab node."

    def add_arguments(self, parser):
        parser.add_argument("--center", required=True, help="The center's code, e.g. GLT.")

    def handle(self, *args, center, **options):
        found = Center.objects.filter(code=center.upper()).first()
        if found is None:
            raise CommandError(f"No center with code {center!r}.")
        token = enrolment_token_create(center=found)
        hours = int(TOKEN_LIFETIME.total_seconds() // 3600)
        self.stderr.write(f"One-time token for {found} (valid {hours} hours, shown once):")
        self.stdout.write(token)
