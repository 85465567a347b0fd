"""The issuing process of test_broker_outage.py: a long-lived Django process with a real Celery
client on the test's own Redis, issuing one certificate per line of input (an enrollment id)
and answering one JSON line: the certificate's id, the seconds it took, and how many errors
were logged while queueing its follow-up (a broker that is down). It keeps its Celery client
across the outage, as a gunicorn worker does."""

import json
import logging
import sys
import time

import django


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


def main() -> None:
    django.setup()
    from certificates.services import certificate_issue
    from courses.models import Enrollment

    counter = _Counter()
    logging.getLogger().addHandler(counter)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        before, started = counter.count, time.monotonic()
        certificate = certificate_issue(enrollment=Enrollment.objects.get(pk=int(line)))
        answer = {
            "certificate": certificate.pk,
            "seconds": round(time.monotonic() - started, 2),
            "errors": counter.count - before,
        }
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
