"""Records that travel up, applied on the programme's server (services).

:func:`records_apply` takes a payload made by :func:`sync.records.records_collect` on a node of
``center`` (its shape is in that module's docstring) and applies it:

- **atomic**: everything is checked as it is applied inside one transaction; the first bad
  record raises :class:`RecordRefused` naming it (kind, uuid or username, why) and nothing is
  saved (project files already stored are deleted again);
- **idempotent**: every record is found by its uuid (or its natural key: a learner's enrolment
  in a course, their progress in a lesson, their mark in a session), so a replayed payload
  changes nothing and counts zero;
- **one center**: a record about a learner, cohort or session not of ``center`` is refused;
- **conflict rules** (docs/decisions/0024-records-up-from-lab-nodes.md): enrolments are created
  if missing; lesson progress is the union (completed if completed on either side, the
  earliest completion, the earliest start, the latest visit, the larger time); a submitted
  attempt never changes (its uuid again is a no-op, a different copy is ignored and reported in
  ``ignored``); attendance keeps every change of both sides and the latest one sets the mark;
  a password change applies when it is newer than the server's.

Then the server decides what follows with each app's own services: attempts are graded by
``assessments.services.attempt_received_grade``, every enrolment touched is re-decided by
``courses.services.enrollment_completion_evaluate`` (whose signal has the certificates app
issue the certificate after the commit; the signing key never leaves the server).
"""

import contextlib
import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from wagtail.models import Locale

from assessments.models import AssessmentPage, Attempt, Response
from assessments.services import attempt_received_grade
from assessments.uploads import UploadRejected, upload_check
from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
from courses.services import EnrollmentError, enrollment_completion_evaluate, enrollment_create
from lms.accounts import learner_password_change_done
from lms.attendance import AttendanceError, cohort_session_get_or_create
from lms.models import (
    AttendanceChange,
    AttendanceMark,
    Cohort,
    CohortMembership,
    CohortSession,
    User,
)

from .records import RECORDS_FORMAT, RECORDS_VERSION, parse_time

KINDS = ("enrollments", "progress", "attempts", "attendance", "passwords")


class RecordRefused(ValueError):
    """A payload was refused; ``kind`` and ``key`` name the record, ``str()`` says why."""

    def __init__(self, kind: str, key, reason: str):
        self.kind, self.key, self.reason = kind, key, reason
        super().__init__(f"{kind} {key}: {reason}. Nothing was saved.")


@dataclass
class RecordsApplied:
    """What a payload changed: ``counts`` per kind (all zero for a replay); ``ignored``: uuids of
    submitted attempts that arrived again with different contents (the server's copy stays)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    ignored: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(self.counts.values())


class _Refs:
    """Looks up what records name (learners, pages, cohorts), once each, refusing what is not
    of the node's center."""

    def __init__(self, center):
        self.center = center
        self._learners: dict[str, User] = {}
        self._pages: dict[tuple, object] = {}
        self._cohorts: dict[str, Cohort] = {}
        self._staff: dict[str, User | None] = {}
        self._locale = Locale.get_default()

    def learner(self, username: str) -> User:
        if username not in self._learners:
            user = User.objects.filter(username=username).select_related("learner_profile")
            user = user.first()
            profile = getattr(user, "learner_profile", None) if user else None
            if profile is None:
                raise ValueError(f"no learner {username!r} on the server")
            in_center = profile.home_center_id == self.center.pk or (
                CohortMembership.objects.filter(learner=user, cohort__center=self.center).exists()
            )
            if not in_center:
                raise ValueError(f"learner {username!r} is not of center {self.center.code}")
            self._learners[username] = user
        return self._learners[username]

    def staff(self, username: str | None) -> User | None:
        # Who marked attendance is an audit detail: an account renamed since (erasure) is
        # recorded as unknown rather than refusing the lab's whole day.
        if username is None:
            return None
        if username not in self._staff:
            self._staff[username] = User.objects.filter(username=username).first()
        return self._staff[username]

    def page(self, model, key: str):
        if (model, key) not in self._pages:
            pages = list(model.objects.filter(translation_key=key))
            if not pages:
                raise ValueError(f"no {model._meta.verbose_name} {key!r} on the server")
            canonical = [p for p in pages if p.locale_id == self._locale.pk]
            self._pages[(model, key)] = (canonical or pages)[0]
        return self._pages[(model, key)]

    def cohort(self, name: str) -> Cohort:
        if name not in self._cohorts:
            cohort = Cohort.objects.filter(center=self.center, name=name).first()
            if cohort is None:
                raise ValueError(f"no cohort {name!r} at center {self.center.code}")
            self._cohorts[name] = cohort
        return self._cohorts[name]


@contextlib.contextmanager
def _naming(kind: str, record):
    key = (record.get("uuid") or record.get("username")) if isinstance(record, dict) else record
    try:
        yield
    except RecordRefused:
        raise
    except UploadRejected as error:
        raise RecordRefused(kind, key, str(error)) from error
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        reason = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise RecordRefused(kind, key, reason) from error
    except (ValidationError, EnrollmentError, AttendanceError) as error:
        raise RecordRefused(kind, key, getattr(error, "message", str(error))) from error


def _earliest(*times):
    present = [t for t in times if t is not None]
    return min(present) if present else None


# --- Enrolments and lesson progress -------------------------------------------------------------


def _enrollment(refs: _Refs, record: dict, result: RecordsApplied) -> Enrollment:
    learner = refs.learner(record["learner"])
    course = refs.page(CoursePage, record["course"])
    cohort = refs.cohort(record["cohort"]) if record["cohort"] else None
    enrollment = Enrollment.objects.filter(uuid=record["uuid"]).first()
    if enrollment is None:
        enrollment = Enrollment.objects.filter(learner=learner, course=course).first()
    if enrollment is not None:
        if (enrollment.learner_id, enrollment.course_id) != (learner.pk, course.pk):
            raise ValueError("this uuid is another learner's or another course's enrolment")
    else:
        if cohort is None and learner.learner_profile.home_center_id != refs.center.pk:
            raise ValueError(f"learner is not of center {refs.center.code}")
        enrollment = enrollment_create(
            learner=learner,
            course=course,
            cohort=cohort,
            check_prerequisites=False,
            uuid=record["uuid"],
        )
        result.counts["enrollments"] += 1
    if enrollment.center_id != refs.center.pk:
        raise ValueError(f"the enrolment is at another center than {refs.center.code}")
    started = _earliest(enrollment.started_at, parse_time(record["started_at"]))
    if started != enrollment.started_at:
        Enrollment.objects.filter(pk=enrollment.pk).update(started_at=started)
        enrollment.started_at = started
        result.counts["enrollments"] += 1
    return enrollment


def _progress(refs, enrollment, course, record: dict, result: RecordsApplied) -> None:
    lesson = refs.page(LessonPage, record["lesson"])
    if not lesson.path.startswith(course.path):
        raise ValueError("the lesson is not in the enrolment's course")
    node = {
        "started_at": parse_time(record["started_at"]),
        "last_seen_at": parse_time(record["last_seen_at"]),
        "completed_at": parse_time(record["completed_at"]),
        "time_spent_seconds": int(record["seconds"]),
    }
    if node["time_spent_seconds"] < 0 or node["started_at"] is None:
        raise ValueError("a start time and a time spent of 0 or more are needed")
    row = LessonProgress.objects.filter(uuid=record["uuid"]).first()
    if row is None:
        row = LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).first()
    if row is None:
        LessonProgress.objects.create(
            uuid=record["uuid"],
            enrollment=enrollment,
            lesson=lesson,
            lesson_title=str(record["title"])[:255],
            **node,
        )
        result.counts["progress"] += 1
        return
    if (row.enrollment_id, row.lesson_id) != (enrollment.pk, lesson.pk):
        raise ValueError("this uuid is another enrolment's or another lesson's progress")
    # The union of what was done on either side.
    merged = {
        "started_at": _earliest(row.started_at, node["started_at"]),
        "last_seen_at": max(row.last_seen_at, node["last_seen_at"] or row.last_seen_at),
        "completed_at": _earliest(row.completed_at, node["completed_at"]),
        "time_spent_seconds": max(row.time_spent_seconds, node["time_spent_seconds"]),
    }
    changed = [name for name, value in merged.items() if getattr(row, name) != value]
    if changed:
        LessonProgress.objects.filter(pk=row.pk).update(**{n: merged[n] for n in changed})
        result.counts["progress"] += 1


# --- Attempts -----------------------------------------------------------------------------------


def _snapshot(record: dict, questions: list) -> dict:
    snapshot = dict(record["snapshot"])
    refs = snapshot["questions"]
    if not isinstance(refs, list) or not refs:
        raise ValueError("the snapshot has no questions")
    snapshot["questions"] = [questions[int(i)] for i in refs]
    for question in snapshot["questions"]:
        if not isinstance(question, dict) or "kind" not in question or "points" not in question:
            raise ValueError("a question of the snapshot is malformed")
    return snapshot


def _same_attempt(attempt: Attempt, record: dict) -> bool:
    stored = {r.position: r.answer for r in attempt.responses.all()}
    sent = {int(r["position"]): r["answer"] for r in record["responses"]}
    return all(stored.get(position) == answer for position, answer in sent.items())


def _response_file(response: Response, sent: dict, question: dict, files: dict, saved: list):
    ref = sent["ref"]
    if ref not in files:
        raise ValueError(f"the project file {ref!r} did not come with the records")
    content = files[ref]
    content = content if isinstance(content, bytes) else content.read()
    if hashlib.sha256(content).hexdigest() != sent["sha256"]:
        raise ValueError(f"the project file {ref!r} does not match its checksum")
    upload = ContentFile(content, name=str(sent["name"]))
    info = upload_check(upload, allowed=question["file_types"])
    response.file.save(info.name, upload, save=False)
    saved.append(response.file.name)
    response.file_name, response.file_type, response.file_size = info.name, info.kind, info.size


def _attempt(refs, record, questions, files, saved, result: RecordsApplied) -> None:
    learner = refs.learner(record["learner"])
    assessment = refs.page(AssessmentPage, record["assessment"])
    existing = Attempt.objects.filter(uuid=record["uuid"]).first()
    if existing is not None:
        if (existing.learner_id, existing.assessment_id) != (learner.pk, assessment.pk):
            raise ValueError("this uuid is another learner's or another assessment's attempt")
        # A submitted attempt never changes: the same again is nothing; another copy is ignored.
        if not _same_attempt(existing, record):
            result.ignored.append(str(record["uuid"]))
        return
    # Withdrawn on the server meanwhile or not, the attempt happened: it is kept (a withdrawn
    # enrolment is never completed by it).
    course = assessment.get_parent()
    enrollment = Enrollment.objects.filter(
        learner=learner, course__translation_key=course.translation_key
    ).first()
    if enrollment is None:
        raise ValueError("the learner is not enrolled in the assessment's course")
    if enrollment.center_id != refs.center.pk:
        raise ValueError(f"the enrolment is at another center than {refs.center.code}")
    submitted_at = parse_time(record["submitted_at"])
    if submitted_at is None:
        raise ValueError("only submitted attempts travel")
    snapshot = _snapshot(record, questions)
    taken = Attempt.objects.filter(assessment=assessment, learner=learner)
    number = int(record["number"])
    if taken.filter(number=number).exists():
        # Numbered on the node, where the server's attempts since the last sync were unknown.
        number = (taken.aggregate(n=Max("number"))["n"] or 0) + 1
    attempt = Attempt.objects.create(
        uuid=record["uuid"],
        assessment=assessment,
        enrollment=enrollment,
        learner=learner,
        number=number,
        status=Attempt.Status.SUBMITTED,
        snapshot=snapshot,
        started_at=parse_time(record["started_at"]),
        deadline=parse_time(record["deadline"]),
        last_saved_at=submitted_at,
        submitted_at=submitted_at,
        submitted_late=bool(record["late"]),
        max_score=sum(Decimal(q["points"]) for q in snapshot["questions"]),
    )
    responses, positions = [], set()
    for sent in record["responses"]:
        position = int(sent["position"])
        if not 0 <= position < len(snapshot["questions"]) or position in positions:
            raise ValueError(f"response position {position} is not a question of the attempt")
        positions.add(position)
        response = Response(
            uuid=sent["uuid"],
            attempt=attempt,
            position=position,
            answer=sent["answer"],
            saved_at=parse_time(sent["saved_at"]),
        )
        if sent.get("file"):
            question = snapshot["questions"][position]
            _response_file(response, sent["file"], question, files, saved)
        responses.append(response)
    if Response.objects.filter(uuid__in=[r.uuid for r in responses]).exists():
        raise ValueError("a response uuid belongs to another attempt")
    Response.objects.bulk_create(responses)
    attempt_received_grade(attempt=attempt)
    result.counts["attempts"] += 1


# --- Attendance ---------------------------------------------------------------------------------


def _session(cohort: Cohort, record: dict) -> CohortSession:
    date = datetime.date.fromisoformat(record["date"])
    if record["shift"] != cohort.shift:
        raise ValueError(f"cohort {cohort.name!r} does not meet in the {record['shift']} shift")
    session = CohortSession.objects.filter(cohort=cohort, date=date, shift=cohort.shift).first()
    return session or cohort_session_get_or_create(cohort=cohort, date=date, user=None)


def _mark(refs: _Refs, record: dict, result: RecordsApplied) -> None:
    cohort = refs.cohort(record["cohort"])
    # A learner of the center, even if taken off this cohort's list on the server meanwhile:
    # the node's list had them, and refusing would hold back the lab's whole day.
    learner = refs.learner(record["learner"])
    if record["status"] not in AttendanceMark.Status.values:
        raise ValueError(f"{record['status']!r} is not an attendance status")
    session = _session(cohort, record)
    mark = AttendanceMark.objects.filter(uuid=record["uuid"]).first()
    if mark is None:
        mark = AttendanceMark.objects.filter(session=session, learner=learner).first()
    elif (mark.session_id, mark.learner_id) != (session.pk, learner.pk):
        raise ValueError("this uuid is another learner's or another session's mark")
    changed = False
    if mark is None:
        mark = AttendanceMark.objects.create(
            uuid=record["uuid"],
            session=session,
            learner=learner,
            status=record["status"],
            marked_by=refs.staff(record["marked_by"]),
            marked_at=parse_time(record["marked_at"]),
        )
        changed = True
    known = set(AttendanceChange.objects.filter(mark=mark).values_list("uuid", flat=True))
    new = []
    for sent in record["changes"]:
        if sent["after"] not in AttendanceMark.Status.values:
            raise ValueError(f"{sent['after']!r} is not an attendance status")
        if any(str(uuid) == str(sent["uuid"]) for uuid in known):
            continue
        new.append(
            AttendanceChange(
                uuid=sent["uuid"],
                mark=mark,
                status_before=sent["before"] or "",
                status_after=sent["after"],
                changed_by=refs.staff(sent["by"]),
                changed_at=parse_time(sent["at"]),
            )
        )
    if new:
        if AttendanceChange.objects.filter(uuid__in=[c.uuid for c in new]).exists():
            raise ValueError("a change's uuid belongs to another mark")
        AttendanceChange.objects.bulk_create(new)
        changed = True
    # The latest correction wins; the history keeps every change of both sides.
    latest = max(
        AttendanceChange.objects.filter(mark=mark),
        key=lambda c: (c.changed_at, str(c.uuid)),
        default=None,
    )
    if latest is not None and (mark.status, mark.marked_at) != (
        latest.status_after,
        latest.changed_at,
    ):
        mark.status, mark.marked_at = latest.status_after, latest.changed_at
        mark.marked_by_id = latest.changed_by_id
        mark.save(update_fields=["status", "marked_at", "marked_by"])
        changed = True
    result.counts["attendance"] += changed


# --- Passwords ----------------------------------------------------------------------------------


def _password(refs: _Refs, record: dict, result: RecordsApplied) -> None:
    user = refs.learner(record["username"])
    if user.learner_profile.home_center_id != refs.center.pk:
        raise ValueError(f"learner is not registered at center {refs.center.code}")
    identify_hasher(record["hash"])  # ValueError for anything not a password hash we know
    changed_at = parse_time(record["changed_at"])
    if user.password == record["hash"]:
        return
    if user.password_changed_at is not None and changed_at <= user.password_changed_at:
        return  # changed on the server since: the later change wins
    user.password, user.password_changed_at = record["hash"], changed_at
    user.save(update_fields=["password", "password_changed_at"])
    if not record["must_change"]:
        learner_password_change_done(user=user)
    result.counts["passwords"] += 1


# --- The whole payload --------------------------------------------------------------------------


def _header(center, payload) -> None:
    if not isinstance(payload, dict) or payload.get("format") != RECORDS_FORMAT:
        raise RecordRefused("payload", "-", f"not a {RECORDS_FORMAT} payload")
    if payload.get("version") != RECORDS_VERSION:
        raise RecordRefused("payload", "-", f"version {payload.get('version')!r} is unknown")
    if payload.get("center") != center.code:
        raise RecordRefused("payload", "-", f"made for center {payload.get('center')!r}")


def _apply(center, payload, files, saved) -> RecordsApplied:
    _header(center, payload)
    refs, result = _Refs(center), RecordsApplied()
    touched: dict[int, Enrollment] = {}
    for record in payload["enrollments"]:
        with _naming("enrollment", record):
            enrollment = _enrollment(refs, record, result)
            course = refs.page(CoursePage, record["course"])
        for progress in record["progress"]:
            with _naming("lesson progress", progress):
                _progress(refs, enrollment, course, progress, result)
        touched[enrollment.pk] = enrollment
    for record in payload["attempts"]:
        with _naming("attempt", record):
            _attempt(refs, record, payload["questions"], files, saved, result)
    for record in payload["attendance"]:
        with _naming("attendance mark", record):
            _mark(refs, record, result)
    for record in payload["passwords"]:
        with _naming("password", record):
            _password(refs, record, result)
    # Attendance and grades may complete an enrolment too: re-decide every one the center's
    # learners touched (the service does nothing for one already completed).
    learners = {r["learner"] for r in payload["attendance"]} | {
        r["learner"] for r in payload["attempts"]
    }
    if learners:
        for enrollment in Enrollment.objects.filter(
            center=center, learner__username__in=learners, status=Enrollment.Status.ACTIVE
        ):
            touched.setdefault(enrollment.pk, enrollment)
    for enrollment in touched.values():
        enrollment.refresh_from_db()
        enrollment_completion_evaluate(enrollment=enrollment)
    return result


def records_apply(*, center, payload: dict, files=None) -> RecordsApplied:
    """Apply a node's records on the server: all or nothing, idempotent, only ``center``'s.

    ``files`` maps each project file's ``ref`` (see ``records_files``) to its bytes (or a file
    object); only files of attempts new to the server are read. Raises :class:`RecordRefused`.
    """
    saved: list[str] = []
    try:
        with transaction.atomic():
            return _apply(center, payload, files or {}, saved)
    except BaseException:
        from assessments.storage import private_storage

        for name in saved:
            private_storage.delete(name)
        raise
