from django.core.management.base import BaseCommand, CommandError

from certificates import signing
from certificates.models import SigningKey


class Command(BaseCommand):
    help = (
        "Manage certificate signing keys: generate (first key), rotate (new key, retire old), list."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate", "rotate", "list"])

    def handle(self, *args, action, **options):
        if action == "list":
            for key in SigningKey.objects.order_by("created_at"):
                state = f"retired {key.retired_at:%Y-%m-%d}" if key.retired_at else "current"
                self.stdout.write(f"{key.kid}  created {key.created_at:%Y-%m-%d}  {state}")
            return
        if action == "generate" and SigningKey.objects.filter(retired_at__isnull=True).exists():
            raise CommandError("A current key exists; use `rotate` to replace it.")
        key = signing.key_generate(retire_current=action == "rotate")
        self.stdout.write(self.style.SUCCESS(f"New signing key {key.kid}"))
        self.stdout.write(f"Private key written to {signing._key_dir() / (key.kid + '.pem')}")
