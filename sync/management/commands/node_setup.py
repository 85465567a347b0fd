from django.core.management.base import BaseCommand, CommandError

from sync.client import LinkDown, Refused
from sync.node import NodeSetupError, node_setup


class Command(BaseCommand):
    help = "On a lab machine: register with the upstream server and pull everything down."

    def add_arguments(self, parser):
        parser.add_argument("--upstream", required=True, help="The server, https://…")
        parser.add_argument("--token", required=True, help="From `node_register` on the server.")
        parser.add_argument("--name", default="", help="This node's name (default: host name).")

    def handle(self, *args, upstream, token, name, **options):
        try:
            summary = node_setup(upstream=upstream, token=token, name=name)
        except (ValueError, NodeSetupError, LinkDown, Refused) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Node set up: received {summary.received} rows and {summary.files} files "
            f"({summary.bytes_received} bytes)."
        )
