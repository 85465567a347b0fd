from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import demo_accounts_lines
from demo.network import DEMO_PASSWORD, DemoAccountConflict
from demo.seed import demo_seed

RISK_FLAG = "--i-know-this-creates-public-demo-accounts"
REFUSED = (
    "seed_demo creates a superuser and demo accounts whose password is published "
    f"({DEMO_PASSWORD!r}); these settings do not allow demo data (HUNAR_DEMO_ALLOWED is off, "
    "as in production). Nothing was created. To load it anyway on a throwaway server, run "
    f"seed_demo {RISK_FLAG}."
)


class Command(BaseCommand):
    help = (
        "Load the demo network (centers, people, cohorts and every app's demo data). Idempotent. "
        "Only where the settings allow demo data (development, tests) or with "
        f"{RISK_FLAG}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            RISK_FLAG,
            action="store_true",
            dest="accept_public_accounts",
            help="Load the demo even though these settings do not allow it: anybody can then "
            "sign in as the demo superuser with the published password.",
        )

    def handle(self, *args, **options):
        if not (settings.HUNAR_DEMO_ALLOWED or options["accept_public_accounts"]):
            raise CommandError(REFUSED)
        try:
            accounts = demo_seed()
        except DemoAccountConflict as conflict:
            raise CommandError(str(conflict)) from conflict
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in (staff at /admin/) as:"))
        for line in demo_accounts_lines(accounts):
            self.stdout.write(line)
