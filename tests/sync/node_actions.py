"""What a lab does on its node while the link is down, run in the node's own process
(``python tests/sync/node_actions.py ACTION ...`` with the node's settings in the environment).

Used by test_node_integration.py; prints one JSON line.
"""

import json
import os
import sys


def quiz(username: str, assessment_id: str) -> dict:
    from assessments.models import AssessmentPage
    from assessments.services import attempt_start, attempt_submit
    from lms.models import User

    learner = User.objects.get(username=username)
    assessment = AssessmentPage.objects.get(pk=int(assessment_id))
    attempt = attempt_start(learner=learner, assessment=assessment)
    answers = {}
    for position, question in enumerate(attempt.questions):
        answers[position] = [str(c["id"]) for c in question["choices"] if c["correct"]]
    attempt = attempt_submit(attempt=attempt, answers=answers, sequence=attempt.sequence)
    return {"attempt": str(attempt.uuid), "status": attempt.status}


def attendance(trainer_name: str, cohort_id: str, learner_name: str, status: str) -> dict:
    from django.utils import timezone

    from lms.attendance import attendance_record, cohort_session_get_or_create
    from lms.models import Cohort, User

    trainer = User.objects.get(username=trainer_name)
    learner = User.objects.get(username=learner_name)
    cohort = Cohort.objects.get(pk=int(cohort_id))
    session = cohort_session_get_or_create(cohort=cohort, date=timezone.localdate(), user=trainer)
    attendance_record(session=session, marks={learner.pk: status}, user=trainer)
    return {"session": session.pk}


def state() -> dict:
    from sync.models import NodeState

    found = NodeState.objects.get()
    return {
        "offline_since": found.offline_since.isoformat() if found.offline_since else None,
        "records_waiting": found.records_waiting,
        "pending": str(found.pending_batch_id) if found.pending_batch_id else None,
    }


def sync_killed_after_upload() -> dict:
    """A sync whose process dies the moment the server has applied its batch, before the node
    hears the answer: the worst place for an interruption."""
    from sync import client
    from sync.node import node_sync

    original = client.Link.up

    def up_then_die(self, body):
        original(self, body)
        os._exit(9)

    client.Link.up = up_then_die
    node_sync()
    return {"survived": True}


if __name__ == "__main__":
    import django

    django.setup()
    action, *arguments = sys.argv[1:]
    print(json.dumps(globals()[action](*arguments)))
