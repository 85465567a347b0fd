from django.core.management.base import BaseCommand, CommandError

from sync.client import Refused
from sync.node import NodeSetupError, node_sync


class Command(BaseCommand):
    help = "On a lab node: one sync both ways with the upstream server, and its summary."

    def handle(self, *args, **options):
        try:
            summary = node_sync()
        except (NodeSetupError, Refused) as error:
            raise CommandError(str(error)) from None
        state = "online" if summary.online else f"offline ({summary.error})"
        self.stdout.write(
            f"sync {state}: sent {summary.sent}, received {summary.received}, "
            f"conflicts {summary.conflicts}, kept local {summary.kept_local}, "
            f"files {summary.files}, "
            f"bytes sent {summary.bytes_sent}, bytes received {summary.bytes_received}"
        )
        if not summary.online:
            raise SystemExit(2)
