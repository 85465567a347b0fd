"""Seeding the demo once for a whole test module: ``seed_demo`` takes seconds, so a module whose
tests only read the demo seeds it once, in a transaction rolled back when the module ends (each
test's own changes roll back after it, as usual)::

    @pytest.fixture(scope="module")
    def seeded(django_db_setup, django_db_blocker):
        with demo_seeded_once(django_db_blocker) as output:
            yield output

Only for modules where every test uses it: a test of the same module that does not ask for the
fixture would still see the demo while the module's transaction is open.
"""

import io
from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction


@contextmanager
def demo_seeded_once(django_db_blocker):
    """Run ``seed_demo``; yield what it printed; roll everything back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)
