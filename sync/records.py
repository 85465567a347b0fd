"""Records that travel up, from a lab node to the programme's server: reading them (selectors).

API (called by the node's transport; nothing here knows HTTP)::

    from sync.records import RECORDS_FORMAT, RECORDS_VERSION, records_collect, records_count
    from sync.records import records_files
    from sync.records_apply import records_apply, RecordRefused

    payload = records_collect(center=center, since=cursor_or_None)   # on the node
    files = records_files(payload)          # {ref: storage name} of project files to send too
    # ... send json(payload) (+ the files) ...; keep payload["cursor"] for the next collect
    result = records_apply(center=center, payload=payload, files={ref: bytes})  # on the server
    # result.counts: {"enrollments": n, "progress": n, "attempts": n, "attendance": n,
    #                 "passwords": n} of records that changed something; a replay gives zeros.
    # RecordRefused (a ValueError) names the first bad record; nothing is saved then.

The payload is plain JSON (str, int, bool, None, lists, dicts), version 1::

    {"format": "hunar.records", "version": 1, "center": "GLT",
     "since": "2026-12-06T08:00:00.000+00:00" | None,
     "cursor": "...",                    # pass as ``since`` next time (collect time minus SETTLE)
     "enrollments": [{"uuid", "learner": username, "course": translation_key,
                      "cohort": cohort name | None, "started_at": iso | None,
                      "progress": [{"uuid", "lesson": translation_key, "title", "started_at",
                                    "last_seen_at", "completed_at": iso | None,
                                    "seconds": int}]}],
     "attempts": [{"uuid", "learner", "assessment": translation_key, "number",
                   "started_at", "deadline", "submitted_at", "late": bool,
                   "snapshot": {...the attempt's snapshot, "questions": [index into
                                "questions" below]},
                   "responses": [{"uuid", "position", "answer", "saved_at",
                                  "file": {"ref", "name", "type", "size", "sha256"} | None}]}],
     "questions": [question snapshot dicts, each once],
     "attendance": [{"uuid", "cohort": name, "date": "YYYY-MM-DD", "shift", "learner",
                     "status", "marked_by": username | None, "marked_at",
                     "changes": [{"uuid", "before", "after", "by": username | None,
                                  "at"}]}],
     "passwords": [{"username", "hash", "changed_at", "must_change": bool}]}

Learners and staff are named by username, cohorts by name (unique in a center), sessions by
cohort, date and shift, courses, lessons and assessments by Wagtail's ``translation_key`` (one
thing in every language, docs/decisions/0013), never by a local integer id. A question inside a
snapshot keeps the ids it was frozen with (``question_id``, choice ids): the server's, since
the curriculum comes down from it with its ids; grading reads only the snapshot.
Only submitted attempts travel (an attempt in progress stays on the node until submitted).
Rules and reasons: docs/decisions/0024-records-up-from-lab-nodes.md.
"""

import datetime
import hashlib
import json

from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.models import Page

from assessments.models import Attempt, Response
from courses.models import Enrollment, LessonProgress
from lms.models import AttendanceChange, AttendanceMark, LearnerProfile, User

RECORDS_FORMAT = "hunar.records"
RECORDS_VERSION = 1
# A record written in a transaction that commits just after a collect read the database can
# carry a time slightly before the collect: the cursor steps back this much, so it is sent next
# time (a replay changes nothing on the server).
SETTLE = datetime.timedelta(seconds=5)


def iso(value: datetime.datetime | None) -> str | None:
    """A time as the payload writes it: UTC, to the microsecond (a round trip is exact)."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def parse_time(value: str | None) -> datetime.datetime | None:
    if value is None:
        return None
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"time without a zone: {value!r}")
    return parsed


def _keys(ids) -> dict[int, str]:
    """{page id: translation_key}."""
    return dict(Page.objects.filter(pk__in=set(ids)).values_list("pk", "translation_key"))


def _usernames(ids) -> dict[int, str]:
    ids = {pk for pk in ids if pk is not None}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))


def _enrollments(center, since) -> list[dict]:
    progress = LessonProgress.objects.order_by("pk")
    enrollments = Enrollment.objects.filter(center=center)
    if since is not None:
        progress = progress.filter(last_seen_at__gte=since)
        changed = (
            Q(enrolled_at__gte=since)
            | Q(started_at__gte=since)
            | Q(completed_at__gte=since)
            | Q(progress__last_seen_at__gte=since)
        )
        enrollments = enrollments.filter(changed).distinct()
    enrollments = list(
        enrollments.select_related("learner", "cohort")
        .prefetch_related(Prefetch("progress", queryset=progress))
        .order_by("pk")
    )
    pages = _keys(
        [e.course_id for e in enrollments]
        + [p.lesson_id for e in enrollments for p in e.progress.all()],
    )
    out = []
    for enrollment in enrollments:
        out.append(
            {
                "uuid": str(enrollment.uuid),
                "learner": enrollment.learner.username,
                "course": str(pages[enrollment.course_id]),
                "cohort": enrollment.cohort.name if enrollment.cohort_id else None,
                "started_at": iso(enrollment.started_at),
                "progress": [
                    {
                        "uuid": str(p.uuid),
                        "lesson": str(pages[p.lesson_id]),
                        "title": p.lesson_title,
                        "started_at": iso(p.started_at),
                        "last_seen_at": iso(p.last_seen_at),
                        "completed_at": iso(p.completed_at),
                        "seconds": p.time_spent_seconds,
                    }
                    for p in enrollment.progress.all()
                    if p.lesson_id is not None  # a deleted lesson's row stops counting
                ],
            }
        )
    return out


def _file_sha256(response: Response) -> str:
    digest = hashlib.sha256()
    with response.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _attempts(center, since) -> tuple[list[dict], list[dict]]:
    attempts = Attempt.objects.filter(enrollment__center=center).exclude(
        status=Attempt.Status.IN_PROGRESS
    )
    if since is not None:
        attempts = attempts.filter(submitted_at__gte=since)
    attempts = list(
        attempts.select_related("learner")
        .prefetch_related(Prefetch("responses", queryset=Response.objects.order_by("position")))
        .order_by("pk")
    )
    pages = _keys([a.assessment_id for a in attempts])
    questions: list[dict] = []
    index: dict[str, int] = {}

    def question_ref(question: dict) -> int:
        # Learners given the same quiz share its questions: each is written once.
        key = json.dumps(question, sort_keys=True, ensure_ascii=False)
        if key not in index:
            index[key] = len(questions)
            questions.append(question)
        return index[key]

    out = []
    for attempt in attempts:
        snapshot = dict(attempt.snapshot)
        snapshot["questions"] = [question_ref(q) for q in attempt.snapshot["questions"]]
        out.append(
            {
                "uuid": str(attempt.uuid),
                "learner": attempt.learner.username,
                "assessment": str(pages[attempt.assessment_id]),
                "number": attempt.number,
                "started_at": iso(attempt.started_at),
                "deadline": iso(attempt.deadline),
                "submitted_at": iso(attempt.submitted_at),
                "late": attempt.submitted_late,
                "snapshot": snapshot,
                "responses": [
                    {
                        "uuid": str(r.uuid),
                        "position": r.position,
                        "answer": r.answer,
                        "saved_at": iso(r.saved_at),
                        "file": (
                            {
                                "ref": r.file.name,
                                "name": r.file_name,
                                "type": r.file_type,
                                "size": r.file_size,
                                "sha256": _file_sha256(r),
                            }
                            if r.file
                            else None
                        ),
                    }
                    for r in attempt.responses.all()
                ],
            }
        )
    return out, questions


def _attendance(center, since) -> list[dict]:
    marks = AttendanceMark.objects.filter(session__cohort__center=center)
    if since is not None:
        marks = marks.filter(Q(marked_at__gte=since) | Q(changes__changed_at__gte=since))
        marks = marks.distinct()
    marks = list(
        marks.select_related("session__cohort", "learner")
        .prefetch_related(
            Prefetch("changes", queryset=AttendanceChange.objects.order_by("changed_at", "pk"))
        )
        .order_by("pk")
    )
    names = _usernames(
        [m.marked_by_id for m in marks] + [c.changed_by_id for m in marks for c in m.changes.all()]
    )
    return [
        {
            "uuid": str(mark.uuid),
            "cohort": mark.session.cohort.name,
            "date": mark.session.date.isoformat(),
            "shift": mark.session.shift,
            "learner": mark.learner.username,
            "status": mark.status,
            "marked_by": names.get(mark.marked_by_id),
            "marked_at": iso(mark.marked_at),
            "changes": [
                {
                    "uuid": str(change.uuid),
                    "before": change.status_before,
                    "after": change.status_after,
                    "by": names.get(change.changed_by_id),
                    "at": iso(change.changed_at),
                }
                for change in mark.changes.all()
            ],
        }
        for mark in marks
    ]


def _passwords(center, since) -> list[dict]:
    """Password changes of the center's learners (home center): staff passwords stay put."""
    users = User.objects.filter(
        learner_profile__home_center=center, password_changed_at__isnull=False
    )
    if since is not None:
        users = users.filter(password_changed_at__gte=since)
    must_change = set(
        LearnerProfile.objects.filter(home_center=center, must_change_password=True).values_list(
            "user_id", flat=True
        )
    )
    return [
        {
            "username": user.username,
            "hash": user.password,
            "changed_at": iso(user.password_changed_at),
            "must_change": user.pk in must_change,
        }
        for user in users.order_by("pk").only("pk", "username", "password", "password_changed_at")
    ]


def records_collect(*, center, since: datetime.datetime | str | None = None) -> dict:
    """The center's records changed at or after ``since`` (all of them when None), as the
    JSON-able payload described in this module's docstring. Read-only."""
    if isinstance(since, str):
        since = parse_time(since)
    started = timezone.now()
    attempts, questions = _attempts(center, since)
    return {
        "format": RECORDS_FORMAT,
        "version": RECORDS_VERSION,
        "center": center.code,
        "since": iso(since),
        "cursor": iso(started - SETTLE),
        "enrollments": _enrollments(center, since),
        "attempts": attempts,
        "questions": questions,
        "attendance": _attendance(center, since),
        "passwords": _passwords(center, since),
    }


def records_count(payload: dict) -> int:
    """How many records a payload carries (0: nothing to send)."""
    return (
        sum(1 + len(e["progress"]) for e in payload["enrollments"])
        + len(payload["attempts"])
        + len(payload["attendance"])
        + len(payload["passwords"])
    )


def records_files(payload: dict) -> dict[str, str]:
    """{ref: storage name in STORAGES["private"]} of the project files the payload refers to;
    the transport sends their bytes beside the payload."""
    return {
        response["file"]["ref"]: response["file"]["ref"]
        for attempt in payload["attempts"]
        for response in attempt["responses"]
        if response["file"]
    }
