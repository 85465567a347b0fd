from django.core.management.base import BaseCommand

from lms.demo import DEMO_PASSWORD, demo_network_seed, registered_seeders


class Command(BaseCommand):
    help = "Load the demo network (centers, people, cohorts and every app's demo data). Idempotent."

    def handle(self, *args, **options):
        logins = demo_network_seed()
        for seeder in registered_seeders():
            seeder()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at /admin/ with:"))
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role:<16} {login.center}")
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
